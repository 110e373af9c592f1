#!/usr/bin/env python3
"""Turns the JSON of `batchwise bench --json` (and optionally `batchwise demo --json`) into a
Markdown section for docs/benchmarks.md, so that every number there comes from a run.

usage: bench-to-markdown.py BENCH.json [--demo DEMO.json ...] [--title TEXT] >> docs/benchmarks.md
"""
import argparse
import json
import statistics
from collections import OrderedDict


def fmt_ms(x):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.3f}"
    return f"{x * 1000:.1f} µs"


def machine_lines(m):
    out = []
    for k, v in m.items():
        if isinstance(v, (list, tuple)):
            v = "; ".join(json.dumps(x) if isinstance(x, dict) else str(x) for x in v)
        elif isinstance(v, dict):
            v = ", ".join(f"{a}={b}" for a, b in v.items())
        out.append(f"- {k}: {v}")
    return out


def bench_section(data):
    lines = ["", "**Machine**", ""] + machine_lines(data.get("machine", {})) + [""]
    lines.append("| workload | device | implementation | median | min | max | runs | device median | rate | speed-up vs baseline |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    groups = OrderedDict()
    for r in data.get("results", []):
        groups.setdefault((r.get("workload"), r.get("device")), []).append(r)
    for (wl, dev), rows in groups.items():
        base = next((r for r in rows if r.get("implementation") in ("baseline", "scipy") and r.get("median_ms")), None)
        for r in rows:
            if r.get("error"):
                lines.append(f"| {wl} | {dev} | {r.get('implementation')} | error: {r['error']} | | | | | | |")
                continue
            ratio = ""
            if base is not None and r is not base and r.get("median_ms"):
                ratio = f"{base['median_ms'] / r['median_ms']:.1f}×"
            gbps = r.get("gbps")
            rate = f"{gbps:.1f} GB/s" if isinstance(gbps, (int, float)) else (
                f"{r['us_per_item']:.3f} µs/item" if isinstance(r.get("us_per_item"), (int, float)) else "")
            lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                wl, dev, r.get("implementation"), fmt_ms(r.get("median_ms")), fmt_ms(r.get("min_ms")),
                fmt_ms(r.get("max_ms")), r.get("runs", ""), fmt_ms(r.get("device_median_ms")),
                rate, ratio))
    return lines


def demo_section(d):
    lines = ["", f"**W1 loss step (`batchwise demo`), device {d.get('device')}**", ""]
    lines.append("| stage | batched median |")
    lines.append("|---|---|")
    for k, v in d.get("batched", {}).items():
        lines.append(f"| {k} | {fmt_ms(v)} |")
    base = d.get("baseline", {})
    if "total" in base:
        lines.append(f"| per-sample baseline, total | {fmt_ms(base['total'])} |")
    if d.get("speedup") is not None:
        lines.append(f"| speed-up | {d['speedup']:.1f}× |")
    lines.append("")
    lines.append("| loss | batched | baseline |")
    lines.append("|---|---|---|")
    bl = d.get("baseline_losses", {})
    for k, v in d.get("losses", {}).items():
        lines.append(f"| {k} | {v:.6g} | {bl.get(k, float('nan')):.6g} |")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench", nargs="?")
    ap.add_argument("--demo", action="append", default=[])
    ap.add_argument("--title", default="Run")
    a = ap.parse_args()
    lines = [f"## {a.title}"]
    if a.bench:
        with open(a.bench) as f:
            lines += bench_section(json.load(f))
    for p in a.demo:
        with open(p) as f:
            lines += demo_section(json.load(f))
    print("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
