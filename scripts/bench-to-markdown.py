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
    streamed = any(r.get("stream_median_ms") is not None for r in data.get("results", []))
    if streamed:
        calls = next(r["stream_calls"] for r in data["results"] if r.get("stream_calls"))
        lines.append(f"Columns: *median/min/max* per call with a stream synchronisation after each call (wall clock, "
                     f"host call to results usable on the host); *device median* between CUDA events; *in a stream*: "
                     f"per call when {calls} calls are enqueued back to back and synchronised once after the last "
                     f"(ACCV-Lab's benchmark timer); *stream speed-up*: stream time against the baseline's stream time.")
        lines.append("")
        lines.append("| workload | device | implementation | median | min | max | runs | device median | in a stream | rate | speed-up vs baseline | stream speed-up |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    else:
        lines.append("| workload | device | implementation | median | min | max | runs | device median | rate | speed-up vs baseline |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|")
    groups = OrderedDict()
    for r in data.get("results", []):
        groups.setdefault((r.get("workload"), r.get("device")), []).append(r)
    for (wl, dev), rows in groups.items():
        base = next((r for r in rows if r.get("implementation") in ("baseline", "scipy") and r.get("median_ms")), None)
        for r in rows:
            if r.get("error"):
                lines.append(f"| {wl} | {dev} | {r.get('implementation')} | error: {r['error']} | | | | | | |"
                             + (" | |" if streamed else ""))
                continue
            ratio = ""
            if base is not None and r is not base and r.get("median_ms"):
                ratio = f"{base['median_ms'] / r['median_ms']:.1f}×"
                others = [f"{name} {x:.0f}×" for name, x in (r.get("speedups") or {}).items()
                          if name not in (base.get("implementation"), r.get("implementation"))]
                if others:
                    ratio += " (" + ", ".join(others) + ")"
            gbps = r.get("gbps")
            rate = f"{gbps:.1f} GB/s" if isinstance(gbps, (int, float)) else (
                f"{r['us_per_item']:.3f} µs/item" if isinstance(r.get("us_per_item"), (int, float)) else "")
            cells = [wl, dev, r.get("implementation"), fmt_ms(r.get("median_ms")), fmt_ms(r.get("min_ms")),
                     fmt_ms(r.get("max_ms")), r.get("runs", ""), fmt_ms(r.get("device_median_ms"))]
            if streamed:
                sx = r.get("stream_speedup")
                cells += [fmt_ms(r.get("stream_median_ms")), rate, ratio,
                          f"{sx:.1f}×" if isinstance(sx, (int, float)) and r is not base else ""]
            else:
                cells += [rate, ratio]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
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


# Public datasheet figures used for comparison (facts, not measurements of ours).
PCIE5_X16_GBPS = 64.0
HBM_PEAK_TBPS = {"H200": 4.8, "H100": 3.35}


def foundation_notes(data):
    """Launch latency and copy bandwidth of the T0 workloads, compared with the hardware's specs."""
    rows = {(r["workload"], r["implementation"]): r for r in data.get("results", []) if r.get("device", "").startswith("cuda")}
    gpus = data.get("machine", {}).get("gpus") or [{}]
    name = gpus[0].get("name", "")
    lines = ["", "**Foundation numbers against the hardware's specs**", ""]
    st, gr = rows.get(("T0-launch", "stream")), rows.get(("T0-launch", "graph"))
    if st and gr:
        lines.append(f"- Kernel launch (empty kernel, 10,000 launches through the FFM launcher): "
                     f"{st['us_per_item']:.2f} µs per launch one by one on a stream, "
                     f"{gr['us_per_item']:.2f} µs per launch replayed from one CUDA graph.")
    h2d, d2h = rows.get(("T0-copy-256M", "pinned-h2d")), rows.get(("T0-copy-256M", "pinned-d2h"))
    if h2d and d2h:
        lines.append(f"- Pinned host↔device, 256 MiB: {h2d['gbps']:.1f} GB/s H2D and {d2h['gbps']:.1f} GB/s D2H, "
                     f"{100 * h2d['gbps'] / PCIE5_X16_GBPS:.0f}% / {100 * d2h['gbps'] / PCIE5_X16_GBPS:.0f}% of the "
                     f"{PCIE5_X16_GBPS:.0f} GB/s of a PCIe 5.0 x16 link.")
    ph, pd = rows.get(("T0-copy-256M", "pageable-h2d")), rows.get(("T0-copy-256M", "pageable-d2h"))
    if ph and pd:
        lines.append(f"- Pageable host↔device through `Tensor.to` (staged in pinned chunks), 256 MiB: "
                     f"{ph['gbps']:.1f} GB/s H2D, {pd['gbps']:.1f} GB/s D2H.")
    d2d = rows.get(("T0-copy-256M", "d2d"))
    if d2d:
        tbps = 2 * d2d["gbps"] / 1000
        peak = next((v for k, v in HBM_PEAK_TBPS.items() if k in name), None)
        ref = f", {100 * tbps / peak:.0f}% of the {name}'s {peak} TB/s memory bandwidth" if peak else ""
        lines.append(f"- Device-to-device, 256 MiB: {d2d['gbps']:.0f} GB/s of copied bytes = {tbps:.2f} TB/s of "
                     f"memory traffic (read + write){ref}.")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench", nargs="?")
    ap.add_argument("--demo", action="append", default=[])
    ap.add_argument("--title", default="Run")
    ap.add_argument("--foundation-notes", action="store_true", help="add the T0 spec comparison")
    a = ap.parse_args()
    lines = [f"## {a.title}"]
    if a.bench:
        with open(a.bench) as f:
            data = json.load(f)
        if a.foundation_notes:
            lines += foundation_notes(data)
        lines += bench_section(data)
    for p in a.demo:
        with open(p) as f:
            lines += demo_section(json.load(f))
    print("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
