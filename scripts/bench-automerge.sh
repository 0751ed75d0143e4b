#!/usr/bin/env bash
# Automerge version benchmark (tests/automerge-versions): 0.6.1, 0.7.4 and 0.12.0 side by side on the
# vendored automerge-paper trace, each version's scenarios and memory readings in child processes of
# their own. Writes docs/bench-results/automerge-versions-DATE.jsonl (one JSON object per version and
# metric) and .md (the table), and prints the table. Takes several minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
MANIFEST=tests/automerge-versions/Cargo.toml
cargo build --release --locked --manifest-path "$MANIFEST"
BIN="${CARGO_TARGET_DIR:-tests/automerge-versions/target}/release/automerge-versions"
WORK=tests/automerge-versions/target/work   # the saved documents handed to the memory children
OUT_DIR=docs/bench-results
mkdir -p "$OUT_DIR" "$WORK"
OUT="$OUT_DIR/automerge-versions-$(date +%F)"
sync  # flush pending writes (the build's) before measuring
echo "load average before the run: $(cat /proc/loadavg)" >&2
"$BIN" all --trace tests/data/automerge-paper.json.gz --work-dir "$WORK" --out "$OUT.jsonl" --md "$OUT.md" >/dev/null
echo "Results: $OUT.jsonl"
cat "$OUT.md"
