// The engine's weight stager: a FIFO of one tile's R / L beats of L rows. A tile starts only with
// its weights staged, and its burst (R / L cycles) leaves as its first activation row is taken;
// bank l's bus waits l * R / L cycles, so every row r of the array takes its weight r cycles
// after row 0, as the activations arrive (both skewed one cycle per column). See engine_parts.h.
#include <fmt/format.h>

#include "blocks/engine/engine_parts.h"

namespace mixpe {

using hdl::lit;

void add_weight_stager(hdl::Module& m, const EngineConfig& c) {
  const int C = c.cols, AC = c.array_cols(), L = c.load, nb = c.beats_per_tile(), ww = c.pe.weight_width();
  const int lb = hdl::log2(nb), bw = L * C * ww, delay = c.weight_delay();
  const std::string full = lit(lb + 1, unsigned(nb));
  // a 1-bit increment widened to the beat count's width
  auto widen = [&](const std::string& bit) { return lb ? fmt::format("{{{}, {}}}", lit(lb, 0), bit) : bit; };
  m.wire("w_acc", 1);
  m.assign("w_acc", "w_valid_i & w_ready_o");
  m.wire("w_tile_end", 1);
  m.wire("reading", 1, "a burst cycle: one staged beat leaves for the array");
  m.wire("w_staged", 1, "a whole tile is staged and no burst is in progress: a tile may start");
  m.wire("w_beat", bw, "the staged beat being read: bank l's row at bits [l*C*w +: C*w]");
  if (nb == 1) {
    m.assign("w_tile_end", "w_acc");
    m.assign("reading", "beat_first");
    m.stage("w_data_i", "w_stage", bw, "the staged tile (one beat)", "w_acc");
    m.assign("w_beat", "w_stage_q");
    m.assign("w_staged", fmt::format("w_count_q == {}", full));
  } else {
    const std::string last = lit(lb, unsigned(nb - 1));
    m.assign("w_tile_end", fmt::format("w_acc & (w_row_q == {})", last));
    counter(m, "w_row", lb, "w_acc", "beat of the tile being received");
    counter(m, "w_wr", lb, "w_acc");
    counter(m, "w_rd", lb, "reading");
    m.memory("w_stage", bw, nb, "w_acc", "w_wr_q", "w_data_i", "staged beats");
    m.assign("w_beat", "w_stage[w_rd_q]");
    m.assign("reading", "beat_first | burst_q");
    m.state("burst", 1,
            fmt::format("cmd_acc ? 1'b0 : beat_first ? 1'b1 : (burst_q & (burst_row_q == {})) ? 1'b0 : burst_q", last),
            true, "burst cycles 1 .. R/L - 1");
    m.state("burst_row", lb, fmt::format("beat_first ? {0} : burst_q ? burst_row_q + {0} : burst_row_q", lit(lb, 1)),
            true);
    m.assign("w_staged", fmt::format("(w_count_q == {}) & ~burst_q", full));
  }
  counter(m, "w_tiles", 32, "w_tile_end", "tiles received");
  m.state("w_count", lb + 1,
          fmt::format("cmd_acc ? {} : w_count_q + {} - {}", lit(lb + 1, 0), widen("w_acc"), widen("reading")), true,
          "beats staged");
  // a full stage takes a beat in a cycle that reads one out (the slot is read before it is written)
  m.assign("w_ready_o",
           fmt::format("busy_q & ((w_count_q != {}) | reading) & (fresh_q | (w_tiles_q < tiles_total_q))", full));

  // bank l waits l * R / L cycles, and every bank the edge's extra stages
  std::string banks = "w_beat";
  if (L > 1 || delay) {
    m.wire("w_banks", bw, "bank l's row, delayed by l * R / L + the edge's extra stages");
    m.instances.push_back(skew_instance(false, "u_wbank", C * ww, L, delay, "w_beat", "w_banks", nb));
    banks = "w_banks";
  }
  // array column a's L lanes together (bank l at bits [l*w +: w]); the sum column takes the code 1
  m.wire("wbus_raw", AC * L * ww);
  std::vector<std::string> lanes;
  for (int a = AC - 1; a >= 0; --a)
    for (int l = L - 1; l >= 0; --l)
      lanes.push_back(c.sum_column() && a == 0 ? lit(ww, 1)
                                               : hdl::part(banks, l * C + a - (c.sum_column() ? 1 : 0), ww));
  m.assign("wbus_raw", hdl::cat(lanes));
  m.wire("wbus", AC * L * ww, "array column c's L buses, delayed by c cycles");
  m.wire("wload", AC, "array column c's load token, delayed by c cycles");
  m.instances.push_back(skew_instance(false, "u_wskew", L * ww, AC, 0, "wbus_raw", "wbus"));
  m.wire("wload_raw", AC);
  m.assign("wload_raw", fmt::format("{{{}{{beat_first}}}}", AC));
  m.instances.push_back(skew_instance(true, "u_tskew", 1, AC, delay, "wload_raw", "wload"));
}

}  // namespace mixpe
