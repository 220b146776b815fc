// The engine's data path around the array: the west edge and the row control registered beside
// it, the skew into the array, the side band that travels past the array to the group units
// (one per column, each a cycle after its west neighbour), and the output rows. See
// engine_parts.h.
#include <fmt/format.h>

#include "blocks/engine/engine_parts.h"

namespace mixpe {

using hdl::lit;
using hdl::slice;

hdl::Bundle row_control(const EngineConfig& c) {
  hdl::Bundle b;
  b.field("valid", 1).field("m", c.m_width()).field("first_tile", 1).field("last_tile", 1);
  b.field("first_group", 1).field("last_group", 1);
  b.field("last_row", c.has_scales() ? 1 : 0);           // the tile's last row: its group's scales are done
  b.field("slot", c.has_scales() ? c.slot_width() : 0);  // the group's scale slot
  b.field("row_scale", is_float(c.pe.act) ? 0 : 32);     // INT8: the row's FP32 scale
  return b;
}

hdl::Bundle side_band(const EngineConfig& c) {
  hdl::Bundle b = row_control(c);
  b.field("poison", 1).field("sum", c.sum_width()).field("exp", c.exp_width());
  return b;
}

namespace {

// The side band east of array column 0: with a sum column, its S follows the side band's fields.
hdl::Bundle east_band(const EngineConfig& c) {
  hdl::Bundle b = side_band(c);
  b.field("sum_column", c.sum_column() ? 32 : 0);
  return b;
}

}  // namespace

void add_array_path(hdl::Module& m, const EngineConfig& c) {
  const int R = c.rows, aw = c.pe.act_width(), sw = c.sum_width(), ew = c.exp_width(), mw = c.m_width();
  m.wire("edge_a", R * aw);
  if (sw) m.wire("edge_sum", sw);
  if (ew) m.wire("edge_exp", ew);
  m.wire("edge_poison", 1);
  std::vector<std::pair<std::string, std::string>> ek = {
      {"clk_i", "clk_i"}, {"valid_i", "a_acc"}, {"a_i", "a_data_i"}, {"a_o", "edge_a"}, {"poison_o", "edge_poison"}};
  if (sw) ek.emplace_back("sum_o", "edge_sum");
  if (ew) ek.emplace_back("exp_o", "edge_exp");
  if (c.edge_stages() > 1) ek.emplace_back("rst_ni", "rst_ni");
  m.instance(act_edge_module(c), "u_edge", ek);
  const hdl::Bundle ctl = row_control(c);
  std::map<std::string, std::string> v = {{"valid", "a_acc"},
                                          {"m", fmt::format("{} + tile_row_q", slice("beat_m", mw - 1, 0))},
                                          {"first_tile", "first_tog"},
                                          {"last_tile", "last_tog"},
                                          {"first_group", "first_group"},
                                          {"last_group", "last_group"}};
  if (ctl.has("last_row")) v["last_row"] = "beat_last";
  if (ctl.has("slot")) v["slot"] = slice("sz_beat", c.slot_width() - 1, 0);
  if (ctl.has("row_scale")) v["row_scale"] = "a_scale_i";
  // the row control and the tile's first-row flag, delayed as long as the edge's pipeline
  m.state("ctl1", ctl.width(), ctl.pack(v), true, "the row control, registered with the edge outputs");
  m.state("first1", 1, "beat_first", true);
  for (int s = 2; s <= c.edge_stages(); ++s) {
    m.state(fmt::format("ctl{}", s), ctl.width(), fmt::format("ctl{}_q", s - 1), true);
    m.state(fmt::format("first{}", s), 1, fmt::format("first{}_q", s - 1), true);
  }
  const std::string first_q = fmt::format("first{}_q", c.edge_stages());
  // row r of the array: {first, a}, delayed by r
  m.wire("arr_in", R * (aw + 1));
  for (int r = 0; r < R; ++r)
    m.assign(hdl::part("arr_in", r, aw + 1), fmt::format("{{{}, {}}}", first_q, hdl::part("edge_a", r, aw)));
  m.wire("arr_skewed", R * (aw + 1));
  m.instances.push_back(skew_instance(false, "u_askew", aw + 1, R, 0, "arr_in", "arr_skewed"));
  m.wire("arr_a", R * aw);
  m.wire("arr_first", R);
  for (int r = 0; r < R; ++r) {
    const int base = r * (aw + 1);
    m.assign(hdl::part("arr_a", r, aw), slice("arr_skewed", base + aw - 1, base));
    m.assign(fmt::format("arr_first[{}]", r), fmt::format("arr_skewed[{}]", base + aw));
  }
  m.wire("psum", c.array_cols() * c.pe.psum_width());
  std::vector<std::pair<std::string, std::string>> ak = {
      {"clk_i", "clk_i"}, {"rst_ni", "rst_ni"},  {"a_i", "arr_a"},  {"first_i", "arr_first"},
      {"w_i", "wbus"},    {"w_load_i", "wload"}, {"psum_o", "psum"}};
  if (c.pe.table_entries()) ak.emplace_back("table_i", "table_q");
  m.instance(array_module(c), "u_array", ak);
}

namespace {

// The side band: delayed R + pipeline cycles to the bottom of array column 0, then one register
// per column eastwards (field a of sbp at array column a).
void side_band_path(hdl::Module& m, const EngineConfig& c) {
  const int pw = c.pe.psum_width(), AC = c.array_cols();
  const hdl::Bundle ctl = row_control(c), sb = side_band(c), east = east_band(c);
  std::map<std::string, std::string> v = {{"poison", "edge_poison"}};
  for (const std::string& f : ctl.names()) v[f] = ctl.unpack(fmt::format("ctl{}_q", c.edge_stages()), f);
  if (sb.has("sum")) v["sum"] = "edge_sum";
  if (sb.has("exp")) v["exp"] = "edge_exp";
  m.wire("sb_in", sb.width());
  m.assign("sb_in", sb.pack(v));
  m.wire("sb_delayed", sb.width(), "the side band at the bottom of array column 0");
  m.instances.push_back(skew_instance(true, "u_sbdelay", sb.width(), 1, c.rows + c.pe.pipeline, "sb_in", "sb_delayed"));
  const int W = east.width();
  m.wire("sbp", AC * W, "the side band at array column a: field a");
  m.assign(hdl::part("sbp", 0, W), c.sum_column() ? hdl::cat({"sb_delayed", slice("psum", pw - 1, 0)}) : "sb_delayed");
  if (AC > 1) {
    hdl::Scope& band = m.loop("g_band", "a", std::to_string(AC - 1));
    band.state("sbr", W, fmt::format("sbp[a*{0} +: {0}]", W), true, "one register per column eastwards");
    band.assign(fmt::format("sbp[(a+1)*{0} +: {0}]", W), "sbr_q");
  }
}

// Column c's group unit, fed from the side band where it passes array column c (+1 with a sum
// column) and from that column's partial sums.
void group_units(hdl::Module& m, const EngineConfig& c) {
  const int C = c.cols, mw = c.m_width(), pw = c.pe.psum_width(), b = c.pe.weight_bits;
  const int off = c.sum_column() ? 1 : 0;
  const hdl::Bundle east = east_band(c);
  const hdl::ModulePtr unit = group_unit_module(c);
  const int W = east.width();
  m.wire("row_final", C, "column c wrote the final Y of a row this cycle");
  m.wire("rd_y", C * 32);
  m.wire("out_m", mw);
  hdl::Scope& col = m.loop("g_col", "c", std::to_string(C));
  col.unused_wire("band", W,
                  "the side band where it passes the column (its last-row flag is read at the last column only)");
  const std::string at = off ? fmt::format("(c+{})", off) : "c";  // the column's array column
  col.assign("band", fmt::format("sbp[{0}*{1} +: {1}]", at, W));
  auto f = [&](const char* name) { return east.unpack("band", name); };
  std::vector<std::pair<std::string, std::string>> k = {{"clk_i", "clk_i"},
                                                        {"rst_ni", "rst_ni"},
                                                        {"valid_i", f("valid")},
                                                        {"m_i", f("m")},
                                                        {"first_tile_i", f("first_tile")},
                                                        {"last_tile_i", f("last_tile")},
                                                        {"first_group_i", f("first_group")},
                                                        {"last_group_i", f("last_group")},
                                                        {"poison_i", f("poison")},
                                                        {"p_i", fmt::format("psum[{0}*{1} +: {1}]", at, pw)}};
  if (east.has("sum")) k.emplace_back("sum_i", f("sum"));
  if (east.has("sum_column")) k.emplace_back("sum_i", f("sum_column"));
  if (east.has("exp")) k.emplace_back("exp_i", f("exp"));
  auto slot = [&](const char* reg, int w) {  // slot 0 last: (slot == S-1) ? .. : .. : slot 0
    auto field = [&](int s) { return fmt::format("{0}{1}_q[c*{2} +: {2}]", reg, s, w); };
    std::string e = field(0);
    for (int s = 1; s < c.scale_slots(); ++s)
      e = fmt::format("({} == {}) ? {} : {}", f("slot"), lit(c.slot_width(), unsigned(s)), field(s), e);
    return e;
  };
  if (c.has_zero()) k.emplace_back("zero_i", slot("zero", b));
  if (c.has_scales()) k.emplace_back("scale_i", slot("scale", 16));
  if (east.has("row_scale")) k.emplace_back("row_scale_i", f("row_scale"));
  k.emplace_back("rd_m_i", "out_m");
  k.emplace_back("rd_y_o", "rd_y[c*32 +: 32]");
  k.emplace_back("final_o", "row_final[c]");
  col.instance(unit, "u_group", k);
  if (c.has_scales()) {
    const std::string last = hdl::part("sbp", C - 1 + off, W);
    m.unused_wire("band_last", W, "the side band at the last column: only the flags that end a group are read");
    m.assign("band_last", last);
    m.assign("group_done", fmt::format("{} & {} & {}", east.unpack("band_last", "valid"),
                                       east.unpack("band_last", "last_tile"), east.unpack("band_last", "last_row")));
  }
  m.unused_wire("row_final_unused", C - 1, "columns finish in order: the last column's flag says the row is done");
  m.assign("row_final_unused", slice("row_final", C - 2, 0));
}

// Output rows, in order, once the last column has written them.
void output_rows(hdl::Module& m, const EngineConfig& c) {
  const int mw = c.m_width(), bw = ilv_width(c);
  const std::string one = lit(mw + 1, 1), zero = lit(mw + 1, 0);
  m.wire("y_acc", 1);
  m.assign("y_acc", "y_valid_o & y_ready_i");
  m.wire("out_mlast", 1, "the last row of an N tile");
  m.assign("out_mlast", fmt::format("out_q == (m_total_q - {})", one));
  m.wire("y_last", 1, "the last row of a block");
  m.assign("y_last", fmt::format("y_acc & out_mlast & (out_b_q == (out_bn_q - {}))", lit(bw, 1)));
  m.state("rows_avail", mw + 2,
          fmt::format("cmd_acc ? {0} : rows_avail_q + {{{1}, row_final[{2}]}} - {{{1}, y_acc}}", lit(mw + 2, 0),
                      lit(mw + 1, 0), c.cols - 1),
          true, "final rows not yet sent (two blocks' worth with dbl)");
  m.state("out", mw + 1, fmt::format("(cmd_acc | (y_acc & out_mlast)) ? {0} : y_acc ? out_q + {1} : out_q", zero, one),
          true, "next output row of the N tile");
  m.state(
      "out_b", bw,
      fmt::format("(cmd_acc | y_last) ? {0} : (y_acc & out_mlast) ? out_b_q + {1} : out_b_q", lit(bw, 0), lit(bw, 1)),
      true, "N tile of the block being sent");
  m.wire("out_next", 16, "the next output block's first N tile");
  m.assign("out_next", fmt::format("out_nt_q + {}", hdl::zext("out_bn_q", bw, 16)));
  m.state("out_nt", 16, "cmd_acc ? 16'd0 : y_last ? out_next : out_nt_q", true, "the output block's first N tile");
  m.wire("out_rest", 16);
  m.assign("out_rest", "nt_total_q - out_next");
  m.state("out_bn", bw,
          fmt::format("cmd_acc ? cmd_bn : y_last ? ((out_rest < {}) ? {} : ilv_q) : out_bn_q",
                      hdl::zext("ilv_q", bw, 16), slice("out_rest", bw - 1, 0)),
          true, "N tiles in the output block");
  counter(m, "blk_done", 16, "y_last", "blocks whose output has left");
  m.state("out_row", mw,
          fmt::format(
              "cmd_acc ? {0} : y_last ? ((dbl_q & ~blk_done_q[0]) ? {1} : {0}) : y_acc ? out_row_q + {2} : out_row_q",
              lit(mw, 0), "half_q", lit(mw, 1)),
          true, "the group-unit row being sent");
  m.assign("out_m", "out_row_q");
  m.assign("y_valid_o", fmt::format("busy_q & (rows_avail_q != {})", lit(mw + 2, 0)));
  m.assign("y_data_o", "rd_y");
  m.assign("done", "y_last & (out_next == nt_total_q)");
}

}  // namespace

void add_south(hdl::Module& m, const EngineConfig& c) {
  side_band_path(m, c);
  group_units(m, c);
  output_rows(m, c);
}

}  // namespace mixpe
