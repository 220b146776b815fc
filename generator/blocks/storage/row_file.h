// Row storage of the south side: a register file whose rows see a clock edge only in a cycle
// that writes them (one integrated clock gate per row), read asynchronously. Every engine's
// group units keep their per-row state (group accumulators, Y) in these, so that comparisons
// between engines stay like for like.
#pragma once
#include <string>
#include <vector>

#include "hdl/module.h"

namespace mixpe {

// An integrated clock gate: gclk_o = clk_i & (en_i latched while clk_i is low). Behavioural
// Verilog (a latch and an AND) for simulation; synthesis maps it to sky130_fd_sc_hd__dlclkp
// (scripts/mixpe_flow/sky130_clock_gate.v).
hdl::ModulePtr clock_gate_module();

// `depth` rows of `width` bits (depth a power of two), one write port, `read_ports`
// asynchronous read ports: mixpe_row_file_w<width>_d<depth>_r<read_ports>.
hdl::ModulePtr row_file_module(int width, int depth, int read_ports);

// Instantiates a row file `u_<name>` in `m`: `we` writes `wdata` into row `waddr` at the rising
// clock; returns the read data wires (<name>_rd<i>, the row at raddrs[i]).
std::vector<std::string> add_row_file(hdl::Module& m, const std::string& name, int width, int depth,
                                      const std::string& we, const std::string& waddr, const std::string& wdata,
                                      const std::vector<std::string>& raddrs, const std::string& comment);

}  // namespace mixpe
