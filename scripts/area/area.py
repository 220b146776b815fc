#!/usr/bin/env python3
"""Synthesis estimates of generated designs: Yosys 0.23 to SKY130 HD cells, OpenSTA for the
critical path and power. Writes build/reports/area.csv and area.json and prints a table.

These are synthesis estimates (no placement, wires, clock tree or SRAM macros), not tape-out
figures; ratios between designs made in this one flow are what carry weight.

Usage: area.py MIXPE BUILD_DIR [-j N] [--only NAME ...]
"""
import argparse
import concurrent.futures
import csv
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIB_GZ = os.path.join(ROOT, "third_party", "sky130", "sky130hd_tt.lib.gz")
NAND2_UM2 = 3.7536  # sky130_fd_sc_hd__nand2_1: the gate equivalent
PERIOD_NS = 10.0    # power is reported at 100 MHz
ACTIVITY = 0.2



def design_points(mixpe, which="area"):
    """The design points of `mixpe list area|dse --json`: the one list the generator keeps."""
    out = subprocess.run([mixpe, "list", which, "--json"], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def fill(template, **values):
    text = open(os.path.join(HERE, template)).read()
    for k, v in values.items():
        text = text.replace("@" + k + "@", str(v))
    return text


def synthesize(mixpe, work, lib, design):
    """design: name, block, options, macs_per_cycle, what (a point of `mixpe list area --json`)."""
    name, block, opts, macs, what = (design[k] for k in ("name", "block", "options", "macs_per_cycle", "what"))
    d = os.path.join(work, name)
    rtl = os.path.join(d, "rtl")
    shutil.rmtree(rtl, ignore_errors=True)
    out = run([mixpe, "gen", block, "-o", rtl] + opts.split()).stdout.split()
    top = os.path.basename([p for p in out if p.endswith(".json")][0])[:-5]
    files = sorted(p for p in out if p.endswith(".v"))
    key = hashlib.sha256(b"".join(open(f, "rb").read() for f in files) +
                         open(os.path.join(HERE, "synth.ys.in"), "rb").read() +
                         open(os.path.join(HERE, "sta.tcl.in"), "rb").read()).hexdigest()
    cached = os.path.join(d, "result.json")
    if os.path.exists(cached):
        r = json.load(open(cached))
        if r.get("key") == key:
            return r
    netlist = os.path.join(d, "netlist.v")
    with open(os.path.join(d, "synth.ys"), "w") as f:
        f.write(fill("synth.ys.in", FILES=" ".join(files), TOP=top, LIB=lib, NETLIST=netlist))
    log = os.path.join(d, "yosys.log")
    run(["yosys", "-q", "-l", log, os.path.join(d, "synth.ys")])
    ytext = open(log).read()
    area = float(re.findall(r"Chip area for module .*: ([0-9.]+)", ytext)[-1])
    cells = int(re.findall(r"Number of cells:\s+([0-9]+)", ytext)[-1])
    with open(os.path.join(d, "sta.tcl"), "w") as f:
        f.write(fill("sta.tcl.in", LIB=lib, NETLIST=netlist, TOP=top, PERIOD=PERIOD_NS, ACTIVITY=ACTIVITY))
    stext = run(["sta", "-no_splash", "-exit", os.path.join(d, "sta.tcl")]).stdout
    open(os.path.join(d, "sta.log"), "w").write(stext)
    # the clock group's worst endpoint: required, actual, slack
    m = re.search(r"max_delay/setup group clk\n.*?-{5,}\n[^\n]*?\)\s+([-0-9.]+)\s+([-0-9.]+)\s+([-0-9.]+)", stext, re.S)
    slack = float(m.group(3))
    period = PERIOD_NS - slack  # the shortest clock period that meets setup
    power = float(re.search(r"^Total\s+\S+\s+\S+\s+\S+\s+([0-9.eE+-]+)", stext, re.M).group(1))
    r = {
        "name": name, "block": block, "top": top, "options": opts, "what": what, "macs_per_cycle": macs,
        "cells": cells, "area_um2": round(area, 1), "kge": round(area / NAND2_UM2 / 1000, 3),
        "min_period_ns": round(period, 3), "fmax_mhz": round(1000 / period, 1),
        "power_mw_at_100mhz": round(power * 1e3, 4),
        "energy_pj_per_mac": round(power * PERIOD_NS * 1e-9 / macs * 1e12, 3),
        "key": key,
    }
    json.dump(r, open(cached, "w"), indent=1)
    return r


def unzipped_liberty(work):
    """The liberty file, unzipped once into the build folder (Yosys 0.23 cannot read .gz)."""
    os.makedirs(work, exist_ok=True)
    lib = os.path.join(work, "sky130hd_tt.lib")
    if not os.path.exists(lib):
        with gzip.open(LIB_GZ, "rb") as src, open(lib + ".tmp", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(lib + ".tmp", lib)
    return lib


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mixpe")
    ap.add_argument("build")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--only", nargs="*")
    a = ap.parse_args()
    for tool in ("yosys", "sta"):
        if not shutil.which(tool):
            sys.exit(f"area: '{tool}' is not installed: run `make setup`")
    work = os.path.join(a.build, "area")
    lib = unzipped_liberty(work)
    designs = [d for d in design_points(os.path.abspath(a.mixpe)) if not a.only or d["name"] in a.only]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(a.j) as pool:
        futures = {pool.submit(synthesize, os.path.abspath(a.mixpe), work, lib, d): d["name"] for d in designs}
        for i, f in enumerate(concurrent.futures.as_completed(futures), 1):
            r = f.result()
            results[r["name"]] = r
            print(f"[{i}/{len(designs)}] {r['name']}: {r['area_um2']} um2, {r['fmax_mhz']} MHz", file=sys.stderr)
    rows = [results[d["name"]] for d in designs]
    reports = os.path.join(a.build, "reports")
    os.makedirs(reports, exist_ok=True)
    cols = ["name", "block", "top", "macs_per_cycle", "cells", "area_um2", "kge", "min_period_ns", "fmax_mhz",
            "power_mw_at_100mhz", "energy_pj_per_mac", "options", "what"]
    with open(os.path.join(reports, "area.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    json.dump({"disclaimer": "Yosys 0.23 + OpenSTA synthesis estimates on SKY130 HD (tt, 25 C, 1.8 V): no placement, "
               "wires or clock tree; not tape-out figures", "designs": rows},
              open(os.path.join(reports, "area.json"), "w"), indent=1)
    print("Synthesis estimates (Yosys 0.23 -> SKY130 HD tt, OpenSTA; no placement or wires): not tape-out figures.")
    print(f"Power at 100 MHz, input activity {ACTIVITY}.")
    print(f"{'design':<24} {'um2':>9} {'kGE':>7} {'fmax MHz':>9} {'pJ/MAC':>8}  vs fma: area  energy")
    fma = results.get("fma")
    for r in rows:
        ratio = ""
        if fma and r["block"] == "pe":
            ratio = f"{fma['area_um2'] / r['area_um2']:10.2f}x {fma['energy_pj_per_mac'] / r['energy_pj_per_mac']:6.2f}x"
        print(f"{r['name']:<24} {r['area_um2']:>9.0f} {r['kge']:>7.2f} {r['fmax_mhz']:>9.1f} "
              f"{r['energy_pj_per_mac']:>8.2f}  {ratio}")
    # Area of an R x C array: R C PE + (R + C) e, fitted on the two synthesized sizes, then
    # extrapolated (synthesizing 16 x 16 arrays is slow on 2 cores).
    print("\nArray area model A(R, C) = R C a + (R + C) e, fitted on 2 x 2 and 4 x 4 (16 x 16 extrapolated):")
    for kind in ("mixpe_w4a16", "fma"):
        a2, a4 = results.get(f"array_{kind}_2x2"), results.get(f"array_{kind}_4x4")
        if not (a2 and a4):
            continue
        pe = (a4["area_um2"] - 2 * a2["area_um2"]) / 8
        e = (a2["area_um2"] - 4 * pe) / 4
        alone = results[kind]["area_um2"]
        print(f"  {kind:<12} a = {pe:8.0f} um2 per PE (alone: {alone:.0f}), e = {e:7.0f} um2 per edge row/column;"
              f" 16 x 16 ~ {256 * pe + 32 * e:,.0f} um2")
    print("\nThroughput per area at fmax (one MAC per PE per cycle): GMAC/s per mm2 and the ratio to each baseline")
    dens = {r["name"]: r["fmax_mhz"] * 1e-3 / (r["area_um2"] * 1e-6) for r in rows if r["block"] == "pe"}
    for n, dv in dens.items():
        rel = "  ".join(f"x{dv / dens[b]:.2f} vs {b}" for b in ("fma_p1", "int8_p1") if b in dens)
        print(f"  {n:<20} {dv:8.1f}  {rel}")
    print(f"written {reports}/area.csv and area.json")


if __name__ == "__main__":
    main()
