#!/usr/bin/env bash
# Starts the release build the way the container does and checks health, a page and the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export KOMPROMISS_BIND="127.0.0.1:$PORT" KOMPROMISS_DATA_DIR="$DIR" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn
target/release/kompromiss serve >"$DIR/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do target/release/kompromiss health && break; sleep 0.1; done
target/release/kompromiss health
# Anonymous visitors are sent to the sign-in page, which offers the development sign-in here.
curl -fsS -o /dev/null -w '%{http_code} %{redirect_url}\n' "http://127.0.0.1:$PORT/" | grep -q "^303 .*/anmelden"
curl -fsS "http://127.0.0.1:$PORT/anmelden" | grep -q "dev-sign-in"
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/pkg/client_bg.wasm"
echo "release smoke test passed"
