#!/usr/bin/env python3
"""Design-space exploration: numerical fidelity against hardware efficiency.

Each point is a datapath (PE kind, weight bits, activation format, alignment width A, group size
G, array rows R) of `mixpe list dse --json`, the generator's one list of design points. Fidelity: `mixpe fidelity` (the golden model on the real LLM traces, relative
error against float64 of the unquantized matrices), plus the perplexity of `mixpe eval` where it
has the configuration. Efficiency: the PE's synthesized area (um2 per MAC per cycle; in an array a
PE costs what it costs alone, see `make area`) and its clock (the timing run); energy per MAC comes
from `make power`.
Independent points run in parallel; results are cached, so a rerun only does what changed.

Writes build/reports/dse.csv and dse.png. Usage: dse.py MIXPE BUILD_DIR [-j N]
"""
import argparse
import concurrent.futures
import csv
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import area  # noqa: E402


def fidelity(mixpe, traces, opts, cache, key_base):
    key = hashlib.sha256((key_base + opts).encode()).hexdigest()
    if key in cache:
        return cache[key]
    out = subprocess.run([mixpe, "fidelity", "--traces", traces] + opts.split(), check=True, capture_output=True,
                         text=True).stdout
    cache[key] = float(out.strip())
    return cache[key]


def pareto(rows):
    """Points no other point beats on both area and error."""
    front = []
    for r in rows:
        if not any(o is not r and o["area_per_mac_um2"] <= r["area_per_mac_um2"] and o["gemm_rel_err"] <= r["gemm_rel_err"]
                   and (o["area_per_mac_um2"] < r["area_per_mac_um2"] or o["gemm_rel_err"] < r["gemm_rel_err"])
                   for o in rows):
            front.append(r)
    return front


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mixpe")
    ap.add_argument("build")
    ap.add_argument("-j", type=int, default=2)
    a = ap.parse_args()
    mixpe = os.path.abspath(a.mixpe)
    traces = os.path.join(a.build, "traces")
    if not os.path.isdir(traces):
        sys.exit(f"dse: no traces in {traces}: run `{a.mixpe} trace -o {traces}` (make dse does)")
    work = os.path.join(a.build, "dse")
    os.makedirs(work, exist_ok=True)
    lib = area.liberty.flow_liberty(os.path.join(a.build, "area"))
    pts = area.design_points(mixpe, "dse")
    # fidelity: cached by the mixpe binary, the traces and the options
    cache_path = os.path.join(work, "fidelity_cache.json")
    cache = json.load(open(cache_path)) if os.path.exists(cache_path) else {}
    h = hashlib.sha256(open(mixpe, "rb").read())
    for f in sorted(os.listdir(traces)):
        h.update(open(os.path.join(traces, f), "rb").read())
    key_base = h.hexdigest()
    # one synthesis per PE module (options that do not change a kind's hardware give the same top)
    top_opts = {p["top"]: p["pe_options"] for p in pts}
    pe_opts = sorted(top_opts.values())
    fid, pe_area = {}, {}
    total = len(pts) + len(pe_opts)
    done = 0
    with concurrent.futures.ThreadPoolExecutor(a.j) as pool:
        futs = {pool.submit(fidelity, mixpe, traces, p["numeric_options"], cache, key_base): ("fid", p["numeric_options"])
                for p in pts}
        futs.update({pool.submit(area.synthesize, mixpe, os.path.join(a.build, "area"), lib,
                                 {"name": "pe_" + hashlib.sha1(o.encode()).hexdigest()[:10], "block": "pe",
                                  "options": o, "macs_per_cycle": 1, "what": o, "family": "pe"}): ("pe", o)
                     for o in pe_opts})
        for f in concurrent.futures.as_completed(futs):
            kind, k = futs[f]
            (fid if kind == "fid" else pe_area)[k] = f.result()
            done += 1
            if done % 20 == 0 or done == total:
                print(f"dse: {done}/{total} points and PEs done", file=sys.stderr, flush=True)
    json.dump(cache, open(cache_path, "w"))
    # perplexity from `mixpe eval`, where it has the configuration
    ppl = {}
    fcsv = os.path.join(a.build, "reports", "fidelity.csv")
    if os.path.exists(fcsv):
        for r in csv.DictReader(open(fcsv)):
            if r["datapath"] != "software":
                key = (int(r["weight_bits"]), r["act"], int(r["group_size"]), r.get("scheme", "asym"),
                       int(r.get("lut_terms", 0) or 0))
                ppl[key] = float(r["perplexity"])
    rows = []
    for p in pts:
        syn = pe_area[top_opts[p["top"]]]
        family = p["family"]
        key = (p["weight_bits"], p["act"], p["group_size"], p["scheme"], p["lut_terms"])
        rows.append({"label": p["name"], "family": family, "gemm_rel_err": fid[p["numeric_options"]],
                     "perplexity": ppl.get(key, "") if family.startswith("mixpe prealign") or family.startswith("lut") else "",
                     "area_per_mac_um2": syn["area_um2"],
                     "fmax_mhz": syn["fmax_mhz"], "pe": syn["top"], "fidelity_options": p["numeric_options"]})
    front = pareto(rows)
    for r in rows:
        r["pareto"] = int(r in front)
    reports = os.path.join(a.build, "reports")
    os.makedirs(reports, exist_ok=True)
    with open(os.path.join(reports, "dse.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    plot(rows, front, os.path.join(reports, "dse.png"))
    print(f"{len(rows)} design points, {len(front)} on the Pareto front (area per MAC vs GEMM error):")
    for r in sorted(front, key=lambda r: r["area_per_mac_um2"]):
        print(f"  {r['label']:<28} {r['area_per_mac_um2']:8.0f} um2/MAC  error {r['gemm_rel_err']:.3e}  ({r['pe']})")
    print(f"written {reports}/dse.csv and dse.png")


def plot(rows, front, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(11, 7))
    styles = {"mixpe prealign": ("o", "tab:blue"), "mixpe exact": ("s", "tab:green"), "mixpe fp32": ("D", "tab:purple"),
              "mixpe W*A8": ("^", "tab:orange"), "mixpe booth": ("h", "tab:olive"), "lut (NF)": ("v", "tab:cyan"), "baseline fma": ("X", "tab:red"), "baseline int8": ("P", "black")}
    for fam, (mk, col) in styles.items():
        pts = [r for r in rows if r["family"] == fam]
        if pts:
            ax.scatter([r["area_per_mac_um2"] for r in pts], [r["gemm_rel_err"] for r in pts], marker=mk, c=col,
                       s=60 if fam.startswith("baseline") else 28, alpha=0.75, label=fam)
    fr = sorted(front, key=lambda r: r["area_per_mac_um2"])
    ax.plot([r["area_per_mac_um2"] for r in fr], [r["gemm_rel_err"] for r in fr], "k--", lw=1, label="Pareto front")
    ax.scatter([r["area_per_mac_um2"] for r in fr], [r["gemm_rel_err"] for r in fr], s=140, facecolors="none",
               edgecolors="k", linewidths=1.5)
    for i, r in enumerate(fr):  # staggered: neighbours on the front sit close together
        ax.annotate(r["label"], (r["area_per_mac_um2"], r["gemm_rel_err"]), textcoords="offset points",
                    xytext=(8, 6 + 11 * (i % 3)), fontsize=7.5,
                    arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "gray"})
    for r in rows:
        if r["family"].startswith("baseline"):
            ax.annotate(r["label"], (r["area_per_mac_um2"], r["gemm_rel_err"]), textcoords="offset points",
                        xytext=(6, -10), fontsize=8, color="tab:red" if "fma" in r["label"] else "black")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("PE area per MAC per cycle (um2, SKY130 HD synthesis estimate)")
    ax.set_ylabel("relative GEMM error on stories260K traces vs float64 (unquantized)")
    ax.set_title("mixpe design space: fidelity against hardware cost (lower left is better)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main()
