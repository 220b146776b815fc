"""Energy from simulated activity: each design point of `mixpe list power` (a small engine) is
synthesized like the timing run of `make area` but keeping its hierarchy, simulated at gate level
(every cell replaced by its Liberty function) by the engine testbench on real LLM activations,
still bit-exact against the golden model, with every net's transitions counted (Verilator's toggle
coverage). OpenSTA gives every cell's power at net activity 0 and 1; a cell's power is linear in
the activity of its nets, so its energy per cycle is P0 + a (P1 - P0), with a the transitions per
cycle of its output net (the mean over the instances of its module, which Verilator aggregates).
Summed per block (array, edge, group units, skews, controller) and divided by the useful MACs.

That simulation has zero delay; the random workload is then replayed in Icarus with the cells' SDF
delays to count the glitches too (glitch.py). No placement, wires (wire-load model only), clock
tree or SRAM macros (the group units keep their rows in clock-gated flip-flops: clock_scaled_p0).

One job per design point (sweep.py: GNU parallel, over ssh hosts or a Slurm array),
keyed by a hash of the generated Verilog, the flows, the testbench sources, the tools, the traces and
the options; inside a job its stages (gate-level build, runs, replays) are kept by stamps, so a job
that is retried resumes where it stopped.

Usage: scripts/power.py MIXPE "TB_LIBS" BUILD_DIR [--traces DIR] [--cycles N] [--random N] [--only NAME ...]
       [--engine "OPTIONS"] [--zero-delay-only | --replay-only] [-j N] [--hosts FILE] [--timeout T]
       [--slurm] [--dry-run]
"""
import argparse
import collections
import csv
import hashlib
import json
import os
import re
import sys
import tempfile
import time

from . import area, glitch, liberty, sweep, verilog
from .tools import HERE, ROOT, engine_tb, fill, key_values, passing, require, run
PERIOD_NS = 10.0   # the clock of the power analysis: energy per cycle does not depend on it
CHECK_ACTIVITY = 0.2


def wrapper(manifest, top):
    """The design's ports around its mapped netlist (renamed TOP_gates), whose ports are split into bits."""
    return verilog.port_wrapper(manifest, top, f"{top}_gates", "u_gates",
                                f"the ports of {top} around its gate-level netlist (scripts/mixpe_flow/power.py)",
                                bits=True)


def demangle(name):
    """Verilator's coverage names: non-identifier characters as __0XX (hex)."""
    return re.sub(r"__0([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), name)


def read_toggles(path):
    """(module, net) -> transitions summed over the module's instances."""
    toggles = collections.Counter()
    for line in open(path, encoding="latin-1"):
        if not line.startswith("C '"):
            continue
        body, count = line.rsplit("' ", 1)
        fields = dict(kv.split("\x02", 1) for kv in body[3:].split("\x01") if "\x02" in kv)
        if not fields.get("page", "").startswith("v_toggle/"):
            continue
        module = fields["page"][len("v_toggle/"):]
        toggles[(module, demangle(fields["o"]))] += int(count)
    return toggles


def block_of(instance):
    """The engine block a leaf cell belongs to, from its hierarchical name."""
    first = instance.split("/")[0] if "/" in instance else ""
    first = first.split(".")[-1]  # an instance in a generate loop: g_col[3].u_group
    if first == "u_array":
        return "array"
    if first == "u_edge":
        return "edge"
    if first.startswith("u_group"):
        return "group units"
    if "skew" in first or "delay" in first:
        return "skews"
    return "controller"


def gate_level(mixpe, libs, work, lib, point, traces, cycles, verilator=True):
    """Synthesis, the per-cell power table and (verilator) the Verilator gate-level simulation of
    one point, cached (the stamp holds a hash of everything that decides them); returns its folder
    and facts."""
    name, opts = point["name"], point["options"]
    d = os.path.join(work, name)
    rtl = os.path.join(d, "rtl")
    top, files = area.generate(mixpe, "engine", opts, rtl)
    srcs = [os.path.join(HERE, t) for t in ("synth.ys.in", "liberty.py", "gate_sim.ys.in", "power.tcl.in",
                                            "sky130_clock_gate.v", "sky130_dlclkp.v")]
    srcs += [os.path.join(ROOT, "tb", f) for f in ("engine_tb.cpp", "engine_driver.h", "engine_workloads.cpp")]
    key = hashlib.sha256(b"".join(open(f, "rb").read() for f in files + srcs) +
                         f"{traces} {cycles}".encode()).hexdigest()
    stamp = os.path.join(d, "gate_level.json")
    if os.path.exists(stamp):
        facts = json.load(open(stamp))
        if facts.get("key") == key and (facts.get("verilator") or not verilator):
            return d, facts
    # the timing run's netlist, hierarchy kept
    gates = os.path.join(d, "gates")
    t = area.timing_run(gates, files, top, lib, work, flatten=False)
    netlist = os.path.join(gates, "netlist.v")
    renamed = os.path.join(gates, "netlist_gates.v")
    text = re.sub(rf"^module {top}\(", f"module {top}_gates(", open(netlist).read(), count=1, flags=re.M)
    open(renamed, "w").write(text)
    wrap = os.path.join(gates, "wrapper.v")
    open(wrap, "w").write(wrapper(json.load(open(os.path.join(rtl, top + ".json"))), top))
    # every cell's power at activity 0 and 1
    tcl = os.path.join(d, "power.tcl")
    open(tcl, "w").write(fill("power.tcl.in", LIB=lib, NETLIST=netlist, TOP=top, PERIOD=PERIOD_NS,
                                   TABLE=os.path.join(d, "cells.tsv"), CHECK=CHECK_ACTIVITY))
    stext = run(["sta", "-no_splash", "-exit", tcl]).stdout
    open(os.path.join(d, "sta.log"), "w").write(stext)
    facts = {"key": key, "top": top, "cells": t["cells"], "area_um2": round(t["area"], 1), "verilator": verilator,
             "opensta_uniform_w": float(key_values(stext)["uniform_power_w"])}
    if verilator:
        sim = os.path.join(gates, "sim.v")
        open(os.path.join(gates, "gate_sim.ys"), "w").write(fill(
            "gate_sim.ys.in", LIB=lib, CLOCK_GATE_MODEL=os.path.join(HERE, "sky130_dlclkp.v"), NETLIST=renamed, NETLIST_NAME=os.path.basename(renamed), TOP=f"{top}_gates",
            SIM=sim))
        log = os.path.join(gates, "gate_sim.log")
        run(["yosys", "-q", "-l", log, os.path.join(gates, "gate_sim.ys")], log=log)
        # the engine testbench around the gate-level model, with toggle counting
        print(f"{name}: building the gate-level testbench ({t['cells']} cells)", file=sys.stderr, flush=True)
        engine_tb(mixpe, libs, os.path.join(d, "tb"), opts, [wrap, sim], "-O0")
        workload = ["--traces", traces, "--power-cycles", str(cycles)] if traces else ["--random", "1"]
        print(f"{name}: simulating", file=sys.stderr, flush=True)
        sim_run = simulate(d, workload, "toggles.dat", "sim.log")
        facts.update(cycles=sim_run["cycles"], macs=sim_run["macs"], sim_closing=sim_run["sim_closing"])
    json.dump(facts, open(stamp, "w"), indent=1)
    return d, facts


def simulate(d, workload, toggles, log_name):
    """One power workload on the gate-level testbench of folder d: it must pass (bit-exact); its
    cycles and MACs, its toggle counts written to d/toggles."""
    out, closing = passing([os.path.join(d, "tb", "tb"), "--power", "--coverage", os.path.join(d, toggles)] + workload,
                           os.path.join(d, log_name), f"power: the gate-level simulation in {d}")
    m = re.search(r"power workload: (\d+) cycles, (\d+) MACs", out)
    return {"cycles": int(m.group(1)), "macs": int(m.group(2)), "sim_closing": closing}


def random_run(d, facts, count):
    """The same gate-level testbench on `count` random GEMMs (LLM-like activations with outlier
    channels, Gaussian weights; every tile full): its cycles, MACs and toggle file, cached."""
    stamp = os.path.join(d, "random_run.json")
    if os.path.exists(stamp):
        r = json.load(open(stamp))
        if r.get("key") == facts["key"] and r.get("count") == count:
            return r
    r = dict(simulate(d, ["--random", str(count)], "toggles_random.dat", "sim_random.log"), key=facts["key"],
             count=count, toggles=os.path.join(d, "toggles_random.dat"))
    json.dump(r, open(stamp, "w"), indent=1)
    return r


Cell = collections.namedtuple("Cell", "inst module p0 p1 outs p0_internal p0_switching clock")


def read_cells(d, top):
    """OpenSTA's table: every leaf cell's instance, module, P0, P1, output nets, P0's internal and
    switching parts, and the net on its clock pin (None: no clock pin)."""
    cells = []
    for line in open(os.path.join(d, "cells.tsv")):
        inst, module, p0, p1, outs, p0i, p0s, clk = line.rstrip("\n").split("\t")
        # OpenSTA's module names as Verilator has them: the top renamed, Tcl's escaping undone
        module = f"{top}_gates" if module == top else module.replace("\\\\", "\\")
        cells.append(Cell(inst, module, float(p0), float(p1), outs.split(), float(p0i), float(p0s),
                          None if clk == "-" else clk))
    return cells


def clock_scaled_p0(cell, activity, cycles):
    """A cell's power at data activity 0 with its clocks as simulated. OpenSTA charges every
    register's clock pin (its internal power at activity 0) and every clock net's switching (a clock
    gate's output) at the clock's full rate, gated or not; each is scaled here by the simulated
    transitions of its own net over the clock's two per cycle. Leakage is not scaled. The main
    clock's nets (2 transitions per cycle) keep factor 1."""
    p0 = cell.p0
    if cell.clock is not None:
        t = activity(cell.inst, cell.module, cell.clock)
        if t is not None:
            p0 -= (1 - min(1.0, t / (2 * cycles))) * cell.p0_internal
    if cell.p0_switching > 0 and cell.outs:
        ts = [activity(cell.inst, cell.module, n) for n in cell.outs]
        if all(t is not None for t in ts):
            p0 -= (1 - min(1.0, sum(ts) / len(ts) / (2 * cycles))) * cell.p0_switching
    return p0


def verilator_activity(cells, toggles_file):
    """(instance, module, net) -> transitions over the run, from Verilator's toggle coverage: the
    mean over the module's instances (Verilator sums a module's toggles over them)."""
    toggles = read_toggles(toggles_file)
    paths = collections.defaultdict(set)
    for c in cells:
        paths[c.module].add(c.inst.rsplit("/", 1)[0] if "/" in c.inst else "")
    return lambda inst, module, net: (toggles[(module, net)] / len(paths[module])
                                      if (module, net) in toggles else None)


def instance_activity(transitions):
    """The same from per-instance counts ((scope, net) -> transitions, glitch.py)."""
    return lambda inst, module, net: transitions.get((inst.rsplit("/", 1)[0] if "/" in inst else "", net))


def cell_energy_pj(cell, activity, cycles):
    """One cell's energy over a run of `cycles` (pJ): its power at data activity 0 with its clocks
    as simulated (clock_scaled_p0), plus a (P1 - P0), a its output nets' mean simulated transitions
    per cycle (activity(instance, module, net)); None where a net has no simulated activity."""
    acts = [activity(cell.inst, cell.module, net) for net in cell.outs]
    if any(t is None for t in acts):
        return None
    a = sum(acts) / len(acts) / cycles if acts else 0.0
    return (clock_scaled_p0(cell, activity, cycles) + a * (cell.p1 - cell.p0)) * PERIOD_NS * 1e-9 * cycles * 1e12


def energy(d, facts, point, workload, run_facts, activity):
    """Each cell's energy over the run (cell_energy_pj), summed per block."""
    top, sim_cycles, macs = facts["top"], run_facts["cycles"], run_facts["macs"]
    shape = json.load(open(os.path.join(d, "rtl", top + ".json")))["parameters"]  # the engine's manifest
    cells = read_cells(d, top)
    by_block = collections.Counter()  # pJ over the run
    check = 0.0                       # W at the uniform activity, from the same linear model
    unannotated = nets = 0
    for c in cells:
        check += c.p0 + CHECK_ACTIVITY * (c.p1 - c.p0)
        nets += len(c.outs)
        missing = sum(activity(c.inst, c.module, n) is None for n in c.outs)
        unannotated += missing
        if missing:  # counted as unannotated (the report fails on any), its known nets alone
            known = c._replace(outs=[n for n in c.outs if activity(c.inst, c.module, n) is not None])
            e = cell_energy_pj(known, activity, sim_cycles)
        else:
            e = cell_energy_pj(c, activity, sim_cycles)
        by_block[block_of(c.inst)] += e
    total = sum(by_block.values())
    return {
        "name": point["name"], "top": top, "options": point["options"], "what": point["what"],
        "cells": facts["cells"], "area_um2": facts["area_um2"], "cycles": sim_cycles, "macs": macs,
        "utilization": round(macs / (sim_cycles * shape["rows"] * shape["cols"]), 4),
        "pj_per_mac": round(total / macs, 4),
        "pj_per_mac_by_block": {b: round(e / macs, 4) for b, e in sorted(by_block.items())},
        "pj_per_cycle_by_block": {b: round(e / sim_cycles, 3) for b, e in sorted(by_block.items())},
        "nets": nets, "unannotated_nets": unannotated,
        "uniform_check_w": {"model": check, "opensta": facts["opensta_uniform_w"]},
        "workload": workload, "delays": "zero", "simulator": "verilator",
    }


POWER_FILES = ("power.py", "glitch.py", "verilog.py", "gate_sim.ys.in", "power.tcl.in", "sdf.tcl.in", "sky130_dlclkp.v")
TB_FILES = ("engine_tb.cpp", "engine_driver.h", "engine_workloads.cpp")


def bundle_files(mixpe, libs, traces):
    """What a power job needs, by its path in the bundle: the flow (area.bundle_files), the testbench sources, the generator's headers and the prebuilt libraries it links,
    the traces."""
    files = area.bundle_files(mixpe)
    files["scripts/verilate_tb.sh"] = os.path.join(ROOT, "scripts", "verilate_tb.sh")
    for sub, exts in (("tb", (".h", ".cpp")), ("generator", (".h",))):
        for dirpath, _, names in os.walk(os.path.join(ROOT, sub)):
            for n in names:
                if n.endswith(exts):
                    path = os.path.join(dirpath, n)
                    files[os.path.relpath(path, ROOT)] = path
    files.update({f"tblibs/{os.path.basename(lib)}": lib for lib in libs.split()})
    if traces:
        files.update({f"traces/{f}": os.path.join(traces, f) for f in sorted(os.listdir(traces))})
    return files


def job_options(a):
    """The options of `power.py job` that decide a point's rows, as given to this sweep."""
    opts = ["--cycles", str(a.cycles), "--random", str(a.random)]
    opts += ["--zero-delay-only"] * a.zero_delay_only + ["--replay-only"] * a.replay_only
    return opts + (["--traces", "traces"] if a.traces else [])


def plan(sw, mixpe, points, a, libs):
    """One job per power point, keyed like its gate-level build: its Verilog, the flows, the testbench
    sources, the tools, the traces and the options."""
    versions = sweep.tool_versions(("yosys", "sta", "verilator", "iverilog"))
    flow = [os.path.join(HERE, f) for f in POWER_FILES] + [os.path.join(HERE, f) for f in area.FLOW_FILES]
    flow += [os.path.join(ROOT, "tb", f) for f in TB_FILES] + [os.path.join(ROOT, "scripts", "verilate_tb.sh")]
    traces = [os.path.join(a.traces, f) for f in sorted(os.listdir(a.traces))] if a.traces else []
    for p in points:
        with tempfile.TemporaryDirectory() as tmp:
            _, files = area.generate(mixpe, "engine", p["options"], tmp)
            key = sweep.digest(*[("file", f) for f in files + flow + traces], versions, p["name"], p["options"],
                               " ".join(job_options(a)))
        argv = ["python3", "scripts/power.py", "job", "--mixpe", "bin/mixpe",
                "--libs", " ".join(f"tblibs/{os.path.basename(lib)}" for lib in libs.split()),
                "--name", p["name"], "--options", p["options"], "--what", p["what"]] + job_options(a)
        sw.add(p["name"], key, argv)


def run_point(mixpe, libs, work, lib, p, a):
    """One point's rows: gate-level energy on the traces and random GEMMs, then the replay with delays."""
    traces = os.path.abspath(a.traces) if a.traces else None
    rows = []
    d, facts = gate_level(mixpe, libs, work, lib, p, traces, a.cycles, verilator=not a.replay_only)
    rnd = None
    if not a.replay_only:
        if traces:
            rows.append(energy(d, facts, p, "traces", facts,
                               verilator_activity(read_cells(d, facts["top"]), os.path.join(d, "toggles.dat"))))
        rnd = random_run(d, facts, a.random)
        rows.append(energy(d, facts, p, "random", rnd,
                           verilator_activity(read_cells(d, facts["top"]), rnd["toggles"])))
    if a.zero_delay_only:
        return rows
    # the same stimulus replayed in Icarus with the cells' delays: glitches included (and, with
    # --replay-only, without them, as the zero-delay reference)
    for delays in ("zero", "sdf") if a.replay_only else ("sdf",):
        g = glitch.glitch_run(mixpe, libs, d, facts, p["options"], lib, ["--random", str(a.random)], delays)
        if rnd and (g["cycles"], g["macs"]) != (rnd["cycles"], rnd["macs"]):
            sys.exit(f"power: {p['name']}: the recorded run ({g['cycles']} cycles, {g['macs']} MACs) is not the "
                     f"gate-level one ({rnd['cycles']}, {rnd['macs']})")
        counts = {(sc, n): c for sc, n, c in g["transitions"]}
        rows.append(dict(energy(d, facts, p, "random", g, instance_activity(counts)), delays=delays,
                         simulator="icarus", sdf_warnings=g["sdf_warnings"]))
    return rows


def job(a):
    """One point, in the sweep directory: its rows, written last (with the job's cost)."""
    t0 = time.monotonic()
    work = os.path.abspath("work")
    os.makedirs(work, exist_ok=True)
    lib = liberty.flow_liberty(work)
    p = {"name": a.name, "options": a.options, "what": a.what}
    sweep.write_result(a.out, {"rows": run_point(os.path.abspath(a.mixpe), a.libs, work, lib, p, a)}, t0)


def add_run_options(ap):
    ap.add_argument("--traces", help="LLM traces (mixpe trace); without: random LLM-like GEMMs")
    ap.add_argument("--cycles", type=int, default=5000,
                    help="trace GEMMs are simulated until this many cycles (the GEMM that crosses it ends)")
    ap.add_argument("--random", type=int, default=1, help="random GEMMs simulated per design (M = 16, K = 512)")
    ap.add_argument("--zero-delay-only", action="store_true",
                    help="skip the replay with the cells' delays (glitch energy: Icarus, minutes per design)")
    ap.add_argument("--replay-only", action="store_true",
                    help="no Verilator gate-level run: the random workload replayed in Icarus at zero delay and "
                         "with delays only (no traces workload)")


def report(rows, blocks):
    """The energy tables: every design and workload per block, the array's ratios, the glitches."""
    print("Energy from simulated activity (gate level: zero delay, and with the cells' SDF delays (glitches); "
          "SKY130 HD tt; no wires, clock tree or SRAM):")
    print(f"{'design':<10} {'workload':<8} {'delays':<6} {'sim':<9} {'cycles':>7} {'util':>5} {'pJ/MAC':>8} | " +
          " ".join(f"{b:>11}" for b in blocks) + " | unannotated nets | uniform-activity check (W)")
    for r in rows:
        c = r["uniform_check_w"]
        print(f"{r['name']:<10} {r['workload']:<8} {r['delays']:<6} {r['simulator']:<9} {r['cycles']:>7} {r['utilization']:>5.2f} {r['pj_per_mac']:>8.3f} | " +
              " ".join(f"{r['pj_per_mac_by_block'].get(b, 0):>11.3f}" for b in blocks) +
              f" | {r['unannotated_nets']:>7} of {r['nets']:<7} | model {c['model']:.6g}, OpenSTA {c['opensta']:.6g}")
    for workload, delays in (("traces", "zero"), ("random", "zero"), ("random", "sdf")):
        base = {r["name"]: r for r in rows if (r["workload"], r["delays"]) == (workload, delays)}
        if not base:
            continue
        for b in ("fma", "int8"):
            if b in base:
                print(f"{workload} ({delays} delay): array energy per MAC, {b} / design: " + ", ".join(
                    f"{n} {base[b]['pj_per_mac_by_block']['array'] / r['pj_per_mac_by_block']['array']:.2f}x"
                    for n, r in base.items() if n != b))
    for r in rows:
        if r["delays"] == "sdf":
            zs = [q for q in rows if (q["name"], q["workload"], q["delays"]) == (r["name"], r["workload"], "zero")]
            z = next((q for q in zs if q["simulator"] == "icarus"), zs[0])
            print(f"{r['name']}: glitches (SDF / zero delay): " + ", ".join(
                f"{b} {r['pj_per_mac_by_block'][b] / z['pj_per_mac_by_block'][b]:.2f}x"
                for b in blocks if z["pj_per_mac_by_block"].get(b)) +
                  f", engine {r['pj_per_mac'] / z['pj_per_mac']:.2f}x ({r['sdf_warnings']} SDF warnings)")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "job":
        ap = argparse.ArgumentParser(description="one power job (run by the sweep)")
        ap.add_argument("job")
        for opt in ("--mixpe", "--libs", "--name", "--options", "--what", "--out"):
            ap.add_argument(opt, required=True)
        add_run_options(ap)
        return job(ap.parse_args())
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mixpe")
    ap.add_argument("libs")
    ap.add_argument("build")
    add_run_options(ap)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--engine", metavar="OPTIONS", help="one engine of these options instead of the list (tests)")
    sweep.sweep_args(ap)
    ap.set_defaults(j=1)  # a gate-level build takes minutes and gigabytes: one at a time unless told
    a = ap.parse_args()
    made_at = sweep.commit()
    require("power", ("yosys", "sta", "verilator", "iverilog", "vvp"))
    mixpe = os.path.abspath(a.mixpe)
    every = area.design_points(mixpe, "power")
    points = [p for p in every if not a.only or p["name"] in a.only]
    if a.engine:
        points = [{"name": "engine", "options": a.engine, "what": "mixpe gen engine " + a.engine}]
    sw = sweep.Sweep("power", a.build, bundle_files(mixpe, a.libs, a.traces))
    plan(sw, mixpe, points, a, a.libs)
    res = sw.run_all(a)
    if res is None:
        return
    rows = [r for p in points for r in res[p["name"]]["rows"]]
    reports = os.path.join(a.build, "reports")
    os.makedirs(reports, exist_ok=True)
    blocks = ["array", "edge", "group units", "skews", "controller"]
    with open(os.path.join(reports, "power.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "top", "area_um2", "cycles", "macs", "utilization", "pj_per_mac"] +
                   [f"pj_per_mac_{b.replace(' ', '_')}" for b in blocks] + ["unannotated_nets", "nets", "workload", "delays", "simulator"])
        for r in rows:
            w.writerow([r["name"], r["top"], r["area_um2"], r["cycles"], r["macs"], r["utilization"], r["pj_per_mac"]] +
                       [r["pj_per_mac_by_block"].get(b, 0) for b in blocks] +
                       [r["unannotated_nets"], r["nets"], r["workload"], r["delays"], r["simulator"]])
    json.dump({"method": __doc__, "designs": rows}, open(os.path.join(reports, "power.json"), "w"), indent=1)
    if a.engine:  # one engine of the user's, not the flow's points
        sweep.report_text(a.build, "power", f"scripts/power.py --engine '{a.engine}'", lambda: report(rows, blocks), made_at)
    else:
        sweep.report_text(a.build, "power", "make power", lambda: report(rows, blocks), made_at, len(points), len(every))
    sweep.cost_table("power", list(res.values()), group=lambda r: "engine")
    print(f"written {reports}/power.csv and power.json")
    # the method checks itself: every net simulated, the linear model equal to OpenSTA's total
    bad = [r["name"] for r in rows if r["unannotated_nets"] or
           abs(r["uniform_check_w"]["model"] / r["uniform_check_w"]["opensta"] - 1) > 1e-3]
    if bad:
        sys.exit(f"power: {', '.join(bad)}: nets without simulated activity, or the per-cell model differs from "
                 "OpenSTA's total at uniform activity")
    print(f"{len(rows)} passed, 0 failed")


if __name__ == "__main__":
    main()
