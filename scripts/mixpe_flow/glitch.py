"""Glitch energy: the gate-level netlist of a power point simulated with the cells' delays, so that
every net's transitions include the glitches a zero-delay simulation cannot see.

- Cell models: Yosys's functional models of the flow Liberty (`read_liberty` without -lib), each
  with a `specify` block holding one module path per timing arc of the Liberty file (input pin to
  output pin) for SDF to fill, and its flip-flops starting at 0 (Verilator's start at random: a
  stream's data output is compared only while its valid is high).
- Delays: OpenSTA's `write_sdf` for the netlist in the electrical context of the timing run (the
  same driving cell and output load; wire-load model, no parasitics, ideal clock).
- Stimulus: the engine testbench's run recorded at the design's ports cycle by cycle (a Verilator
  build of the RTL with a recording wrapper: the gate-level model is cycle-equivalent, so the
  same stream drives it), replayed by an Icarus testbench that checks every output against the
  recording before each rising edge (with the delays, at a clock slower than the critical path).
- Transitions: Icarus's VCD of the whole netlist; a net's transitions are its changes of value
  between time steps (changes within one time step - delta cycles - are not transitions).

Icarus's module paths are transport delays: a pulse shorter than a gate's delay still passes
(no inertial filtering), so the figure is an upper bound of the glitch energy under this model.
"""
import collections
import json
import os
import re
import sys

from . import liberty, verilog
from .tools import HERE, engine_tb, fill, passing, run


def timed_cell_models(lib, out):
    """The cell models with module paths (for SDF) and zero-initialized state, written to out."""
    model = os.path.join(HERE, "sky130_dlclkp.v")
    if os.path.exists(out) and os.path.getmtime(out) > max(os.path.getmtime(lib), os.path.getmtime(model)):
        return out
    func = out + ".func.v"
    run(["yosys", "-q", "-p", f"read_liberty -ignore_miss_func -ignore_miss_dir {lib}; "
         f"read_verilog -overwrite {model}; proc; write_verilog -noattr {func}"])
    arcs = liberty.timing_arcs(lib)
    text = open(func).read()
    models = []
    for m in re.finditer(r"^module (\S+)\((.*?)^endmodule\n", text, re.M | re.S):
        name, body = m.group(1), m.group(2)
        regs = re.findall(r"^\s*reg (\w+);", body, re.M)
        extra = "".join(f"  initial {r} = 1'b0;\n" for r in regs)
        paths = arcs.get(name, [])
        if paths:
            extra += "  specify\n" + "".join(f"    ({a} => {b}) = (0, 0);\n" for a, b in paths) + "  endspecify\n"
        models.append(f"module {name}({body}{extra}endmodule\n")
    with open(out + ".tmp", "w") as f:
        f.write("// SKY130 HD cell models with module paths: scripts/mixpe_flow/glitch.py\n" + "".join(models))
    os.replace(out + ".tmp", out)
    os.remove(func)
    return out


def vcd_transitions(stream, skip=0):
    """(scope path, net) -> transitions, from a VCD text stream: a change of a scalar's value (0/1)
    at a later time step than its previous change; X and Z are neither counted nor remembered.
    Scope paths are joined by "/" without their first `skip` levels (the testbench's), names
    without escaping backslashes, as OpenSTA names them."""
    codes = collections.defaultdict(list)  # id code -> [(scope, name)]
    scope = []
    line = stream.readline()
    while line and "$enddefinitions" not in line:
        w = line.split()
        if w and w[0] == "$scope":
            scope.append(w[2])
        elif w and w[0] == "$upscope":
            scope.pop()
        elif w and w[0] == "$var":
            # $var wire 1 <code> <name> [<bits>] $end
            name = " ".join(w[4:-1])
            codes[w[3]].append(("/".join(p.lstrip("\\") for p in scope[skip:]), name.lstrip("\\")))
        line = stream.readline()
    value, count = {}, collections.Counter()
    pending = {}  # the last value seen in the current time step
    for line in stream:
        c = line[0]
        if c == "#":
            for code, v in pending.items():
                old = value.get(code)
                if old is not None and old != v:
                    count[code] += 1
                value[code] = v
            pending.clear()
        elif c in "01":
            pending[line[1:].rstrip("\n")] = c
        elif c in "xzXZ":
            pending.pop(line[1:].rstrip("\n"), None)
    for code, v in pending.items():
        if value.get(code) is not None and value[code] != v:
            count[code] += 1
    out = collections.Counter()
    for code, names in codes.items():
        for n in names:
            out[n] += count[code]
    return out


def ideal_gated_clocks(sdf_text):
    """The clock gates' CLK -> GCLK delays set to zero: the rows behind a gate see the clock when
    the other flip-flops do, as a clock tree would balance them (the replay's clock is ideal too);
    without it, data launched at the same edge races the late gated clock (hold)."""
    def zero(cell):
        return re.sub(r"(\(IOPATH CLK GCLK)[^\n]*", r"\1 (0:0:0) (0:0:0))", cell.group(0))
    return re.sub(r'\(CELLTYPE "sky130_fd_sc_hd__dlclkp_\d+"\).*?(?=\(CELL\b|\Z)', zero, sdf_text, flags=re.S)


def recorder_wrapper(manifest, top, stim):
    """A module with the design's ports around its RTL (renamed TOP_rtl) that writes, at every
    rising edge, the values of every port but the clock (inputs, then outputs) as one line of hex."""
    ports = manifest["ports"]
    fields = [p["name"] for p in ports if p["direction"] == "input" and p["name"] != "clk_i"]
    fields += [p["name"] for p in ports if p["direction"] == "output"]
    return verilog.port_wrapper(
        manifest, top, f"{top}_rtl", "u_rtl", f"the ports of {top} recorded cycle by cycle (scripts/mixpe_flow/glitch.py)",
        body="  integer fd;\n"
             f"  initial fd = $fopen(\"{stim}\", \"w\");\n"
             "  always @(posedge clk_i) begin\n"
             f"    $fwrite(fd, \"{' '.join(['%h'] * len(fields))}\\n\", {', '.join(fields)});\n"
             "    $fflush(fd);\n"
             "  end\n")


def _differs(p, outs):
    """The replay's check of output p: a stream's data only while the recording says it is valid
    (the registers behind it start at 0 here, at random in the recorded run)."""
    n = p["name"]
    valid = re.sub(r"_[a-z]+_o$", "_valid_o", n)
    if valid != n and any(q["name"] == valid for q in outs):
        return f"(want_{valid} && {n} !== want_{n})"
    return f"{n} !== want_{n}"


def replay_tb(manifest, top, stim, period_ns, sdf, vcd, scopes):
    """An Icarus testbench that applies the recorded inputs at each falling edge, checks every
    output against the recording just before the rising edge, and dumps the nets of `scopes`
    (hierarchical names under the netlist's top) to vcd; `sdf` (or None: zero delay) annotates
    the netlist. Prints `N passed, N failed` (cycles whose outputs matched)."""
    ports = manifest["ports"]
    ins = [p for p in ports if p["direction"] == "input" and p["name"] != "clk_i"]
    outs = [p for p in ports if p["direction"] == "output"]
    half = period_ns / 2
    lines = ["`timescale 1ns/1ps", f"// {top} replayed from {os.path.basename(stim)} (scripts/mixpe_flow/glitch.py)",
             "module mixpe_replay;", "  reg clk_i = 1'b0;"]
    lines += [f"  reg {verilog.decl(p)};" for p in ins]
    lines += [f"  wire {verilog.decl(p)};" for p in outs]
    lines += [f"  reg {verilog.decl(dict(p, name='want_' + p['name']))};" for p in outs]
    lines += [f"  {top} dut ({verilog.connections(ports)});",
              "  integer fd, got, cycles, bad;", "  initial begin"]
    if sdf:
        lines.append(f"    $sdf_annotate(\"{sdf}\", dut.u_gates);")
    lines.append(f"    $dumpfile(\"{vcd}\");")
    for s in scopes:
        path = "".join(f".\\{part} " if not re.fullmatch(r"[A-Za-z_]\w*", part) else f".{part}"
                       for part in s.split("/")) if s else ""
        lines.append(f"    $dumpvars(1, dut.u_gates{path});")
    lines += [f"    fd = $fopen(\"{stim}\", \"r\");", "    cycles = 0; bad = 0;",
              "    rst_ni = 1'b1;", f"    #{half};", "    got = 1;", "    while (got == 1) begin"]
    for p in ins + [dict(p, name="want_" + p["name"]) for p in outs]:
        lines.append(f"      if (got == 1) got = $fscanf(fd, \"%h\", {p['name']});")
    lines += ["      if (got == 1) begin",
              f"        #{half - 0.01:.2f};",
              "        if (" + " || ".join(_differs(p, outs) for p in outs) + ") begin",
              "          bad = bad + 1;",
              "          if (bad <= 5) $display(\"cycle %0d: " +
              " ".join(f"{p['name']} %h (want %h)" for p in outs) + "\", cycles, " +
              ", ".join(f"{p['name']}, want_{p['name']}" for p in outs) + ");",
              "        end",
              "        #0.01 clk_i = 1'b1;", f"        #{half} clk_i = 1'b0;", "        cycles = cycles + 1;",
              "      end", "    end",
              "    $display(\"replayed %0d cycles\", cycles);",
              "    $display(\"%0d passed, %0d failed\", cycles - bad, bad);",
              "    $finish;", "  end", "endmodule", ""]
    return "\n".join(lines)


def record(mixpe, libs, d, top, opts, workload):
    """The engine testbench's power workload on the RTL with the recording wrapper: d/stim.txt
    (one line per cycle). The run must pass (bit-exact against the golden model)."""
    rec = os.path.join(d, "record")
    rtl = os.path.join(rec, "src")
    os.makedirs(rtl, exist_ok=True)
    files = []
    for f in sorted(os.listdir(os.path.join(d, "rtl"))):
        if f.endswith(".v"):
            text = open(os.path.join(d, "rtl", f)).read()
            text = re.sub(rf"^module {top}\b", f"module {top}_rtl", text, flags=re.M)
            open(os.path.join(rtl, f), "w").write(text)
            files.append(os.path.join(rtl, f))
    stim = os.path.join(d, "stim.txt")
    manifest = json.load(open(os.path.join(d, "rtl", top + ".json")))
    wrap = os.path.join(rec, "recorder.v")
    open(wrap, "w").write(recorder_wrapper(manifest, top, stim))
    engine_tb(mixpe, libs, os.path.join(rec, "tb"), opts, [os.path.abspath(f) for f in [wrap] + files], "-O1")
    passing([os.path.join(rec, "tb", "tb"), "--power"] + workload, os.path.join(rec, "sim.log"),
            f"power: the recording run in {rec}")
    return stim


def icarus_names(netlist, sdf, top):
    """The netlist and SDF texts with every escaped instance name that holds '.', '[' or ']' (a
    generate block's instance, `\\g_row[0].g_col[1].u_pe`) renamed to a plain identifier: Icarus's
    SDF annotator splits such names at their dots. Returns both texts and plain -> original."""
    names = {}
    def plain(m):
        original = m.group(2)
        new = "gi_" + re.sub(r"\W", "_", original)
        while new in names and names[new] != original:
            new += "_"
        names[new] = original
        return f"{m.group(1)}{new} ("
    netlist = re.sub(r"^(  \\?\S+\s+)\\(\S*[.\[\]]\S*)\s+\($", plain, netlist, flags=re.M)
    if names:
        escaped = {re.sub(r"([.\[\]])", r"\\\1", o): n for n, o in names.items()}
        pat = re.compile("|".join(re.escape(e) for e in sorted(escaped, key=len, reverse=True)))
        sdf = pat.sub(lambda m: escaped[m.group(0)], sdf)
    sdf = sdf.replace(f'(CELLTYPE "{top}")', f'(CELLTYPE "{top}_gates")', 1)
    return netlist, sdf, names


REPLAY_PERIOD_NS = 100.0  # the replay's clock: slower than any design's critical path


def glitch_run(mixpe, libs, d, facts, opts, lib, workload, delays):
    """The transitions of every net of power point d on `workload` replayed in Icarus with the
    cells' delays (delays "sdf") or without ("zero"), cached (d/glitch/<delays>.json, keyed by the
    point's key and the workload): {cycles, macs, transitions: [[scope, net, count]], sdf_warnings,
    sim_closing}."""
    g = os.path.join(d, "glitch")
    stamp = os.path.join(g, f"{delays}.json")
    if os.path.exists(stamp):
        r = json.load(open(stamp))
        if r.get("key") == facts["key"] and r.get("workload") == workload:
            return r
    os.makedirs(g, exist_ok=True)
    top = facts["top"]
    rec_stamp = os.path.join(g, "record.json")
    rec = json.load(open(rec_stamp)) if os.path.exists(rec_stamp) else {}
    if rec.get("key") != facts["key"] or rec.get("workload") != workload:
        print(f"{os.path.basename(d)}: recording the workload at the RTL's ports", file=sys.stderr, flush=True)
        stim = record(mixpe, libs, d, top, opts, workload)
        m = re.search(r"power workload: (\d+) cycles, (\d+) MACs", open(os.path.join(d, "record", "sim.log")).read())
        rec = {"key": facts["key"], "workload": workload, "stim": stim, "cycles": int(m.group(1)),
               "macs": int(m.group(2))}
        json.dump(rec, open(rec_stamp, "w"))
    stim, cycles, macs = rec["stim"], rec["cycles"], rec["macs"]
    # the delays
    netlist = os.path.join(d, "gates", "netlist.v")
    raw = os.path.join(g, "raw.sdf")
    tcl = os.path.join(g, "sdf.tcl")
    open(tcl, "w").write(fill("sdf.tcl.in", LIB=lib, NETLIST=netlist, TOP=top, PERIOD=REPLAY_PERIOD_NS,
                                   DRIVER=liberty.DRIVER_CELL, DRIVER_PIN=liberty.DRIVER_PIN, LOAD=liberty.LOAD_PF,
                                   SDF=raw))
    run(["sta", "-no_splash", "-exit", tcl])
    # OpenSTA writes (min::max); Icarus reads the typical value of min:typ:max
    sdf_text = ideal_gated_clocks(re.sub(r"\((-?[0-9.]+)::(-?[0-9.]+)\)", r"(\2:\2:\2)", open(raw).read()))
    os.remove(raw)
    net_text, sdf_text, names = icarus_names(open(os.path.join(d, "gates", "netlist_gates.v")).read(), sdf_text, top)
    sim_net, sdf = os.path.join(g, "netlist_icarus.v"), os.path.join(g, "netlist.sdf")
    open(sim_net, "w").write(net_text)
    open(sdf, "w").write(sdf_text)
    # the replay: every scope that holds cells dumped at depth 1 (the nets, not the cells' insides)
    original = {v: k for k, v in names.items()}
    scopes = set()
    for line in open(os.path.join(d, "cells.tsv")):
        inst = line.split("\t", 1)[0]
        scopes.add("/".join(original.get(p, p) for p in inst.split("/")[:-1]))
    manifest = json.load(open(os.path.join(d, "rtl", top + ".json")))
    vcd = os.path.join(g, f"{delays}.vcd")
    tb = os.path.join(g, f"replay_{delays}.v")
    open(tb, "w").write(replay_tb(manifest, top, stim, REPLAY_PERIOD_NS, sdf if delays == "sdf" else None, vcd,
                                  sorted(scopes)))
    models = timed_cell_models(lib, os.path.join(os.path.dirname(lib), "cells_timed.v"))
    vvp = os.path.join(g, f"replay_{delays}.vvp")
    print(f"{os.path.basename(d)}: replaying it at gate level in Icarus, {delays} delay", file=sys.stderr, flush=True)
    run(["iverilog", "-g2005", "-gspecify", "-o", vvp, tb, os.path.join(d, "gates", "wrapper.v"), sim_net, models])
    out, closing = passing(["vvp", "-n", vvp], os.path.join(g, f"replay_{delays}.log"),
                           f"power: the replay in {g} ({cycles} cycles recorded)", count=cycles)
    with open(vcd) as f:
        counts = vcd_transitions(f, skip=3)
    os.remove(vcd)
    os.remove(vvp)
    r = {"key": facts["key"], "workload": workload, "cycles": cycles, "macs": macs, "sim_closing": closing,
         "sdf_warnings": out.count("SDF WARNING"),
         "transitions": [["/".join(names.get(p, p) for p in s.split("/")) if s else "", n, c]
                         for (s, n), c in sorted(counts.items())]}
    json.dump(r, open(stamp, "w"))
    return r
