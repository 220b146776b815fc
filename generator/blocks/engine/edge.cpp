// The west edge of the array, once per activation row: alignment, activation sum, flags.
#include <bit>
#include <stdexcept>

#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"

namespace mixpe {

using hdl::lit;
using hdl::slice;

namespace {

// Where the edge's pipeline stands: the names of the row as the current stage sees it.
struct EdgeStage {
  std::string a = "a_i", valid = "valid_i", e_max, poison = "1'b0";
  int cut = 0;  // pipeline registers passed
};

// A pipeline cut: the raw row (if later stages decode it), its values (if computed), the
// block exponent, the poison flag and valid registered; `vals` then name the registered values.
void cut(hdl::Module& m, const EngineConfig& c, EdgeStage& st, std::vector<std::string>& vals, int val_width,
         bool keep_raw) {
  const std::string p = fmt::format("c{}_", ++st.cut);
  if (keep_raw) {
    m.stage(st.a, p + "a", c.rows * c.raw_act_width());
    st.a = p + "a_q";
  }
  if (!vals.empty()) {
    std::vector<std::string> lanes(vals.rbegin(), vals.rend());
    m.stage(hdl::cat(lanes), p + "v", c.rows * val_width);
    for (int r = 0; r < c.rows; ++r) {
      vals[size_t(r)] = fmt::format("{}v{}", p, r);
      m.wire(vals[size_t(r)], val_width);
      m.assign(vals[size_t(r)], hdl::part(p + "v_q", r, val_width));
    }
  }
  if (!st.e_max.empty()) {
    m.stage(st.e_max, p + "e_max", c.exp_width());
    st.e_max = p + "e_max_q";
  }
  m.stage(st.poison, p + "poison", 1);
  st.poison = p + "poison_q";
  m.state(p + "valid", 1, st.valid, true, fmt::format("edge pipeline stage {}", st.cut + 1));
  st.valid = p + "valid_q";
}

// Lane r's exponent field, effective exponent (zeros and subnormals: 1) and finite flag, as
// <x>{r}_field, _exp, _finite from the row `st.a`; the row's poison (a NaN or Inf lane) into st.
void lane_fields(hdl::Module& m, const EngineConfig& c, FloatFormat f, EdgeStage& st, const std::string& x0,
                 bool with_exp = true, bool with_finite = true) {
  const int rw = c.raw_act_width(), fb = f.sig_bits - 1, eb = f.exp_bits;
  std::string poison = "1'b0";
  for (int r = 0; r < c.rows; ++r) {
    const std::string x = fmt::format("{}{}", x0, r);
    m.wire(x + "_field", eb);
    m.assign(x + "_field", slice(st.a, r * rw + 14, r * rw + fb));
    if (!c.float_accum() && with_exp) {
      m.wire(x + "_exp", eb);
      m.assign(x + "_exp", fmt::format("({0}_field == {1}) ? {2} : {0}_field", x, lit(eb, 0), lit(eb, 1)));
    }
    if (!with_finite) continue;
    m.wire(x + "_finite", 1);
    m.assign(x + "_finite", fmt::format("{}_field != {}", x, lit(eb, (1u << eb) - 1)));
    poison += fmt::format(" | ~{}_finite", x);
  }
  if (st.cut == 0) st.poison = poison;
}

// The significand with its hidden bit.
void lane_sig(hdl::Module& m, const EngineConfig& c, FloatFormat f, const EdgeStage& st, const std::string& x, int r) {
  const int rw = c.raw_act_width(), fb = f.sig_bits - 1, eb = f.exp_bits;
  m.wire(x + "_sig", f.sig_bits);
  m.assign(x + "_sig", fmt::format("{{({}_field != {}), {}}}", x, lit(eb, 0), slice(st.a, r * rw + fb - 1, r * rw)));
}

// `levels` levels of a tree of maxima over `level` (wires named e_max<depth>_<i>).
std::vector<std::string> max_levels(hdl::Module& m, int eb, std::vector<std::string> level, int first_depth,
                                    int levels) {
  for (int depth = first_depth; depth < first_depth + levels; ++depth) {
    std::vector<std::string> next;
    for (size_t i = 0; i < level.size(); i += 2) {
      const std::string e = fmt::format("e_max{}_{}", depth, i / 2);
      m.wire(e, eb);
      m.assign(e, fmt::format("({0} > {1}) ? {0} : {1}", level[i], level[i + 1]));
      next.push_back(e);
    }
    level = next;
  }
  return level;
}

// prealign, four stages: (1) the first half of the tree of maxima over the lanes' finite
// exponents; (2) the rest of it, the block exponent e_max, and each lane's shift e_max - e;
// (3) each value's magnitude at A-1 bits, sig << (A-1-p) >> shift, truncated toward zero, with
// its sign: A-bit two's complement; (4) the sum and the outputs. The raw row travels along and
// is decoded again where a stage needs its fields (prefixes x, y, z).
std::vector<std::string> prealign_values(hdl::Module& m, const EngineConfig& c, FloatFormat f, EdgeStage& st) {
  const int aw = c.pe.act_width(), rw = c.raw_act_width(), eb = f.exp_bits, R = c.rows;
  const int depth = hdl::log2(R), first = (depth + 1) / 2;
  lane_fields(m, c, f, st, "x");
  std::vector<std::string> level;
  for (int r = 0; r < R; ++r) {
    const std::string e = fmt::format("e_in{}", r);
    m.wire(e, eb);
    m.assign(e, fmt::format("x{0}_finite ? x{0}_exp : {1}", r, lit(eb, 1)));
    level.push_back(e);
  }
  level = max_levels(m, eb, level, 0, first);
  std::vector<std::string> vals;
  const int partial = int(level.size());
  m.stage(hdl::cat(std::vector<std::string>(level.rbegin(), level.rend())), "c1_part", partial * eb,
          "the tree of maxima, halfway");
  cut(m, c, st, vals, 0, true);
  lane_fields(m, c, f, st, "y", true, false);
  for (int i = 0; i < partial; ++i) {
    level[size_t(i)] = fmt::format("part{}", i);
    m.wire(level[size_t(i)], eb);
    m.assign(level[size_t(i)], hdl::part("c1_part_q", i, eb));
  }
  level = max_levels(m, eb, level, first, depth - first);
  m.wire("e_max", eb, "the row's block exponent");
  m.assign("e_max", level[0]);
  st.e_max = "e_max";
  std::vector<std::string> shifts;
  for (int r = 0; r < R; ++r) {
    m.wire(fmt::format("y{}_shift", r), eb);
    m.assign(fmt::format("y{}_shift", r), fmt::format("e_max - y{}_exp", r));
  }
  for (int r = R - 1; r >= 0; --r) shifts.push_back(fmt::format("y{}_shift", r));
  m.stage(hdl::cat(shifts), "c2_shift", R * eb, "each lane's right shift to the block exponent");
  cut(m, c, st, vals, 0, true);
  lane_fields(m, c, f, st, "z", false);
  const int left = aw - 1 - f.sig_bits;  // >= 0 only for A > sig + 1
  const int ww = std::max(aw - 1, f.sig_bits);
  std::vector<std::string> cut_tops;
  for (int r = 0; r < R; ++r) {
    const std::string x = fmt::format("z{}", r);
    lane_sig(m, c, f, st, x, r);
    m.wire(x + "_wide", ww);
    m.assign(x + "_wide", left > 0    ? fmt::format("{{{}_sig, {}}}", x, lit(left, 0))
                          : left == 0 ? x + "_sig"
                                      : hdl::zext(x + "_sig", f.sig_bits, ww));
    m.wire(x + "_shift", eb);
    m.assign(x + "_shift", hdl::part("c2_shift_q", r, eb));
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
    m.assign(v, fmt::format("!{0}_finite ? {1} : {3}[{2}] ? ({1} - {{1'b0, {0}_mag}}) : {{1'b0, {0}_mag}}", x,
                            lit(aw, 0), r * rw + 15, st.a));
    vals.push_back(v);
  }
  if (!cut_tops.empty()) {
    const int tw = int(cut_tops.size()) * (ww - (aw - 1));
    m.unused_wire("mag_tops", tw, "A narrower than the significand: the bits above A-1 are zero after the cut");
    m.assign("mag_tops", hdl::cat(cut_tops));
  }
  cut(m, c, st, vals, aw, false);
  return vals;
}

// exact: the PEs take the FP16 encoding; S sums sign * sig << (e - 1), registered before the sum.
std::vector<std::string> exact_values(hdl::Module& m, const EngineConfig& c, FloatFormat f, EdgeStage& st) {
  const int rw = c.raw_act_width(), eb = f.exp_bits, xw = c.sum_width() - hdl::log2(c.rows);
  lane_fields(m, c, f, st, "x");
  std::vector<std::string> vals;
  for (int r = 0; r < c.rows; ++r) {
    const std::string x = fmt::format("x{}", r), v = fmt::format("v{}", r);
    lane_sig(m, c, f, st, x, r);
    m.wire(v + "_fixed", xw - 1);
    m.assign(v + "_fixed",
             fmt::format("{} << ({}_exp - {})", hdl::zext(x + "_sig", f.sig_bits, xw - 1), x, lit(eb, 1)));
    m.wire(v, xw);
    m.assign(v, fmt::format("!{0}_finite ? {1} : {4}[{2}] ? ({1} - {{1'b0, {3}_fixed}}) : {{1'b0, {3}_fixed}}", x,
                            lit(xw, 0), r * rw + 15, v, st.a));
    vals.push_back(v);
  }
  cut(m, c, st, vals, xw, true);
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
void edge_outputs(hdl::Module& m, const EngineConfig& c, const std::vector<std::string>& vals, const EdgeStage& st) {
  const int R = c.rows, rw = c.raw_act_width(), aw = c.pe.act_width(), sw = c.sum_width(), ew = c.exp_width();
  const bool prealign = c.pe.accum.mode == AccumMode::kPrealign;
  if (sw) {
    const int vw = sw - hdl::log2(R);
    std::string sum;
    for (int r = 0; r < R; ++r) sum += (r ? " + " : "") + hdl::sext(vals[size_t(r)], vw, sw);
    m.state("sum", sw, fmt::format("{} ? ({}) : {}", st.valid, sum, lit(sw, 0)), false);
    m.assign("sum_o", "sum_q");
  }
  std::vector<std::string> lanes;
  for (int r = R - 1; r >= 0; --r) lanes.push_back(prealign ? vals[size_t(r)] : hdl::part(st.a, r, rw));
  m.state("a", R * aw, fmt::format("{} ? {} : {}", st.valid, hdl::cat(lanes), lit(R * aw, 0)), false);
  m.assign("a_o", "a_q");
  if (ew) {
    m.state("exp", ew, st.e_max, false);
    m.assign("exp_o", "exp_q");
  }
  m.state("poison", 1, fmt::format("{} & ({})", st.valid, st.poison), false);
  m.assign("poison_o", "poison_q");
}

hdl::Module make_edge(const EngineConfig& c) {
  const int R = c.rows, rw = c.raw_act_width(), aw = c.pe.act_width(), sw = c.sum_width(), ew = c.exp_width();
  hdl::Module m;
  m.name = fmt::format("mixpe_act_edge_{}", c.suffix());
  const int E = c.edge_stages();
  m.description = fmt::format(
      "West edge of the array, once per activation row: the values the PEs take (prealign: aligned to the\n"
      "row's largest exponent, A bits, magnitude truncated), the activation sum S of the tile row (for the\n"
      "zero-point term), the block exponent and the non-finite flag. {} A bubble leaves as zeros.",
      E == 4   ? "Four stages: the block exponent (two), the aligned values, the sum."
      : E == 2 ? "Two stages: the values, the sum."
               : "One registered stage.");
  m.params = c.params();
  m.latency = {{"a_to_out", c.edge_stages()}};
  m.input("clk_i", 1, "clock");
  if (c.edge_stages() > 1) m.input("rst_ni", 1, "asynchronous reset, active low (the stages' valid flags)");
  m.input("valid_i", 1, "a row is accepted this cycle");
  m.input("a_i", R * rw, "R activations, k = 0 at bits [rw-1:0]");
  m.output("a_o", R * aw, "the values the array's rows take");
  if (sw) m.output("sum_o", sw, "activation sum S of this tile row");
  if (ew) m.output("exp_o", ew, "the block exponent (largest effective exponent)");
  m.output("poison_o", 1, "a NaN or Inf activation in this tile row");
  EdgeStage st;
  std::vector<std::string> vals;
  if (is_float(c.pe.act)) {
    const FloatFormat f = float_format(c.pe.act);
    // FP32-accumulating PEs take the encodings as they are; S (if any) is a column of the array
    if (c.float_accum())
      lane_fields(m, c, f, st, "x");
    else if (c.pe.accum.mode == AccumMode::kPrealign)
      vals = prealign_values(m, c, f, st);
    else
      vals = exact_values(m, c, f, st);
  } else if (!c.float_accum()) {
    vals = int8_values(m, c);
  }
  if (st.cut + 1 != c.edge_stages()) throw std::logic_error("act edge: stages differ from EngineConfig::edge_stages");
  edge_outputs(m, c, vals, st);
  return m;
}

}  // namespace

hdl::ModulePtr act_edge_module(const EngineConfig& c) { return hdl::share(make_edge(c)); }

}  // namespace mixpe
