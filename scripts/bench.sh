#!/usr/bin/env bash
# Fan-out benchmark (docs/benchmarks.md): the project's load generator against Kompromiss and,
# in the same run, against the official Node automerge-repo sync server, both on 127.0.0.1.
# Results: one JSON object per line in target/bench/results.jsonl.
# Usage: scripts/bench.sh [quick|n100|ab OTHER-BINARY]   (quick: fewer edits, for a smoke run; n100:
# only the N=100 small-document scenario at 50 edits/s, three alternating runs, for the issue's
# targets; ab: this build against another build of the server, alternating, N=1 and N=100)
set -euo pipefail
cd "$(dirname "$0")/.."
EDITS="${EDITS:-1000}"; PAPER_EDITS="${PAPER_EDITS:-500}"
[ "${1:-}" = quick ] && EDITS=100 && PAPER_EDITS=50

cargo build --release -p kompromiss-server
cargo build --release -p kompromiss-tests --bin kompromiss-loadgen  # --bin would filter the server out if combined
(cd tests/node && npm install --no-audit --no-fund --loglevel=error)  # npm ci trips over cbor-extract's optional platform packages
mkdir -p target/bench
TARGET="${CARGO_TARGET_DIR:-target}"
OUT=target/bench/results.jsonl; : > "$OUT"
LOADGEN="$TARGET/release/kompromiss-loadgen"
SERVER="${KOMPROMISS_BIN:-$TARGET/release/kompromiss}"  # another build to compare against
# The load generator simulates up to 500 clients in one process on the same cores as the server.
# Each client's Automerge history grows by doubling; glibc copies such reallocations, and a
# hundred clients copying ~250 KB each at the same edit showed up as fan-out latency. With a fixed
# mmap threshold large blocks are mapped and grow by remapping, as separate clients' copies would
# not add up. Only the fan-out runs get this; the servers (and the load-time baselines) run as they are.
loadgen() { GLIBC_TUNABLES=glibc.malloc.mmap_threshold=65536 "$LOADGEN" "$@"; }
TRACE="${TRACE:-tests/data/automerge-paper.json.gz}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
# Kompromiss binds before it migrates the database: `kompromiss admin` on the same fresh SQLite file
# must wait until the server is ready, or both run the migrations at once and one of them fails.
wait_ready() { for _ in $(seq 400); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.05; done; return 1; }

start_kompromiss() { # sets KURL: the sync URL with an editor's API token (every peer authenticates)
  KDIR=$(mktemp -d); KPORT=$(free_port)
  KOMPROMISS_DATA_DIR="$KDIR" KOMPROMISS_BIND="127.0.0.1:$KPORT" KOMPROMISS_DOC_IDLE_SECS=2 RUST_LOG=warn \
    "$SERVER" serve >"$KDIR/log" 2>&1 &
  KPID=$!; wait_ready "$KPORT"
  local user token
  user=$(KOMPROMISS_DATA_DIR="$KDIR" "$SERVER" admin create-user --name bench --role editor)
  token=$(KOMPROMISS_DATA_DIR="$KDIR" "$SERVER" admin create-token "$user")
  KURL="ws://127.0.0.1:$KPORT/sync?access_token=$token"
}
start_node() {
  NDIR=$(mktemp -d); NPORT=$(free_port)
  PORT=$NPORT DATA_DIR="$NDIR" node tests/node/sync-server.mjs >"$NDIR/log" 2>&1 &
  NPID=$!; wait_port "$NPORT"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# Stops Kompromiss and records its slow storage writes (every edit waits for its write, so one
# slow fsync of the disk delays all edits behind it for every reader; the server logs each).
stop_kompromiss() {
  stop "$KPID"
  local ms
  ms=$(grep -o 'store_ms=[0-9]*' "$KDIR/log" | cut -d= -f2 | paste -sd, - || true)
  echo "{\"label\":\"kompromiss-slow-storage-writes\",\"after\":\"$LAST_RUN\",\"store_ms\":[${ms}]}" | tee -a "$OUT"
}

# Writes back what other processes left dirty (the release build leaves ~250 MB) before a run.
# Without it the kernel starts writing the build out 30 s later (dirty_expire), in the middle of
# the first runs, and the server's commits wait 60-120 ms for their fsync behind it.
settle() { sync; }

run() { # server-label url pid doc rate readers edits [reader-ack-ms]; a failed run is recorded, not fatal
  LAST_RUN="$4 rate=$5 N=$6 ack=${8:-100}"
  settle
  loadgen run --url "$2" --server-pid "$3" --doc "$4" --rate "$5" --readers "$6" --edits "$7" --trace "$TRACE" --label "$1" \
    --reader-ack-ms "${8:-100}" | tee -a "$OUT" \
    || echo "{\"label\":\"$1\",\"doc\":\"$4\",\"readers\":$6,\"rate\":$5,\"error\":\"run failed\"}" | tee -a "$OUT"
}

# The machine's floor for N readers at 50 messages/s: a raw TCP relay, no WebSocket, no Automerge
# (tests/src/load/floor.rs). readers edits
floor() {
  local port pid
  settle; port=$(free_port)
  "$LOADGEN" floor-server --listen "127.0.0.1:$port" --readers "$1" & pid=$!
  "$LOADGEN" floor --addr "127.0.0.1:$port" --readers "$1" --rate 50 --edits "$2" | tee -a "$OUT" \
    || echo "{\"label\":\"raw-tcp-floor\",\"doc\":\"none\",\"readers\":$1,\"rate\":50,\"error\":\"run failed\"}" | tee -a "$OUT"
  stop "$pid"
}

# One scenario on a fresh Kompromiss, then on a fresh Node server, then (small document at
# 50 edits/s) the machine's floor: doc rate readers edits [reader-ack-ms]
both() {
  start_kompromiss; run kompromiss "$KURL" "$KPID" "$@"; stop_kompromiss
  start_node; run node-sync-server "ws://127.0.0.1:$NPORT/sync" "$NPID" "$@"; stop "$NPID"
  if [ "$1" = small ] && [ "$2" = 50 ]; then floor "$3" "$4"; fi
}

if [ "${1:-}" = ab ]; then
  OTHER="${2:?usage: scripts/bench.sh ab OTHER-BINARY}"; THIS="$SERVER"
  echo "==> A/B: $THIS against $OTHER, small document, 50 edits/s, alternating"
  for _ in 1 2 3; do
    for n in 1 100; do
      for bin in "$THIS" "$OTHER"; do
        SERVER="$bin"; start_kompromiss; run "kompromiss:$bin" "$KURL" "$KPID" small 50 "$n" "$EDITS"; stop_kompromiss
      done
    done
  done
  echo "==> results in $OUT"
  exit 0
fi

if [ "${1:-}" = n100 ]; then
  echo "==> N=100, small document, 50 edits/s: three alternating runs"
  for _ in 1 2 3; do both small 50 100 "$EDITS"; done
  echo "==> results in $OUT"
  exit 0
fi

echo "==> preparing the paper document (cached after the first run)"
"$LOADGEN" raw-load --trace "$TRACE" --repeat 5 | tee -a "$OUT"

for rate in 50 0; do
  for n in 1 10 100 500; do both small "$rate" "$n" "$EDITS"; done
  for n in 1 10; do both paper "$rate" "$n" "$PAPER_EDITS"; done
done

echo "==> N=100 with readers that answer every message at once"
both small 50 100 "$EDITS" 0

echo "==> N=100 twice more, alternating, for the spread between runs"
for _ in 1 2; do both small 50 100 "$EDITS"; done

echo "==> cold open of the paper document (client and raw load without the allocator setting)"
start_kompromiss
LAST_RUN="cold open"
settle
"$LOADGEN" cold-open --url "$KURL" --trace "$TRACE" --evict-wait 5 | tee -a "$OUT"
stop_kompromiss
echo "==> results in $OUT"
