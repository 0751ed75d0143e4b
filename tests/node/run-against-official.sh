#!/usr/bin/env bash
# Self-check of interop.mjs against the official sync server:
# start server (127.0.0.1, free port, temp DATA_DIR) -> phase1 -> restart -> phase2.
set -u
cd "$(dirname "$0")"
D=$(mktemp -d /tmp/am-official-XXXX)
SPID=
start() {
  : > "$D/ss.out"
  PORT=${1:-0} DATA_DIR=$D/data node sync-server.mjs > "$D/ss.out" 2>>"$D/ss.err" &
  SPID=$!
  for _ in $(seq 100); do grep -q '^listening' "$D/ss.out" 2>/dev/null && break; sleep 0.1; done
  PORT=$(awk '/^listening/{print $2}' "$D/ss.out")
  [ -n "$PORT" ] || { echo "server did not start"; cat "$D/ss.err"; exit 1; }
}
stop() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null; SPID=; }
trap stop EXIT
start 0
export KOMPROMISS_URL=http://127.0.0.1:$PORT
node interop.mjs phase1 > "$D/p1.out"; rc1=$?
URL=$(tail -1 "$D/p1.out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).url)}catch{}})')
stop
start "$PORT"
node interop.mjs phase2 "$URL"; rc2=$?
stop
echo "phase1=$rc1 phase2=$rc2 (data: $D)"
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && rm -rf "$D"
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]
