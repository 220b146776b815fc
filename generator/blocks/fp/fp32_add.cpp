#include "blocks/fp/fp32_add.h"

#include <bit>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "golden/datapath.h"

namespace mixpe {

using hdl::lit;

std::string leading_zeros(const std::string& e, int width, int out_width) {
  std::string s;
  for (int i = width - 1; i >= 1; --i)
    s += fmt::format("{} ? {} : ", hdl::bit(e, i), lit(out_width, unsigned(width - 1 - i)));
  return s + lit(out_width, unsigned(width - 1));
}

std::string fp32_nan() { return fmt::format("32'h{:08x}", kF32QuietNan); }

namespace {

// Names of the adder's values as the current stage sees them (registered copies after a cut),
// with their widths.
struct Names {
  std::map<std::string, std::pair<std::string, int>> v;
  const std::string& operator[](const std::string& k) const { return v.at(k).first; }
  void set(const std::string& k, int w) { v[k] = {k, w}; }
};

// Order the operands by magnitude so that the result takes the big one's sign and exponent; the
// shift that aligns the small one; flag the special cases: NaN in, Inf - Inf, Inf in, and an
// exact zero's sign (x - x = +0; -0 + -0 = -0).
void order(hdl::Module& m, Names& n) {
  m.wire("swap", 1, "|b| > |a|");
  m.assign("swap", "b_i[30:0] > a_i[30:0]");
  m.wire("hi", 32);
  m.wire("lo", 32);
  m.assign("hi", "swap ? b_i : a_i");
  m.assign("lo", "swap ? a_i : b_i");
  m.wire("hi_exp", 8);
  m.wire("lo_exp", 8, "effective exponents: 1 for zeros and subnormals");
  m.assign("hi_exp", "(hi[30:23] == 8'd0) ? 8'd1 : hi[30:23]");
  m.assign("lo_exp", "(lo[30:23] == 8'd0) ? 8'd1 : lo[30:23]");
  m.wire("hi_sig", 27);
  m.wire("lo_sig", 27, "hidden bit, 23 fraction bits, guard, round, sticky");
  m.assign("hi_sig", "{(hi[30:23] != 8'd0), hi[22:0], 3'd0}");
  m.assign("lo_sig", "{(lo[30:23] != 8'd0), lo[22:0], 3'd0}");
  m.wire("exp_diff", 8);
  m.assign("exp_diff", "hi_exp - lo_exp");
  m.wire("shift", 5, "the exponent difference (at most 27 matters)");
  m.assign("shift", "(exp_diff > 8'd27) ? 5'd27 : exp_diff[4:0]");
  m.wire("subtract", 1);
  m.assign("subtract", "hi[31] ^ lo[31]");
  m.wire("hi_sign", 1);
  m.assign("hi_sign", "hi[31]");

  m.wire("a_nan", 1);
  m.wire("b_nan", 1);
  m.wire("a_inf", 1);
  m.wire("b_inf", 1);
  m.assign("a_nan", "(a_i[30:23] == 8'hff) & (a_i[22:0] != 23'd0)");
  m.assign("b_nan", "(b_i[30:23] == 8'hff) & (b_i[22:0] != 23'd0)");
  m.assign("a_inf", "(a_i[30:23] == 8'hff) & (a_i[22:0] == 23'd0)");
  m.assign("b_inf", "(b_i[30:23] == 8'hff) & (b_i[22:0] == 23'd0)");
  m.wire("y_nan", 1);
  m.assign("y_nan", "a_nan | b_nan | (a_inf & b_inf & (a_i[31] ^ b_i[31]))");
  m.wire("y_inf", 1);
  m.assign("y_inf", "a_inf | b_inf");
  m.wire("inf_sign", 1);
  m.assign("inf_sign", "a_inf ? a_i[31] : b_i[31]");
  m.wire("zero_sign", 1, "the sign of an exact zero sum");
  m.assign("zero_sign", "a_i[31] & b_i[31]");
  for (auto [k, w] : {std::pair{"hi_exp", 8},
                      {"hi_sig", 27},
                      {"lo_sig", 27},
                      {"shift", 5},
                      {"subtract", 1},
                      {"hi_sign", 1},
                      {"y_nan", 1},
                      {"y_inf", 1},
                      {"inf_sign", 1},
                      {"zero_sign", 1}})
    n.set(k, w);
}

// Align the small significand to the big one's exponent, with guard, round and sticky bits.
void align(hdl::Module& m, Names& n) {
  m.wire("shifted", 54, "lo_sig and the bits shifted out below it");
  m.assign("shifted", fmt::format("{{{}, 27'd0}} >> {}", n["lo_sig"], n["shift"]));
  m.wire("aligned", 27);
  m.assign("aligned", "{shifted[53:28], shifted[27] | (shifted[26:0] != 27'd0)}");
  n.v.erase("lo_sig");
  n.v.erase("shift");
  n.set("aligned", 27);
}

// Add or subtract; count the leading zeros, but shift left no further than the effective
// exponent 1 (the result is then subnormal).
void add(hdl::Module& m, Names& n) {
  m.wire("sum", 28, "one carry bit above the hidden bit");
  m.assign("sum", fmt::format("{0} ? ({{1'b0, {1}}} - {{1'b0, {2}}}) : ({{1'b0, {1}}} + {{1'b0, {2}}})", n["subtract"],
                              n["hi_sig"], n["aligned"]));
  m.wire("lz", 5);
  m.assign("lz", leading_zeros("sum", 27, 5));
  m.wire("lshift_max", 8);
  m.assign("lshift_max", fmt::format("{} - 8'd1", n["hi_exp"]));
  m.wire("lshift", 5);
  m.assign("lshift", "({3'd0, lz} > lshift_max) ? lshift_max[4:0] : lz");
  for (const char* k : {"hi_sig", "aligned", "subtract"}) n.v.erase(k);
  n.set("sum", 28);
  n.set("lshift", 5);
}

// Normalize: a carry shifts right once, otherwise left by lshift.
void normalize(hdl::Module& m, Names& n) {
  const std::string sum = n["sum"];
  m.wire("left", 27);
  m.assign("left", fmt::format("{}[26:0] << {}", sum, n["lshift"]));
  m.wire("norm", 27, "hidden bit at [26], guard/round/sticky at [2:0]");
  m.assign("norm", fmt::format("{0}[27] ? {{{0}[27:2], {0}[1] | {0}[0]}} : left", sum));
  m.wire("norm_exp", 9);
  m.assign("norm_exp", fmt::format("{0}[27] ? ({{1'b0, {1}}} + 9'd1) : ({{1'b0, {1}}} - {{4'd0, {2}}})", sum,
                                   n["hi_exp"], n["lshift"]));
  m.wire("sum_zero", 1);
  m.assign("sum_zero", fmt::format("{} == 28'd0", sum));
  for (const char* k : {"sum", "lshift", "hi_exp"}) n.v.erase(k);
  n.set("norm", 27);
  n.set("norm_exp", 9);
  n.set("sum_zero", 1);
}

// Round to nearest, ties to even; pack, overflowing to infinity; the special cases.
void round_and_pack(hdl::Module& m, Names& n) {
  m.wire("round_up", 1);
  m.assign("round_up", fmt::format("{0}[2] & ({0}[1] | {0}[0] | {0}[3])", n["norm"]));
  m.wire("rounded", 25);
  m.assign("rounded", fmt::format("{{1'b0, {}[26:3]}} + {{24'd0, round_up}}", n["norm"]));
  m.wire("final_exp", 9);
  m.assign("final_exp", fmt::format("rounded[24] ? {0} + 9'd1 : {0}", n["norm_exp"]));
  m.wire("final_sig", 24);
  m.assign("final_sig", "rounded[24] ? rounded[24:1] : rounded[23:0]");
  m.wire("overflow", 1);
  m.assign("overflow", "final_exp >= 9'd255");
  m.wire("finite_sum", 32);
  m.assign("finite_sum", fmt::format("overflow ? {{{0}, 8'hff, 23'd0}}"
                                     " : {{{0}, (final_sig[23] ? final_exp[7:0] : 8'd0), final_sig[22:0]}}",
                                     n["hi_sign"]));
  m.assign("y_o", fmt::format("{} ? {} : {} ? {{{}, 8'hff, 23'd0}} : {} ? {{{}, 31'd0}} : finite_sum", n["y_nan"],
                              fp32_nan(), n["y_inf"], n["inf_sign"], n["sum_zero"], n["zero_sign"]));
}

// Registers the values live across cut k of the pipelined adder as c<k>_<name>.
void add_cut(hdl::Module& m, Names& n, int k) {
  for (auto& [v, nw] : n.v) {
    const std::string r = fmt::format("c{}_{}", k, v);
    m.stage(nw.first, r, nw.second);
    nw.first = r + "_q";
  }
}

hdl::Module make_fp32_add(int stages) {
  hdl::Module m;
  m.name = stages == 1 ? "mixpe_fp32_add" : fmt::format("mixpe_fp32_add_s{}", stages);
  m.description = fmt::format(
      "IEEE binary32 addition y = a + b, round-to-nearest-even, subnormals kept, NaN canonical (0x7FC00000).\n"
      "{} Datapath: order by magnitude, align with guard/round/sticky, add or subtract,\n"
      "normalize (never below the subnormal exponent), round, pack.",
      stages == 1 ? "Combinational." : "Five stages: order | align | add, count | normalize | round, pack.");
  m.params = {{"format", "fp32"}, {"stages", std::to_string(stages)}};
  m.latency = {{"a_to_y", stages - 1}};
  if (stages > 1) m.input("clk_i", 1, "clock");
  m.input("a_i", 32, "addend");
  m.input("b_i", 32, "addend");
  m.output("y_o", 32, "a_i + b_i");
  Names n;
  int k = 0;
  auto cut = [&] {
    if (stages > 1) add_cut(m, n, ++k);
  };
  order(m, n);
  cut();
  align(m, n);
  cut();
  add(m, n);
  cut();
  normalize(m, n);
  cut();
  round_and_pack(m, n);
  return m;
}

}  // namespace

hdl::ModulePtr fp32_add_module(int stages) {
  if (stages != 1 && stages != 5) throw std::logic_error("fp32 adder: 1 or 5 stages");
  static const hdl::ModulePtr comb = hdl::share(make_fp32_add(1));
  static const hdl::ModulePtr piped = hdl::share(make_fp32_add(5));
  return stages == 1 ? comb : piped;
}

void emit_fp32_pack(hdl::Module& m, const std::string& p, const std::string& sign, const std::string& mag, int w,
                    const std::string& lsb_biased, const std::string& out) {
  const int lzw = std::bit_width(unsigned(w));
  m.wire(p + "lz", lzw, "leading zeros of the magnitude");
  m.assign(p + "lz", leading_zeros(mag, w, lzw));
  m.wire(p + "exp", 11, "biased FP32 exponent of the leading one (two's complement)");
  m.assign(p + "exp", fmt::format("{} + {} - {}", lsb_biased, lit(11, unsigned(w - 1)), hdl::zext(p + "lz", lzw, 11)));
  // The bits below the leading one, left-aligned: shifting by lz pushes the leading one out.
  m.wire(p + "frac", 23);
  m.assign(p + "frac",
           w == 1 ? "23'd0" : fmt::format("{{{}, {}}} << {}", hdl::slice(mag, w - 2, 0), lit(24 - w, 0), p + "lz"));
  m.wire(p + "sub_shift", 11, "1 - exp: how far a subnormal result shifts right (>= 1)");
  m.assign(p + "sub_shift", fmt::format("11'd1 - {}", p + "exp"));
  m.wire(p + "sub_sig", 23, "subnormal fraction; the bits shifted out are zero (exact products only)");
  m.assign(p + "sub_sig", fmt::format("{{1'b1, {0}frac[22:1]}} >> ({0}sub_shift - 11'd1)", p));
  m.wire(p + "is_sub", 1);
  m.assign(p + "is_sub", fmt::format("{0}exp[10] | ({0}exp == 11'd0)", p));
  m.assign(out, fmt::format("({1} == {2}) ? {{{0}, 31'd0}}"
                            " : {3}is_sub ? {{{0}, 8'd0, {3}sub_sig}}"
                            " : ({3}exp >= 11'd255) ? {{{0}, 8'hff, 23'd0}}"
                            " : {{{0}, {3}exp[7:0], {3}frac}}",
                            sign, mag, lit(w, 0), p));
}

}  // namespace mixpe
