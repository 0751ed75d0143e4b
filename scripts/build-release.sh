#!/usr/bin/env bash
# The release build: optimised wasm bundle in target/site and target/release/kompromiss.
# The Dockerfile runs exactly this; CI runs it too, so the image's build steps are tested here.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-site.sh release
cargo build --release --locked -p kompromiss-server
