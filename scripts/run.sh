#!/usr/bin/env bash
# Builds (release) and runs Kompromiss on the embedded default: SQLite under ./data,
# http://127.0.0.1:3000, development sign-in on. Extra arguments go to `kompromiss serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-release.sh
exec target/release/kompromiss serve "$@"
