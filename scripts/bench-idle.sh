#!/usr/bin/env bash
# Capacity (docs/benchmarks.md): 10,000 idle signed-in WebSocket connections over 1,000
# template concepts on one instance (embedded SQLite); the server's resident memory per open
# document and per connection. Needs `ulimit -n` of at least 12,000 in this shell.
# Usage: scripts/bench-idle.sh [CONNECTIONS] [DOCS]
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${1:-10000}"; DOCS="${2:-1000}"
ulimit -n 20000 2>/dev/null || true
[ "$(ulimit -n)" -ge $((CONNECTIONS + 1500)) ] || { echo "ulimit -n is $(ulimit -n): too low for $CONNECTIONS connections" >&2; exit 1; }
cargo build --release -p kompromiss-server
cargo build --release -p kompromiss-tests --bin kompromiss-loadgen
mkdir -p target/bench; OUT=target/bench/idle.jsonl
SERVER=target/release/kompromiss; DIR=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KOMPROMISS_DATA_DIR="$DIR" KOMPROMISS_BIND="127.0.0.1:$PORT" KOMPROMISS_MAX_CONNECTIONS=$((CONNECTIONS + 500)) \
  KOMPROMISS_DEV_LOGIN=false RUST_LOG=warn "$SERVER" serve >"$DIR/log" 2>&1 &
PID=$!; trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 400); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.05; done
USER_ID=$(KOMPROMISS_DATA_DIR="$DIR" "$SERVER" admin create-user --name capacity --role editor)
TOKEN=$(KOMPROMISS_DATA_DIR="$DIR" "$SERVER" admin create-token "$USER_ID")
target/release/kompromiss-loadgen idle --sync "ws://127.0.0.1:$PORT/sync" --http "http://127.0.0.1:$PORT" \
  --token "$TOKEN" --server-pid "$PID" --connections "$CONNECTIONS" --docs "$DOCS" --hold "${HOLD:-30}" | tee -a "$OUT"
