#!/usr/bin/env python3
"""`make results`: docs/results.md from the reports the flows wrote, so that no figure is typed by
hand. Each section is one flow's tables as it printed them (build/reports/area.txt, power.txt and
dse.txt, build/perf/perf.txt), stamped with the command and the commit that made them; a flow
whose report is missing is named with the command that makes it. docs/measured/area.json, the
table `mixpe perf` sizes its designs from, is refreshed from build/reports/area.json.

Usage: results.py BUILD_DIR [--out docs/results.md]
"""
import argparse
import json
import os
import shutil
import sys
import time

from mixpe_flow import sweep  # its commit(): the stamps of the reports

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (title, report under BUILD, the command that makes it, what the figures are)
SECTIONS = [
    ("Area and clock", "reports/area.txt", "make area",
     "Synthesis estimates: Yosys 0.23 and OpenSTA on the SKY130 HD cells, no placement, wires or clock tree "
     "(docs/synthesis.md says how far each figure can be trusted)."),
    ("Energy", "reports/power.txt", "make power",
     "Gate-level simulation of small engines on real and random activations, every net's activity, the cells' "
     "OpenSTA power; with the cells' SDF delays for glitches (docs/synthesis.md)."),
    ("Design-space exploration", "reports/dse.txt", "make dse",
     "GEMM error on the LLM traces against PE area per MAC (area run); the Pareto front."),
    ("LLM inference", "perf/perf.txt", "make perf",
     "The model of docs/perf.md on the exact cycle model, areas and clocks from docs/measured/area.json."),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "results.md"))
    a = ap.parse_args()
    parts = ["# Results", "",
             f"Written by `make results` at commit {sweep.commit()} on {time.strftime('%Y-%m-%d')} from the reports below; "
             "do not edit: rerun the flows and `make results`. Every figure is an estimate of the kind its section "
             "names, made by the command its section names.", ""]
    found = 0
    for title, rel, command, what in SECTIONS:
        path = os.path.join(a.build, rel)
        parts += [f"## {title}", "", what, ""]
        if not os.path.isfile(path):
            parts += [f"No report yet: `{command}` writes `{os.path.join('build', rel)}`.", ""]
            continue
        found += 1
        text = open(path).read().rstrip("\n").replace(ROOT + os.sep, "")  # paths as the repository names them
        first, _, rest = text.partition("\n")
        if first.startswith("made by "):
            parts += [first[0].upper() + first[1:] + ".", ""]
            text = rest.lstrip("\n")
        else:
            parts += [f"Made by `{command}` on {time.strftime('%Y-%m-%d', time.localtime(os.path.getmtime(path)))}.", ""]
        parts += ["```", text, "```", ""]
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(parts).rstrip("\n") + "\n")
    os.replace(tmp, a.out)
    area, measured = os.path.join(a.build, "reports", "area.json"), os.path.join(ROOT, "docs", "measured", "area.json")
    if os.path.isfile(area):
        names = lambda path: {d["name"] for d in json.load(open(path))["designs"]}
        missing = names(measured) - names(area)
        if missing:  # a partial run (make area with --only): the table perf needs stays as it was
            print(f"results: docs/measured/area.json kept: {area} lacks {len(missing)} of its points "
                  f"({', '.join(sorted(missing)[:3])}...); run the whole `make area`")
        else:
            shutil.copyfile(area, measured)
            print(f"results: docs/measured/area.json refreshed from {area}")
    print(f"results: {a.out} written from {found} of {len(SECTIONS)} reports")


if __name__ == "__main__":
    sys.exit(main())
