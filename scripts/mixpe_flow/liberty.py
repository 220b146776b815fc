"""The SKY130 HD library as the synthesis flow uses it, and the electrical context every netlist is
mapped and timed in (one definition for ABC's constraints and OpenSTA's).

Yosys 0.23's `abc` has no -dont_use, so the cells a digital flow must not map to are removed from
a copy of the Liberty file: probe cells (metal on every layer), the lpflow family (power-domain
cells: isolation, level shifters, keep-alive buffers), delay cells (clkdlybuf, dlygate, dlymetal),
the spare-cell macro, and the clock-tree buffers and inverters (kept for the clock network).
"""
import collections
import gzip
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIB_GZ = os.path.join(ROOT, "third_party", "sky130", "sky130hd_tt.lib.gz")

DONT_USE = re.compile(r"sky130_fd_sc_hd__(probe|probec|lpflow_|clkdly|dlygate|dlymetal|macro_sparecell|clkbuf|clkinv)")

# Every input is driven by a buf_2 (a register or a neighbour's output buffer is of that strength)
# and every output drives 0.0175 pF, four inv_2 inputs (0.0045 pF each): ABC's -constr and
# OpenSTA's set_driving_cell / set_load say the same.
DRIVER_CELL = "sky130_fd_sc_hd__buf_2"
DRIVER_PIN = "X"
LOAD_PF = 0.0175

# The timing run: ABC maps for delay (target 1 ns: as fast as it can), with SOP balancing and
# delay-oriented restructuring before mapping, then buffers, up- and down-sizes gates under the
# constraints above. {D} is replaced by Yosys with the target.
ABC_TIMING_TARGET_PS = 1000
ABC_DELAY_SCRIPT = "+strash;&get,-n;&st;&syn2;&if,-g,-K,6;&synch2;&nf,{D};&put;buffer,-p;upsize,{D};dnsize,{D};stime,-p"


Group = collections.namedtuple("Group", "name body start end")  # text[start:end]: the group from its line's start


def groups(text, kind):
    """Every `kind (name) { ... }` group of text (kind: cell, pin, ...) that starts a line, in order,
    braces matched; groups of the same kind inside one are part of its body."""
    head = re.compile(r"\n[ \t]*" + kind + r"\s*\(\s*\"?([A-Za-z0-9_]+)\"?\s*\)\s*\{")
    i = 0
    while True:
        m = head.search(text, i)
        if not m:
            return
        j, depth = m.end(), 1
        while depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        yield Group(m.group(1), text[m.end():j - 1], m.start(), j)
        i = j


def without_dont_use(text):
    """The Liberty text without the cells DONT_USE matches (each `cell (...) { ... }` group)."""
    out, i = [], 0
    for cell in groups(text, "cell"):
        if DONT_USE.match(cell.name):
            out.append(text[i:cell.start])
            i = cell.end
    return "".join(out) + text[i:]


def timing_arcs(path):
    """cell -> [(input pin, output pin)]: the pins each output pin's groups name as related pins."""
    arcs = {}
    for cell in groups(open(path).read(), "cell"):
        pairs = []
        for pin in groups(cell.body, "pin"):
            if not re.search(r"direction\s*:\s*\"?output", pin.body):
                continue
            related = set()
            for m in re.finditer(r"related_pin\s*:\s*\"([^\"]*)\"", pin.body):
                related.update(m.group(1).split())
            pairs += [(r, pin.name) for r in sorted(related) if r != pin.name]
        arcs[cell.name] = pairs
    return arcs


def flow_liberty(work):
    """The Liberty file the flow maps to: unzipped (Yosys 0.23 cannot read .gz), DONT_USE removed."""
    os.makedirs(work, exist_ok=True)
    lib = os.path.join(work, "sky130hd_tt_flow.lib")
    if not os.path.exists(lib):
        with gzip.open(LIB_GZ, "rt") as src:
            text = without_dont_use(src.read())
        # (sweep jobs run side by side in one work directory: each writes its own file, then renames)
        tmp = f"{lib}.{os.getpid()}.tmp"
        with open(tmp, "w") as dst:
            dst.write(text)
        os.replace(tmp, lib)
    return lib


def abc_constraints(work):
    """ABC's constraint file (-constr): the driving cell and the output load."""
    path = os.path.join(work, "abc.constr")
    text = f"set_driving_cell {DRIVER_CELL}\nset_load {LOAD_PF}\n"
    if not os.path.exists(path) or open(path).read() != text:
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    return path
