#!/usr/bin/env python3
"""Simulation speed of an engine in Verilator and in Icarus on the same GEMMs (make bench-icarus).

The engine testbench's power workload (GEMMs of M = depth, K = 4 groups, N = 2 column tiles,
streams never idle) runs in the Verilator testbench (bit-exact against the golden model), is
recorded at the engine's ports cycle by cycle (scripts/mixpe_flow/glitch.py's recorder), and the
recording's first --max-cycles cycles are replayed on the same RTL in Icarus (every output checked
before each rising edge). The 4 x 4 engine by default: Icarus simulates the 16 x 16 one at a few
cycles per second (and the recording build of its wrapper takes 25 minutes).
Both are timed on the wall clock and printed as simulated cycles per second, with their ratio.
The Verilator figure includes the golden model and the checks; the Icarus one the stimulus file's
reading and the checks, so each is a testbench's speed, not the bare simulator's.

Usage: bench_icarus.py MIXPE LIBS BUILD_DIR [--random N] [--max-cycles N] [--engine "OPTIONS"]...
"""
import argparse
import json
import os
import re
import time

from mixpe_flow import area, glitch
from mixpe_flow.tools import engine_tb, passing, run


def timed(cmd, log, what):
    """A passing testbench run (its output in log) and its wall seconds."""
    t0 = time.monotonic()
    out, _ = passing(cmd, log, f"bench-icarus: {what}")
    return out, time.monotonic() - t0


def one(mixpe, libs, d, opts, random, max_cycles):
    os.makedirs(d, exist_ok=True)
    # Verilator: the engine testbench as make sim builds it
    engine_tb(mixpe, libs, os.path.join(d, "verilator"), opts)
    out, v_secs = timed([os.path.join(d, "verilator", "tb"), "--power", "--random", str(random)],
                        os.path.join(d, "verilator.log"), "the Verilator run")
    cycles = int(re.search(r"power workload: (\d+) cycles", out).group(1))
    # the same run recorded at the ports, then replayed on the RTL in Icarus
    top, rtl = area.generate(mixpe, "engine", opts, os.path.join(d, "rtl"))
    stim = glitch.record(mixpe, libs, d, top, opts, ["--random", str(random)])
    head = os.path.join(d, "stim_head.txt")
    with open(stim) as src, open(head, "w") as dst:
        for i, line in enumerate(src):
            if i >= max_cycles:
                break
            dst.write(line)
    stim = head
    manifest = json.load(open(os.path.join(d, "rtl", top + ".json")))
    tb = os.path.join(d, "replay.v")
    open(tb, "w").write(glitch.replay_tb(manifest, top, stim, 10.0, None, os.path.join(d, "none.vcd"), []))
    vvp = os.path.join(d, "replay.vvp")
    run(["iverilog", "-g2005", "-s", "mixpe_replay", "-o", vvp, tb] + rtl)
    out, i_secs = timed(["vvp", "-n", vvp], os.path.join(d, "icarus.log"), "the Icarus replay")
    replayed = int(re.search(r"replayed (\d+) cycles", out).group(1))
    return top, cycles, v_secs, replayed, i_secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mixpe")
    ap.add_argument("libs")
    ap.add_argument("build")
    ap.add_argument("--random", type=int, default=40, help="GEMMs of the power workload (Verilator)")
    ap.add_argument("--max-cycles", type=int, default=2000, help="cycles of the recording replayed in Icarus")
    ap.add_argument("--engine", action="append", metavar="OPTIONS",
                    help="engine options (repeatable; default: a 4 x 4 W4A16 engine of depth 16)")
    a = ap.parse_args()
    engines = a.engine or ["--rows 4 --cols 4 --depth 16"]
    print(f"{'engine':58} {'cycles':>8} {'Verilator cyc/s':>16} {'replayed':>9} {'Icarus cyc/s':>13} {'ratio':>7}")
    for i, opts in enumerate(engines):
        top, cycles, v_secs, replayed, i_secs = one(a.mixpe, a.libs, os.path.join(a.build, "bench_icarus", str(i)), opts,
                                                    a.random, a.max_cycles)
        v, ic = cycles / v_secs, replayed / i_secs
        print(f"{top:58} {cycles:8d} {v:16.0f} {replayed:9d} {ic:13.0f} {v / ic:6.0f}x")
    print("(wall clock of each testbench, one core; Verilator with its golden-model checks, Icarus replaying the recorded ports)")


if __name__ == "__main__":
    main()
