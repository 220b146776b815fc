"""Design-space exploration: numerical fidelity against hardware efficiency.

Each point is a datapath (PE kind, weight bits, activation format, alignment width A, group size
G, array rows R) of `mixpe list dse --json`, the generator's one list of design points. Fidelity: `mixpe fidelity` (the golden model on the real LLM traces, relative
error against float64 of the unquantized matrices), plus the perplexity of `mixpe eval` where it
has the configuration. Efficiency: the PE's synthesized area (um2 per MAC per cycle; in an array a
PE costs what it costs alone, see `make area`) and its clock (the timing run); energy per MAC comes
from `make power`.
One job per fidelity point and per PE synthesis (sweep.py: GNU parallel locally or
over ssh hosts, or a Slurm array), each keyed by a hash of what decides it, so a rerun only does
what changed or failed.

Writes build/reports/dse.csv and dse.png. Usage: scripts/dse.py MIXPE BUILD_DIR [-j N] [--hosts FILE] [--timeout T]
[--slurm] [--dry-run]
"""
import argparse
import csv
import os
import sys
import time

from . import area, sweep
from .tools import run


def fidelity_job(a):
    """One fidelity point, in the sweep directory: `mixpe fidelity` on the traces, its result last."""
    t0 = time.monotonic()
    out = run([os.path.abspath(a.mixpe), "fidelity", "--traces", a.traces] + a.options.split()).stdout
    sweep.write_result(a.out, {"options": a.options, "gemm_rel_err": float(out.strip())}, t0)


def pareto(rows):
    """Points no other point beats on both area and error."""
    front = []
    for r in rows:
        if not any(o is not r and o["area_per_mac_um2"] <= r["area_per_mac_um2"] and o["gemm_rel_err"] <= r["gemm_rel_err"]
                   and (o["area_per_mac_um2"] < r["area_per_mac_um2"] or o["gemm_rel_err"] < r["gemm_rel_err"])
                   for o in rows):
            front.append(r)
    return front


def front_table(rows, front):
    print(f"{len(rows)} design points, {len(front)} on the Pareto front (area per MAC vs GEMM error):")
    for r in sorted(front, key=lambda r: r["area_per_mac_um2"]):
        print(f"  {r['label']:<28} {r['area_per_mac_um2']:8.0f} um2/MAC  error {r['gemm_rel_err']:.3e}  ({r['pe']})")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "fidelity":
        ap = argparse.ArgumentParser(description="one fidelity job (run by the sweep)")
        ap.add_argument("fidelity")
        ap.add_argument("--mixpe", required=True)
        ap.add_argument("--traces", required=True)
        ap.add_argument("--options", required=True)
        ap.add_argument("--out", required=True)
        return fidelity_job(ap.parse_args())
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mixpe")
    ap.add_argument("build")
    sweep.sweep_args(ap)
    a = ap.parse_args()
    made_at = sweep.commit()
    mixpe = os.path.abspath(a.mixpe)
    traces = os.path.join(a.build, "traces")
    if not os.path.isdir(traces):
        sys.exit(f"dse: no traces in {traces}: run `{a.mixpe} trace -o {traces}` (make dse does)")
    pts = area.design_points(mixpe, "dse")
    trace_files = sorted(os.listdir(traces))
    files = area.bundle_files(mixpe)
    files.update({f"traces/{f}": os.path.join(traces, f) for f in trace_files})
    sw = sweep.Sweep("dse", a.build, files)
    # fidelity: one job per numeric configuration, keyed by the generator, the traces and the options
    base = sweep.digest(("file", mixpe), *[("file", os.path.join(traces, f)) for f in trace_files])
    fid_name = {}
    for o in sorted({p["numeric_options"] for p in pts}):
        fid_name[o] = "fid_" + sweep.digest(o)[:10]
        sw.add(fid_name[o], sweep.digest(base, o),
               ["python3", "scripts/dse.py", "fidelity", "--mixpe", "bin/mixpe", "--traces", "traces", "--options", o])
    # one synthesis per PE module (options that do not change a kind's hardware give the same top)
    top_opts = {p["top"]: p["pe_options"] for p in pts}
    pe_name = {o: "pe_" + sweep.digest(o)[:10] for o in top_opts.values()}
    area.plan(sw, mixpe, [{"name": n, "block": "pe", "options": o, "family": "pe"} for o, n in sorted(pe_name.items())])
    res = sw.run_all(a)
    if res is None:
        return
    # perplexity from `mixpe eval`, where it has the configuration (joined on the canonical numeric options)
    ppl = {}
    fcsv = os.path.join(a.build, "reports", "fidelity.csv")
    if os.path.exists(fcsv):
        for r in csv.DictReader(open(fcsv)):
            if r["datapath"] != "software" and r.get("numbers"):
                ppl[r["numbers"]] = float(r["perplexity"])
    rows = []
    for p in pts:
        syn = res[pe_name[top_opts[p["top"]]]]
        family = p["family"]
        rows.append({"label": p["name"], "family": family, "gemm_rel_err": res[fid_name[p["numeric_options"]]]["gemm_rel_err"],
                     "perplexity": ppl.get(p["numbers"], ""),
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
    sweep.report_text(a.build, "dse", "make dse", lambda: front_table(rows, front), made_at)
    sweep.cost_table("dse", list(res.values()), group=lambda r: "fidelity" if "gemm_rel_err" in r else "pe synthesis")
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
