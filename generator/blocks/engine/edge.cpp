// The west edge of the array: alignment, activation sum, skew.
#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"

namespace mixpe {

using hdl::lit;
using hdl::slice;

hdl::Module skew_module(int width, int lanes, int extra, bool reset) {
  hdl::Module m;
  m.name = fmt::format("mixpe_skew_w{}_n{}_e{}{}", width, lanes, extra, reset ? "_rst" : "");
  m.description = fmt::format("Systolic skew: lane i of {} is delayed by i + {} cycles ({}).", lanes, extra,
                              reset ? "registers reset to 0: control" : "registers without reset: data");
  m.params = {{"width", std::to_string(width)}, {"lanes", std::to_string(lanes)}, {"extra", std::to_string(extra)},
              {"reset", reset ? "1" : "0"}};
  m.input("clk_i", 1, "clock");
  if (reset) m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("d_i", width * lanes, "lane i at bits [i*width +: width]");
  m.output("q_o", width * lanes, "lane i delayed by i + extra cycles");
  for (int i = 0; i < lanes; ++i) {
    const int delay = i + extra;
    std::string prev = slice("d_i", (i + 1) * width - 1, i * width);
    for (int s = 0; s < delay; ++s) {
      const std::string r = fmt::format("l{}_s{}", i, s);
      m.wire(r + "_d", width);
      m.assign(r + "_d", prev);
      m.reg(r, width, "", reset ? lit(width, 0) : "");
      prev = r + "_q";
    }
    m.assign(slice("q_o", (i + 1) * width - 1, i * width), prev);
  }
  return m;  // callers never ask for a skew without registers (lanes + extra >= 2)
}

hdl::Module act_edge_module(const EngineConfig& c) {
  const int R = c.rows, rw = c.raw_act_width(), aw = c.pe.act_width(), sw = c.sum_width(), ew = c.exp_width();
  const AccumMode mode = c.pe.accum.mode;
  hdl::Module m;
  m.name = fmt::format("mixpe_act_edge_{}", c.suffix());
  m.description =
      "West edge of the array, once per activation row: the values the PEs take (prealign: aligned to the\n"
      "row's largest exponent, A bits, magnitude truncated), the activation sum S of the tile row (for the\n"
      "zero-point term), the block exponent and the non-finite flag. Registered; a bubble enters as zeros.";
  m.params = c.params();
  m.input("clk_i", 1, "clock");
  m.input("valid_i", 1, "a row is accepted this cycle");
  m.input("a_i", R * rw, "R activations, k = 0 at bits [rw-1:0]");
  m.output("a_o", R * aw, "the values the array's rows take");
  if (sw) m.output("sum_o", sw, "activation sum S of this tile row");
  if (ew) m.output("exp_o", ew, "the block exponent (largest effective exponent)");
  m.output("poison_o", 1, "a NaN or Inf activation in this tile row");

  std::vector<std::string> vals;
  std::string poison = "1'b0", sum;
  if (is_float(c.pe.act)) {
    const FloatFormat f = float_format(c.pe.act);
    const int fb = f.sig_bits - 1, eb = f.exp_bits;
    for (int r = 0; r < R; ++r) {
      const std::string x = fmt::format("x{}", r), base = fmt::format("a_i[{}:{}]", (r + 1) * rw - 1, r * rw);
      m.wire(x + "_field", eb);
      m.assign(x + "_field", fmt::format("a_i[{}:{}]", r * rw + 14, r * rw + fb));
      if (!c.float_accum()) {
        m.wire(x + "_exp", eb);
        m.assign(x + "_exp", fmt::format("({0}_field == {1}) ? {2} : {0}_field", x, lit(eb, 0), lit(eb, 1)));
      }
      m.wire(x + "_finite", 1);
      m.assign(x + "_finite", fmt::format("{}_field != {}", x, lit(eb, (1u << eb) - 1)));
      poison += fmt::format(" | ~{}_finite", x);
      (void)base;
    }
    if (c.float_accum()) {
      // FP32-accumulating PEs take the encodings as they are; S (if any) is a column of the array
    } else if (mode == AccumMode::kPrealign) {
      // the largest finite exponent: a tree of maxima
      std::vector<std::string> level;
      for (int r = 0; r < R; ++r) {
        const std::string e = fmt::format("e_in{}", r);
        m.wire(e, eb);
        m.assign(e, fmt::format("x{0}_finite ? x{0}_exp : {1}", r, lit(eb, 1)));
        level.push_back(e);
      }
      int depth = 0;
      while (level.size() > 1) {
        std::vector<std::string> next;
        for (size_t i = 0; i < level.size(); i += 2) {
          const std::string e = fmt::format("e_max{}_{}", depth, i / 2);
          m.wire(e, eb);
          m.assign(e, fmt::format("({0} > {1}) ? {0} : {1}", level[i], level[i + 1]));
          next.push_back(e);
        }
        level = next;
        ++depth;
      }
      m.wire("e_max", eb, "the row's block exponent");
      m.assign("e_max", level[0]);
      const int left = aw - 1 - f.sig_bits;  // >= 0 only for A > sig + 1
      for (int r = 0; r < R; ++r) {
        const std::string x = fmt::format("x{}", r);
        m.wire(x + "_sig", f.sig_bits);
        m.assign(x + "_sig", fmt::format("{{({}_field != {}), a_i[{}:{}]}}", x, lit(eb, 0), r * rw + fb - 1, r * rw));
        // magnitude at A-1 bits: sig << (A-1-p), then >> (e_max - e); truncation toward zero
        const int ww = std::max(aw - 1, f.sig_bits);
        m.wire(x + "_wide", ww);
        m.assign(x + "_wide", left >= 0 ? (left == 0 ? x + "_sig" : fmt::format("{{{}_sig, {}}}", x, lit(left, 0)))
                                        : hdl::zext(x + "_sig", f.sig_bits, ww));
        m.wire(x + "_shift", eb);
        m.assign(x + "_shift", fmt::format("e_max - {}_exp", x));
        m.wire(x + "_mag_full", ww);
        m.assign(x + "_mag_full", fmt::format("{0}_wide >> {0}_shift", x));
        std::string mag = x + "_mag_full";
        if (left < 0) {
          // A narrower than the significand: drop the low bits at the block maximum too
          m.wire(x + "_mag_cut", ww);
          m.assign(x + "_mag_cut", fmt::format("{}_mag_full >> {}", x, -left));
          mag = x + "_mag_cut";
        }
        m.wire(x + "_mag", aw - 1);
        if (ww == aw - 1) m.assign(x + "_mag", mag);
        else m.assign(x + "_mag", slice(mag, aw - 2, 0));
        const std::string v = fmt::format("v{}", r);
        m.wire(v, aw);
        m.assign(v, fmt::format("!{0}_finite ? {1} : a_i[{2}] ? ({1} - {{1'b0, {0}_mag}}) : {{1'b0, {0}_mag}}", x,
                                lit(aw, 0), r * rw + 15));
        vals.push_back(v);
      }
      // Bits of the wide form above A-1 can only be set when the shift leaves them: truncated away
      // by construction (they are zero after >> when left >= 0); waive nothing.
    } else {
      // exact: the PEs take the FP16 encoding; S sums sign * sig << (e - 1)
      for (int r = 0; r < R; ++r) {
        const std::string x = fmt::format("x{}", r);
        m.wire(x + "_sig", f.sig_bits);
        m.assign(x + "_sig", fmt::format("{{({}_field != {}), a_i[{}:{}]}}", x, lit(eb, 0), r * rw + fb - 1, r * rw));
        const std::string v = fmt::format("v{}", r);
        const int xw = sw - std::countr_zero(unsigned(R));  // 41
        m.wire(v + "_fixed", xw - 1);
        m.assign(v + "_fixed", fmt::format("{} << ({}_exp - {})", hdl::zext(x + "_sig", f.sig_bits, xw - 1), x, lit(eb, 1)));
        m.wire(v, xw);
        m.assign(v, fmt::format("!{0}_finite ? {1} : a_i[{2}] ? ({1} - {{1'b0, {3}_fixed}}) : {{1'b0, {3}_fixed}}", x,
                                lit(xw, 0), r * rw + 15, v));
        vals.push_back(v);
      }
    }
  } else if (!c.float_accum()) {
    for (int r = 0; r < R; ++r) {
      const std::string v = fmt::format("v{}", r);
      m.wire(v, rw);
      m.assign(v, fmt::format("a_i[{}:{}]", (r + 1) * rw - 1, r * rw));
      vals.push_back(v);
    }
  }
  // S: the sum of the row's values as the PEs see them (sign-extended to S's width)
  const int vw = mode == AccumMode::kPrealign ? aw : (is_float(c.pe.act) ? sw - std::countr_zero(unsigned(R)) : 8);
  if (sw) {
    for (int r = 0; r < R; ++r) sum += (r ? " + " : "") + hdl::sext(vals[size_t(r)], vw, sw);
    m.wire("sum_d", sw);
    m.assign("sum_d", fmt::format("valid_i ? ({}) : {}", sum, lit(sw, 0)));
    m.reg("sum", sw, "", "");
    m.assign("sum_o", "sum_q");
  }
  // what the PEs take: aligned values (prealign) or the raw encoding (exact, int8)
  std::string arr;
  for (int r = R - 1; r >= 0; --r) {
    const std::string v = mode == AccumMode::kPrealign ? vals[size_t(r)] : fmt::format("a_i[{}:{}]", (r + 1) * rw - 1, r * rw);
    arr += v + (r ? ", " : "");
  }
  m.wire("a_d", R * aw);
  m.assign("a_d", fmt::format("valid_i ? {{{}}} : {}", arr, lit(R * aw, 0)));
  m.reg("a", R * aw, "", "");
  m.assign("a_o", "a_q");
  if (ew) {
    m.wire("exp_d", ew);
    m.assign("exp_d", "e_max");
    m.reg("exp", ew, "", "");
    m.assign("exp_o", "exp_q");
  }
  m.wire("poison_d", 1);
  m.assign("poison_d", fmt::format("valid_i & ({})", poison));
  m.reg("poison", 1, "", "");
  m.assign("poison_o", "poison_q");
  return m;
}

}  // namespace mixpe
