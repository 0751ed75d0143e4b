#!/usr/bin/env python3
"""Turns target/bench/hostile.jsonl (scripts/bench-hostile.sh) into the "hostile load" table of docs/benchmarks.md.

Each attack row is compared with the mean of the baseline rows ("none") of the same run."""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "target/bench/hostile.jsonl"
rows = [json.loads(l) for l in open(path) if l.strip().startswith("{")]
base = [r for r in rows if r.get("attack") == "none" and "report" in r]
if not base:
    sys.exit("no baseline row")
b50 = sum(r["report"]["ack_p50_ms"] for r in base) / len(base)
b99 = sum(r["report"]["ack_p99_ms"] for r in base) / len(base)

print("| attack | attacker's rounds (refused) | server CPU s | RSS growth MiB (peak) | editor ack p50 / p99 ms | ratio p50 / p99 | lost | newcomer opens in ms |")
print("|---|--:|--:|--:|--:|--:|--:|--:|")
for r in rows:
    if "error" in r:
        print(f"| {r['attack']} | run failed | | | | | | |")
        continue
    rep, t = r["report"], r["tally"]
    grow = r["server_rss_after_mib"] - r["server_rss_before_mib"]
    peak = r["server_peak_rss_mib"] - r["server_rss_before_mib"]
    opened = r["newcomer_open_ms"]
    opened = f"{opened:.0f}" if isinstance(opened, (int, float)) else opened
    ratio = f"{rep['ack_p50_ms'] / b50:.2f} / {rep['ack_p99_ms'] / b99:.2f}"
    rounds = "–" if r["attack"] == "none" else f"{t['rounds']:,} ({t['refused'] + t['failed']:,})"
    print(
        f"| {r['attack']} | {rounds} | {r['server_cpu_seconds']:.1f} | {grow:+.0f} ({peak:+.0f}) | "
        f"{rep['ack_p50_ms']:.1f} / {rep['ack_p99_ms']:.1f} | {ratio} | {rep['lost']} | {opened} |"
    )
print(f"\nBaseline (mean of {len(base)} runs without attack): ack p50 {b50:.2f} ms, p99 {b99:.2f} ms.")
