// The R x C weight-stationary array, a module with ROWS, COLS and LOAD parameters: activations
// move east, partial sums south, the load token south; a column has LOAD weight buses, bus l
// shared by the PEs of bank l (rows l * ROWS / LOAD onwards).
#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"
#include "blocks/pe/pe_emit.h"

namespace mixpe {

namespace {

hdl::Module make_array(const EngineConfig& c) {
  const PeConfig& pe = c.pe;
  const int R = c.rows, C = c.array_cols(), aw = pe.act_width(), ww = pe.weight_width(), pw = pe.psum_width();
  const int pww = pe.pe_weight_width();  // the PEs' bus: the index, or its decoded entry
  const hdl::ModulePtr cell = pe_module(pe);
  hdl::Module m;
  m.name = "mixpe_array_" + pe.module_name().substr(9);
  m.description = fmt::format(
      "ROWS x COLS weight-stationary array of {}:\n"
      "activations enter row r from the west (already skewed by r), partial sums leave the bottom of\n"
      "each column (column c one cycle after column c-1).",
      cell->name);
  m.params = pe.params();
  m.latency = {{"a_to_psum", R + pe.pipeline}, {"column_skew", 1}};
  m.parameter("ROWS", R, "K elements per tile; the PE's partial sums are sized for its own rows");
  m.parameter("COLS", C, "N columns per tile");
  m.parameter("LOAD", c.load, "weight buses per column (rows loaded per cycle), a power of two dividing ROWS");
  m.input("clk_i", 1, "clock");
  m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("a_i", {R * aw, fmt::format("ROWS*{}", aw)}, fmt::format("row r's activation at bits [r*{0} +: {0}]", aw));
  m.input("first_i", {R, "ROWS"}, "row r's first-of-tile flag");
  m.input("w_i", {C * c.load * ww, fmt::format("COLS*LOAD*{}", ww)},
          fmt::format("column c's bus l at bits [(c*LOAD+l)*{0} +: {0}]", ww));
  m.input("w_load_i", {C, "COLS"}, "column c's load token, entering row 0");
  const int tw = pe.table_entry_width() * pe.table_entries();
  if (tw)
    m.input("table_i", tw,
            pe.lut_decode_column ? "the weight table, to every column bus's decoder"
                                 : "the weight table, broadcast to every PE");
  m.output("psum_o", {C * pw, fmt::format("COLS*{}", pw)}, "column c's sum of ROWS products");

  // Buses between the PEs, flat: the value west of PE (r, c) is field r * (COLS + 1) + c.
  m.unused_wire("a_bus", {R * (C + 1) * aw, fmt::format("ROWS*(COLS+1)*{}", aw)},
                "the east edge's activations (column COLS) leave the array unused");
  m.unused_wire("first_bus", {R * (C + 1), "ROWS*(COLS+1)"}, "the east edge's flags leave the array unused");
  m.unused_wire("load_bus", {(R + 1) * C, "(ROWS+1)*COLS"}, "the token leaves the bottom row unused");
  m.wire("psum_bus", {(R + 1) * C * pw, fmt::format("(ROWS+1)*COLS*{}", pw)},
         "partial sums above row r at field r * COLS + c; the top row is zero");
  m.assign(fmt::format("psum_bus[COLS*{}-1:0]", pw), fmt::format("{{(COLS*{}){{1'b0}}}}", pw));
  m.assign("load_bus[COLS-1:0]", "w_load_i");
  m.assign("psum_o", fmt::format("psum_bus[ROWS*COLS*{0} +: COLS*{0}]", pw));
  std::string bus = "w_i";
  if (pe.lut_decode_column) {  // each column bus decoded once, at the column's top
    bus = "w_entry";
    m.wire(bus, {C * c.load * pww, fmt::format("COLS*LOAD*{}", pww)}, "the decoded buses, as w_i");
    hdl::Scope& dec = m.loop("g_dec", "d", "COLS*LOAD");
    dec.instance(lut_decode_module(pe), "u_dec",
                 {{"idx_i", fmt::format("w_i[d*{0} +: {0}]", ww)},
                  {"table_i", "table_i"},
                  {"entry_o", fmt::format("w_entry[d*{0} +: {0}]", pww)}});
  }
  hdl::Scope& row = m.loop("g_row", "r", "ROWS");
  row.assign(fmt::format("a_bus[r*(COLS+1)*{0} +: {0}]", aw), fmt::format("a_i[r*{0} +: {0}]", aw));
  row.assign("first_bus[r*(COLS+1)]", "first_i[r]");
  hdl::Scope& col = row.loop("g_col", "c", "COLS");
  std::vector<std::pair<std::string, std::string>> k = {
      {"clk_i", "clk_i"},
      {"rst_ni", "rst_ni"},
      {"w_i", fmt::format("{0}[(c*LOAD + r/(ROWS/LOAD))*{1} +: {1}]", bus, pww)},
      {"w_load_i", "load_bus[r*COLS+c]"},
      {"w_load_o", "load_bus[(r+1)*COLS+c]"},
      {"a_i", fmt::format("a_bus[(r*(COLS+1)+c)*{0} +: {0}]", aw)},
      {"first_i", "first_bus[r*(COLS+1)+c]"},
      {"a_o", fmt::format("a_bus[(r*(COLS+1)+c+1)*{0} +: {0}]", aw)},
      {"first_o", "first_bus[r*(COLS+1)+c+1]"},
      {"psum_i", fmt::format("psum_bus[(r*COLS+c)*{0} +: {0}]", pw)},
      {"psum_o", fmt::format("psum_bus[((r+1)*COLS+c)*{0} +: {0}]", pw)}};
  if (tw && !pe.lut_decode_column) k.emplace_back("table_i", "table_i");
  col.instance(cell, "u_pe", k);
  return m;
}

}  // namespace

hdl::ModulePtr array_module(const EngineConfig& c) { return hdl::share(make_array(c)); }

}  // namespace mixpe
