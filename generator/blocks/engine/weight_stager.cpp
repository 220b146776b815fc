// The engine's weight stager: a FIFO of one tile's R rows, then a burst of R cycles onto the
// column buses behind a load token (both skewed one cycle per column). See engine_parts.h.
#include <fmt/format.h>

#include "blocks/engine/engine_parts.h"

namespace mixpe {

using hdl::lit;

void add_weight_stager(hdl::Module& m, const EngineConfig& c) {
  const int R = c.rows, C = c.cols, AC = c.array_cols(), ww = c.pe.weight_width(), lr = hdl::log2(R);
  const std::string last_row = lit(lr, unsigned(R - 1)), full = lit(lr + 1, unsigned(R));
  m.wire("w_acc", 1);
  m.assign("w_acc", "w_valid_i & w_ready_o");
  m.wire("w_tile_end", 1);
  m.assign("w_tile_end", fmt::format("w_acc & (w_row_q == {})", last_row));
  counter(m, "w_row", lr, "w_acc", "row of the tile being received");
  counter(m, "w_tiles", 32, "w_tile_end", "tiles received");
  counter(m, "w_wr", lr, "w_acc");
  m.wire("reading", 1, "a burst cycle: one staged row goes onto the weight buses");
  counter(m, "w_rd", lr, "reading");
  m.state("w_count", lr + 1,
          fmt::format("cmd_acc ? {0} : w_count_q + {{{1}, w_acc}} - {{{1}, reading}}", lit(lr + 1, 0), lit(lr, 0)), true,
          "rows staged");
  // a full stage takes a row in a cycle that reads one out (the slot is read before it is written)
  m.assign("w_ready_o", fmt::format("busy_q & ((w_count_q != {}) | reading) & (fresh_q | (w_tiles_q < tiles_total_q))", full));
  m.memory("w_stage", C * ww, R, "w_acc", "w_wr_q", "w_data_i", "staged weight rows");
  m.wire("burst_start", 1);
  m.assign("burst_start", fmt::format("busy_q & ~burst_q & (w_count_q == {}) & (started_d{}_q >= bursts_q)", full,
                                       c.burst_wait()));
  m.assign("reading", "burst_start | burst_q");
  m.state("burst", 1,
          fmt::format("cmd_acc ? 1'b0 : burst_start ? 1'b1 : (burst_q & (burst_row_q == {})) ? 1'b0 : burst_q", last_row),
          true, "burst cycles 1 .. R-1");
  m.state("burst_row", lr,
          fmt::format("burst_start ? {0} : burst_q ? burst_row_q + {0} : burst_row_q", lit(lr, 1)), true);
  counter(m, "bursts", 32, "burst_start", "tiles whose burst has begun");
  m.wire("wbus_raw", AC * ww);
  // the sum column (array column 0) takes the code 1
  m.assign("wbus_raw", c.sum_column() ? fmt::format("{{w_stage[w_rd_q], {}}}", lit(ww, 1)) : "w_stage[w_rd_q]");
  m.wire("wbus", AC * ww, "array column c's bus, delayed by c cycles");
  m.wire("wload", AC, "array column c's load token, delayed by c cycles");
  m.instances.push_back(skew_instance(false, "u_wskew", ww, AC, 0, "wbus_raw", "wbus"));
  m.wire("wload_raw", AC);
  m.assign("wload_raw", fmt::format("{{{}{{burst_start}}}}", AC));
  m.instances.push_back(skew_instance(true, "u_tskew", 1, AC, 0, "wload_raw", "wload"));
}

}  // namespace mixpe
