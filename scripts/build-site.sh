#!/usr/bin/env bash
# Builds the browser bundle into target/site (pkg/ + assets/): the one build path used by the
# README's run command, the tests and the Dockerfile. Installs the pinned tools it needs.
# Usage: scripts/build-site.sh [dev|release]  (KOMPROMISS_SITE_OUT: another output folder)
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-dev}"
WASM_BINDGEN_VERSION="0.2.130"   # must equal the wasm-bindgen crate in Cargo.lock
BINARYEN_VERSION="132.0.0"       # Debian's wasm-opt (108) breaks the bundle; never use it
SITE="${KOMPROMISS_SITE_OUT:-target/site}"  # the tests build their debug bundle beside the release one

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  echo "==> installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$MODE" = "release" ]; then
  PROFILE_FLAG=(--profile wasm-release); PROFILE_DIR="wasm-release"
else
  PROFILE_FLAG=(); PROFILE_DIR="debug"
fi

echo "==> building the client (wasm, $MODE)"
cargo build -p kompromiss-client --lib --target wasm32-unknown-unknown --no-default-features --features hydrate "${PROFILE_FLAG[@]}"

rm -rf "$SITE/pkg"
mkdir -p "$SITE/pkg" "$SITE/assets"
wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" --out-name client \
  "target/wasm32-unknown-unknown/$PROFILE_DIR/kompromiss_client.wasm"

if [ "$MODE" = "release" ]; then
  WASM_OPT="target/tools/node_modules/.bin/wasm-opt"
  if [ ! -x "$WASM_OPT" ]; then
    echo "==> installing binaryen $BINARYEN_VERSION (npm) for wasm-opt"
    npm install --silent --no-audit --no-fund --prefix target/tools "binaryen@$BINARYEN_VERSION"
  fi
  echo "==> optimising the bundle"
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    -o "$SITE/pkg/client_bg.wasm" "$SITE/pkg/client_bg.wasm"
fi

cp client/style/kompromiss.css "$SITE/assets/kompromiss.css"
echo "==> site ready in $SITE ($(du -sh "$SITE/pkg/client_bg.wasm" | cut -f1) wasm)"
