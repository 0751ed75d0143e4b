#!/usr/bin/env bash
# Drafts and history benchmark (docs/benchmarks.md, "Drafts and history"): on a fresh release
# server, the paper concept (the automerge-paper trace in a section of the template); a member
# creates drafts, an editor compares two distant versions, lists the timeline and opens 10 past
# versions; each beside the same operation with Automerge alone, in the same run.
# Results: target/bench/drafts.jsonl. Usage: scripts/bench-drafts.sh [extra loadgen drafts flags]
set -euo pipefail
cd "$(dirname "$0")/.."

# One invocation: built apart, the two packages unify the client's features differently.
cargo build --release -p kompromiss-server -p kompromiss-tests --bin kompromiss --bin kompromiss-loadgen
TARGET="${CARGO_TARGET_DIR:-target}"
SERVER="${KOMPROMISS_BIN:-$TARGET/release/kompromiss}"
LOADGEN="$TARGET/release/kompromiss-loadgen"
mkdir -p target/bench
OUT=target/bench/drafts.jsonl

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 400); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.05; done; return 1; }

dir=$(mktemp -d); port=$(free_port)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
KOMPROMISS_DATA_DIR="$dir" KOMPROMISS_BIND="127.0.0.1:$port" RUST_LOG=warn "$SERVER" serve >"$dir/log" 2>&1 &
pid=$!; wait_ready "$port"
editor=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-user --name Redaktion --role editor)
etoken=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-token "$editor")
member=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-user --name Mitglied --role member)
mtoken=$(KOMPROMISS_DATA_DIR="$dir" "$SERVER" admin create-token "$member")
"$LOADGEN" drafts --sync "ws://127.0.0.1:$port/sync" --http "http://127.0.0.1:$port" \
  --editor-token "$etoken" --member-token "$mtoken" "$@" | tee -a "$OUT"
echo "==> results in $OUT"
