"""The tools as every flow runs them: one runner (checked, output captured, a failure named with its
tool and the tail of its log), the templates of this folder filled, the `key value` lines they print
read, the engine testbench built and run.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))  # the package: its templates and cell models
ROOT = os.path.dirname(os.path.dirname(HERE))      # the repository, or a sweep job's bundle
TAIL = 20                                          # lines of a failed tool's log in the error


class ToolError(SystemExit):
    """A tool failed: exits with a message naming it, its command and its log's tail (no traceback:
    the tool's own words are what explain it)."""


def run(cmd, log=None, **kw):
    """Runs cmd (a list) to completion, its output captured as text, and returns it; on a non-zero
    exit, ToolError with the tail of `log` (the file the tool writes, e.g. yosys -l) or of its
    output. A script run by bash is named by the script."""
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        tool = os.path.basename(cmd[1] if cmd[0] in ("bash", "sh") and len(cmd) > 1 else cmd[0])
        text = open(log, errors="replace").read() if log and os.path.exists(log) else r.stdout + r.stderr
        if log and r.stderr.strip() and r.stderr.strip() not in text:
            text += r.stderr
        tail = "".join(f"  | {line}\n" for line in text.rstrip().splitlines()[-TAIL:])
        raise ToolError(f"{tool} failed (exit {r.returncode}): {shlex.join(cmd)}\n" +
                        (f"  log: {log}\n" if log else "") + tail.rstrip("\n"))
    return r


def require(flow, tools):
    """Exits naming the first of tools that is not installed."""
    for t in tools:
        if not shutil.which(t):
            sys.exit(f"{flow}: '{t}' is not installed: run `make setup`")


def fill(template, **values):
    """A template of this folder with its @KEY@ fields replaced."""
    text = open(os.path.join(HERE, template)).read()
    for k, v in values.items():
        text = text.replace("@" + k + "@", str(v))
    return text


def key_values(text):
    """The `key value` lines (a lower-case name, a number) a Tcl or Yosys script of the flow prints."""
    return dict(re.findall(r"(?m)^([a-z_]+) (-?[0-9][0-9.eE+-]*)$", text))


def engine_tb(mixpe, libs, out, opts, netlist=(), cxx_opt=None):
    """The engine testbench (scripts/verilate_tb.sh) of engine options opts built in out; with
    netlist, around those Verilog files (a wrapper with the design's ports first) instead of the
    generated engine; cxx_opt: the harness's optimization level."""
    env = dict(os.environ, **({"MIXPE_NETLIST": " ".join(netlist)} if netlist else {}),
               **({"MIXPE_CXX_OPT": cxx_opt} if cxx_opt else {}))
    run(["bash", os.path.join(ROOT, "scripts", "verilate_tb.sh"), mixpe, os.path.join(ROOT, "tb", "engine_tb.cpp"), out,
         libs, "engine"] + opts.split(), env=env)


def passing(cmd, log, what, count=r"\d+"):
    """Runs a testbench whose closing line must be `N passed, 0 failed` (N matching count), its
    output kept in log; returns its stdout and that line. Exits naming `what` and the log otherwise."""
    r = subprocess.run(cmd, capture_output=True, text=True)
    open(log, "w").write(r.stdout + r.stderr)
    closing = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    if r.returncode != 0 or not re.fullmatch(rf"{count} passed, 0 failed", closing):
        raise ToolError(f"{what} failed ({closing or 'exit ' + str(r.returncode)}); see {log}")
    return r.stdout, closing
