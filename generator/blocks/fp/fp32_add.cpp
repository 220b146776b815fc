#include "blocks/fp/fp32_add.h"

#include <bit>

#include <fmt/format.h>

#include "golden/datapath.h"

namespace mixpe {

using hdl::lit;

std::string leading_zeros(const std::string& e, int width, int out_width) {
  std::string s;
  for (int i = width - 1; i >= 1; --i) s += fmt::format("{} ? {} : ", hdl::bit(e, i), lit(out_width, unsigned(width - 1 - i)));
  return s + lit(out_width, unsigned(width - 1));
}

std::string fp32_nan() { return fmt::format("32'h{:08x}", kF32QuietNan); }

namespace {

// Order the operands by magnitude so that the result takes the big one's sign and exponent;
// align the small significand to the big one's exponent with guard, round and sticky bits.
void order_and_align(hdl::Module& m) {
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

  // Align: shift the small significand right by the exponent difference (at most 27 matters).
  m.wire("exp_diff", 8);
  m.assign("exp_diff", "hi_exp - lo_exp");
  m.wire("shift", 5);
  m.assign("shift", "(exp_diff > 8'd27) ? 5'd27 : exp_diff[4:0]");
  m.wire("shifted", 54, "lo_sig and the bits shifted out below it");
  m.assign("shifted", "{lo_sig, 27'd0} >> shift");
  m.wire("aligned", 27);
  m.assign("aligned", "{shifted[53:28], shifted[27] | (shifted[26:0] != 27'd0)}");
}

// Add or subtract, then normalize: a carry shifts right once; otherwise shift left by the
// leading zeros, but not below the effective exponent 1 (the result is then subnormal).
void add_and_normalize(hdl::Module& m) {
  m.wire("subtract", 1);
  m.assign("subtract", "hi[31] ^ lo[31]");
  m.wire("sum", 28, "one carry bit above the hidden bit");
  m.assign("sum", "subtract ? ({1'b0, hi_sig} - {1'b0, aligned}) : ({1'b0, hi_sig} + {1'b0, aligned})");

  m.wire("lz", 5);
  m.assign("lz", leading_zeros("sum", 27, 5));
  m.wire("lshift_max", 8);
  m.assign("lshift_max", "hi_exp - 8'd1");
  m.wire("lshift", 5);
  m.assign("lshift", "({3'd0, lz} > lshift_max) ? lshift_max[4:0] : lz");
  m.wire("left", 27);
  m.assign("left", "sum[26:0] << lshift");
  m.wire("norm", 27, "hidden bit at [26], guard/round/sticky at [2:0]");
  m.assign("norm", "sum[27] ? {sum[27:2], sum[1] | sum[0]} : left");
  m.wire("norm_exp", 9);
  m.assign("norm_exp", "sum[27] ? ({1'b0, hi_exp} + 9'd1) : ({1'b0, hi_exp} - {4'd0, lshift})");
}

// Round to nearest, ties to even; pack, overflowing to infinity.
void round_and_pack(hdl::Module& m) {
  m.wire("round_up", 1);
  m.assign("round_up", "norm[2] & (norm[1] | norm[0] | norm[3])");
  m.wire("rounded", 25);
  m.assign("rounded", "{1'b0, norm[26:3]} + {24'd0, round_up}");
  m.wire("final_exp", 9);
  m.assign("final_exp", "rounded[24] ? norm_exp + 9'd1 : norm_exp");
  m.wire("final_sig", 24);
  m.assign("final_sig", "rounded[24] ? rounded[24:1] : rounded[23:0]");
  m.wire("overflow", 1);
  m.assign("overflow", "final_exp >= 9'd255");
  m.wire("finite_sum", 32);
  m.assign("finite_sum",
           "overflow ? {hi[31], 8'hff, 23'd0}"
           " : {hi[31], (final_sig[23] ? final_exp[7:0] : 8'd0), final_sig[22:0]}");
}

// Special cases: NaN in, Inf - Inf, Inf in, and exact zero (x - x = +0; -0 + -0 = -0).
void specials(hdl::Module& m) {
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
  m.assign("y_o",
           "y_nan ? " + fp32_nan() +
           " : (a_inf | b_inf) ? {(a_inf ? a_i[31] : b_i[31]), 8'hff, 23'd0}"
           " : (sum == 28'd0) ? {a_i[31] & b_i[31], 31'd0}"
           " : finite_sum");
}

hdl::Module make_fp32_add() {
  hdl::Module m;
  m.name = "mixpe_fp32_add";
  m.description =
      "IEEE binary32 addition y = a + b, round-to-nearest-even, subnormals kept, NaN canonical (0x7FC00000).\n"
      "Combinational. Datapath: order by magnitude, align with guard/round/sticky, add or subtract,\n"
      "normalize (never below the subnormal exponent), round, pack.";
  m.params = {{"format", "fp32"}};
  m.latency = {{"a_to_y", 0}};
  m.input("a_i", 32, "addend");
  m.input("b_i", 32, "addend");
  m.output("y_o", 32, "a_i + b_i");
  order_and_align(m);
  add_and_normalize(m);
  round_and_pack(m);
  specials(m);
  return m;
}

}  // namespace

hdl::ModulePtr fp32_add_module() {
  static const hdl::ModulePtr m = hdl::share(make_fp32_add());
  return m;
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
  m.assign(p + "frac", w == 1 ? "23'd0"
                              : fmt::format("{{{}, {}}} << {}", hdl::slice(mag, w - 2, 0), lit(24 - w, 0), p + "lz"));
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
