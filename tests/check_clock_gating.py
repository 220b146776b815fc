#!/usr/bin/env python3
"""The power flow charges a gated register bank only the clock edges it sees: two banks of 16
flip-flops with constant data, one on the clock, one behind the generator's clock gate enabled
one cycle in N, synthesized by the area flow (the gate as sky130_fd_sc_hd__dlclkp_1), the cells'
power from OpenSTA (power.tcl.in), the gate-level netlist simulated in Icarus with the flow's cell
models, every net's transitions counted from the VCD, each cell's energy composed by power.py.
The gated bank's clock energy must be 1/N of the ungated bank's (OpenSTA alone charges both the
same). Usage: PYTHONPATH=scripts check_clock_gating.py MIXPE"""
import os
import subprocess
import sys
import tempfile

from mixpe_flow import area, glitch, liberty, power  # (PYTHONPATH=scripts: CTest sets it)

N = 8
CYCLES = 400
DESIGN = """module gating_bank (
  input  wire clk_i,
  input  wire en_i,
  input  wire [15:0] d_i,
  output wire [15:0] a_o,
  output wire [15:0] b_o
);
  wire gclk;
  reg [15:0] a_q;
  reg [15:0] b_q;
  mixpe_clock_gate u_gate (.clk_i(clk_i), .en_i(en_i), .gclk_o(gclk));
  always @(posedge clk_i) a_q <= d_i;
  always @(posedge gclk) b_q <= d_i;
  assign a_o = a_q;
  assign b_o = b_q;
endmodule
"""
TB = f"""`timescale 1ns / 1ps
module tb;
  reg clk = 0, en = 0;
  reg [15:0] d = 16'd0;
  wire [15:0] a, b;
  gating_bank dut (.clk_i(clk), .en_i(en), .d_i(d), .a_o(a), .b_o(b));
  integer i;
  initial begin
    $dumpfile("gating.vcd");
    $dumpvars(1, dut.u_gates);
    for (i = 0; i < {CYCLES}; i = i + 1) begin
      en = (i % {N}) == 0;
      #5 clk = 1;
      #5 clk = 0;
    end
    $finish;
  end
endmodule
"""


def main():
    mixpe = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        lib = liberty.flow_liberty(tmp)
        rtl = os.path.join(tmp, "rtl")
        subprocess.run([mixpe, "gen", "engine", "--rows", "2", "--cols", "2", "--depth", "2", "--group-size", "32",
                        "-o", rtl], check=True, capture_output=True)
        design = os.path.join(tmp, "gating_bank.v")
        open(design, "w").write(DESIGN)
        area.timing_run(os.path.join(tmp, "gates"), [os.path.join(rtl, "mixpe_clock_gate.v"), design],
                        "gating_bank", lib, tmp)
        netlist = os.path.join(tmp, "gates", "netlist.v")
        tcl = os.path.join(tmp, "power.tcl")
        open(tcl, "w").write(area.fill("power.tcl.in", LIB=lib, NETLIST=netlist, TOP="gating_bank",
                                       PERIOD=power.PERIOD_NS, TABLE=os.path.join(tmp, "cells.tsv"),
                                       CHECK=power.CHECK_ACTIVITY))
        subprocess.run(["sta", "-no_splash", "-exit", tcl], check=True, capture_output=True)
        cells = power.read_cells(tmp, "gating_bank")
        models = glitch.timed_cell_models(lib, os.path.join(tmp, "cells_timed.v"))
        tb = os.path.join(tmp, "tb.v")
        open(tb, "w").write(TB)
        # the netlist's ports are split into bits: the power flow's wrapper restores the design's
        gates = os.path.join(tmp, "netlist_gates.v")
        open(gates, "w").write(open(netlist).read().replace("module gating_bank(", "module gating_bank_gates(", 1))
        ports = [{"name": "clk_i", "direction": "input", "width": 1}, {"name": "en_i", "direction": "input", "width": 1},
                 {"name": "d_i", "direction": "input", "width": 16}, {"name": "a_o", "direction": "output", "width": 16},
                 {"name": "b_o", "direction": "output", "width": 16}]
        wrap = os.path.join(tmp, "wrapper.v")
        open(wrap, "w").write(power.wrapper({"ports": ports}, "gating_bank"))
        r = subprocess.run(["iverilog", "-g2005", "-gspecify", "-o", os.path.join(tmp, "sim"), tb, wrap, gates, models],
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"check_clock_gating: iverilog: {r.stderr.strip()}")
        subprocess.run(["vvp", "-n", os.path.join(tmp, "sim")], check=True, capture_output=True, cwd=tmp)
        with open(os.path.join(tmp, "gating.vcd")) as f:
            counts = glitch.vcd_transitions(f, skip=3)
        activity = lambda inst, module, net: counts.get(("", net))  # noqa: E731 (one flat scope)
        clock_nets = {c.clock for c in cells if c.clock is not None}
        flops, full = {}, {}
        for c in cells:
            if c.clock is None or clock_nets & set(c.outs):  # the clock gate itself
                continue
            leak_pj = (c.p0 - c.p0_internal - c.p0_switching) * power.PERIOD_NS * 1e-9 * CYCLES * 1e12
            flops.setdefault(c.clock, []).append(power.cell_energy_pj(c, activity, CYCLES) - leak_pj)
            full.setdefault(c.clock, []).append(c.p0_internal * power.PERIOD_NS * 1e-9 * CYCLES * 1e12)
    nets = [f"{k} ({counts.get(('', k))} transitions, {len(v)} flip-flops)" for k, v in flops.items()]
    print("clock nets: " + ", ".join(nets))
    gated = [k for k in flops if k != "clk_i"]
    if len(gated) != 1 or len(flops["clk_i"]) != 16 or len(flops[gated[0]]) != 16:
        sys.exit(f"check_clock_gating: expected 16 flip-flops on clk_i and 16 on one gated clock, got {nets}")
    ungated, gated_e, gated_full = sum(flops["clk_i"]), sum(flops[gated[0]]), sum(full[gated[0]])
    checks = [
        # against what OpenSTA alone charges the same bank (its clock at the full rate): exactly 1/N
        ("the gated bank against its own clock energy at the full rate", gated_e / gated_full, 0.001),
        # against the ungated bank: 1/N up to the clock pins' different input slews
        ("the gated bank against the ungated bank", gated_e / ungated, 0.03),
    ]
    passed = failed = 0
    print(f"clock energy over {CYCLES} cycles: ungated bank {ungated:.3f} pJ, gated bank (1 cycle in {N}) "
          f"{gated_e:.3f} pJ, the gated bank as OpenSTA charges it {gated_full:.3f} pJ")
    for what, ratio, tol in checks:
        ok = abs(ratio * N - 1) <= tol
        print(f"{'ok  ' if ok else 'FAIL'} {what}: {ratio:.4f} (1/N = {1 / N:.4f}, tolerance {100 * tol:g}%)")
        passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
