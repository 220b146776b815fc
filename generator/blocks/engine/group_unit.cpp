// One column's group-dequant unit at the south edge of the array. Per tile row it forms
// D = P - z * S exactly and adds it into the row's group accumulator; at a group's last tile
// it dequantizes: Y = RNE(Y + RNE(RNE(acc) * s)), pipelined to take one row per cycle.
#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"
#include "blocks/fp/fp32_add.h"
#include "blocks/fp/fp32_round.h"

namespace mixpe {

using hdl::lit;
using hdl::sext;
using hdl::slice;
using hdl::zext;

namespace {

// A pipeline register: to_d = from; declares to_q.
void stage(hdl::Module& m, const std::string& from, const std::string& to, int w) {
  m.wire(to + "_d", w);
  m.assign(to + "_d", from);
  m.reg(to, w, "", "");
}

void valid_stage(hdl::Module& m, const std::string& from, const std::string& to, const std::string& comment) {
  m.wire(to + "_d", 1);
  m.assign(to + "_d", from);
  m.reg(to, 1, "", "1'b0", comment);
}

void common_ports(hdl::Module& m, const EngineConfig& c) {
  m.params = c.params();
  m.input("clk_i", 1, "clock");
  m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("valid_i", 1, "a tile row arrives");
  m.input("m_i", c.m_width(), "its row index");
  m.input("first_tile_i", 1, "first tile of its group");
  m.input("last_tile_i", 1, "last tile of its group: dequantize");
  m.input("first_group_i", 1, "first group of the N tile: Y starts at +0");
  m.input("last_group_i", 1, "last group of the N tile: Y is final");
  m.input("poison_i", 1, "a NaN/Inf activation in this tile row");
  m.input("p_i", c.pe.psum_width(), "the column's sum of R products");
}

void read_port(hdl::Module& m, const EngineConfig& c) {
  m.input("rd_m_i", c.m_width(), "output read address");
  m.output("rd_y_o", 32, "Y[rd_m_i]");
  m.output("final_o", 1, "a final Y row was written this cycle");
}

// The fma baseline: Y = RNE(Y + P) per tile, Y from +0 at the N tile's first tile.
hdl::Module group_unit_fma(const EngineConfig& c) {
  const int mw = c.m_width();
  hdl::Module m;
  m.name = fmt::format("mixpe_group_unit_{}", c.suffix());
  m.description =
      "Output accumulator of one column of the dequant-first (fma) baseline: Y = RNE_fp32(Y + P) for every tile\n"
      "(Y starts at +0 with the N tile's first tile); a poisoned row's final value is NaN. Two stages.";
  common_ports(m, c);
  read_port(m, c);
  m.unused_wire("flags_unused", 2, "the fma baseline has no groups: only the N tile's first and last tiles matter");
  m.assign("flags_unused", "{first_tile_i, last_tile_i}");
  m.wire("first", 1, "the N tile's first tile");
  m.assign("first", "first_tile_i & first_group_i");
  m.wire("word", 33);
  m.assign("word", "y_mem[m_i]");
  m.wire("y_old", 32);
  m.assign("y_old", "first ? 32'd0 : word[31:0]");
  m.wire("y_new", 32);
  m.instances.push_back({kFp32AddModule, "u_add", {{"a_i", "y_old"}, {"b_i", "p_i"}, {"y_o", "y_new"}}});
  m.wire("poison_new", 1);
  m.assign("poison_new", "(first ? 1'b0 : word[32]) | poison_i");
  valid_stage(m, "valid_i", "s2_valid", "stage 2: write");
  stage(m, "m_i", "s2_m", mw);
  stage(m, "{poison_new, y_new}", "s2_word", 33);
  stage(m, "last_tile_i & last_group_i", "s2_last", 1);
  m.memory("y_mem", 33, c.depth, "s2_valid_q", "s2_m_q", "s2_word_q", "{poison, Y} per row in flight");
  m.assign("final_o", "s2_valid_q & s2_last_q");
  m.wire("rd_word", 33);
  m.assign("rd_word", "y_mem[rd_m_i]");
  m.assign("rd_y_o", "rd_word[32] ? 32'h7fc00000 : rd_word[31:0]");
  return m;
}

// MixPE PEs with FP32 accumulation: P and S summed per group in FP32, then
// D = RNE(P - RNE(z * S)), Y = RNE(Y + RNE(D * s)) (docs/numerics.md, the fp32 datapath).
hdl::Module group_unit_fp32(const EngineConfig& c) {
  const int mw = c.m_width(), b = c.pe.weight_bits;
  const bool int8 = !is_float(c.pe.act);
  hdl::Module m;
  m.name = fmt::format("mixpe_group_unit_{}", c.suffix());
  m.description =
      "Group-dequant unit of one column, FP32 accumulation. Stage 1: the group sums P and S (FP32, block after\n"
      "block, from +0). At a group's last tile: stage 2 z * S, stage 3 D = P - z S, stage 4 D * s, stage 5\n"
      "Y + t, stage 6 writes Y (INT8: times the row scale; a poisoned row: NaN). Each step rounds to FP32.";
  common_ports(m, c);
  m.input("sum_i", 32, "S of the tile row: the FP32 sum column");
  if (c.has_zero()) m.input("zero_i", b, "this column's zero point");
  m.input("scale_i", 16, "this column's FP16 scale");
  if (int8) m.input("row_scale_i", 32, "the row's FP32 activation scale (INT8)");
  read_port(m, c);
  m.wire("word", 65);
  m.assign("word", "acc_mem[m_i]");
  m.wire("p_old", 32);
  m.assign("p_old", "first_tile_i ? 32'd0 : word[63:32]");
  m.wire("s_old", 32);
  m.assign("s_old", "first_tile_i ? 32'd0 : word[31:0]");
  m.wire("p_new", 32);
  m.wire("s_new", 32);
  m.instances.push_back({kFp32AddModule, "u_add_p", {{"a_i", "p_old"}, {"b_i", "p_i"}, {"y_o", "p_new"}}});
  m.instances.push_back({kFp32AddModule, "u_add_s", {{"a_i", "s_old"}, {"b_i", "sum_i"}, {"y_o", "s_new"}}});
  m.wire("poison_new", 1);
  m.assign("poison_new", "((first_tile_i & first_group_i) ? 1'b0 : word[64]) | poison_i");
  m.memory("acc_mem", 65, c.depth, "valid_i", "m_i", "{poison_new, p_new, s_new}", "{poison, P, S} per row in flight");
  // the control that travels down the pipeline: {m, first group, last group, poison}
  const int ctlw = mw + 3;
  valid_stage(m, "valid_i & last_tile_i", "s2_valid", "stage 2: z * S");
  stage(m, "{m_i, first_group_i, last_group_i, poison_new}", "s2_ctl", ctlw);
  stage(m, "p_new", "s2_p", 32);
  stage(m, "s_new", "s2_s", 32);
  stage(m, "scale_i", "s2_scale", 16);
  if (c.has_zero()) stage(m, "zero_i", "s2_zero", b);
  if (int8) stage(m, "row_scale_i", "s2_rs", 32);
  m.wire("s2_z32", 32, "the zero point as FP32 (exact)");
  if (c.has_zero()) emit_fp32_pack(m, "zp_", "1'b0", "s2_zero_q", b, "11'd127", "s2_z32");
  else m.assign("s2_z32", "32'd0");
  m.wire("s2_zs", 32);
  emit_fp32_mul(m, "mz_", "s2_s_q", "s2_z32", kFp32, "s2_zs");

  valid_stage(m, "s2_valid_q", "s3_valid", "stage 3: D = P - z S");
  stage(m, "s2_ctl_q", "s3_ctl", ctlw);
  stage(m, "s2_p_q", "s3_p", 32);
  stage(m, "{~s2_zs[31], s2_zs[30:0]}", "s3_nzs", 32);
  stage(m, "s2_scale_q", "s3_scale", 16);
  if (int8) stage(m, "s2_rs_q", "s3_rs", 32);
  m.wire("s3_d", 32);
  m.instances.push_back({kFp32AddModule, "u_add_d", {{"a_i", "s3_p_q"}, {"b_i", "s3_nzs_q"}, {"y_o", "s3_d"}}});

  valid_stage(m, "s3_valid_q", "s4_valid", "stage 4: D * s");
  stage(m, "s3_ctl_q", "s4_ctl", ctlw);
  stage(m, "s3_d", "s4_d", 32);
  stage(m, "s3_scale_q", "s4_scale", 16);
  if (int8) stage(m, "s3_rs_q", "s4_rs", 32);
  m.wire("s4_t", 32);
  emit_fp32_mul(m, "ms_", "s4_d_q", "s4_scale_q", kFp16, "s4_t");

  valid_stage(m, "s4_valid_q", "s5_valid", "stage 5: Y + t");
  stage(m, "s4_ctl_q", "s5_ctl", ctlw);
  stage(m, "s4_t", "s5_t", 32);
  if (int8) stage(m, "s4_rs_q", "s5_rs", 32);
  m.wire("s5_m", mw);
  m.assign("s5_m", fmt::format("s5_ctl_q[{}:3]", ctlw - 1));
  m.wire("s5_y_old", 32);
  m.assign("s5_y_old", "s5_ctl_q[2] ? 32'd0 : y_mem[s5_m]");
  m.wire("s5_y", 32);
  m.instances.push_back({kFp32AddModule, "u_add_y", {{"a_i", "s5_y_old"}, {"b_i", "s5_t_q"}, {"y_o", "s5_y"}}});

  valid_stage(m, "s5_valid_q", "s6_valid", "stage 6: write Y");
  stage(m, "s5_m", "s6_m", mw);
  stage(m, "s5_ctl_q[1:0]", "s6_ctl", 2);
  stage(m, "s5_y", "s6_y", 32);
  std::string y = "s6_y_q";
  if (int8) {
    stage(m, "s5_rs_q", "s6_rs", 32);
    m.wire("s6_scaled", 32);
    emit_fp32_mul(m, "mr_", "s6_y_q", "s6_rs_q", kFp32, "s6_scaled");
    y = "(s6_ctl_q[1] ? s6_scaled : s6_y_q)";
  }
  m.wire("s6_y_final", 32, "a poisoned row's final value is NaN");
  m.assign("s6_y_final", fmt::format("(s6_ctl_q[1] & s6_ctl_q[0]) ? 32'h7fc00000 : {}", y));
  m.memory("y_mem", 32, c.depth, "s6_valid_q", "s6_m_q", "s6_y_final", "Y per row in flight (FP32)");
  m.assign("final_o", "s6_valid_q & s6_ctl_q[1]");
  m.assign("rd_y_o", "y_mem[rd_m_i]");
  return m;
}

}  // namespace

hdl::Module group_unit_module(const EngineConfig& c) {
  if (c.fma()) return group_unit_fma(c);
  if (c.float_accum()) return group_unit_fp32(c);
  const int mw = c.m_width(), pw = c.pe.psum_width(), sw = c.sum_width(), ew = c.exp_width();
  const int dw = c.diff_width(), accw = c.acc_width(), F = c.frac_bits(), b = c.pe.weight_bits, D = c.depth;
  const bool int8 = !is_float(c.pe.act);
  hdl::Module m;
  m.name = fmt::format("mixpe_group_unit_{}", c.suffix());
  m.description =
      "Group-dequant unit of one column (docs/numerics.md, steps 3-6). Stage 1: D = P - z * S (exact) added\n"
      "into the row's group accumulator (F fraction bits below the largest block exponent; floor on\n"
      "re-alignment). At a group's last tile: stage 2 rounds the accumulator to FP32, stage 3 multiplies by\n"
      "the FP16 scale, stage 4 adds into Y (FP32), stage 5 writes Y (INT8: times the row scale; a poisoned\n"
      "row: NaN). Memories: the group accumulators and Y, one entry per row in flight.";
  m.params = c.params();
  m.input("clk_i", 1, "clock");
  m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("valid_i", 1, "a tile row arrives");
  m.input("m_i", mw, "its row index");
  m.input("first_tile_i", 1, "first tile of its group");
  m.input("last_tile_i", 1, "last tile of its group: dequantize");
  m.input("first_group_i", 1, "first group of the N tile: Y starts at +0");
  m.input("last_group_i", 1, "last group of the N tile: Y is final");
  m.input("poison_i", 1, "a NaN/Inf activation in this tile row");
  m.input("p_i", pw, "the column's sum of R products");
  m.input("sum_i", sw, "the activation sum S of the tile row");
  if (ew) m.input("exp_i", ew, "the block exponent");
  if (c.has_zero()) m.input("zero_i", b, "this column's zero point");
  m.input("scale_i", 16, "this column's FP16 scale");
  if (int8) m.input("row_scale_i", 32, "the row's FP32 activation scale (INT8)");
  m.input("rd_m_i", mw, "output read address");
  m.output("rd_y_o", 32, "Y[rd_m_i]");
  m.output("final_o", 1, "a final Y row was written this cycle");

  // Stage 1: D and the group accumulator (read-modify-write of the row's entry)
  m.wire("diff", dw, "D = P - z * S, exact");
  if (c.has_zero()) {
    m.wire("zs", dw);
    m.assign("zs", fmt::format("{} * {}", sext("sum_i", sw, dw), zext("zero_i", b, dw)));
    m.assign("diff", fmt::format("{} - zs", sext("p_i", pw, dw)));
  } else {
    m.unused_wire("sum_unused", sw, "symmetric weights have no zero point, so S is not needed");
    m.assign("sum_unused", "sum_i");
    m.assign("diff", sext("p_i", pw, dw));
  }
  const int word = 1 + ew + accw;  // {poison, exp, acc}
  m.wire("acc_word", word);
  m.assign("acc_word", "acc_mem[m_i]");
  m.wire("acc_old", accw);
  m.assign("acc_old", slice("acc_word", accw - 1, 0));
  m.wire("poison_old", 1);
  m.assign("poison_old", fmt::format("acc_word[{}]", word - 1));
  m.wire("diff_ext", accw);
  m.assign("diff_ext", sext("diff", dw, accw));
  m.wire("scaled", accw, "D with F fraction bits");
  m.assign("scaled", F ? fmt::format("diff_ext << {}", F) : "diff_ext");
  m.wire("acc_new", accw);
  std::string exp_new;
  if (ew) {
    m.wire("exp_old", ew);
    m.assign("exp_old", slice("acc_word", accw + ew - 1, accw));
    m.wire("exp_up", 1, "the block's exponent is above the accumulator's: re-align the accumulator");
    m.assign("exp_up", "exp_i > exp_old");
    m.wire("acc_aligned", accw);
    m.assign("acc_aligned", "$signed(acc_old) >>> (exp_i - exp_old)");
    m.wire("in_aligned", accw);
    m.assign("in_aligned", "$signed(scaled) >>> (exp_old - exp_i)");
    m.assign("acc_new", "first_tile_i ? scaled : exp_up ? acc_aligned + scaled : acc_old + in_aligned");
    m.wire("exp_new", ew);
    m.assign("exp_new", "(first_tile_i | exp_up) ? exp_i : exp_old");
    exp_new = "exp_new, ";
  } else {
    m.assign("acc_new", fmt::format("(first_tile_i ? {} : acc_old) + scaled", lit(accw, 0)));
  }
  m.wire("poison_new", 1, "sticky over the N tile's tiles");
  m.assign("poison_new", "((first_tile_i & first_group_i) ? 1'b0 : poison_old) | poison_i");
  m.memory("acc_mem", word, D, "valid_i", "m_i", fmt::format("{{poison_new, {}acc_new}}", exp_new),
           "{poison, block exponent, group accumulator} per row in flight");

  // Stage 2 registers: a finished group
  m.wire("s2_valid_d", 1);
  m.assign("s2_valid_d", "valid_i & last_tile_i");
  m.reg("s2_valid", 1, "", "1'b0", "stage 2: round the group sum to FP32");
  const std::string ctl = fmt::format("{{m_i, first_group_i, last_group_i, poison_new}}");
  const int ctlw = mw + 3;
  m.wire("s2_ctl_d", ctlw);
  m.assign("s2_ctl_d", ctl);
  m.reg("s2_ctl", ctlw, "", "");
  m.wire("s2_acc_d", accw);
  m.assign("s2_acc_d", "acc_new");
  m.reg("s2_acc", accw, "", "");
  m.wire("s2_scale_d", 16);
  m.assign("s2_scale_d", "scale_i");
  m.reg("s2_scale", 16, "", "");
  if (ew) {
    m.wire("s2_exp_d", ew);
    m.assign("s2_exp_d", "exp_new");
    m.reg("s2_exp", ew, "", "");
  }
  if (int8) {
    m.wire("s2_rs_d", 32);
    m.assign("s2_rs_d", "row_scale_i");
    m.reg("s2_rs", 32, "", "");
  }
  // Stage 2: |acc| rounded to FP32
  m.wire("s2_neg", 1);
  m.assign("s2_neg", fmt::format("s2_acc_q[{}]", accw - 1));
  m.wire("s2_mag", accw);
  m.assign("s2_mag", fmt::format("s2_neg ? ({} - s2_acc_q) : s2_acc_q", lit(accw, 0)));
  m.wire("s2_lsb", 13, "biased FP32 exponent of the accumulator's LSB");
  const int off = c.acc_lsb_offset();
  const std::string offs = off >= 0 ? fmt::format("+ {}", lit(13, unsigned(off))) : fmt::format("- {}", lit(13, unsigned(-off)));
  m.assign("s2_lsb", ew ? fmt::format("{} {}", zext("s2_exp_q", ew, 13), offs) : lit(13, unsigned(off)));
  m.wire("s2_d32", 32);
  emit_fp32_round(m, "rd_", "s2_neg", "s2_mag", accw, "s2_lsb", "s2_d32");

  valid_stage(m, "s2_valid_q", "s3_valid", "stage 3: times the scale");
  stage(m, "s2_ctl_q", "s3_ctl", ctlw);
  stage(m, "s2_d32", "s3_d32", 32);
  stage(m, "s2_scale_q", "s3_scale", 16);
  if (int8) stage(m, "s2_rs_q", "s3_rs", 32);
  m.wire("s3_t", 32);
  emit_fp32_mul(m, "ms_", "s3_d32_q", "s3_scale_q", kFp16, "s3_t");

  valid_stage(m, "s3_valid_q", "s4_valid", "stage 4: add into Y");
  stage(m, "s3_ctl_q", "s4_ctl", ctlw);
  stage(m, "s3_t", "s4_t", 32);
  if (int8) stage(m, "s3_rs_q", "s4_rs", 32);
  m.wire("s4_m", mw);
  m.assign("s4_m", fmt::format("s4_ctl_q[{}:3]", ctlw - 1));
  m.wire("s4_y_old", 32);
  m.assign("s4_y_old", "s4_ctl_q[2] ? 32'd0 : y_mem[s4_m]");
  m.wire("s4_y", 32);
  m.instances.push_back({kFp32AddModule, "u_add", {{"a_i", "s4_y_old"}, {"b_i", "s4_t_q"}, {"y_o", "s4_y"}}});

  valid_stage(m, "s4_valid_q", "s5_valid", "stage 5: write Y");
  stage(m, "s4_m", "s5_m", mw);
  stage(m, "s4_ctl_q[1:0]", "s5_ctl", 2);  // {last group, poison}
  stage(m, "s4_y", "s5_y", 32);
  std::string y = "s5_y_q";
  if (int8) {
    stage(m, "s4_rs_q", "s5_rs", 32);
    m.wire("s5_scaled", 32);
    emit_fp32_mul(m, "mr_", "s5_y_q", "s5_rs_q", kFp32, "s5_scaled");
    y = "(s5_ctl_q[1] ? s5_scaled : s5_y_q)";
  }
  m.wire("s5_y_final", 32, "a poisoned row's final value is NaN");
  m.assign("s5_y_final", fmt::format("(s5_ctl_q[1] & s5_ctl_q[0]) ? 32'h7fc00000 : {}", y));
  m.memory("y_mem", 32, D, "s5_valid_q", "s5_m_q", "s5_y_final", "Y per row in flight (FP32)");
  m.assign("final_o", "s5_valid_q & s5_ctl_q[1]");
  m.assign("rd_y_o", "y_mem[rd_m_i]");
  return m;
}

}  // namespace mixpe
