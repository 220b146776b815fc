"""The hardware flows of mixpe: synthesis estimates (area), energy from gate-level simulation (power,
glitch), the design-space exploration (dse), and the sweeps that run them one job per design point
(sweep). tools runs the EDA tools and fills the Tcl and Yosys templates kept here (beside the cell
models the flows use); liberty holds the cell library and the electrical context; verilog writes the
modules around a design's ports.

The command lines are the scripts beside this folder (scripts/area.py, power.py, dse.py, results.py,
bench_icarus.py): Python puts their folder on the path, so they import this package as it is.
"""
