#!/usr/bin/env bash
# Hostile-load benchmark (docs/benchmarks.md, "Hostile load"): for each attack of issue 21, an
# honest editor (one writer, one reader, 20 edits/s) edits a document on a fresh server while the
# attack runs against the same server and document; baselines without an attack run between them.
# Results: one JSON object per line in target/bench/hostile.jsonl; the table: scripts/bench-hostile-table.py.
# Usage: scripts/bench-hostile.sh [ATTACK ...]   (default: every attack, baseline first and last)
set -euo pipefail
cd "$(dirname "$0")/.."
EDITS="${EDITS:-300}"

cargo build --release -p kompromiss-server
cargo build --release -p kompromiss-tests --bin kompromiss-loadgen
TARGET="${CARGO_TARGET_DIR:-target}"
SERVER="${KOMPROMISS_BIN:-$TARGET/release/kompromiss}"
LOADGEN="$TARGET/release/kompromiss-loadgen"
mkdir -p target/bench
OUT=target/bench/hostile.jsonl; : > "$OUT"
# The README's deployment value: the caps plus a reserve fit (2,816 with the defaults). The
# attackers live in the load generator, which needs ~3,200 descriptors of its own.
ulimit -n 4096 2>/dev/null || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 400); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.05; done; return 1; }

row() { # attack: one fresh server, one editor, one attack
  local dir port pid editor member wtoken mtoken
  dir=$(mktemp -d); port=$(free_port)
  KOMPROMISS_DATA_DIR="$dir" KOMPROMISS_BIND="127.0.0.1:$port" RUST_LOG=warn "$SERVER" serve >"$dir/log" 2>&1 &
  pid=$!; wait_ready "$port"
  editor=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-user --name Redaktion --role editor)
  member=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-user --name Mitglied --role member)
  wtoken=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-token "$editor")
  mtoken=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-token "$member")
  sync
  "$LOADGEN" hostile --sync "ws://127.0.0.1:$port/sync" --http "http://127.0.0.1:$port" \
    --writer-token "$wtoken" --member-token "$mtoken" --server-pid "$pid" --attack "$1" --edits "$EDITS" \
    | tee -a "$OUT" || echo "{\"label\":\"hostile\",\"attack\":\"$1\",\"error\":\"run failed\"}" | tee -a "$OUT"
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

ATTACKS=("$@")
if [ ${#ATTACKS[@]} -eq 0 ]; then
  ATTACKS=(none decoded-size orphans slots fragments none presence http-idle probe snapshots refused-writes none)
fi
for a in "${ATTACKS[@]}"; do echo "==> $a"; row "$a"; done
echo "==> results in $OUT"
