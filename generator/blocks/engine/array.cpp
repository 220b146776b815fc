// The R x C weight-stationary array: activations move east, partial sums south, the load
// token south; every PE of a column shares the column's weight bus.
#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"

namespace mixpe {

using hdl::slice;

hdl::Module array_module(const EngineConfig& c) {
  const int R = c.rows, C = c.array_cols(), aw = c.pe.act_width(), ww = c.pe.weight_width(), pw = c.pe.psum_width();
  hdl::Module m;
  m.name = fmt::format("mixpe_array_{}", c.suffix());
  m.description = fmt::format(
      "{} x {} weight-stationary array of {}: activations enter row r from the west (already skewed by r),\n"
      "partial sums leave the bottom of each column (column c one cycle after column c-1).",
      R, C, c.pe.module_name());
  if (c.sum_column())
    m.description += "\nColumn 0 sums the activations (its weight bus carries 1): S for the zero-point term.";
  m.params = c.params();
  m.input("clk_i", 1, "clock");
  m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("a_i", R * aw, "row r's activation at bits [r*aw +: aw]");
  m.input("first_i", R, "row r's first-of-tile flag");
  m.input("w_i", C * ww, "column c's weight bus");
  m.input("w_load_i", C, "column c's load token, entering row 0");
  if (c.pe.table_entries())
    m.input("table_i", c.pe.table_entry_width() * c.pe.table_entries(), "the weight table, broadcast to every PE");
  m.output("psum_o", C * pw, "column c's sum of R products");

  auto pe_sig = [](const char* what, int r, int cc) { return fmt::format("{}_r{}c{}", what, r, cc); };
  for (int r = 0; r < R; ++r)
    for (int cc = 0; cc < C; ++cc) {
      const bool east = cc == C - 1, bottom = r == R - 1;
      const std::string why_a = "the east edge's activations leave the array unused";
      if (east) {
        m.unused_wire(pe_sig("a", r, cc), aw, why_a);
        m.unused_wire(pe_sig("first", r, cc), 1, why_a);
      } else {
        m.wire(pe_sig("a", r, cc), aw);
        m.wire(pe_sig("first", r, cc), 1);
      }
      if (bottom) m.unused_wire(pe_sig("load", r, cc), 1, "the load token leaves the bottom row unused");
      else m.wire(pe_sig("load", r, cc), 1);
      m.wire(pe_sig("psum", r, cc), pw);
    }
  m.wire("zero_psum", pw, "the top of every column");
  m.assign("zero_psum", hdl::lit(pw, 0));
  for (int r = 0; r < R; ++r)
    for (int cc = 0; cc < C; ++cc) {
      hdl::Instance inst{c.pe.module_name(), fmt::format("u_pe_r{}c{}", r, cc), {}};
      auto& k = inst.connections;
      k.emplace_back("clk_i", "clk_i");
      k.emplace_back("rst_ni", "rst_ni");
      k.emplace_back("w_i", slice("w_i", (cc + 1) * ww - 1, cc * ww));
      k.emplace_back("w_load_i", r == 0 ? fmt::format("w_load_i[{}]", cc) : pe_sig("load", r - 1, cc));
      k.emplace_back("w_load_o", pe_sig("load", r, cc));
      k.emplace_back("a_i", cc == 0 ? slice("a_i", (r + 1) * aw - 1, r * aw) : pe_sig("a", r, cc - 1));
      k.emplace_back("first_i", cc == 0 ? fmt::format("first_i[{}]", r) : pe_sig("first", r, cc - 1));
      k.emplace_back("a_o", pe_sig("a", r, cc));
      k.emplace_back("first_o", pe_sig("first", r, cc));
      if (c.pe.table_entries()) k.emplace_back("table_i", "table_i");
      k.emplace_back("psum_i", r == 0 ? "zero_psum" : pe_sig("psum", r - 1, cc));
      k.emplace_back("psum_o", pe_sig("psum", r, cc));
      m.instances.push_back(std::move(inst));
    }
  for (int cc = 0; cc < C; ++cc) m.assign(slice("psum_o", (cc + 1) * pw - 1, cc * pw), pe_sig("psum", R - 1, cc));
  return m;
}

}  // namespace mixpe
