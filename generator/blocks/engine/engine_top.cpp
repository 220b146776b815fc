// The engine's top module: the controller that sequences tiles and groups, the streams, and
// the wiring of edge, array and group units. Tile i's weights are burst into the array's
// shadow registers (a load token per column, skewed like the activations) once tile i-1 has
// started, so a tile takes max(M, R) cycles. See README, "The engine".
#include <bit>

#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"
#include "blocks/pe/pe_emit.h"
#include "blocks/fp/fp32_add.h"

namespace mixpe {

using hdl::lit;
using hdl::slice;
using hdl::zext;

namespace {

int log2i(int v) { return std::countr_zero(unsigned(v)); }

// A register with its next-state expression: declares name_d and name_q.
void state(hdl::Module& m, const std::string& name, int w, const std::string& next, bool reset,
           const std::string& comment = "") {
  m.wire(name + "_d", w);
  m.assign(name + "_d", next);
  m.reg(name, w, "", reset ? lit(w, 0) : "", comment);
}

}  // namespace

hdl::Module engine_top_module(const EngineConfig& c) {
  const int R = c.rows, C = c.cols, mw = c.m_width(), rw = c.raw_act_width(), aw = c.pe.act_width();
  const int ww = c.pe.weight_width(), b = c.pe.weight_bits, sw = c.sum_width(), ew = c.exp_width();
  const int tpg = c.tiles_per_group(), lr = log2i(R), p = c.pe.pipeline;
  const bool int8 = !is_float(c.pe.act);
  hdl::Module m;
  m.name = c.name();
  m.description = fmt::format(
      "mpGEMM engine: Y (M x N, FP32) = X (M x K) * W (K x N, {}-bit codes, groups of {} along K), on a {} x {}\n"
      "weight-stationary array of {}. Streams (valid/ready): a command, weight rows, per-group scales{}, activation\n"
      "rows and output rows; the order of each stream is in the README (\"The engine\").",
      b, c.group_size, R, C, c.pe.module_name(), c.has_zero() ? " and zero points" : "");
  m.params = c.params();
  m.input("clk_i", 1, "clock");
  m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("cmd_valid_i", 1, "a GEMM command");
  m.output("cmd_ready_o", 1, "idle: a command is accepted");
  m.input("cmd_m_i", mw + 1, "M, 1..depth");
  m.input("cmd_ktiles_i", 16, "K / R (K padded to a multiple of the group size)");
  m.input("cmd_ntiles_i", 16, "N / C (N padded to a multiple of C)");
  m.input("w_valid_i", 1, "a weight row");
  m.output("w_ready_o", 1, "");
  m.input("w_data_i", C * ww, c.fma() ? "FP16 dequantized W[k][n0 + c] at bits [c*16 +: 16]; per tile, rows k0 .. k0 + R - 1"
                                       : "W[k][n0 + c] at bits [c*w +: w]; per tile, rows k0 .. k0 + R - 1");
  if (c.has_scales()) {
    m.input("sz_valid_i", 1, "a group's scales (and zero points)");
    m.output("sz_ready_o", 1, "");
    m.input("sz_scale_i", C * 16, "FP16 scale of column c at bits [c*16 +: 16]");
  }
  if (c.has_zero()) m.input("sz_zero_i", C * b, "zero point of column c at bits [c*b +: b]");
  m.input("a_valid_i", 1, "an activation row of one tile");
  m.output("a_ready_o", 1, "");
  m.input("a_data_i", R * rw, "X[m][k0 + r] at bits [r*w +: w]");
  if (int8) m.input("a_scale_i", 32, "FP32 scale of row m (INT8 activations)");
  m.output("y_valid_o", 1, "an output row");
  m.input("y_ready_i", 1, "");
  m.output("y_data_o", C * 32, "Y[m][n0 + c] (FP32) at bits [c*32 +: 32]");
  m.output("busy_o", 1, "a command is in progress");
  const int tw = c.pe.table_entry_width() * c.pe.table_entries();
  if (tw) m.input("table_i", tw, "LUT weights: the table (entry i at bits [w*i +: w], as the PE takes it); taken with the command");

  // --- command
  m.wire("cmd_acc", 1);
  m.assign("cmd_acc", "cmd_valid_i & cmd_ready_o");
  m.wire("done", 1, "the last output row leaves");
  state(m, "busy", 1, "cmd_acc | (busy_q & ~done)", true);
  m.assign("busy_o", "busy_q");
  m.assign("cmd_ready_o", "~busy_q");
  m.reg("m_total", mw + 1, "cmd_acc", "");
  m.wire("m_total_d", mw + 1);
  m.assign("m_total_d", "cmd_m_i");
  m.reg("kt_total", 16, "cmd_acc", "");
  m.wire("kt_total_d", 16);
  m.assign("kt_total_d", "cmd_ktiles_i");
  m.reg("nt_total", 16, "cmd_acc", "");
  m.wire("nt_total_d", 16);
  m.assign("nt_total_d", "cmd_ntiles_i");
  if (tw) {
    m.wire("table_d", tw);
    m.assign("table_d", "table_i");
    m.reg("table", tw, "cmd_acc", "", "the command's weight table, broadcast to every PE");
  }
  m.reg("tiles_total", 32, "cmd_acc", "");
  m.wire("tiles_total_d", 32);
  m.assign("tiles_total_d", "{16'd0, cmd_ktiles_i} * {16'd0, cmd_ntiles_i}");
  if (c.has_scales()) m.wire("groups_total", 32);
  if (c.has_scales()) m.assign("groups_total", lr == log2i(c.group_size) ? "tiles_total_q"
                                                     : fmt::format("tiles_total_q >> {}", log2i(tpg)));
  auto counter = [&](const std::string& name, int w, const std::string& inc, const std::string& comment = "") {
    state(m, name, w, fmt::format("cmd_acc ? {0} : {1} ? {2}_q + {3} : {2}_q", lit(w, 0), inc, name, lit(w, 1)), true,
          comment);
  };

  // --- weights: a FIFO of R rows, then a burst of R cycles into the array
  m.wire("w_acc", 1);
  m.assign("w_acc", "w_valid_i & w_ready_o");
  m.wire("w_tile_end", 1);
  m.assign("w_tile_end", fmt::format("w_acc & (w_row_q == {})", lit(lr, unsigned(R - 1))));
  counter("w_row", lr, "w_acc", "row of the tile being received");
  counter("w_tiles", 32, "w_tile_end", "tiles received");
  counter("w_wr", lr, "w_acc");
  m.wire("reading", 1, "a burst cycle: one staged row goes onto the weight buses");
  counter("w_rd", lr, "reading");
  state(m, "w_count", lr + 1,
        fmt::format("cmd_acc ? {0} : w_count_q + {{{1}, w_acc}} - {{{1}, reading}}", lit(lr + 1, 0), lit(lr, 0)), true,
        "rows staged");
  m.assign("w_ready_o", fmt::format("busy_q & (w_count_q != {}) & (w_tiles_q < tiles_total_q)", lit(lr + 1, unsigned(R))));
  m.memory("w_stage", C * ww, R, "w_acc", "w_wr_q", "w_data_i", "staged weight rows");
  m.wire("burst_start", 1);
  m.assign("burst_start",
           fmt::format("busy_q & ~burst_q & (w_count_q == {}) & (started_d2_q >= bursts_q)", lit(lr + 1, unsigned(R))));
  m.assign("reading", "burst_start | burst_q");
  state(m, "burst", 1, fmt::format("cmd_acc ? 1'b0 : burst_start ? 1'b1 : (burst_q & (burst_row_q == {})) ? 1'b0 : burst_q",
                                   lit(lr, unsigned(R - 1))), true, "burst cycles 1 .. R-1");
  state(m, "burst_row", lr, fmt::format("burst_start ? {} : burst_q ? burst_row_q + {} : burst_row_q", lit(lr, 1), lit(lr, 1)),
        true);
  counter("bursts", 32, "burst_start", "tiles whose burst has begun");
  const int AC = c.array_cols(), off = c.sum_column() ? 1 : 0;  // array column of data column c: c + off
  m.wire("wbus_raw", AC * ww);
  // the sum column's weight is the code 1
  m.assign("wbus_raw", c.sum_column() ? fmt::format("{{w_stage[w_rd_q], {}}}", lit(ww, 1)) : "w_stage[w_rd_q]");
  m.wire("wbus", AC * ww, "array column c's bus, delayed by c cycles");
  m.wire("wload", AC, "array column c's load token, delayed by c cycles");
  m.instances.push_back({fmt::format("mixpe_skew_w{}_n{}_e0", ww, AC), "u_wskew",
                         {{"clk_i", "clk_i"}, {"d_i", "wbus_raw"}, {"q_o", "wbus"}}});
  m.wire("wload_raw", AC);
  m.assign("wload_raw", fmt::format("{{{}{{burst_start}}}}", AC));
  m.instances.push_back({fmt::format("mixpe_skew_w1_n{}_e0_rst", AC), "u_tskew",
                         {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"d_i", "wload_raw"}, {"q_o", "wload"}}});

  // --- activations: tile by tile, M rows each
  m.wire("a_acc", 1);
  m.assign("a_acc", "a_valid_i & a_ready_o");
  m.wire("beat_first", 1, "the first row of a tile");
  m.assign("beat_first", "a_acc & ~in_tile_q");
  m.wire("beat_m", mw + 1);
  m.assign("beat_m", fmt::format("in_tile_q ? m_cnt_q : {}", lit(mw + 1, 0)));
  m.wire("beat_last", 1, "the last row of a tile");
  m.assign("beat_last", fmt::format("beat_m == (m_total_q - {})", lit(mw + 1, 1)));
  m.wire("tile_end", 1);
  m.assign("tile_end", "a_acc & beat_last");
  state(m, "in_tile", 1, "cmd_acc ? 1'b0 : tile_end ? 1'b0 : a_acc ? 1'b1 : in_tile_q", true);
  state(m, "m_cnt", mw + 1, fmt::format("(cmd_acc | tile_end) ? {0} : a_acc ? beat_m + {1} : m_cnt_q", lit(mw + 1, 0), lit(mw + 1, 1)),
        true);
  m.wire("kt_wrap", 1);
  m.assign("kt_wrap", "kt_q == (kt_total_q - 16'd1)");
  state(m, "kt", 16, "cmd_acc ? 16'd0 : tile_end ? (kt_wrap ? 16'd0 : kt_q + 16'd1) : kt_q", true, "K tile");
  state(m, "nt", 16, "cmd_acc ? 16'd0 : (tile_end & kt_wrap) ? nt_q + 16'd1 : nt_q", true, "N tile");
  counter("started", 32, "beat_first", "tiles whose first row has entered");
  state(m, "started_d1", 32, "cmd_acc ? 32'd0 : started_q", true);
  state(m, "started_d2", 32, "cmd_acc ? 32'd0 : started_d1_q", true, "tile i's burst waits until tile i-1 has started");
  std::string first_tog = "1'b1", last_tog = "1'b1";
  if (tpg > 1) {
    const int lt = log2i(tpg);
    first_tog = fmt::format("(kt_q[{}:0] == {})", lt - 1, lit(lt, 0));
    last_tog = fmt::format("(kt_q[{}:0] == {})", lt - 1, lit(lt, unsigned(tpg - 1)));
  }
  m.wire("first_tog", 1, "this tile is the first of its group");
  m.assign("first_tog", first_tog);
  m.wire("last_tog", 1, "this tile is the last of its group");
  m.assign("last_tog", last_tog);
  m.wire("first_group", 1);
  m.assign("first_group", fmt::format("kt_q < {}", lit(16, unsigned(tpg))));
  m.wire("last_group", 1);
  m.assign("last_group", fmt::format("kt_q >= (kt_total_q - {})", lit(16, unsigned(tpg))));
  counter("gidx", 32, "tile_end & last_tog", "group of the current tile, counted over the whole command");
  m.wire("sz_ok", 1, "the group's scales are loaded");
  m.assign("sz_ok", c.has_scales() ? "~first_tog | (sz_loaded_q > gidx_q)" : "1'b1");
  // the first tile that writes Y: the first group's last (dequant after), or the first (fma)
  m.wire("out_ok", 1, "Y of the previous N tile has left before this tile's first write overwrites it");
  m.assign("out_ok", fmt::format("~((kt_q == {}) & (nt_q != 16'd0)) | (out_done_q >= nt_q)",
                                 lit(16, c.fma() ? 0u : unsigned(tpg - 1))));
  m.wire("start_ok", 1);
  m.assign("start_ok", "busy_q & ~in_tile_q & (bursts_q > started_q) & sz_ok & out_ok & (started_q < tiles_total_q)");
  m.assign("a_ready_o", "busy_q & (in_tile_q | start_ok)");

  // --- scales and zero points: two slots, group g in slot g % 2
  if (c.has_scales()) {
  m.wire("group_done", 1, "the last column has taken a group's last row");
  m.wire("sz_acc", 1);
  m.assign("sz_acc", "sz_valid_i & sz_ready_o");
  counter("sz_loaded", 32, "sz_acc", "groups whose scales are loaded");
  counter("groups_done", 32, "group_done");
  m.assign("sz_ready_o", "busy_q & (sz_loaded_q < groups_total) & (sz_loaded_q < groups_done_q + 32'd2)");
  for (int s = 0; s < 2; ++s) {
    const std::string we = fmt::format("sz_acc & (sz_loaded_q[0] == 1'b{})", s);
    m.wire(fmt::format("scale{}_d", s), C * 16);
    m.assign(fmt::format("scale{}_d", s), "sz_scale_i");
    m.reg(fmt::format("scale{}", s), C * 16, we, "");
    if (c.has_zero()) {
      m.wire(fmt::format("zero{}_d", s), C * b);
      m.assign(fmt::format("zero{}_d", s), "sz_zero_i");
      m.reg(fmt::format("zero{}", s), C * b, we, "");
    }
  }
  }

  // --- the west edge and the array
  m.wire("edge_a", R * aw);
  if (sw) m.wire("edge_sum", sw);
  if (ew) m.wire("edge_exp", ew);
  m.wire("edge_poison", 1);
  hdl::Instance edge{fmt::format("mixpe_act_edge_{}", c.suffix()), "u_edge",
                     {{"clk_i", "clk_i"}, {"valid_i", "a_acc"}, {"a_i", "a_data_i"}, {"a_o", "edge_a"}}};
  if (sw) edge.connections.emplace_back("sum_o", "edge_sum");
  if (ew) edge.connections.emplace_back("exp_o", "edge_exp");
  edge.connections.emplace_back("poison_o", "edge_poison");
  m.instances.push_back(edge);
  // the control that travels with a row: {valid, m, first tile, last tile, first group, last group, slot}
  const int ctlw = 1 + mw + 4 + (c.has_scales() ? 1 : 0) + (int8 ? 32 : 0);
  std::string ctl = fmt::format("{{a_acc, {}, first_tog, last_tog, first_group, last_group{}{}}}",
                                slice("beat_m", mw - 1, 0), c.has_scales() ? ", gidx_q[0]" : "",
                                int8 ? ", a_scale_i" : "");
  state(m, "ctl1", ctlw, ctl, true, "registered with the edge outputs");
  state(m, "first1", 1, "beat_first", true);
  // row r of the array: {first, a} delayed by r
  m.wire("arr_in", R * (aw + 1));
  std::string lanes;
  for (int r = R - 1; r >= 0; --r)
    lanes += fmt::format("first1_q, {}{}", slice("edge_a", (r + 1) * aw - 1, r * aw), r ? ", " : "");
  m.assign("arr_in", "{" + lanes + "}");
  m.wire("arr_skewed", R * (aw + 1));
  m.instances.push_back({fmt::format("mixpe_skew_w{}_n{}_e0", aw + 1, R), "u_askew",
                         {{"clk_i", "clk_i"}, {"d_i", "arr_in"}, {"q_o", "arr_skewed"}}});
  m.wire("arr_a", R * aw);
  m.wire("arr_first", R);
  for (int r = 0; r < R; ++r) {
    const int base = r * (aw + 1);
    m.assign(slice("arr_a", (r + 1) * aw - 1, r * aw), slice("arr_skewed", base + aw - 1, base));
    m.assign(fmt::format("arr_first[{}]", r), fmt::format("arr_skewed[{}]", base + aw));
  }
  const int pw = c.pe.psum_width();
  m.wire("psum", AC * pw);
  hdl::Instance arr{fmt::format("mixpe_array_{}", c.suffix()), "u_array",
                    {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"a_i", "arr_a"}, {"first_i", "arr_first"},
                     {"w_i", "wbus"}, {"w_load_i", "wload"}}};
  if (tw) arr.connections.emplace_back("table_i", "table_q");
  arr.connections.emplace_back("psum_o", "psum");
  m.instances.push_back(std::move(arr));

  // --- the side band to the south edge: delayed R + pipeline cycles, then one more per column
  const int sbd = c.sideband_width();  // through the delay line
  m.wire("sb_in", sbd);
  m.assign("sb_in", fmt::format("{{ctl1_q, edge_poison{}{}}}", sw ? ", edge_sum" : "", ew ? ", edge_exp" : ""));
  m.wire("sb_delayed", sbd, "the side band at the bottom of array column 0");
  m.instances.push_back({fmt::format("mixpe_skew_w{}_n1_e{}_rst", sbd, R + p), "u_sbdelay",
                         {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"d_i", "sb_in"}, {"q_o", "sb_delayed"}}});
  // with a sum column, its S joins the side band there and travels east with it
  const int sbw = sbd + (c.sum_column() ? 32 : 0);
  m.wire("sbp0", sbw, "the side band at array column 0");
  m.assign("sbp0", c.sum_column() ? fmt::format("{{sb_delayed, {}}}", slice("psum", pw - 1, 0)) : "sb_delayed");
  for (int a = 1; a < AC; ++a) {
    m.wire(fmt::format("sbp{}", a), sbw);
    state(m, fmt::format("sbr{}", a), sbw, fmt::format("sbp{}", a - 1), true);
    m.assign(fmt::format("sbp{}", a), fmt::format("sbr{}_q", a));
  }
  m.wire("final", C);
  m.wire("rd_y", C * 32);
  m.wire("out_m", mw);
  for (int cc = 0; cc < C; ++cc) {
    const std::string sb = fmt::format("sbp{}", cc + off);
    // fields of the side band, top down: valid, m, first tile, last tile, first group, last group, slot, [rs], poison,
    // [sum], [exp], [S of the sum column]
    int hi = sbw - 1;
    auto field = [&](int w) {
      const std::string f = slice(sb, hi, hi - w + 1);
      hi -= w;
      return f;
    };
    const std::string valid = field(1), mm = field(mw), ft = field(1), lt = field(1), fg = field(1), lg = field(1);
    const std::string slot = c.has_scales() ? field(1) : "";
    const std::string rs = int8 ? field(32) : "";
    const std::string poison = field(1), sum = sw ? field(sw) : "";
    const std::string ex = ew ? field(ew) : "";
    const std::string scol = c.sum_column() ? field(32) : "";
    hdl::Instance gu{fmt::format("mixpe_group_unit_{}", c.suffix()), fmt::format("u_group{}", cc), {}};
    auto& k = gu.connections;
    k = {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"valid_i", valid}, {"m_i", mm}, {"first_tile_i", ft}, {"last_tile_i", lt},
         {"first_group_i", fg}, {"last_group_i", lg}, {"poison_i", poison},
         {"p_i", slice("psum", (cc + off + 1) * pw - 1, (cc + off) * pw)}};
    if (sw) k.emplace_back("sum_i", sum);
    if (c.sum_column()) k.emplace_back("sum_i", scol);
    if (ew) k.emplace_back("exp_i", ex);
    if (c.has_zero())
      k.emplace_back("zero_i", fmt::format("{0} ? {1} : {2}", slot, slice("zero1_q", (cc + 1) * b - 1, cc * b),
                                           slice("zero0_q", (cc + 1) * b - 1, cc * b)));
    if (c.has_scales())
      k.emplace_back("scale_i", fmt::format("{0} ? {1} : {2}", slot, slice("scale1_q", (cc + 1) * 16 - 1, cc * 16),
                                            slice("scale0_q", (cc + 1) * 16 - 1, cc * 16)));
    if (int8) k.emplace_back("row_scale_i", rs);
    k.emplace_back("rd_m_i", "out_m");
    k.emplace_back("rd_y_o", slice("rd_y", (cc + 1) * 32 - 1, cc * 32));
    k.emplace_back("final_o", fmt::format("final[{}]", cc));
    m.instances.push_back(std::move(gu));
    if (cc == C - 1 && c.has_scales()) {
      m.assign("group_done", fmt::format("{} & {} & ({} == {})", valid, lt, zext(mm, mw, mw + 1),
                                         "(m_total_q - " + lit(mw + 1, 1) + ")"));
    }
  }
  m.unused_wire("final_unused", C - 1, "columns finish in order: the last column's flag says the row is done");
  m.assign("final_unused", slice("final", C - 2, 0));

  // --- outputs: row by row once the last column has written it
  m.wire("y_acc", 1);
  m.assign("y_acc", "y_valid_o & y_ready_i");
  m.wire("y_last", 1, "the last row of an N tile");
  m.assign("y_last", fmt::format("y_acc & (out_q == (m_total_q - {}))", lit(mw + 1, 1)));
  state(m, "rows_ready", mw + 1,
        fmt::format("(cmd_acc | y_last) ? {0} : final[{1}] ? rows_ready_q + {2} : rows_ready_q", lit(mw + 1, 0), C - 1,
                    lit(mw + 1, 1)), true, "final rows of the current N tile");
  state(m, "out", mw + 1, fmt::format("(cmd_acc | y_last) ? {0} : y_acc ? out_q + {1} : out_q", lit(mw + 1, 0), lit(mw + 1, 1)),
        true, "next output row");
  counter("out_done", 16, "y_last", "N tiles whose output has left");
  m.assign("out_m", slice("out_q", mw - 1, 0));
  m.assign("y_valid_o", "busy_q & (out_q < rows_ready_q)");
  m.assign("y_data_o", "rd_y");
  m.assign("done", "y_last & ((out_done_q + 16'd1) == nt_total_q)");
  return m;
}

std::vector<hdl::Module> engine_modules(const EngineConfig& c) {
  c.validate();
  std::vector<hdl::Module> mods = {engine_top_module(c), act_edge_module(c), array_module(c), group_unit_module(c)};
  mods.push_back(skew_module(c.pe.act_width() + 1, c.rows, 0, false));
  mods.push_back(skew_module(c.sideband_width(), 1, c.rows + c.pe.pipeline, true));
  mods.push_back(skew_module(c.pe.weight_width(), c.array_cols(), 0, false));
  mods.push_back(skew_module(1, c.array_cols(), 0, true));
  for (hdl::Module& pm : pe_modules(c.pe)) mods.push_back(std::move(pm));
  mods.push_back(fp32_add_module());
  // one file per module: drop duplicates (the FP32 adder of an FP32 PE, equal skews)
  std::vector<hdl::Module> unique;
  for (hdl::Module& mod : mods) {
    bool seen = false;
    for (const hdl::Module& u : unique) seen |= u.name == mod.name;
    if (!seen) unique.push_back(std::move(mod));
  }
  return unique;
}

}  // namespace mixpe
