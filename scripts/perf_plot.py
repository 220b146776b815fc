#!/usr/bin/env python3
"""Plots of `mixpe perf`'s data (make perf): perf_batch.png, the decode speed-up and energy against
FP16 over batch sizes 1 to 256 per design; perf_roofline.png, each linear layer of the sweep's model
on its design's roofline (batch 1 and 64).

Usage: perf_plot.py DIR   (the --out directory of mixpe perf: perf_sweep.csv, perf_roofline.csv)
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rows(path):
    if not os.path.exists(path):
        raise SystemExit(f"perf_plot: {path} is missing: run `mixpe perf --out {os.path.dirname(path)}` first")
    with open(path) as f:
        return list(csv.DictReader(f))


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.strip().splitlines()[-1])
    d = sys.argv[1]
    sweep = rows(os.path.join(d, "perf_sweep.csv"))
    designs = list(dict.fromkeys(r["design"] for r in sweep))
    model = sweep[0]["model"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name in designs:
        rs = [r for r in sweep if r["design"] == name]
        b = [int(r["batch"]) for r in rs]
        ax1.plot(b, [float(r["speedup_vs_fp16"]) for r in rs], marker="o", label=name)
        ax2.plot(b, [float(r["energy_vs_fp16"]) for r in rs], marker="o", label=name)
    for ax, title in ((ax1, "decode speed-up over FP16"), (ax2, "decode energy / FP16's")):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("batch (tokens decoded per step)")
        ax.set_title(f"{model}: {title}")
        ax.grid(True, alpha=0.3)
    ax1.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(d, "perf_batch.png"), dpi=120)

    roof = rows(os.path.join(d, "perf_roofline.csv"))
    fig, ax = plt.subplots(figsize=(7, 5))
    colors = {n: f"C{i}" for i, n in enumerate(designs)}
    for name in designs:
        rs = [r for r in roof if r["design"] == name]
        for batch, marker in (("1", "o"), ("64", "^")):
            pts = [r for r in rs if r["batch"] == batch]
            ax.scatter([float(r["macs_per_byte"]) for r in pts], [float(r["gmacs"]) for r in pts], c=colors[name],
                       marker=marker, s=18, label=f"{name}, batch {batch}")
        peak, bw = float(rs[0]["peak_gmacs"]), float(rs[0]["dram_gbps"])
        x = [0.05, peak / bw, 1e4]
        ax.plot(x, [min(peak, bw * v) for v in x], c=colors[name], lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("MACs per DRAM byte")
    ax.set_ylabel("GMAC/s attained")
    ax.set_title(f"{model}: each linear layer on its design's roofline")
    ax.grid(True, which="both", alpha=0.2)
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(os.path.join(d, "perf_roofline.png"), dpi=120)
    print(f"written {d}/perf_batch.png and {d}/perf_roofline.png")


if __name__ == "__main__":
    main()
