// The engine's top module: its ports, and the parts that make it (engine_parts.h): the command,
// the weight stager, the activation control, the scales, the array path and the south edge.
// Tile i's weights are burst into the array's shadow registers as tile i starts, one cycle ahead
// of its activations at every PE, so a tile takes max(M, R / L) cycles. See docs/engine.md, "The engine".
#include <fmt/format.h>

#include "blocks/engine/engine_parts.h"
#include "blocks/pe/pe_emit.h"

namespace mixpe {

void counter(hdl::Module& m, const std::string& name, int w, const std::string& inc, const std::string& comment) {
  m.state(name, w, fmt::format("cmd_acc ? {0} : {1} ? {2}_q + {3} : {2}_q", hdl::lit(w, 0), inc, name, hdl::lit(w, 1)),
          true, comment);
}

namespace {

void engine_ports(hdl::Module& m, const EngineConfig& c) {
  const int R = c.rows, C = c.cols, L = c.load, mw = c.m_width(), rw = c.raw_act_width(), ww = c.pe.weight_width();
  m.input("clk_i", 1, "clock");
  m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("cmd_valid_i", 1, "a GEMM command");
  m.output("cmd_ready_o", 1, "idle: a command is accepted");
  m.input("cmd_m_i", mw + 1, "M, 1..depth");
  m.input("cmd_ktiles_i", 16, "K / R (K padded to a multiple of the group size)");
  m.input("cmd_ntiles_i", 16, "N / C (N padded to a multiple of C)");
  m.input("w_valid_i", 1, L > 1 ? "a beat of L weight rows" : "a weight row");
  m.output("w_ready_o", 1, "");
  m.input("w_data_i", L * C * ww,
          L > 1 ? fmt::format("{} at bits [(l*{}+c)*{} +: {}]; per tile, beat j = 0 .. {} carries rows k = k0 + l*{} + "
                              "j, l = 0 .. {}",
                              c.fma() ? "FP16 dequantized W[k][n0 + c]" : "W[k][n0 + c]", C, ww, ww, R / L - 1, R / L,
                              L - 1)
                : fmt::format("{} at bits [c*{} +: {}]; per tile, rows k0 .. k0 + R - 1",
                              c.fma() ? "FP16 dequantized W[k][n0 + c]" : "W[k][n0 + c]", ww, ww));
  if (c.has_scales()) {
    m.input("sz_valid_i", 1, "a group's scales (and zero points)");
    m.output("sz_ready_o", 1, "");
    m.input("sz_scale_i", C * 16, "FP16 scale of column c at bits [c*16 +: 16]");
  }
  if (c.has_zero()) m.input("sz_zero_i", C * c.pe.weight_bits, "zero point of column c at bits [c*b +: b]");
  m.input("a_valid_i", 1, "an activation row of one tile");
  m.output("a_ready_o", 1, "");
  m.input("a_data_i", R * rw, "X[m][k0 + r] at bits [r*w +: w]");
  if (!is_float(c.pe.act)) m.input("a_scale_i", 32, "FP32 scale of row m (INT8 activations)");
  m.output("y_valid_o", 1, "an output row");
  m.input("y_ready_i", 1, "");
  m.output("y_data_o", C * 32, "Y[m][n0 + c] (FP32) at bits [c*32 +: 32]");
  m.output("busy_o", 1, "a command is in progress");
  if (const int tw = c.pe.table_entry_width() * c.pe.table_entries())
    m.input("table_i", tw,
            "LUT weights: the table (entry i at bits [w*i +: w], as the PE takes it); taken with the command");
}

hdl::Module make_engine(const EngineConfig& c) {
  hdl::Module m;
  m.name = c.name();
  m.description = fmt::format(
      "mpGEMM engine: Y (M x N, FP32) = X (M x K) * W (K x N, {}-bit codes, groups of {} along K), on a {} x {}\n"
      "weight-stationary array of {}. Streams (valid/ready): a command, weight rows, per-group scales{}, activation\n"
      "rows and output rows; the order of each stream is in docs/engine.md (\"Port protocol\").",
      c.pe.weight_bits, c.group_size, c.rows, c.cols, c.pe.module_name(), c.has_zero() ? " and zero points" : "");
  m.params = c.params();
  m.params.emplace_back("load", std::to_string(c.load));  // the top's alone: the blocks do not depend on it
  m.latency = {{"last_a_to_y", c.latency()}};
  for (int mm = 1; mm <= c.depth; ++mm)
    if (const int b = c.interleave(mm); b > 1) m.interleave.emplace_back(mm, b);
  engine_ports(m, c);
  add_command(m, c);
  add_weight_stager(m, c);
  add_activation_control(m, c);
  add_scales(m, c);
  add_array_path(m, c);
  add_south(m, c);
  return m;
}

}  // namespace

hdl::ModulePtr engine_module(const EngineConfig& c) {
  c.validate();
  return hdl::share(make_engine(c));
}

}  // namespace mixpe
