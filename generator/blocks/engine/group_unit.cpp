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

hdl::Module group_unit_module(const EngineConfig& c) {
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

  auto stage = [&](const std::string& from, const std::string& to, int w) {
    m.wire(to + "_d", w);
    m.assign(to + "_d", from);
    m.reg(to, w, "", "");
  };
  m.wire("s3_valid_d", 1);
  m.assign("s3_valid_d", "s2_valid_q");
  m.reg("s3_valid", 1, "", "1'b0", "stage 3: times the scale");
  stage("s2_ctl_q", "s3_ctl", ctlw);
  stage("s2_d32", "s3_d32", 32);
  stage("s2_scale_q", "s3_scale", 16);
  if (int8) stage("s2_rs_q", "s3_rs", 32);
  m.wire("s3_t", 32);
  emit_fp32_mul(m, "ms_", "s3_d32_q", "s3_scale_q", kFp16, "s3_t");

  m.wire("s4_valid_d", 1);
  m.assign("s4_valid_d", "s3_valid_q");
  m.reg("s4_valid", 1, "", "1'b0", "stage 4: add into Y");
  stage("s3_ctl_q", "s4_ctl", ctlw);
  stage("s3_t", "s4_t", 32);
  if (int8) stage("s3_rs_q", "s4_rs", 32);
  m.wire("s4_m", mw);
  m.assign("s4_m", fmt::format("s4_ctl_q[{}:3]", ctlw - 1));
  m.wire("s4_y_old", 32);
  m.assign("s4_y_old", "s4_ctl_q[2] ? 32'd0 : y_mem[s4_m]");
  m.wire("s4_y", 32);
  m.instances.push_back({kFp32AddModule, "u_add", {{"a_i", "s4_y_old"}, {"b_i", "s4_t_q"}, {"y_o", "s4_y"}}});

  m.wire("s5_valid_d", 1);
  m.assign("s5_valid_d", "s4_valid_q");
  m.reg("s5_valid", 1, "", "1'b0", "stage 5: write Y");
  stage("s4_m", "s5_m", mw);
  stage("s4_ctl_q[1:0]", "s5_ctl", 2);  // {last group, poison}
  stage("s4_y", "s5_y", 32);
  std::string y = "s5_y_q";
  if (int8) {
    stage("s4_rs_q", "s5_rs", 32);
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
