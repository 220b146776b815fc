// The dequant-first design's weight dequantizer: a weight's integer code (less its zero point) times
// its group's FP16 scale, rounded once to FP16, as the fma array's weights must arrive. One per
// weight loaded per cycle (L per column); golden: dequant_to_fp16 (quant/weight_quant.h).
#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"
#include "blocks/fp/fp32_round.h"
#include "numerics/error.h"

namespace mixpe {

using hdl::lit;

namespace {

hdl::Module make_weight_dequant(const EngineConfig& c) {
  const WeightQuantConfig q = c.weight_quant();
  if (q.scheme == WeightScheme::kLut)
    fail(
        "weight-dequant takes integer codes; LUT weights ({}) are dequantized through their table: use --pe mixpe, "
        "int8 or fma",
        q.lut.name);
  const int b = q.bits, sig = kFp16.sig_bits;
  const bool asym = q.scheme == WeightScheme::kAsym;
  hdl::Module m;
  m.name = fmt::format("mixpe_weight_dequant_w{}{}", b, asym ? "u" : "s");
  m.description = fmt::format(
      "Weight dequantizer of the dequant-first design: w = RNE_fp16(s * {}) for a {}-bit {} code, the exact\n"
      "product rounded once (subnormals, overflow to infinity; a NaN scale or infinity times 0: NaN); one\n"
      "register stage.",
      asym ? "(q - z)" : "q", b, asym ? "unsigned" : "signed");
  m.params = {{"weight_bits", std::to_string(b)}, {"weight_signed", asym ? "0" : "1"}};
  m.latency = {{"code_to_w", 1}};
  m.input("clk_i", 1, "clock");
  m.input("code_i", b, asym ? "the weight's code q" : "the weight's code q, two's complement");
  if (asym) m.input("zero_i", b, "its group's zero point z");
  m.input("scale_i", 16, "its group's FP16 scale s");
  m.output("w_o", 16, "the FP16 weight, one cycle later");

  m.section("The integer: its sign and magnitude");
  m.wire("v_neg", 1);
  m.wire("v_mag", b, asym ? "|q - z|" : "|q|: 2^(b-1) fits unsigned");
  if (asym) {
    m.assign("v_neg", "code_i < zero_i");
    m.assign("v_mag", "v_neg ? zero_i - code_i : code_i - zero_i");
  } else {
    m.assign("v_neg", fmt::format("code_i[{}]", b - 1));
    m.assign("v_mag", fmt::format("v_neg ? {} - code_i : code_i", lit(b, 0)));
  }

  m.section("The scale: fields, significand, specials");
  m.wire("s_field", 5);
  m.assign("s_field", "scale_i[14:10]");
  m.wire("s_sig", sig, "significand with the hidden bit");
  m.assign("s_sig", "{(s_field != 5'd0), scale_i[9:0]}");
  m.wire("s_nan", 1, "a NaN scale, or infinity times 0");
  m.assign("s_nan", fmt::format("(s_field == 5'h1f) & ((scale_i[9:0] != 10'd0) | (v_mag == {}))", lit(b, 0)));
  m.wire("s_inf", 1);
  m.assign("s_inf", "(s_field == 5'h1f) & (scale_i[9:0] == 10'd0)");

  m.section("The exact product, rounded to FP16");
  const int pw = b + sig;
  m.wire("prod", pw, "v_mag x s_sig: exact");
  m.assign("prod", fmt::format("{} * {}", hdl::zext("v_mag", b, pw), hdl::zext("s_sig", sig, pw)));
  m.wire("sign", 1);
  m.assign("sign", "scale_i[15] ^ v_neg");
  m.wire("lsb", 13, "biased FP16 exponent of the product's LSB: e_s - 25 + 15 (e_s: 1 for subnormal scales)");
  m.assign("lsb", "{8'd0, ((s_field == 5'd0) ? 5'd1 : s_field)} - 13'd10");
  m.wire("finite", 16);
  emit_float_round(m, kFp16, "rd_", "sign", "prod", pw, "lsb", "finite");
  m.wire("w", 16);
  m.assign("w", fmt::format("s_nan ? 16'h{:x} : s_inf ? {{sign, 5'h1f, 10'd0}} : finite", kFp16.quiet_nan()));

  m.section("The output register");
  m.stage("w", "w", 16);
  m.assign("w_o", "w_q");
  return m;
}

}  // namespace

hdl::ModulePtr weight_dequant_module(const EngineConfig& c) { return hdl::share(make_weight_dequant(c)); }

}  // namespace mixpe
