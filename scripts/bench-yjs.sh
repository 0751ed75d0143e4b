#!/usr/bin/env bash
# Server cost beside the two Yjs servers to compare with: y-sweet (Rust) and Hocuspocus (Node),
# each driven by its own official client (tests/node/bench-yjs.mjs), and Kompromiss driven by the
# load generator (light readers, as in scripts/bench.sh), all on 127.0.0.1, one after the other.
# One writer and N readers on one document (N = 10 and 100), one character per edit at 50 edits/s.
# Results: one JSON object per line in target/bench/yjs.jsonl (the driver's lines, and one
# "setup" line per server telling its version and persistence).
# Usage: scripts/bench-yjs.sh [quick]   (quick: 200 edits instead of 1,000)
# Env: EDITS (default 1000), READERS (default "10 100"), RATE (default 50),
#      YSWEET_BIN (an installed y-sweet binary; otherwise it is installed into target/tools/y-sweet),
#      SKIP_INSTALL=1 (use what is installed).
#
# Installs (this is a benchmark, not a test: nothing is fetched by the tests):
#  - the Node packages pinned in tests/node/yjs/package.json + package-lock.json: yjs,
#    @hocuspocus/server + provider + extension-sqlite, @y-sweet/client + sdk, ws. The SQLite
#    extension needs better-sqlite3's native addon; its prebuilt download is unreachable here, so
#    it compiles from source against the installed Node's headers (about a minute of CPU).
#  - y-sweet with `cargo install y-sweet --locked` (the same release as its JS client), about
#    6 minutes of CPU at nice 19.
#
# Persistence, as configured:
#  - y-sweet: `y-sweet serve <dir>`: a filesystem store; each document is written whole to
#    <dir>/<doc>/data.ysweet at most every 10 s while it changes (--checkpoint-freq-seconds, its
#    default), with a plain write (no fsync).
#  - Hocuspocus: the official SQLite extension into <dir>/hocuspocus.sqlite; the whole document
#    is stored 2 s after the last change, at most every 10 s while changes keep coming (the
#    server's default debounce/maxDebounce), in better-sqlite3's default mode (rollback journal,
#    synchronous=FULL). If better-sqlite3 cannot be built, Hocuspocus runs in memory and the
#    setup line says so.
# Both servers log at warn (y-sweet's default is info, with a line per persistence signal).
set -euo pipefail
cd "$(dirname "$0")/.."
EDITS="${EDITS:-1000}"
[ "${1:-}" = quick ] && EDITS=200
READERS="${READERS:-10 100}"
export RATE="${RATE:-50}"
YSWEET_VERSION=0.9.1  # the release of @y-sweet/client and @y-sweet/sdk in tests/node/yjs
YJS_DIR=tests/node/yjs
mkdir -p target/bench
OUT=target/bench/yjs.jsonl; : > "$OUT"

if [ "${SKIP_INSTALL:-}" != 1 ]; then
  echo "==> installing the Node packages into $YJS_DIR"
  # node-gyp builds better-sqlite3 against the headers of the installed Node (no header download)
  if [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi
  npm install --prefix "$YJS_DIR" --no-audit --no-fund --loglevel=error
fi
SQLITE=yes
if ! (cd "$YJS_DIR" && node -e 'require("better-sqlite3")' 2>/dev/null); then
  [ "${SKIP_INSTALL:-}" != 1 ] && (cd "$YJS_DIR" && nice -n 19 npm rebuild better-sqlite3 --loglevel=error) || true
  if ! (cd "$YJS_DIR" && node -e 'require("better-sqlite3")' 2>/dev/null); then
    echo "!! better-sqlite3 did not build: Hocuspocus runs without persistence (in memory)" >&2
    SQLITE=no
  fi
fi

YSWEET="${YSWEET_BIN:-target/tools/y-sweet/bin/y-sweet}"
if [ ! -x "$YSWEET" ] && [ "${SKIP_INSTALL:-}" != 1 ] && [ -z "${YSWEET_BIN:-}" ]; then
  echo "==> installing y-sweet $YSWEET_VERSION into target/tools/y-sweet (cargo install, nice 19)"
  CARGO_TARGET_DIR=target/tools/y-sweet-build nice -n 19 \
    cargo install y-sweet --version "$YSWEET_VERSION" --locked --root target/tools/y-sweet \
    || echo "!! cargo install y-sweet failed" >&2
fi
if [ -x "$YSWEET" ]; then HAVE_YSWEET=yes; else
  HAVE_YSWEET=no
  echo "!! y-sweet is not installed ($YSWEET): only Hocuspocus is measured. Install it with" >&2
  echo "!!   cargo install y-sweet --version $YSWEET_VERSION --locked --root target/tools/y-sweet" >&2
  echo "!! or point YSWEET_BIN at a y-sweet binary." >&2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# Writes back what other processes left dirty before a run (see scripts/bench.sh).
settle() { sync; }
pkg_version() { node -p "require('./$YJS_DIR/node_modules/$1/package.json').version"; }
cargo build --release -p kompromiss-server
cargo build --release -p kompromiss-tests --bin kompromiss-loadgen

start_kompromiss() { # sets SURL SPID SDIR: the embedded default, every change stored before it is acknowledged
  SDIR=$(mktemp -d); SPORT=$(free_port)
  KOMPROMISS_DATA_DIR="$SDIR" KOMPROMISS_BIND="127.0.0.1:$SPORT" KOMPROMISS_DOC_IDLE_SECS=2 RUST_LOG=warn \
    target/release/kompromiss serve >"$SDIR/log" 2>&1 &
  SPID=$!
  for _ in $(seq 400); do curl -sf "http://127.0.0.1:$SPORT/readyz" >/dev/null && break; sleep 0.05; done
  local user token
  user=$(KOMPROMISS_DATA_DIR="$SDIR" target/release/kompromiss admin create-user --name bench --role editor)
  token=$(KOMPROMISS_DATA_DIR="$SDIR" target/release/kompromiss admin create-token "$user")
  SURL="ws://127.0.0.1:$SPORT/sync?access_token=$token"
  echo "{\"label\":\"setup\",\"server\":\"kompromiss\",\"version\":\"$(git rev-parse --short HEAD)\",\"client\":\"kompromiss-loadgen\",\"persistence\":\"SQLite, every change stored (fsync, synchronous=FULL) before it is acknowledged\"}" >>"$OUT"
}

start_hocuspocus() { # sets SURL SPID SDIR
  SDIR=$(mktemp -d); SPORT=$(free_port)
  local data=(); [ "$SQLITE" = yes ] && data=(DATA_DIR="$SDIR")
  env PORT="$SPORT" "${data[@]}" node tests/node/hocuspocus-server.mjs >"$SDIR/log" 2>&1 &
  SPID=$!; wait_port "$SPORT"
  SURL="ws://127.0.0.1:$SPORT"
  local persistence="memory only"
  [ "$SQLITE" = yes ] && persistence="sqlite (extension-sqlite) in a temp dir, store debounce 2 s, maxDebounce 10 s"
  echo "{\"label\":\"setup\",\"server\":\"hocuspocus\",\"version\":\"$(pkg_version @hocuspocus/server)\",\"client\":\"@hocuspocus/provider $(pkg_version @hocuspocus/provider)\",\"node\":\"$(node --version)\",\"persistence\":\"$persistence\"}" >>"$OUT"
}
start_ysweet() { # sets SURL SPID SDIR
  SDIR=$(mktemp -d); SPORT=$(free_port)
  RUST_LOG=warn "$YSWEET" serve --host 127.0.0.1 --port "$SPORT" "$SDIR/store" >"$SDIR/log" 2>&1 &
  SPID=$!; wait_port "$SPORT"
  SURL="ys://127.0.0.1:$SPORT"
  echo "{\"label\":\"setup\",\"server\":\"ysweet\",\"version\":\"$("$YSWEET" version 2>/dev/null | tr -d '\n' || echo "$YSWEET_VERSION")\",\"client\":\"@y-sweet/client $(pkg_version @y-sweet/client)\",\"persistence\":\"filesystem store in a temp dir, checkpoint every 10 s while changing, no fsync\"}" >>"$OUT"
}

run() { # server readers
  local label="$1-n$2"
  settle
  if [ "$1" = kompromiss ]; then
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=65536 target/release/kompromiss-loadgen run --url "$SURL" \
      --readers "$2" --rate "$RATE" --edits "$EDITS" --server-pid "$SPID" --label "$label" | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line); p = r["report"]
    print(json.dumps({"label": r["label"], "server": "kompromiss", "readers": p["readers"], "edits": p["edits"],
        "deliveries": p["deliveries"], "lost": p["lost"], "p50_ms": p["p50_ms"], "p99_ms": p["p99_ms"],
        "server_cpu_seconds": p["server_cpu_seconds"],
        "cpu_us_per_delivery": p["server_cpu_seconds"] / max(p["deliveries"], 1) * 1e6,
        "server_rss_mib": p["server_rss_mib"], "server_peak_rss_mib": p["server_peak_rss_mib"]}))
' | tee -a "$OUT"
    return
  fi
  node tests/node/bench-yjs.mjs "$1" "$SURL" "$SPID" "$2" "$EDITS" "$label" | tee -a "$OUT" \
    || echo "{\"label\":\"$label\",\"server\":\"$1\",\"readers\":$2,\"edits\":$EDITS,\"error\":\"run failed\"}" | tee -a "$OUT"
}
one() { # server readers: a fresh server for each run
  if [ "$1" = ysweet ] && [ "$HAVE_YSWEET" != yes ]; then
    echo "{\"label\":\"ysweet-n$2\",\"server\":\"ysweet\",\"readers\":$2,\"edits\":$EDITS,\"error\":\"y-sweet not installed\"}" | tee -a "$OUT"
    return
  fi
  "start_$1"; run "$1" "$2"; stop "$SPID"; rm -rf "$SDIR"
}

echo "==> $EDITS edits at $RATE/s, readers: $READERS"
for n in $READERS; do
  for server in kompromiss hocuspocus ysweet; do one "$server" "$n"; done
done
echo "==> results in $OUT"
python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| server | N | p50 ms | p99 ms | lost | server CPU µs per delivered edit | RSS MiB |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    if r.get("label") == "setup" or "error" in r:
        continue
    print(f"| {r['server']} | {r['readers']} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['lost']} | {r['cpu_us_per_delivery']:.1f} | {r['server_rss_mib']:.1f} |")
PY
