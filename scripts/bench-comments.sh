#!/usr/bin/env bash
# Discussion benchmark (docs/benchmarks.md, "Comments"): on a fresh release server, the paper
# concept (the automerge-paper trace in a section of the template) twice; one gets 1,000 passage
# threads with 4 replies each from 260 members (each within the limit of 20 comments a minute).
# Measures the page's server time with and without the discussion, and the fan-out of a comment
# event to 100 connections beside a plain edit's. Results: target/bench/comments.jsonl.
# Usage: scripts/bench-comments.sh [extra kompromiss-loadgen comments flags]
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS="${MEMBERS:-260}"

# One invocation: built apart, the two packages unify the client's features differently and each
# build recompiles the client and the server.
cargo build --release -p kompromiss-server -p kompromiss-tests --bin kompromiss --bin kompromiss-loadgen
TARGET="${CARGO_TARGET_DIR:-target}"
SERVER="${KOMPROMISS_BIN:-$TARGET/release/kompromiss}"
LOADGEN="$TARGET/release/kompromiss-loadgen"
mkdir -p target/bench
OUT=target/bench/comments.jsonl
ulimit -n 4096 2>/dev/null || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 400); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.05; done; return 1; }

dir=$(mktemp -d); port=$(free_port)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
KOMPROMISS_DATA_DIR="$dir" KOMPROMISS_BIND="127.0.0.1:$port" RUST_LOG=warn "$SERVER" serve >"$dir/log" 2>&1 &
pid=$!; wait_ready "$port"
editor=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-user --name Redaktion --role editor)
etoken=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-token "$editor")
echo "==> creating $MEMBERS members with tokens"
for i in $(seq "$MEMBERS"); do
  m=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-user --name "Mitglied $i" --role member)
  KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-token "$m"
done > "$dir/tokens"
echo "==> running"
# PERF=1: a flat CPU profile of the server while it works (target/bench/comments-perf.txt).
if [ "${PERF:-0}" = 1 ]; then
  perf record -F 499 -o target/bench/comments-perf.data -p "$pid" >/dev/null 2>&1 &
  perf_pid=$!
fi
"$LOADGEN" comments --sync "ws://127.0.0.1:$port/sync" --http "http://127.0.0.1:$port" \
  --editor-token "$etoken" --commenters "$dir/tokens" "$@" | tee -a "$OUT"
if [ "${PERF:-0}" = 1 ]; then
  kill -INT "$perf_pid"; wait "$perf_pid" || true
  { perf report -i target/bench/comments-perf.data --no-children --sort symbol --stdio 2>/dev/null || true; } \
    | grep '%' | sed 's/  */ /g' | cut -c1-160 | head -60 > target/bench/comments-perf.txt || true
fi
echo "==> results in $OUT"
