"""Synthesis estimates of generated designs: Yosys 0.23 to SKY130 HD cells, OpenSTA for the
critical path and the transition checks. Writes build/reports/area.csv and area.json and prints a table.

These are synthesis estimates (no placement, wires, clock tree or SRAM macros), not tape-out
figures; ratios between designs made in this one flow are what carry weight.

One job per design point (sweep.py: GNU parallel locally or over ssh hosts, or a
Slurm array), keyed by a hash of the generated Verilog, the flow's scripts, the tool versions and
the options, so a point whose result exists is not redone.

Usage: scripts/area.py MIXPE BUILD_DIR [-j N] [--hosts FILE] [--timeout T] [--slurm] [--dry-run] [--only NAME ...]
       scripts/area.py job --mixpe MIXPE --name NAME [--block B --options "OPTIONS"] --out FILE
"""
import argparse
import collections
import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time

from . import liberty, sweep
from .tools import HERE, ROOT, fill, key_values, require, run

NAND2_UM2 = 3.7536  # sky130_fd_sc_hd__nand2_1: the gate equivalent
PERIOD_NS = 10.0    # the STA clock; the shortest period that meets setup is reported


def design_points(mixpe, which="area"):
    """The design points of `mixpe list area|dse --json`: the one list the generator keeps."""
    out = run([mixpe, "list", which, "--json"]).stdout
    return [json.loads(line) for line in out.splitlines()]


def yosys_stat(log):
    """Area and cells of Yosys's last `stat` in log: flattened, the one module; with hierarchy, the top
    with everything below it. (Yosys 0.23's `stat -json` is not valid JSON with hierarchy.)"""
    text = open(log).read()
    return {"area": float(re.findall(r"Chip area for (?:top )?module .*: ([0-9.]+)", text)[-1]),
            "cells": int(re.findall(r"Number of cells:\s+([0-9]+)", text)[-1])}


def sta(tcl, log, keys=("worst_slack_ns", "slew_violations")):
    """OpenSTA on one of the flow's scripts, its output kept in log: the `key value` lines it printed."""
    text = run(["sta", "-no_splash", "-exit", tcl]).stdout
    open(log, "w").write(text)
    values = key_values(text)
    missing = [k for k in keys if k not in values]
    if missing:
        sys.exit(f"sta: no {', '.join(missing)} line in {log}")
    return values


MAX_D_FANOUT = 16                        # flip-flop data pins one net drives before it is buffered
FANOUT_BUFFER = "sky130_fd_sc_hd__buf_2"


def buffer_register_fanout(netlist):
    """Buffers the nets that drive more than MAX_D_FANOUT flip-flop data pins, in a tree of
    FANOUT_BUFFER cells of at most MAX_D_FANOUT loads each; returns how many were inserted. ABC maps
    the logic between registers and buffers what it sees, but a net that leaves its netlist for the
    data pins of many registers (a row file's write data: one word into every row) is one output
    there, loaded as one pin: unbuffered, it breaks the transition limit and its delay is a guess.
    A placement-aware flow would repair it (OpenROAD's repair_design); this is the same repair
    without placement."""
    text = open(netlist).read()
    out, added = [], 0
    for mod in re.split(r"(?m)^(?=module )", text):
        cells = list(re.finditer(r"(?ms)^  (\S+) (\S+) \(\n(.*?)\n  \);\n", mod))
        loads = collections.defaultdict(list)  # net -> the flip-flops whose D it drives
        for i, c in enumerate(cells):
            pins = dict(re.findall(r"^\s*\.(\w+)\((.*)\),?$", c.group(3), re.M))
            if "CLK" in pins and "D" in pins:
                loads[pins["D"]].append(i)
        big = {n: ix for n, ix in loads.items() if len(ix) > MAX_D_FANOUT}
        if not big:
            out.append(mod)
            continue
        new_d, decls, bufs = {}, [], []
        for net, sinks in sorted(big.items()):
            level = [("ff", i) for i in sinks]
            while len(level) > MAX_D_FANOUT:
                parents = []
                for k in range(0, len(level), MAX_D_FANOUT):
                    added += 1
                    wire = f"nfo{added}_"
                    decls.append(f"  wire {wire};\n")
                    for kind, ref in level[k:k + MAX_D_FANOUT]:
                        if kind == "ff":
                            new_d[ref] = wire
                        else:
                            bufs[ref][1] = wire
                    bufs.append([wire, None])
                    parents.append(("buf", len(bufs) - 1))
                level = parents
            for kind, ref in level:  # the top of the tree hangs on the net itself
                if kind == "ff":
                    new_d[ref] = net
                else:
                    bufs[ref][1] = net
        body, last = [], 0
        for i, c in enumerate(cells):
            body.append(mod[last:c.start()])
            cell = c.group(0)
            if i in new_d:
                cell = re.sub(r"(?m)^(\s*\.D\()(.*)(\),?)$", lambda m: m.group(1) + new_d[i] + m.group(3), cell, count=1)
            body.append(cell)
            last = c.end()
        body.append(mod[last:])
        first = cells[0].start()
        insts = "".join(f"  {FANOUT_BUFFER} {x}b (\n    .A({a}),\n    .X({x})\n  );\n" for x, a in bufs)
        out.append(mod[:first] + "".join(decls) + "".join(body)[first:].replace("\nendmodule", "\n" + insts + "endmodule", 1))
    if added:
        open(netlist, "w").write("".join(out))
    return added


def map_and_time(work_dir, files, top, lib, abc, note, flatten=True, blackboxes=()):
    """One synthesis run (abc: the ABC options) and its STA: area, cells, shortest period, slew
    violations. Modules of `blackboxes` (files) are read as black boxes: area only, no STA."""
    os.makedirs(work_dir, exist_ok=True)
    netlist = os.path.join(work_dir, "netlist.v")
    with open(os.path.join(work_dir, "synth.ys"), "w") as f:
        f.write(fill("synth.ys.in", FILES=" ".join(flow_files(files)), TOP=top, LIB=lib, NETLIST=netlist, ABC=abc, ABC_NOTE=note,
                     FLATTEN="-flatten" if flatten else "",
                     READ_BLACKBOXES=f"read_verilog -lib {' '.join(blackboxes)}" if blackboxes else ""))
    log = os.path.join(work_dir, "yosys.log")
    run(["yosys", "-q", "-l", log, os.path.join(work_dir, "synth.ys")], log=log)
    if blackboxes:
        return yosys_stat(log)
    if buffer_register_fanout(netlist):  # the repaired netlist counted again
        log = os.path.join(work_dir, "yosys_buffered.log")
        run(["yosys", "-q", "-l", log, "-p", f"read_liberty -lib {lib}; read_verilog {netlist}; hierarchy -top {top}; "
             f"stat -liberty {lib}"], log=log)
    with open(os.path.join(work_dir, "sta.tcl"), "w") as f:
        f.write(fill("sta.tcl.in", LIB=lib, NETLIST=netlist, TOP=top, PERIOD=PERIOD_NS,
                     DRIVER=liberty.DRIVER_CELL, DRIVER_PIN=liberty.DRIVER_PIN, LOAD=liberty.LOAD_PF))
    s = sta(os.path.join(work_dir, "sta.tcl"), os.path.join(work_dir, "sta.log"))
    return dict(yosys_stat(log), period=PERIOD_NS - float(s["worst_slack_ns"]),  # the shortest period meeting setup
                slew_violations=int(s["slew_violations"]))


def timing_run(work_dir, files, top, lib, work, flatten=True):
    """The timing run: delay-oriented ABC, buffered and sized under the stated driver and load."""
    constr = liberty.abc_constraints(work)
    return map_and_time(work_dir, files, top, lib,
                        f"-D {liberty.ABC_TIMING_TARGET_PS} -constr {constr} -script {liberty.ABC_DELAY_SCRIPT}",
                        "delay-oriented, buffered and sized under the stated driver and load", flatten)


def top_logic_timing(work_dir, files, top, lib, work):
    """An engine's own logic (controller, weight stager, side band) as a block: the engine's timing
    run with its blocks' hierarchy kept (each block mapped alone), timed on the paths that end at
    the top module's registers (sta_top.tcl.in); fmax only without transition violations on the top
    module's pins."""
    timing_run(work_dir, files, top, lib, work, flatten=False)
    tcl = os.path.join(work_dir, "sta_top.tcl")
    with open(tcl, "w") as f:
        f.write(fill("sta_top.tcl.in", LIB=lib, NETLIST=os.path.join(work_dir, "netlist.v"), TOP=top, PERIOD=PERIOD_NS,
                     DRIVER=liberty.DRIVER_CELL, DRIVER_PIN=liberty.DRIVER_PIN, LOAD=liberty.LOAD_PF))
    s = sta(tcl, os.path.join(work_dir, "sta_top.log"))
    period = PERIOD_NS - float(s["worst_slack_ns"])
    slew = int(s["slew_violations"])
    return {"top_logic_period_ns": round(period, 3), "top_logic_slew_violations": slew,
            "top_logic_fmax_mhz": round(1000 / period, 1) if slew == 0 else None}


def synthesize(mixpe, work, lib, design):
    """design: name, block, options, macs_per_cycle, what (a point of `mixpe list area --json`).
    Two runs: the area run (ABC's default, area-oriented mapping) and the timing run (delay-oriented
    mapping with buffering and sizing under the stated driver and load). fmax is given only for a
    netlist without transition violations."""
    name, block, opts, macs, what = (design[k] for k in ("name", "block", "options", "macs_per_cycle", "what"))
    d = os.path.join(work, name)
    top, files = generate(mixpe, block, opts, os.path.join(d, "rtl"))
    if design.get("family") == "engine top":
        # the engine's own logic: its blocks (array, edge, group units) are black boxes
        boxed = [f for f in files if re.match(r"mixpe_(array|act_edge|group_unit)_", os.path.basename(f))]
        a = map_and_time(os.path.join(d, "area_run"), [f for f in files if f not in boxed], top, lib, "",
                         "area-oriented, ABC's default script", blackboxes=boxed)
        return {"name": name, "block": block, "top": top, "options": opts, "what": what, "macs_per_cycle": macs,
                "cells": a["cells"], "area_um2": round(a["area"], 1), "kge": round(a["area"] / NAND2_UM2 / 1000, 3)}
    a = map_and_time(os.path.join(d, "area_run"), files, top, lib, "", "area-oriented, ABC's default script")
    t = timing_run(os.path.join(d, "timing_run"), files, top, lib, work)
    fmax = round(1000 / t["period"], 1) if t["slew_violations"] == 0 else None
    r = {
        "name": name, "block": block, "top": top, "options": opts, "what": what, "macs_per_cycle": macs,
        "cells": a["cells"], "area_um2": round(a["area"], 1), "kge": round(a["area"] / NAND2_UM2 / 1000, 3),
        "area_run_period_ns": round(a["period"], 3), "area_run_slew_violations": a["slew_violations"],
        "timing_area_um2": round(t["area"], 1), "min_period_ns": round(t["period"], 3), "fmax_mhz": fmax,
        "slew_violations": t["slew_violations"],
    }
    if block == "engine":
        r.update(top_logic_timing(os.path.join(d, "timing_run_hier"), files, top, lib, work))
    return r

def generate(mixpe, block, opts, rtl):
    """The design's Verilog in rtl/ (replaced): its top module and its files."""
    shutil.rmtree(rtl, ignore_errors=True)
    out = run([mixpe, "gen", block, "-o", rtl] + opts.split()).stdout.split()
    return os.path.basename([p for p in out if p.endswith(".json")][0])[:-5], sorted(p for p in out if p.endswith(".v"))


FLOW_FILES = ("area.py", "liberty.py", "tools.py", "synth.ys.in", "sta.tcl.in", "sta_top.tcl.in", "sky130_clock_gate.v")
CLOCK_GATE = "mixpe_clock_gate.v"  # the generator's behavioural clock gate: synthesized as the SKY130 cell


def flow_files(files):
    """The design's files as synthesis reads them: the clock gate as sky130_fd_sc_hd__dlclkp_1."""
    return [os.path.join(HERE, "sky130_clock_gate.v") if os.path.basename(f) == CLOCK_GATE else f for f in files]


def bundle_files(mixpe):
    """What a synthesis job needs, by its path in the bundle: the generator, the flow, the cells."""
    files = {"bin/mixpe": mixpe, os.path.relpath(liberty.LIB_GZ, ROOT): liberty.LIB_GZ}
    files.update(sweep.package_files())
    return files


def point_key(mixpe, design, versions):
    """Everything that decides a point's result: its Verilog, the flow, the tools, the options."""
    with tempfile.TemporaryDirectory() as tmp:
        _, files = generate(mixpe, design["block"], design["options"], tmp)
        return sweep.digest(*[("file", f) for f in files], *[("file", os.path.join(HERE, f)) for f in FLOW_FILES],
                            ("file", liberty.LIB_GZ), versions,
                            json.dumps({k: design.get(k) for k in ("name", "block", "options", "family")}, sort_keys=True))


def plan(sw, mixpe, designs, versions=None):
    """One job per design point: `scripts/area.py job` in the sweep directory, from the bundle."""
    versions = versions or sweep.tool_versions(("yosys", "sta"))
    for d in designs:
        argv = ["python3", "scripts/area.py", "job", "--mixpe", "bin/mixpe", "--name", d["name"],
                "--block", d["block"], "--options", d["options"]]
        if d.get("family") == "engine top":
            argv.append("--engine-top")
        sw.add(d["name"], point_key(mixpe, d, versions), argv)


def job(a):
    """One point, in the sweep directory: synthesize it, write its result (with its cost) last."""
    t0 = time.monotonic()
    mixpe = os.path.abspath(a.mixpe)
    design = {"name": a.name, "block": a.block, "options": a.options, "macs_per_cycle": 1, "what": a.options,
              "family": "engine top" if a.engine_top else a.block}
    known = {d["name"]: d for d in design_points(mixpe)}
    if a.name in known:
        design = known[a.name]
    work = os.path.abspath("work")
    os.makedirs(work, exist_ok=True)
    sweep.write_result(a.out, synthesize(mixpe, work, liberty.flow_liberty(work), design), t0)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "job":
        ap = argparse.ArgumentParser(description="one synthesis job (run by the sweep)")
        ap.add_argument("job")
        ap.add_argument("--mixpe", required=True)
        ap.add_argument("--name", required=True)
        ap.add_argument("--block", default="pe")
        ap.add_argument("--options", default="")
        ap.add_argument("--engine-top", action="store_true", help="the engine's own logic, its blocks as black boxes")
        ap.add_argument("--out", required=True)
        return job(ap.parse_args())
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mixpe")
    ap.add_argument("build")
    ap.add_argument("--only", nargs="*")
    sweep.sweep_args(ap)
    a = ap.parse_args()
    require("area", ("yosys", "sta"))
    made_at = sweep.commit()
    mixpe = os.path.abspath(a.mixpe)
    every = design_points(mixpe)
    designs = [d for d in every if not a.only or d["name"] in a.only]
    unknown = sorted(set(a.only or []) - {d["name"] for d in designs})
    if unknown:
        sys.exit(f"area: no design point named {', '.join(unknown)}: see `{a.mixpe} list area`")
    sw = sweep.Sweep("area", a.build, bundle_files(mixpe))
    plan(sw, mixpe, designs)
    results = sw.run_all(a)
    if results is None:
        return
    rows = [results[d["name"]] for d in designs]
    reports = os.path.join(a.build, "reports")
    os.makedirs(reports, exist_ok=True)
    cols = ["name", "block", "top", "macs_per_cycle", "cells", "area_um2", "kge", "area_run_period_ns",
            "area_run_slew_violations", "timing_area_um2", "min_period_ns", "fmax_mhz", "slew_violations",
            "top_logic_period_ns", "top_logic_slew_violations", "options", "what"]
    with open(os.path.join(reports, "area.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    json.dump({"disclaimer": "Yosys 0.23 + OpenSTA synthesis estimates on SKY130 HD (tt, 25 C, 1.8 V): no placement, "
               "wires or clock tree; not tape-out figures",
               "flow": {"driver": liberty.DRIVER_CELL, "load_pf": liberty.LOAD_PF,
                        "abc_timing_target_ps": liberty.ABC_TIMING_TARGET_PS, "abc_timing_script": liberty.ABC_DELAY_SCRIPT,
                        "dont_use": liberty.DONT_USE.pattern},
               "designs": [{k: v for k, v in r.items() if k != "cost"} for r in rows]},
              open(os.path.join(reports, "area.json"), "w"), indent=1)
    sweep.report_text(a.build, "area", "make area", lambda: report(results, rows), made_at, len(designs), len(every))
    sweep.cost_table("area", rows)
    print(f"written {reports}/area.csv and area.json")


# The default engines (16 x 16, their default depth) and their PEs' design points.
ENGINES = (("w4a16", "mixpe_w4a16"), ("w4a8", "mixpe_w4a8"), ("int8", "int8"), ("fma", "fma"))


def depth_of(result):
    """The depth D of a synthesized group unit or engine, from its module name (..._d<D>...)."""
    return int(re.search(r"_d(\d+)(_|$)", result["top"]).group(1))


def unit_split(results, unit, unit_d2, key="timing_area_um2"):
    """One group unit's logic and its rows' storage (um2): the storage per row from the difference
    between the unit at depth D and at depth 2 (the rows are the only thing that grows with D)."""
    gu, gu2 = results[unit][key], results[unit_d2][key]
    d = depth_of(results[unit])
    per_row = (gu - gu2) / (d - 2)
    return gu2 - 2 * per_row, d * per_row, d


def engine_blocks(results, engine, pe):
    """The synthesized blocks of a default engine: its PE, edge, group unit and, where a 2-column
    engine was synthesized, its own logic (controller, weight stager, side band) timed with the
    blocks' hierarchy kept."""
    out = [results[n] for n in (pe, f"{engine}_edge", f"{engine}_group_unit") if n in results]
    c2 = results.get(f"{engine}_engine_c2")
    if c2 and c2.get("top_logic_period_ns"):
        out.append({"name": f"{engine}_controller", "min_period_ns": c2["top_logic_period_ns"]})
    return out


def engine_table(results):
    """16 x 16 engines with their edge and group units, each block at its timing-run area; the
    group units' logic and their rows' storage (clock-gated rows of accumulator and Y) apart, at
    the default depth and at depth 64; the engine's own logic (W4A16, L = 1) where synthesized."""
    rows = {}
    own = results.get("w4a16_top_l1", {}).get("area_um2", 0.0)
    for e, pe in ENGINES:
        names = (pe, f"{e}_edge", f"{e}_group_unit", f"{e}_group_unit_d2")
        if not all(n in results for n in names):
            continue
        pe_a, edge = results[pe]["timing_area_um2"], results[f"{e}_edge"]["timing_area_um2"]
        units, per_unit_rows, depth = unit_split(results, f"{e}_group_unit", f"{e}_group_unit_d2")
        logic = 256 * pe_a + edge + 16 * units
        clock = 1000 / max(r["min_period_ns"] for r in engine_blocks(results, e, pe))
        pe_clock = 1000 / results[pe]["min_period_ns"]
        rows[e] = dict(pe=256 * pe_a, edge=edge, units=16 * units, storage=16 * per_unit_rows, depth=depth,
                       logic=logic, clock=clock, pe_clock=pe_clock)
        if f"{e}_group_unit_d64" in results:
            rows[e]["storage64"] = 16 * unit_split(results, f"{e}_group_unit_d64", f"{e}_group_unit_d2")[1]
    if not rows:
        return
    print("\n16 x 16 engines, timing-run areas (mm2): array, west edge, 16 group units (logic), their rows of "
          "storage (clock-gated flip-flops) at the default depth D; GMAC/s per mm2 of logic at the engine clock "
          "(slowest block) and at the PE's clock:")
    for e, r in rows.items():
        dens = 256 * r["clock"] * 1e-3 / (r["logic"] * 1e-6)
        dens_pe = 256 * r["pe_clock"] * 1e-3 / (r["logic"] * 1e-6)
        r["dens"], r["dens_pe"] = dens, dens_pe
        print(f"  {e:<6} array {r['pe'] * 1e-6:6.3f}  edge {r['edge'] * 1e-6:6.3f}  units {r['units'] * 1e-6:6.3f}  "
              f"rows (D = {r['depth']}) {r['storage'] * 1e-6:6.3f}  | logic {r['logic'] * 1e-6:6.3f} mm2, edge + units "
              f"{100 * (r['edge'] + r['units']) / r['logic']:4.1f}% | {r['clock']:5.0f} MHz: {dens:6.1f}  "
              f"| {r['pe_clock']:5.0f} MHz: {dens_pe:6.1f}")
    for base in ("int8", "fma"):
        if base in rows:
            print(f"  against {base}: " + ", ".join(
                f"{e} {r['dens'] / rows[base]['dens']:.2f}x (at PE clocks {r['dens_pe'] / rows[base]['dens_pe']:.2f}x)"
                for e, r in rows.items() if e != base))
    print("Everything that is not a PE against the PE array (edge, units' logic, their rows"
          + ("; W4A16 with its own logic at L = 1" if own else "") + "), at the default depth and at depth 64:")
    for e, r in rows.items():
        top = own if e == "w4a16" else 0.0
        split = lambda storage: (r["edge"] + r["units"] + storage + top) / r["pe"]
        at64 = f"   D = 64: rows {r['storage64'] * 1e-6:6.3f}, {split(r['storage64']):5.2f}x" if "storage64" in r else ""
        print(f"  {e:<6} D = {r['depth']:>2}: {split(r['storage']):5.2f}x{at64}")


def fmt_fmax(r):
    if "slew_violations" not in r:
        return "-"  # an area-only point
    return f"{r['fmax_mhz']:.0f}" if r["fmax_mhz"] else f"({r['slew_violations']} slew)"


def load_table(results):
    """The W4A16 engine's own logic at load widths 1, 4, 16 (blocks as black boxes), and the whole
    16 x 16 engine's logic with it: what loading L weight rows per cycle costs."""
    tops = [(int(n.rsplit("_l", 1)[1]), r) for n, r in results.items() if n.startswith("w4a16_top_l")]
    if not tops:
        return
    blocks = None
    if all(n in results for n in ("mixpe_w4a16", "w4a16_edge", "w4a16_group_unit", "w4a16_group_unit_d2")):
        # the blocks at their area-run areas, the group units' logic without their rows (engine_table)
        pe, edge = results["mixpe_w4a16"]["area_um2"], results["w4a16_edge"]["area_um2"]
        units = unit_split(results, "w4a16_group_unit", "w4a16_group_unit_d2", "area_um2")[0]
        blocks = 256 * pe + edge + 16 * units
    print("\nW4A16 16 x 16 engine at load width L (area run, mm2): its own logic (controller, weight stager and "
          "skews, side band, outputs; blocks as black boxes)" + (", and the engine's logic with the array, edge and "
          "16 group units (rows' storage apart):" if blocks else ":"))
    base = None
    for l, r in sorted(tops, key=lambda t: t[0]):
        total = blocks + r["area_um2"] if blocks else None
        base = base or total
        extra = f"  engine {total * 1e-6:6.3f} ({100 * (total / base - 1):+5.1f}%)" if total else ""
        print(f"  L = {l:>2}: own logic {r['area_um2'] * 1e-6:6.3f} ({r['cells']} cells){extra}")


def report(results, rows):
    print("Synthesis estimates (Yosys 0.23 -> SKY130 HD tt, OpenSTA; no placement or wires): not tape-out figures.")
    print(f"Inputs driven by {liberty.DRIVER_CELL}, outputs loading {liberty.LOAD_PF} pF. Area run: ABC's default "
          "(area) mapping; timing run: delay-oriented ABC, buffered and sized. fmax only without slew violations.")
    print("Energy: make power (gate-level simulation of small engines on the model's real activations).")
    print(f"{'design':<22} {'area run: um2':>13} {'ns':>6} {'slew':>5} | {'timing run: um2':>15} {'ns':>6} "
          f"{'fmax MHz':>9} | area vs fma")
    fma = results.get("fma")
    for r in (r for r in rows if "min_period_ns" in r):
        ratio = f"{fma['area_um2'] / r['area_um2']:6.2f}x" if fma and r["block"] == "pe" else ""
        print(f"{r['name']:<22} {r['area_um2']:>13.0f} {r['area_run_period_ns']:>6.2f} "
              f"{r['area_run_slew_violations']:>5} | {r['timing_area_um2']:>15.0f} {r['min_period_ns']:>6.2f} "
              f"{fmt_fmax(r):>9} | {ratio}")
    # The engine's clock: the slowest of its blocks, each timed alone (timing run).
    print("\nEngine clock = the slowest of its blocks (timing run):")
    for engine, pe in ENGINES:
        blocks = engine_blocks(results, engine, pe)
        if len(blocks) < 2:
            continue
        slowest = max(blocks, key=lambda r: r["min_period_ns"])
        parts = ", ".join(f"{r['name']} {r['min_period_ns']:.2f} ns" for r in blocks)
        alone = f"PE alone: {1000 / results[pe]['min_period_ns']:.0f} MHz" if pe in results else "PE not in this run"
        print(f"  {engine:<6} {1000 / slowest['min_period_ns']:6.0f} MHz, limited by {slowest['name']} "
              f"({alone}): {parts}")
        c2 = results.get(f"{engine}_engine_c2")
        if c2:
            print(f"         cross-check: the 2-column engine flattened into one netlist closes at "
                  f"{c2['min_period_ns']:.2f} ns (ABC maps a large flat netlist worse than its blocks alone; "
                  f"docs/synthesis.md); its own logic with the blocks kept apart: {c2.get('top_logic_period_ns')} ns, "
                  f"{c2.get('top_logic_slew_violations')} transition violations on its pins")
    engine_table(results)
    load_table(results)
    # Area of an R x C array: R C PE + (R + C) e, fitted on the two synthesized sizes, then
    # extrapolated (synthesizing 16 x 16 arrays is slow on 2 cores).
    print("\nArray area model A(R, C) = R C a + (R + C) e, fitted on 2 x 2 and 4 x 4 (16 x 16 extrapolated):")
    for kind in ("mixpe_w4a16", "fma"):
        a2, a4 = results.get(f"array_{kind}_2x2"), results.get(f"array_{kind}_4x4")
        if not (a2 and a4 and kind in results):  # a partial run (--only)
            continue
        pe = (a4["area_um2"] - 2 * a2["area_um2"]) / 8
        e = (a2["area_um2"] - 4 * pe) / 4
        alone = results[kind]["area_um2"]
        print(f"  {kind:<12} a = {pe:8.0f} um2 per PE (alone: {alone:.0f}), e = {e:7.0f} um2 per edge row/column;"
              f" 16 x 16 ~ {256 * pe + 32 * e:,.0f} um2")
    # Like with like: single-cycle PEs against single-cycle, pipelined against pipelined, each at its
    # timing-run fmax and timing-run area.
    print("\nPE throughput per area at the timing run's fmax (one MAC per cycle), GMAC/s per mm2, like with like:")
    # int8 with both partial-sum rules: INT32 (the TPU's) and sized to the column (the mixpe PEs')
    pairs = (("", ("mixpe_w4a16", "mixpe_w4a8", "fma", "int8", "int8_col")),
             ("_p1", ("mixpe_w4a16_p1", "mixpe_w4a8_p1", "fma_p1", "int8_p1", "int8_col_p1")))
    for suffix, names in pairs:
        dens = {n: results[n]["fmax_mhz"] * 1e-3 / (results[n]["timing_area_um2"] * 1e-6)
                for n in names if n in results and results[n]["fmax_mhz"]}
        for n, dv in dens.items():
            rel = "  ".join(f"x{dv / dens[b]:.2f} vs {b}" for b in (f"fma{suffix}", f"int8{suffix}",
                                                                    f"int8_col{suffix}") if b in dens)
            print(f"  {n:<20} {dv:8.1f}  {rel}")


if __name__ == "__main__":
    main()
