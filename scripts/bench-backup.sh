#!/usr/bin/env bash
# Backup and restore benchmark (docs/benchmarks.md, "Backup and restore"): a release server holding
# the paper concept (the automerge-paper trace's full history, 259,778 changes, in a section of the
# template) is backed up while it runs, and the archive restored into fresh SQLite and PostgreSQL
# databases; each `kompromiss backup` / `kompromiss restore` process runs under `/usr/bin/time -v`
# (wall time, maximum resident set size). Every restored instance is started and must serve the
# concept at the source's heads. Both sources: SQLite and PostgreSQL.
# Results: target/bench/backup.jsonl. Usage: scripts/bench-backup.sh
# PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres; the script
# creates and drops its own databases there); without it answering, only SQLite is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

# One invocation: built apart, the two packages unify the client's features differently.
cargo build --release -p kompromiss-server -p kompromiss-tests --bin kompromiss --bin kompromiss-loadgen
TARGET="${CARGO_TARGET_DIR:-target}"
SERVER="${KOMPROMISS_BIN:-$TARGET/release/kompromiss}"
LOADGEN="$TARGET/release/kompromiss-loadgen"
PG="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p target/bench
OUT=target/bench/backup.jsonl
work=$(mktemp -d)
pgdbs=()
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  for db in "${pgdbs[@]}"; do psql -q "$PG" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 400); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.05; done; return 1; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# Sets URL to a fresh database of the kind $1 (sqlite or postgres).
fresh() {
  if [ "$1" = sqlite ]; then
    local dir; dir=$(mktemp -d -p "$work"); URL="sqlite://$dir/kompromiss.db?mode=rwc"
  else
    local name="kompromiss_bench_$RANDOM$RANDOM"
    psql -q "$PG" -c "CREATE DATABASE $name" >/dev/null
    pgdbs+=("$name"); URL="${PG%/*}/$name"
  fi
}

# label url command…: runs `kompromiss command…` on the database under /usr/bin/time -v.
measure() {
  local label=$1 url=$2; shift 2
  sync  # the build's and the seed's dirty pages are written back before, not during, the run
  DATABASE_URL="$url" /usr/bin/time -v -o "$work/time" "$SERVER" "$@" >"$work/out" 2>&1 || { cat "$work/out" "$work/time"; exit 1; }
  python3 - "$label" "$work/time" "$work/archive.jsonl.gz" <<'PY' | tee -a "$OUT"
import json, os, sys
label, timefile, archive = sys.argv[1:]
t = {}
for line in open(timefile):
    k, _, v = line.strip().rpartition(": ")
    t[k] = v
parts = [float(p) for p in t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")]
wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
print(json.dumps({"label": label, "wall_s": round(wall, 2), "max_rss_mib": round(int(t["Maximum resident set size (kbytes)"]) / 1024, 1),
                  "cpu_s": round(float(t["User time (seconds)"]) + float(t["System time (seconds)"]), 2),
                  "archive_bytes": os.path.getsize(archive) if os.path.exists(archive) else None}))
PY
}

serve() { # url: starts a server on it, sets pid and port
  port=$(free_port)
  DATABASE_URL="$1" KOMPROMISS_DATA_DIR="$work" KOMPROMISS_BIND="127.0.0.1:$port" RUST_LOG=warn "$SERVER" serve >>"$work/log" 2>&1 &
  pid=$!; wait_ready "$port"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

backends=(sqlite)
if psql -q "$PG" -c "SELECT 1" >/dev/null 2>&1; then backends+=(postgres); else echo "!!! PostgreSQL does not answer at $PG: SQLite only" >&2; fi

for source in "${backends[@]}"; do
  fresh "$source"; src=$URL
  serve "$src"
  user=$(DATABASE_URL="$src" "$SERVER" admin create-user --name Redaktion --role editor)
  token=$(DATABASE_URL="$src" "$SERVER" admin create-token "$user")
  seeded=$("$LOADGEN" seed --url "ws://127.0.0.1:$port/sync?access_token=$token")
  doc=$(echo "$seeded" | json doc); heads=$(echo "$seeded" | json heads)
  rm -f "$work/archive.jsonl.gz"
  # The server keeps running: the backup reads one snapshot beside it.
  measure "backup from $source (server running)" "$src" backup "$work/archive.jsonl.gz"
  stop
  for target in "${backends[@]}"; do
    fresh "$target"; dst=$URL
    measure "restore $source -> $target" "$dst" restore "$work/archive.jsonl.gz"
    serve "$dst"
    # The restored instance serves the concept at the source's heads (the source's token was restored too).
    "$LOADGEN" seed --url "ws://127.0.0.1:$port/sync?access_token=$token" --doc "$doc" --expect-heads "$heads" | tee -a "$OUT"
    stop
  done
done
echo "==> results in $OUT"
