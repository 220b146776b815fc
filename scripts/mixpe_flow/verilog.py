"""Verilog around a design's ports, from its manifest's `ports` (name, direction, width): the one
writer of the modules that stand in for a design (its mapped netlist, its recorded RTL) and of the
declarations a testbench makes of them."""


def decl(port, kind=""):
    """`kind [W-1:0] name` (no range for one bit)."""
    w = port["width"]
    return f"{kind}{f'[{w - 1}:0] ' if w > 1 else ''}{port['name']}"


def connections(ports):
    """`.name(name)` for every port: an instance wired to signals of the ports' names."""
    return ", ".join(f".{p['name']}({p['name']})" for p in ports)


def port_wrapper(manifest, top, inner, instance, note, bits=False, body=""):
    """Module `top` with the design's ports around module `inner` (instance `instance`), each port
    wired to its namesake; bits: inner's ports are split into single bits (a mapped netlist's:
    `\\name[i]`). body: the rest of the module; note: its header comment."""
    ports = manifest["ports"]
    conns = []
    for p in ports:
        n, w = p["name"], p["width"]
        conns += [f".\\{n}[{i}] ({n}[{i}])" for i in range(w)] if bits and w > 1 else [f".{n}({n})"]
    return (f"// {note}\nmodule {top}({', '.join(p['name'] for p in ports)});\n" +
            "".join(f"  {decl(p, p['direction'] + ' ')};\n" for p in ports) +
            f"  {inner} {instance} (\n" + ",\n".join(f"    {c}" for c in conns) + "\n  );\n" + body + "endmodule\n")
