// The engine's controller: the command, the activation stream's tiles and groups, and the
// scale slots. See engine_parts.h.
#include <bit>

#include <fmt/format.h>

#include "blocks/engine/engine_parts.h"

namespace mixpe {

using hdl::lit;
using hdl::slice;

int ilv_width(const EngineConfig& c) { return std::bit_width(unsigned(c.interleave(1))); }

void add_command(hdl::Module& m, const EngineConfig& c) {
  const int mw = c.m_width(), tpg = c.tiles_per_group();
  m.wire("cmd_acc", 1);
  m.assign("cmd_acc", "cmd_valid_i & cmd_ready_o");
  m.wire("done", 1, "the last output row leaves");
  m.state("busy", 1, "cmd_acc | (busy_q & ~done)", true);
  m.assign("busy_o", "busy_q");
  m.assign("cmd_ready_o", "~busy_q");
  m.stage("cmd_m_i", "m_total", mw + 1, "", "cmd_acc");
  m.stage("cmd_ktiles_i", "kt_total", 16, "", "cmd_acc");
  m.stage("cmd_ntiles_i", "nt_total", 16, "", "cmd_acc");
  // B N tiles interleaved (EngineConfig::interleave) and the rows of a block, B * M: a table over
  // the M that interleave, else 1 and M
  const int bw = ilv_width(c);
  std::string ilv = lit(bw, 1), half = "cmd_m_i";
  for (int mm = c.depth; mm >= 1; --mm)
    if (const int b = c.interleave(mm); b > 1) {
      ilv = fmt::format("(cmd_m_i == {}) ? {} : {}", lit(mw + 1, unsigned(mm)), lit(bw, unsigned(b)), ilv);
      half = fmt::format("(cmd_m_i == {}) ? {} : {}", lit(mw + 1, unsigned(mm)), lit(mw + 1, unsigned(b * mm)), half);
    }
  m.wire("cmd_ilv", bw, "N tiles interleaved for this M");
  m.assign("cmd_ilv", ilv);
  m.wire("cmd_half", mw + 1, "group-unit rows of a block of N tiles");
  m.assign("cmd_half", half);
  m.stage("cmd_ilv", "ilv", bw, "", "cmd_acc");
  m.stage(slice("cmd_half", mw - 1, 0), "half", mw, "used with dbl only: below D / 2", "cmd_acc");
  // with B M <= D / 2, odd blocks use rows B M .. 2 B M - 1 of the group units: a block's output
  // drains while the next one fills the other half
  m.stage(fmt::format("cmd_half <= {}", lit(mw + 1, unsigned(c.depth / 2))), "dbl", 1,
          "two blocks' rows fit in the group units", "cmd_acc");
  m.wire("cmd_bn", bw, "N tiles in the first block");
  m.assign("cmd_bn", fmt::format("({} < {}) ? {} : cmd_ilv", "cmd_ntiles_i", hdl::zext("cmd_ilv", bw, 16),
                                 slice("cmd_ntiles_i", bw - 1, 0)));
  if (const int tw = c.pe.table_entry_width() * c.pe.table_entries())
    m.stage("table_i", "table", tw, "the command's weight table, broadcast to every PE", "cmd_acc");
  // K tiles x N tiles in two cycles (a 16 x 16 multiply was the controller's longest path): two
  // 16 x 8 products at the command, their sum in the next cycle. In that cycle (fresh) every
  // count compared with the total is 0 and the total at least 1, so the comparisons read true.
  m.state("fresh", 1, "cmd_acc", true, "the cycle after a command: its tile total is being summed");
  m.stage("{8'd0, cmd_ktiles_i} * {16'd0, cmd_ntiles_i[7:0]}", "tiles_lo", 24, "", "cmd_acc");
  m.stage("{8'd0, cmd_ktiles_i} * {16'd0, cmd_ntiles_i[15:8]}", "tiles_hi", 24, "", "cmd_acc");
  m.stage("{8'd0, tiles_lo_q} + {tiles_hi_q, 8'd0}", "tiles_total", 32, "", "fresh_q");
  if (c.has_scales()) {
    m.wire("groups_total", 32);
    m.assign("groups_total", tpg == 1 ? "tiles_total_q" : fmt::format("tiles_total_q >> {}", hdl::log2(tpg)));
  }
}

void add_activation_control(hdl::Module& m, const EngineConfig& c) {
  const int mw = c.m_width(), tpg = c.tiles_per_group();
  const std::string one = lit(mw + 1, 1), zero = lit(mw + 1, 0);
  m.wire("a_acc", 1);
  m.assign("a_acc", "a_valid_i & a_ready_o");
  m.wire("beat_first", 1, "the first row of a tile");
  m.assign("beat_first", "a_acc & ~in_tile_q");
  m.wire("beat_m", mw + 1);
  m.assign("beat_m", fmt::format("in_tile_q ? m_cnt_q : {}", zero));
  m.wire("beat_last", 1, "the last row of a tile");
  m.assign("beat_last", fmt::format("beat_m == (m_total_q - {})", one));
  m.wire("tile_end", 1);
  m.assign("tile_end", "a_acc & beat_last");
  m.state("in_tile", 1, "cmd_acc ? 1'b0 : tile_end ? 1'b0 : a_acc ? 1'b1 : in_tile_q", true);
  m.state("m_cnt", mw + 1, fmt::format("(cmd_acc | tile_end) ? {} : a_acc ? beat_m + {} : m_cnt_q", zero, one), true);
  // tiles in turns: for each block of bn N tiles (the first N tile nt), for each K tile, for b < bn
  const int bw = ilv_width(c);
  const std::string mrow = slice("m_total_q", mw - 1, 0);
  m.wire("kt_wrap", 1);
  m.assign("kt_wrap", "kt_q == (kt_total_q - 16'd1)");
  m.wire("round_end", 1, "the block's last N tile of this K tile");
  m.assign("round_end", fmt::format("tile_end & (b_q == (bn_q - {}))", lit(bw, 1)));
  m.wire("block_end", 1);
  m.assign("block_end", "round_end & kt_wrap");
  m.state("b", bw, fmt::format("(cmd_acc | round_end) ? {0} : tile_end ? b_q + {1} : b_q", lit(bw, 0), lit(bw, 1)),
          true, "N tile within the block");
  m.state("kt", 16, "cmd_acc ? 16'd0 : round_end ? (kt_wrap ? 16'd0 : kt_q + 16'd1) : kt_q", true, "K tile");
  m.wire("nt_next", 16, "the next block's first N tile");
  m.assign("nt_next", fmt::format("nt_q + {}", hdl::zext("bn_q", bw, 16)));
  m.state("nt", 16, "cmd_acc ? 16'd0 : block_end ? nt_next : nt_q", true, "the block's first N tile");
  counter(m, "blk", 16, "block_end", "blocks of N tiles begun before this one");
  m.wire("nt_rest", 16, "N tiles after this block");
  m.assign("nt_rest", "nt_total_q - nt_next");
  m.state("bn", bw,
          fmt::format("cmd_acc ? cmd_bn : block_end ? (({} < {}) ? {} : ilv_q) : bn_q", "nt_rest",
                      hdl::zext("ilv_q", bw, 16), slice("nt_rest", bw - 1, 0)),
          true, "N tiles in this block");
  // group-unit rows: the block's half (blk parity, with dbl), then M per N tile of the block
  auto base = [&](const std::string& odd) { return fmt::format("(dbl_q & {}) ? {} : {}", odd, "half_q", lit(mw, 0)); };
  m.state("tile_row", mw,
          fmt::format("cmd_acc ? {} : block_end ? ({}) : round_end ? ({}) : tile_end ? tile_row_q + {} : tile_row_q",
                      lit(mw, 0), base("~blk_q[0]"), base("blk_q[0]"), mrow),
          true, "the first group-unit row of this tile");
  counter(m, "started", 32, "beat_first", "tiles whose first row has entered");
  std::string first_tog = "1'b1", last_tog = "1'b1";
  if (tpg > 1) {
    const int lt = hdl::log2(tpg);
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
  // the scale beats of earlier groups (one per group and N tile), counted over the whole command:
  // this tile's is gidx + b
  if (c.has_scales()) {
    m.state("gidx", 32,
            fmt::format("cmd_acc ? 32'd0 : (round_end & last_tog) ? gidx_q + {} : gidx_q", hdl::zext("bn_q", bw, 32)),
            true, "scale beats of the groups before this one");
    m.wire("sz_beat", 32, "this tile's scale beat");
    m.assign("sz_beat", fmt::format("gidx_q + {}", hdl::zext("b_q", bw, 32)));
  }
  m.wire("sz_ok", 1, "the group's scales are loaded");
  m.assign("sz_ok", c.has_scales() ? "~first_tog | (sz_loaded_q > sz_beat)" : "1'b1");
  // the first tile that writes Y: the first group's last (dequant after), or the first (fma)
  // Checked row by row: the block before drains while this tile's rows enter, each row after the
  // output has read its predecessor in the same group-unit row (otherwise the whole block waited
  // for the drain: the fma engine lost 0.8% on the bench GEMM)
  m.wire("out_ok", 1, "Y of the block that used this row has left before this row's write overwrites it");
  m.assign("out_ok", fmt::format("~((kt_q == {}) & (blk_q != 16'd0)) | (blk_done_q >= blk_q) | "
                                 "(dbl_q & (({{1'b0, blk_done_q}} + 17'd1) >= {{1'b0, blk_q}})) | "
                                 "(((blk_done_q + 16'd1) == blk_q) & (out_q > beat_m))",
                                 lit(16, c.fma() ? 0u : unsigned(tpg - 1))));
  std::string gap_ok = "1'b1";
  if (const int gap = c.row_gap(); gap > 1) {
    const int gw = std::bit_width(unsigned(gap)), w = std::max(gw, mw + 1) + 1;
    const std::string top = lit(gw, unsigned(gap));
    m.state("since_end", gw,
            fmt::format("cmd_acc ? {0} : tile_end ? {1} : (since_end_q == {0}) ? {0} : since_end_q + {2}", top,
                        lit(gw, 0), lit(gw, 1)),
            true, "0 in the cycle after a tile's last row, then counting up to the gap");
    // a row returns after the block's other N tiles: bn M rows (counted in the block's first turn;
    // M then, which is at most that)
    m.state("round_rows", mw + 1,
            fmt::format(
                "(cmd_acc | block_end) ? {} : (tile_end & (kt_q == 16'd0)) ? round_rows_q + m_total_q : round_rows_q",
                zero),
            true, "rows of one turn of the block");
    // an interleaved block's first turn: rows last used two blocks ago, before the B tiles or more
    // of the block between (B is chosen so that B tiles span the gap; B > 1 implies dbl)
    gap_ok = fmt::format("(((ilv_q != {}) & (kt_q == 16'd0)) | (({} + {}) >= {}))", lit(ilv_width(c), 1),
                         hdl::zext("since_end_q", gw, w),
                         hdl::zext("((kt_q == 16'd0) ? m_total_q : round_rows_q)", mw + 1, w), lit(w, unsigned(gap)));
  }
  m.wire("start_ok", 1);
  m.assign("start_ok", fmt::format("busy_q & ~in_tile_q & w_staged & sz_ok & out_ok & {} & "
                                   "(fresh_q | (started_q < tiles_total_q))",
                                   gap_ok));
  m.assign("a_ready_o", "busy_q & (in_tile_q ? out_ok : start_ok)");
}

void add_scales(hdl::Module& m, const EngineConfig& c) {
  if (!c.has_scales()) return;
  const int C = c.cols, b = c.pe.weight_bits, S = c.scale_slots(), sw = c.slot_width();
  m.wire("group_done", 1, "the last column has taken a group's last row");
  m.wire("sz_acc", 1);
  m.assign("sz_acc", "sz_valid_i & sz_ready_o");
  counter(m, "sz_loaded", 32, "sz_acc", "groups whose scales are loaded");
  // loaded minus done (0 to S), counted apart rather than compared as 32-bit sums
  m.state("sz_ahead", sw + 1,
          fmt::format("cmd_acc ? {0} : sz_ahead_q + {{{1}, sz_acc}} - {{{1}, group_done}}", lit(sw + 1, 0), lit(sw, 0)),
          true, "groups whose scales are loaded and not yet applied");
  m.assign("sz_ready_o", fmt::format("busy_q & (fresh_q | (sz_loaded_q < groups_total)) & (sz_ahead_q != {})",
                                     lit(sw + 1, unsigned(S))));
  for (int s = 0; s < S; ++s) {
    const std::string we =
        fmt::format("sz_acc & ({} == {})", hdl::slice("sz_loaded_q", sw - 1, 0), lit(sw, unsigned(s)));
    m.stage("sz_scale_i", fmt::format("scale{}", s), C * 16, "", we);
    if (c.has_zero()) m.stage("sz_zero_i", fmt::format("zero{}", s), C * b, "", we);
  }
}

}  // namespace mixpe
