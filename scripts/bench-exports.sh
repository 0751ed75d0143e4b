#!/usr/bin/env bash
# Export benchmark (docs/benchmarks.md, "Exports"): the template concept and the paper concept
# (104,852 characters) as PDF beside Markdown, HTML and ODT XML, in one process each, release
# build; peak memory by /usr/bin/time, pages by pdfinfo (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${REPEAT:-5}"
cargo build --release -q -p kompromiss-tests --bin kompromiss-loadgen
mkdir -p target/bench-cache
for doc in small paper; do
  out="target/bench-cache/export-$doc"
  /usr/bin/time -f '%M' -o "$out.rss" target/release/kompromiss-loadgen export --doc "$doc" --repeat "$REPEAT" --pdf-out "$out.pdf" >"$out.json"
  pages=$(pdfinfo "$out.pdf" | awk '/^Pages:/{print $2}')
  echo "$doc: $(cat "$out.json") peak_rss_mib=$(( $(cat "$out.rss") / 1024 )) pages=$pages"
done
