#include "golden/engine_cycles.h"

#include <algorithm>
#include <deque>
#include <stdexcept>

#include "golden/host_streams.h"
#include "numerics/error.h"

namespace mixpe {

namespace {

// The controller's registers (the _q values of engine_control.cpp, weight_stager.cpp and
// south.cpp's output rows); counters that wrap in the RTL (row indices) wrap here too.
struct State {
  bool busy = false, burst = false, in_tile = false;
  int w_row = 0, w_count = 0, burst_row = 0, m_cnt = 0, since_end = 0;
  uint64_t w_tiles = 0, started = 0, gidx = 0, sz_loaded = 0, groups_done = 0;
  int kt = 0, b = 0, nt = 0, bn = 0, blk = 0, round_rows = 0;
  int rows_avail = 0, out = 0, out_b = 0, out_nt = 0, out_bn = 0, blk_done = 0;
};

}  // namespace

EngineCycles engine_cycles(const EngineConfig& c, int M, int ktiles, int ntiles) {
  const int nb = c.beats_per_tile(), tpg = c.tiles_per_group(), gap = c.row_gap();
  if (M < 1 || M > c.depth) fail("cycle model: M = {} is not in 1..{}", M, c.depth);
  if (ktiles < tpg || ktiles % tpg) fail("cycle model: {} K tiles is not a multiple of G / R = {}", ktiles, tpg);
  if (ntiles < 1) fail("cycle model: {} N tiles", ntiles);
  // the command's tile counts are 16-bit fields (cmd_ktiles_i, cmd_ntiles_i)
  if (ktiles > 65535) fail("cycle model: {} K tiles is above the command's limit 65535: split K", ktiles);
  if (ntiles > 65535) fail("cycle model: {} N tiles is above the command's limit 65535: split N", ntiles);
  const uint64_t tiles = uint64_t(ktiles) * uint64_t(ntiles), groups = tiles / uint64_t(tpg);
  // B N tiles interleaved; with B M <= D / 2, consecutive blocks use the two halves of the group
  // units' rows
  const int B = c.interleave(M);
  const bool dbl = 2 * B * M <= c.depth;
  EngineCycles n;
  n.w_beats = tiles * uint64_t(nb);
  n.sz_beats = c.has_scales() ? groups : 0;
  n.a_beats = tiles * uint64_t(M);
  n.y_beats = uint64_t(ntiles) * uint64_t(M);
  // the cycles from accepting a row to its side band reaching the last column's group unit, and
  // to that unit's final_o
  const int to_unit = c.latency() - c.dequant_stages(), to_final = c.latency() - 1;

  State s;
  // the cycles at which an accepted row ends a group at the last column, and finishes an output row
  std::deque<uint64_t> group_ends, finals;
  uint64_t w_sent = 0, sz_sent = 0, a_sent = 0, y_sent = 0;
  for (uint64_t t = 0;; ++t) {
    if (t > 1000 + (tiles + 2) * uint64_t(std::max({M, nb, 64})) * 4)
      throw std::logic_error("cycle model: no progress");
    const bool cmd_acc = t == 0;
    const bool group_done = !group_ends.empty() && group_ends.front() == t;
    const bool final_row = !finals.empty() && finals.front() == t;
    if (group_done) group_ends.pop_front();
    if (final_row) finals.pop_front();
    // the weight stager: a tile starts with its R / L beats staged, no burst in progress
    const bool w_staged = s.w_count == nb && !s.burst;
    // the activation tiles
    const bool first_tog = s.kt % tpg == 0, last_tog = s.kt % tpg == tpg - 1;
    const bool last_group = s.kt >= ktiles - tpg;
    const bool sz_ok = !c.has_scales() || !first_tog || s.sz_loaded > s.gidx + uint64_t(s.b);
    const int beat_m = s.in_tile ? s.m_cnt : 0;
    const bool out_ok = !(s.kt == (c.fma() ? 0 : tpg - 1) && s.blk != 0) || s.blk_done >= s.blk ||
                        (dbl && s.blk_done + 1 >= s.blk) || (s.blk_done + 1 == s.blk && s.out > beat_m);
    const bool gap_ok = gap <= 1 || (B > 1 && s.kt == 0) || s.since_end + (s.kt == 0 ? M : s.round_rows) >= gap;
    const bool start_ok = s.busy && !s.in_tile && w_staged && sz_ok && out_ok && gap_ok && s.started < tiles;
    const bool a_ready = s.busy && (s.in_tile ? out_ok : start_ok);
    const bool a_acc = a_ready && a_sent < n.a_beats;
    const bool beat_first = a_acc && !s.in_tile;
    const bool tile_end = a_acc && beat_m == M - 1;
    // its burst leaves with the tile's first row
    const bool reading = beat_first || s.burst;
    const bool w_ready = s.busy && (s.w_count != nb || reading) && s.w_tiles < tiles;
    const bool w_acc = w_ready && w_sent < n.w_beats;
    const bool w_tile_end = w_acc && s.w_row == nb - 1;
    // the scales
    const bool sz_ready = s.busy && s.sz_loaded < groups && s.sz_loaded < s.groups_done + uint64_t(c.scale_slots());
    const bool sz_acc = c.has_scales() && sz_ready && sz_sent < n.sz_beats;
    // the output rows
    const bool y_valid = s.busy && s.rows_avail > 0;
    const bool out_mlast = y_valid && s.out == M - 1;
    const bool y_last = out_mlast && s.out_b == s.out_bn - 1;
    const bool done = y_last && s.out_nt + s.out_bn == ntiles;
    if (y_valid && ++y_sent == n.y_beats) {
      if (!done) throw std::logic_error("cycle model: the last output row is not the command's end");
      n.cycles = t + 1;
      return n;
    }
    if (a_acc && last_tog && beat_m == M - 1) group_ends.push_back(t + uint64_t(to_unit));
    if (a_acc && last_tog && last_group) finals.push_back(t + uint64_t(to_final));
    w_sent += w_acc, sz_sent += sz_acc, a_sent += a_acc;

    // the clock edge
    State q = s;
    q.busy = cmd_acc || (s.busy && !done);
    if (cmd_acc) {
      q = State{};
      q.busy = true;
      q.since_end = gap;
      q.bn = q.out_bn = std::min(B, ntiles);
      s = q;
      continue;
    }
    q.w_row = w_acc ? (s.w_row + 1) % nb : s.w_row;
    q.w_tiles = s.w_tiles + w_tile_end;
    q.w_count = s.w_count + int(w_acc) - int(reading);
    q.burst = nb > 1 && (beat_first ? true : (s.burst && s.burst_row == nb - 1) ? false : s.burst);
    q.burst_row = beat_first ? 1 % nb : s.burst ? (s.burst_row + 1) % nb : s.burst_row;
    q.in_tile = tile_end ? false : a_acc ? true : s.in_tile;
    q.m_cnt = tile_end ? 0 : a_acc ? beat_m + 1 : s.m_cnt;
    const bool kt_wrap = s.kt == ktiles - 1, round_end = tile_end && s.b == s.bn - 1, block_end = round_end && kt_wrap;
    q.b = round_end ? 0 : tile_end ? s.b + 1 : s.b;
    q.kt = round_end ? (kt_wrap ? 0 : s.kt + 1) : s.kt;
    q.nt = block_end ? s.nt + s.bn : s.nt;
    q.bn = block_end ? std::min(B, ntiles - q.nt) : s.bn;
    q.blk = s.blk + block_end;
    q.gidx = s.gidx + (round_end && last_tog ? uint64_t(s.bn) : 0);
    q.round_rows = block_end ? 0 : (tile_end && s.kt == 0) ? s.round_rows + M : s.round_rows;
    q.started = s.started + beat_first;
    q.since_end = tile_end ? 0 : s.since_end == gap ? gap : s.since_end + 1;
    q.sz_loaded = s.sz_loaded + sz_acc;
    q.groups_done = s.groups_done + group_done;
    q.rows_avail = s.rows_avail + int(final_row) - int(y_valid);
    q.out = out_mlast ? 0 : y_valid ? s.out + 1 : s.out;
    q.out_b = y_last ? 0 : out_mlast ? s.out_b + 1 : s.out_b;
    q.out_nt = y_last ? s.out_nt + s.out_bn : s.out_nt;
    q.out_bn = y_last ? std::min(B, ntiles - q.out_nt) : s.out_bn;
    q.blk_done = s.blk_done + y_last;
    s = q;
  }
}

EngineCycles engine_cycles_mkn(const EngineConfig& c, int M, int K, int N) {
  const EngineCommand cmd = engine_command(c, M, K, N);  // padded as the host pads
  return engine_cycles(c, cmd.m, cmd.ktiles, cmd.ntiles);
}

}  // namespace mixpe
