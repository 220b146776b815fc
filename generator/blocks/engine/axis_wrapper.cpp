// The engine behind AXI4-Stream interfaces (`mixpe gen engine --axis`): each valid/ready stream of the
// engine becomes s_axis_<name>_* / m_axis_y_*, its fields packed into TDATA (LSB first, padded with
// zeros to whole bytes, as AXI4-Stream wants), with TLAST where a stream has a natural end: the last
// beat of a tile's weights (taken, not needed: the engine counts its beats) and the last row of a
// GEMM's output (counted here from the command). No buffering: TVALID/TREADY are the engine's own.
#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"

namespace mixpe {

namespace {

int bytes_width(int bits) { return (bits + 7) / 8 * 8; }

// A slave stream's TDATA: declares it (padded to bytes), its unused padding, and returns the name.
std::string slave_data(hdl::Module& m, const std::string& stream, int bits, const std::string& packing) {
  const std::string name = fmt::format("s_axis_{}_tdata", stream);
  const int w = bytes_width(bits);
  m.input(name, w, packing);
  if (w > bits) {
    m.unused_wire(fmt::format("{}_pad", stream), w - bits, "TDATA's padding to whole bytes");
    m.assign(fmt::format("{}_pad", stream), hdl::slice(name, w - 1, bits));
  }
  return name;
}

hdl::Module make_axis(const EngineConfig& c) {
  EngineConfig inner = c;
  inner.axis = false;
  const hdl::ModulePtr eng = engine_module(inner);
  const int R = c.rows, C = c.cols, L = c.load, mw = c.m_width(), rw = c.raw_act_width(), ww = c.pe.weight_width();
  const int tw = c.pe.table_entry_width() * c.pe.table_entries(), b = c.pe.weight_bits;
  hdl::Module m;
  m.name = eng->name + "_axis";
  m.description = fmt::format(
      "{} behind AXI4-Stream interfaces: s_axis_cmd, s_axis_w, {}s_axis_a, m_axis_y.\n"
      "TDATA packs each stream's fields LSB first, padded to whole bytes; TLAST marks the last weight beat of a\n"
      "tile (s_axis_w, not needed by the engine) and the last output row of a GEMM (m_axis_y).",
      eng->name, c.has_scales() ? "s_axis_sz, " : "");
  m.params = eng->params;
  m.latency = eng->latency;
  m.interleave = eng->interleave;
  m.input("clk_i", 1, "clock (ACLK)");
  m.input("rst_ni", 1, "asynchronous reset, active low (ARESETn)");
  std::vector<std::pair<std::string, std::string>> k = {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}};

  // command: {table, N / C, K / R, M}
  const int cmd_bits = (mw + 1) + 32 + tw;
  const std::string cmd = slave_data(m, "cmd", cmd_bits,
                                     fmt::format("{{{}N/C [{}:{}], K/R [{}:{}], M [{}:0]}}",
                                                 tw ? fmt::format("table [{}:{}], ", cmd_bits - 1, mw + 33) : "",
                                                 mw + 32, mw + 17, mw + 16, mw + 1, mw));
  m.input("s_axis_cmd_tvalid", 1, "a GEMM command");
  m.output("s_axis_cmd_tready", 1, "the engine is idle");
  k.insert(k.end(), {{"cmd_valid_i", "s_axis_cmd_tvalid"},
                     {"cmd_ready_o", "s_axis_cmd_tready"},
                     {"cmd_m_i", hdl::slice(cmd, mw, 0)},
                     {"cmd_ktiles_i", hdl::slice(cmd, mw + 16, mw + 1)},
                     {"cmd_ntiles_i", hdl::slice(cmd, mw + 32, mw + 17)}});
  if (tw) k.emplace_back("table_i", hdl::slice(cmd, cmd_bits - 1, mw + 33));

  // weights: the engine's w_data_i as it is
  const std::string w = slave_data(m, "w", L * C * ww, "the engine's w_data_i (docs/engine.md, \"Port protocol\")");
  m.input("s_axis_w_tvalid", 1, L > 1 ? "a beat of L weight rows" : "a weight row");
  m.output("s_axis_w_tready", 1, "");
  m.input("s_axis_w_tlast", 1, "the last beat of a tile's weights (the engine counts them: not needed)");
  m.unused_wire("w_tlast_unused", 1, "the engine counts a tile's beats itself");
  m.assign("w_tlast_unused", "s_axis_w_tlast");
  k.insert(k.end(), {{"w_valid_i", "s_axis_w_tvalid"},
                     {"w_ready_o", "s_axis_w_tready"},
                     {"w_data_i", hdl::slice(w, L * C * ww - 1, 0)}});

  // scales and zero points: {zero points, scales}
  if (c.has_scales()) {
    const int zb = c.has_zero() ? C * b : 0;
    const std::string sz =
        slave_data(m, "sz", C * 16 + zb,
                   zb ? fmt::format("{{zero points [{}:{}] (column c at c*{}), FP16 scales [{}:0] (column c at c*16)}}",
                                    C * 16 + zb - 1, C * 16, b, C * 16 - 1)
                      : fmt::format("FP16 scales [{}:0] (column c at c*16)", C * 16 - 1));
    m.input("s_axis_sz_tvalid", 1, "a group's scales (and zero points)");
    m.output("s_axis_sz_tready", 1, "");
    k.insert(k.end(), {{"sz_valid_i", "s_axis_sz_tvalid"},
                       {"sz_ready_o", "s_axis_sz_tready"},
                       {"sz_scale_i", hdl::slice(sz, C * 16 - 1, 0)}});
    if (zb) k.emplace_back("sz_zero_i", hdl::slice(sz, C * 16 + zb - 1, C * 16));
  }

  // activations: {row scale (INT8), activations}
  const bool int8 = !is_float(c.pe.act);
  const std::string a =
      slave_data(m, "a", R * rw + (int8 ? 32 : 0),
                 int8 ? fmt::format("{{FP32 row scale [{}:{}], activations [{}:0]}}", R * rw + 31, R * rw, R * rw - 1)
                      : fmt::format("activations [{}:0] (row r at r*{})", R * rw - 1, rw));
  m.input("s_axis_a_tvalid", 1, "an activation row of one tile");
  m.output("s_axis_a_tready", 1, "");
  k.insert(
      k.end(),
      {{"a_valid_i", "s_axis_a_tvalid"}, {"a_ready_o", "s_axis_a_tready"}, {"a_data_i", hdl::slice(a, R * rw - 1, 0)}});
  if (int8) k.emplace_back("a_scale_i", hdl::slice(a, R * rw + 31, R * rw));

  // outputs, TLAST on a GEMM's last row: M rows per N tile, N / C tiles
  m.output("m_axis_y_tdata", C * 32, "Y[m][n0 + c] (FP32) at bits [c*32 +: 32]");
  m.output("m_axis_y_tvalid", 1, "an output row");
  m.input("m_axis_y_tready", 1, "");
  m.output("m_axis_y_tlast", 1, "the last output row of the GEMM");
  m.output("busy_o", 1, "a command is in progress");
  m.wire("y_valid", 1);
  k.insert(k.end(), {{"y_valid_o", "y_valid"},
                     {"y_ready_i", "m_axis_y_tready"},
                     {"y_data_o", "m_axis_y_tdata"},
                     {"busy_o", "busy_o"}});
  m.assign("m_axis_y_tvalid", "y_valid");
  m.wire("cmd_fire", 1);
  m.assign("cmd_fire", "s_axis_cmd_tvalid & s_axis_cmd_tready");
  m.wire("y_fire", 1);
  m.assign("y_fire", "y_valid & m_axis_y_tready");
  m.stage(fmt::format("{} - {}", hdl::slice(cmd, mw, 0), hdl::lit(mw + 1, 1)), "last_m", mw + 1,
          "M - 1 of the GEMM in progress", "cmd_fire");
  m.stage(fmt::format("{} - 16'd1", hdl::slice(cmd, mw + 32, mw + 17)), "last_n", 16, "N / C - 1", "cmd_fire");
  m.wire("row_last", 1);
  m.assign("row_last", "y_m_q == last_m_q");
  m.state("y_m", mw + 1,
          fmt::format("cmd_fire | (y_fire & row_last) ? {} : y_fire ? y_m_q + {} : y_m_q", hdl::lit(mw + 1, 0),
                      hdl::lit(mw + 1, 1)),
          true, "the output row within its N tile");
  m.state("y_n", 16, "cmd_fire ? 16'd0 : y_fire & row_last ? y_n_q + 16'd1 : y_n_q", true, "the N tile being output");
  m.assign("m_axis_y_tlast", "row_last & (y_n_q == last_n_q)");
  m.instance(eng, "u_engine", k);
  return m;
}

}  // namespace

hdl::ModulePtr axis_module(const EngineConfig& c) { return hdl::share(make_axis(c)); }

}  // namespace mixpe
