"""The hardware flows of mixpe: synthesis estimates (area), energy from gate-level simulation (power,
glitch), the design-space exploration (dse), and the sweeps that run them one job per design point
(sweep); liberty holds the cell library and the electrical context. The Tcl and Yosys templates and
the cell models the flows use are kept here too.

The command lines are the scripts beside this folder (scripts/area.py, power.py, dse.py, results.py,
bench_icarus.py): Python puts their folder on the path, so they import this package as it is.
"""
