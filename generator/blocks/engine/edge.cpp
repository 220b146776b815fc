// The west edge of the array, once per activation row: alignment, activation sum, flags.
#include <bit>

#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"

namespace mixpe {

using hdl::lit;
using hdl::slice;

namespace {

// Lane r's exponent field, effective exponent (zeros and subnormals: 1) and finite flag;
// returns the row's poison (a NaN or Inf lane) as an expression.
std::string lane_fields(hdl::Module& m, const EngineConfig& c, FloatFormat f) {
  const int rw = c.raw_act_width(), fb = f.sig_bits - 1, eb = f.exp_bits;
  std::string poison = "1'b0";
  for (int r = 0; r < c.rows; ++r) {
    const std::string x = fmt::format("x{}", r);
    m.wire(x + "_field", eb);
    m.assign(x + "_field", slice("a_i", r * rw + 14, r * rw + fb));
    if (!c.float_accum()) {
      m.wire(x + "_exp", eb);
      m.assign(x + "_exp", fmt::format("({0}_field == {1}) ? {2} : {0}_field", x, lit(eb, 0), lit(eb, 1)));
    }
    m.wire(x + "_finite", 1);
    m.assign(x + "_finite", fmt::format("{}_field != {}", x, lit(eb, (1u << eb) - 1)));
    poison += fmt::format(" | ~{}_finite", x);
  }
  return poison;
}

// The significand with its hidden bit.
void lane_sig(hdl::Module& m, const EngineConfig& c, FloatFormat f, int r) {
  const int rw = c.raw_act_width(), fb = f.sig_bits - 1, eb = f.exp_bits;
  const std::string x = fmt::format("x{}", r);
  m.wire(x + "_sig", f.sig_bits);
  m.assign(x + "_sig", fmt::format("{{({}_field != {}), {}}}", x, lit(eb, 0), slice("a_i", r * rw + fb - 1, r * rw)));
}

// The row's largest finite exponent, a tree of maxima: e_max.
void block_exponent(hdl::Module& m, const EngineConfig& c, FloatFormat f) {
  const int eb = f.exp_bits;
  std::vector<std::string> level;
  for (int r = 0; r < c.rows; ++r) {
    const std::string e = fmt::format("e_in{}", r);
    m.wire(e, eb);
    m.assign(e, fmt::format("x{0}_finite ? x{0}_exp : {1}", r, lit(eb, 1)));
    level.push_back(e);
  }
  for (int depth = 0; level.size() > 1; ++depth) {
    std::vector<std::string> next;
    for (size_t i = 0; i < level.size(); i += 2) {
      const std::string e = fmt::format("e_max{}_{}", depth, i / 2);
      m.wire(e, eb);
      m.assign(e, fmt::format("({0} > {1}) ? {0} : {1}", level[i], level[i + 1]));
      next.push_back(e);
    }
    level = next;
  }
  m.wire("e_max", eb, "the row's block exponent");
  m.assign("e_max", level[0]);
}

// prealign: each value's magnitude at A-1 bits, sig << (A-1-p) >> (e_max - e), truncated
// toward zero, with its sign: A-bit two's complement.
std::vector<std::string> prealign_values(hdl::Module& m, const EngineConfig& c, FloatFormat f) {
  const int aw = c.pe.act_width(), rw = c.raw_act_width(), eb = f.exp_bits;
  block_exponent(m, c, f);
  const int left = aw - 1 - f.sig_bits;  // >= 0 only for A > sig + 1
  const int ww = std::max(aw - 1, f.sig_bits);
  std::vector<std::string> vals, cut_tops;
  for (int r = 0; r < c.rows; ++r) {
    const std::string x = fmt::format("x{}", r);
    lane_sig(m, c, f, r);
    m.wire(x + "_wide", ww);
    m.assign(x + "_wide", left > 0    ? fmt::format("{{{}_sig, {}}}", x, lit(left, 0))
                          : left == 0 ? x + "_sig"
                                      : hdl::zext(x + "_sig", f.sig_bits, ww));
    m.wire(x + "_shift", eb);
    m.assign(x + "_shift", fmt::format("e_max - {}_exp", x));
    m.wire(x + "_mag_full", ww);
    m.assign(x + "_mag_full", fmt::format("{0}_wide >> {0}_shift", x));
    std::string mag = x + "_mag_full";
    if (left < 0) {  // A narrower than the significand: drop the low bits at the block maximum too
      m.wire(x + "_mag_cut", ww);
      m.assign(x + "_mag_cut", fmt::format("{}_mag_full >> {}", x, -left));
      mag = x + "_mag_cut";
    }
    m.wire(x + "_mag", aw - 1);
    m.assign(x + "_mag", ww == aw - 1 ? mag : slice(mag, aw - 2, 0));
    if (ww > aw - 1) cut_tops.push_back(slice(mag, ww - 1, aw - 1));
    const std::string v = fmt::format("v{}", r);
    m.wire(v, aw);
    m.assign(v, fmt::format("!{0}_finite ? {1} : a_i[{2}] ? ({1} - {{1'b0, {0}_mag}}) : {{1'b0, {0}_mag}}", x,
                            lit(aw, 0), r * rw + 15));
    vals.push_back(v);
  }
  if (!cut_tops.empty()) {
    const int tw = int(cut_tops.size()) * (ww - (aw - 1));
    m.unused_wire("mag_tops", tw, "A narrower than the significand: the bits above A-1 are zero after the cut");
    m.assign("mag_tops", hdl::cat(cut_tops));
  }
  return vals;
}

// exact: the PEs take the FP16 encoding; S sums sign * sig << (e - 1).
std::vector<std::string> exact_values(hdl::Module& m, const EngineConfig& c, FloatFormat f) {
  const int rw = c.raw_act_width(), eb = f.exp_bits, xw = c.sum_width() - hdl::log2(c.rows);
  std::vector<std::string> vals;
  for (int r = 0; r < c.rows; ++r) {
    const std::string x = fmt::format("x{}", r), v = fmt::format("v{}", r);
    lane_sig(m, c, f, r);
    m.wire(v + "_fixed", xw - 1);
    m.assign(v + "_fixed", fmt::format("{} << ({}_exp - {})", hdl::zext(x + "_sig", f.sig_bits, xw - 1), x, lit(eb, 1)));
    m.wire(v, xw);
    m.assign(v, fmt::format("!{0}_finite ? {1} : a_i[{2}] ? ({1} - {{1'b0, {3}_fixed}}) : {{1'b0, {3}_fixed}}", x,
                            lit(xw, 0), r * rw + 15, v));
    vals.push_back(v);
  }
  return vals;
}

std::vector<std::string> int8_values(hdl::Module& m, const EngineConfig& c) {
  std::vector<std::string> vals;
  for (int r = 0; r < c.rows; ++r) {
    const std::string v = fmt::format("v{}", r);
    m.wire(v, 8);
    m.assign(v, hdl::part("a_i", r, 8));
    vals.push_back(v);
  }
  return vals;
}

// The registered outputs: S (the sum of the values as the PEs see them), what the PEs take
// (aligned values, or the raw encodings), the block exponent and the poison flag.
void edge_outputs(hdl::Module& m, const EngineConfig& c, const std::vector<std::string>& vals,
                  const std::string& poison) {
  const int R = c.rows, rw = c.raw_act_width(), aw = c.pe.act_width(), sw = c.sum_width(), ew = c.exp_width();
  const bool prealign = c.pe.accum.mode == AccumMode::kPrealign;
  if (sw) {
    const int vw = sw - hdl::log2(R);
    std::string sum;
    for (int r = 0; r < R; ++r) sum += (r ? " + " : "") + hdl::sext(vals[size_t(r)], vw, sw);
    m.state("sum", sw, fmt::format("valid_i ? ({}) : {}", sum, lit(sw, 0)), false);
    m.assign("sum_o", "sum_q");
  }
  std::vector<std::string> lanes;
  for (int r = R - 1; r >= 0; --r) lanes.push_back(prealign ? vals[size_t(r)] : hdl::part("a_i", r, rw));
  m.state("a", R * aw, fmt::format("valid_i ? {} : {}", hdl::cat(lanes), lit(R * aw, 0)), false);
  m.assign("a_o", "a_q");
  if (ew) {
    m.state("exp", ew, "e_max", false);
    m.assign("exp_o", "exp_q");
  }
  m.state("poison", 1, fmt::format("valid_i & ({})", poison), false);
  m.assign("poison_o", "poison_q");
}

hdl::Module make_edge(const EngineConfig& c) {
  const int R = c.rows, rw = c.raw_act_width(), aw = c.pe.act_width(), sw = c.sum_width(), ew = c.exp_width();
  hdl::Module m;
  m.name = fmt::format("mixpe_act_edge_{}", c.suffix());
  m.description =
      "West edge of the array, once per activation row: the values the PEs take (prealign: aligned to the\n"
      "row's largest exponent, A bits, magnitude truncated), the activation sum S of the tile row (for the\n"
      "zero-point term), the block exponent and the non-finite flag. Registered; a bubble enters as zeros.";
  m.params = c.params();
  m.latency = {{"a_to_out", 1}};
  m.input("clk_i", 1, "clock");
  m.input("valid_i", 1, "a row is accepted this cycle");
  m.input("a_i", R * rw, "R activations, k = 0 at bits [rw-1:0]");
  m.output("a_o", R * aw, "the values the array's rows take");
  if (sw) m.output("sum_o", sw, "activation sum S of this tile row");
  if (ew) m.output("exp_o", ew, "the block exponent (largest effective exponent)");
  m.output("poison_o", 1, "a NaN or Inf activation in this tile row");
  std::vector<std::string> vals;
  std::string poison = "1'b0";
  if (is_float(c.pe.act)) {
    const FloatFormat f = float_format(c.pe.act);
    poison = lane_fields(m, c, f);
    // FP32-accumulating PEs take the encodings as they are; S (if any) is a column of the array
    if (!c.float_accum()) vals = c.pe.accum.mode == AccumMode::kPrealign ? prealign_values(m, c, f) : exact_values(m, c, f);
  } else if (!c.float_accum()) {
    vals = int8_values(m, c);
  }
  edge_outputs(m, c, vals, poison);
  return m;
}

}  // namespace

hdl::ModulePtr act_edge_module(const EngineConfig& c) { return hdl::share(make_edge(c)); }

}  // namespace mixpe
