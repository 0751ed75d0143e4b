#!/usr/bin/env bash
# Several instances (docs/benchmarks.md): fan-out with the writer on instance A and the readers
# split over A and B, beside the same run with every reader on A alone, on one PostgreSQL
# database, alternating. Results: target/bench/cluster.jsonl.
# Usage: scripts/bench-cluster.sh [ROUNDS]   (PostgreSQL from TEST_DATABASE_URL, default local)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"; READERS="${READERS:-100}"; EDITS="${EDITS:-1000}"
BASE="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo build --release -p kompromiss-server
cargo build --release -p kompromiss-tests --bin kompromiss-loadgen
mkdir -p target/bench; OUT=target/bench/cluster.jsonl; : > "$OUT"
SERVER=target/release/kompromiss; LOADGEN=target/release/kompromiss-loadgen
NAME="kompromiss_bench_$$"; DB="${BASE%/*}/$NAME"
psql "$BASE" -qc "CREATE DATABASE $NAME"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 400); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.05; done; return 1; }
DIR=$(mktemp -d)
start() { # port → pid in $PID
  DATABASE_URL="$DB" KOMPROMISS_DATA_DIR="$DIR" KOMPROMISS_BIND="127.0.0.1:$1" KOMPROMISS_DOC_IDLE_SECS=2 \
    KOMPROMISS_DEV_LOGIN=false RUST_LOG=warn "$SERVER" serve >>"$DIR/log-$1" 2>&1 &
  PID=$!; wait_ready "$1"
}
PA=$(free_port); start "$PA"; A=$PID
PB=$(free_port); start "$PB"; B=$PID
cleanup() { kill "$A" "$B" 2>/dev/null || true; wait 2>/dev/null || true; psql "$BASE" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" || true; }
trap cleanup EXIT
USER_ID=$(DATABASE_URL="$DB" "$SERVER" admin create-user --name bench --role editor)
TOKEN=$(DATABASE_URL="$DB" "$SERVER" admin create-token "$USER_ID")
URL_A="ws://127.0.0.1:$PA/sync?access_token=$TOKEN"; URL_B="ws://127.0.0.1:$PB/sync?access_token=$TOKEN"
run() { GLIBC_TUNABLES=glibc.malloc.mmap_threshold=65536 "$LOADGEN" run --readers "$READERS" --rate 50 --edits "$EDITS" \
  --server-pid "$A" "$@" | tee -a "$OUT"; }
for round in $(seq "$ROUNDS"); do
  sync; sleep 1
  run --url "$URL_A" --label "one-instance-r$round"
  sync; sleep 1
  run --url "$URL_A" --reader-url "$URL_B" --label "two-instances-r$round"
done
python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for kind in ("one-instance", "two-instances"):
    rs = [r["report"] for r in rows if r["label"].startswith(kind)]
    print(kind, "p50", [round(r["p50_ms"], 1) for r in rs], "p99", [round(r["p99_ms"], 1) for r in rs], "lost", [r["lost"] for r in rs])
PY
