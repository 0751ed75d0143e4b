#!/usr/bin/env python3
"""Turns target/bench/results.jsonl (scripts/bench.sh) into the Markdown tables of docs/benchmarks.md."""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "target/bench/results.jsonl"
runs, extra = {}, []
for line in open(path):
    line = line.strip()
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    if "report" in d:
        r = d["report"]
        runs[(d["label"], d["doc"], r["rate"], r["readers"])] = r
    elif "error" in d:
        runs[(d["label"], d["doc"], float(d["rate"]), d["readers"])] = None
    else:
        extra.append(d)

def cell(r):
    if r is None:
        return "failed"
    return f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} / {r['p99_ms']:.1f}"

for doc in ["small", "paper"]:
    for rate in [50.0, 0.0]:
        ns = sorted({k[3] for k in runs if k[1] == doc and k[2] == rate})
        if not ns:
            continue
        print(f"\n**{doc} document, {'50 edits/s' if rate else 'as fast as possible'}** (ms p50 / p95 / p99; lost; server CPU %, RSS MiB)\n")
        print("| N | Kompromiss | lost | CPU | RSS | Node sync server | lost | CPU | RSS | p99 ratio | raw TCP floor |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for n in ns:
            k = runs.get(("kompromiss", doc, rate, n))
            o = runs.get(("node-sync-server", doc, rate, n))
            def stats(r):
                if r is None:
                    return ["failed", "–", "–", "–"]
                return [cell(r), str(r["lost"]), f"{r['server_cpu_pct']:.0f}", f"{r['server_rss_mib']:.0f}"]
            ratio = f"{o['p99_ms'] / k['p99_ms']:.0f}×" if k and o else "–"
            f = runs.get(("raw-tcp-floor", "none", rate, n))
            print(f"| {n} | " + " | ".join(stats(k) + stats(o)) + f" | {ratio} | {cell(f) if f else '–'} |")
for d in extra:
    print(f"\n`{json.dumps(d)}`")
