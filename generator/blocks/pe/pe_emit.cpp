#include "blocks/pe/pe_emit.h"

#include <fmt/format.h>

#include "blocks/fp/fp32_add.h"

namespace mixpe {
namespace {

using hdl::lit;
using hdl::sext;
using hdl::slice;
using hdl::zext;

// `sig` (sig_w bits) times the unsigned weight magnitude `q` (b bits), one shifted copy of
// the significand per weight bit: no multiplier, the MixPE product.
std::string shift_add(hdl::Module& m, const std::string& name, const std::string& sig, int sig_w,
                      const std::string& q, int b) {
  const int w = sig_w + b;
  std::string sum;
  for (int i = 0; i < b; ++i) {
    const std::string pp = fmt::format("{}_pp{}", name, i);
    m.wire(pp, w, i == 0 ? fmt::format("partial products: ({} << i) when weight bit i is set", sig) : "");
    const std::string shifted = i == 0 ? zext(sig, sig_w, w) : fmt::format("{{{}, {}, {}}}", lit(b - i, 0), sig, lit(i, 0));
    m.assign(pp, fmt::format("{} ? {} : {}", hdl::bit(q, i), shifted, lit(w, 0)));
    sum += (i ? " + " : "") + pp;
  }
  m.wire(name, w, fmt::format("{} times {} by shift-add (exact)", sig, q));
  m.assign(name, sum);
  return name;
}

// The magnitude and sign of the weight in use: |q| fits b bits unsigned even for -2^(b-1).
void weight_magnitude(hdl::Module& m, const PeConfig& c) {
  const int b = c.weight_bits;
  m.wire("q_mag", b, "|weight|");
  m.wire("q_neg", 1, "weight < 0");
  if (c.weight_signed) {
    m.assign("q_neg", hdl::bit("w_use", b - 1));
    m.assign("q_mag", fmt::format("q_neg ? ({} - w_use) : w_use", lit(b, 0)));
  } else {
    m.assign("q_neg", "1'b0");
    m.assign("q_mag", "w_use");
  }
}

// The activation's sign, significand and exponent field (float formats) or magnitude (INT8).
struct Unpacked {
  std::string sign, sig, finite;
  int sig_w;
};

Unpacked unpack_act(hdl::Module& m, const PeConfig& c) {
  if (!is_float(c.act)) {
    m.wire("a_sign", 1);
    m.assign("a_sign", "a_i[7]");
    m.wire("a_mag", 8, "|a_i|: 128 fits 8 bits unsigned");
    m.assign("a_mag", "a_sign ? (8'd0 - a_i) : a_i");
    return {"a_sign", "a_mag", "1'b1", 8};
  }
  const FloatFormat f = float_format(c.act);
  const int fb = f.sig_bits - 1, eb = f.exp_bits;
  m.wire("a_sign", 1);
  m.assign("a_sign", "a_i[15]");
  m.wire("a_exp_field", eb);
  m.assign("a_exp_field", slice("a_i", 14, fb));
  m.wire("a_exp", eb, "effective exponent: 1 for zeros and subnormals");
  m.assign("a_exp", fmt::format("(a_exp_field == {0}) ? {1} : a_exp_field", lit(eb, 0), lit(eb, 1)));
  m.wire("a_sig", f.sig_bits, "significand with the hidden bit");
  m.assign("a_sig", fmt::format("{{(a_exp_field != {}), {}}}", lit(eb, 0), slice("a_i", fb - 1, 0)));
  m.wire("a_finite", 1, "NaN and Inf contribute nothing (their rows are flagged at the array's edge)");
  m.assign("a_finite", fmt::format("a_exp_field != {}", lit(eb, (1u << eb) - 1)));
  return {"a_sign", "a_sig", "a_finite", f.sig_bits};
}

// The product and the accumulation, per kind and accumulation mode; defines `psum_d`.
void datapath(hdl::Module& m, const PeConfig& c) {
  const int pw = c.psum_width(), b = c.weight_bits;
  // With pipeline = 1 the product (`prod`) is registered before the accumulation.
  auto product = [&](const std::string& value, int width) {
    if (c.pipeline == 0) {
      m.wire("prod", width);
      m.assign("prod", value);
      return std::string("prod");
    }
    m.wire("prod_d", width);
    m.assign("prod_d", value);
    m.reg("prod", width, "", "", "the pipeline register between product and accumulation");
    return std::string("prod_q");
  };
  auto fp32_accumulate = [&](const std::string& prod) {
    m.wire("psum_d", 32);
    m.instances.push_back({kFp32AddModule, "u_add", {{"a_i", "psum_i"}, {"b_i", prod}, {"y_o", "psum_d"}}});
  };

  if (c.kind == PeKind::kInt8) {
    m.wire("prod_full", 16, "INT8 x INT8, signed");
    m.assign("prod_full", "$signed(a_i) * $signed(w_use)");
    const std::string p = product("prod_full", 16);
    m.wire("psum_d", 32);
    m.assign("psum_d", fmt::format("psum_i + {}", sext(p, 16, 32)));
    return;
  }
  if (c.kind == PeKind::kFma) {
    const Unpacked a = unpack_act(m, c);
    m.wire("w_exp_field", 5);
    m.assign("w_exp_field", "w_use[14:10]");
    m.wire("w_exp", 5);
    m.assign("w_exp", "(w_exp_field == 5'd0) ? 5'd1 : w_exp_field");
    m.wire("w_sig", 11);
    m.assign("w_sig", "{(w_exp_field != 5'd0), w_use[9:0]}");
    m.wire("w_finite", 1);
    m.assign("w_finite", "w_exp_field != 5'd31");
    m.wire("sig_prod", 22, "FP16 x FP16 significands: the baseline's multiplier");
    m.assign("sig_prod", "a_sig * w_sig");
    m.wire("prod_sign", 1);
    m.assign("prod_sign", "a_sign ^ w_use[15]");
    // LSB of the significand product: 2^(ea - 25 + ew - 25); biased FP32: ea + ew - 50 + 127
    m.wire("prod_lsb_exp", 11);
    m.assign("prod_lsb_exp", "{6'd0, a_exp} + {6'd0, w_exp} + 11'd77");
    m.wire("prod_packed", 32);
    emit_fp32_pack(m, "pk_", "prod_sign", "sig_prod", 22, "prod_lsb_exp", "prod_packed");
    const std::string p = product(fmt::format("({} & w_finite) ? prod_packed : 32'd0", a.finite), 32);
    fp32_accumulate(p);
    return;
  }

  if (c.kind == PeKind::kLut) {
    // decode: the index selects its entry of the broadcast table
    const int n = c.table_entries(), ew = c.table_entry_width();
    std::string mux;
    for (int i = 0; i < n - 1; ++i)
      mux += fmt::format("(w_use == {}) ? {} : ", lit(b, unsigned(i)), slice("table_i", ew * i + ew - 1, ew * i));
    mux += slice("table_i", ew * n - 1, ew * (n - 1));
    m.wire("entry", ew, c.lut_terms ? "T[w] as term codes {enable, negative, shift}" : "T[w]: 1.14 fixed point");
    m.assign("entry", mux);
    const int A = c.accum.align_bits, w = A + (c.lut_terms ? 18 : 16);
    m.wire("prod_full", w, c.lut_terms ? "aligned activation times the entry: a shift-add of its terms"
                                       : "aligned activation times the entry, signed");
    if (c.lut_terms) {
      m.wire("a_ext", w);
      m.assign("a_ext", sext("a_i", A, w));
      std::string sum;
      for (int j = 0; j < c.lut_terms; ++j) {
        const std::string t = fmt::format("term{}", j);
        m.wire(t + "_shifted", w);
        m.assign(t + "_shifted", fmt::format("a_ext << entry[{}:{}]", 6 * j + 3, 6 * j));
        m.wire(t, w);
        m.assign(t, fmt::format("!entry[{0}] ? {1} : entry[{2}] ? ({1} - {3}_shifted) : {3}_shifted", 6 * j + 5,
                                lit(w, 0), 6 * j + 4, t));
        sum += (j ? " + " : "") + t;
      }
      m.assign("prod_full", sum);
    } else {
      m.assign("prod_full", "$signed(a_i) * $signed(entry)");
    }
    const std::string p = product("prod_full", w);
    m.wire("psum_d", pw);
    m.assign("psum_d", fmt::format("psum_i + {}", sext(p, w, pw)));
    return;
  }
  // mixpe
  if (c.accum.mode == AccumMode::kPrealign) {
    // a_i is already aligned (A-bit two's complement): a signed shift-add of A + b bits.
    const int A = c.accum.align_bits, w = A + b;
    m.wire("a_ext", w);
    m.assign("a_ext", sext("a_i", A, w));
    std::string sum;
    for (int i = 0; i < b; ++i) {
      const std::string pp = fmt::format("pp{}", i);
      m.wire(pp, w, i == 0 ? "partial products: a << i when weight bit i is set" : "");
      const std::string shifted = i == 0 ? "a_ext" : fmt::format("{{{}, {}}}", slice("a_ext", w - 1 - i, 0), lit(i, 0));
      m.assign(pp, fmt::format("w_use[{}] ? {} : {}", i, shifted, lit(w, 0)));
      // a signed weight's top bit weighs -2^(b-1)
      sum += (i == 0 ? "" : (c.weight_signed && i == b - 1) ? " - " : " + ") + pp;
    }
    const std::string p = product(sum, w);
    m.wire("psum_d", pw);
    m.assign("psum_d", fmt::format("psum_i + {}", sext(p, w, pw)));
    return;
  }
  weight_magnitude(m, c);
  const Unpacked a = unpack_act(m, c);
  const std::string mag = shift_add(m, "sig_prod", a.sig, a.sig_w, "q_mag", b);
  const int mw = a.sig_w + b;
  m.wire("prod_sign", 1);
  m.assign("prod_sign", fmt::format("{} ^ q_neg", a.sign));
  if (c.accum.mode == AccumMode::kExact) {
    // Fixed point with LSB 2^-24 (FP16): the significand product shifted by exponent - 1.
    const int fw = is_float(c.act) ? mw + 29 : mw;
    std::string fixed = zext(mag, mw, fw);
    if (is_float(c.act)) {
      m.wire("fixed", fw, "|x q| in units of 2^-24: exact");
      m.assign("fixed", fmt::format("{} << (a_exp - 5'd1)", zext(mag, mw, fw)));
      fixed = "fixed";
    }
    m.wire("fixed_ext", pw);
    m.assign("fixed_ext", zext(fixed, fw, pw));
    const std::string value =
        fmt::format("{} ? (prod_sign ? ({} - fixed_ext) : fixed_ext) : {}", a.finite, lit(pw, 0), lit(pw, 0));
    const std::string p = product(value, pw);
    m.wire("psum_d", pw);
    m.assign("psum_d", fmt::format("psum_i + {}", p));
    return;
  }
  // fp32: pack the exact product as FP32, then add.
  std::string lsb;
  if (is_float(c.act)) {
    const FloatFormat f = float_format(c.act);
    const int offset = 127 - f.bias() - (f.sig_bits - 1);  // fp16: 102, bf16: -7
    lsb = fmt::format("{} {} {}", zext("a_exp", f.exp_bits, 11), offset >= 0 ? "+" : "-", lit(11, unsigned(std::abs(offset))));
  } else {
    lsb = lit(11, 127);
  }
  m.wire("prod_lsb_exp", 11);
  m.assign("prod_lsb_exp", lsb);
  m.wire("prod_packed", 32);
  emit_fp32_pack(m, "pk_", "prod_sign", mag, mw, "prod_lsb_exp", "prod_packed");
  const std::string p = product(fmt::format("{} ? prod_packed : 32'd0", a.finite), 32);
  fp32_accumulate(p);
}

hdl::Module pe_module(const PeConfig& c) {
  hdl::Module m;
  m.name = c.module_name();
  const int aw = c.act_width(), ww = c.weight_width(), pw = c.psum_width();
  switch (c.kind) {
    case PeKind::kMixpe:
      m.description = fmt::format(
          "MixPE processing element, weight-stationary: psum_o = psum_i + a * w, the product of the {} weight and\n"
          "the {} activation formed by shift-add (one shifted copy of the significand per weight bit, exact).",
          c.weight_name(), c.accum.mode == AccumMode::kPrealign ? "prealigned" : std::string(act_name(c.act)));
      break;
    case PeKind::kLut:
      m.description = fmt::format(
          "LUT PE (FLUTE / NormalFloat weights), weight-stationary: psum_o = psum_i + a * T[w], the {}-bit index w\n"
          "selecting a 1.14 fixed-point entry of the table on table_i, times the prealigned activation.",
          c.weight_bits);
      break;
    case PeKind::kFma:
      m.description = "Baseline PE: dequantized FP16 weight x FP16 activation (exact product), FP32 accumulate.";
      break;
    case PeKind::kInt8:
      m.description = "Baseline PE (TPU-like): INT8 x INT8 multiply, INT32 accumulate.";
      break;
  }
  m.description +=
      "\nWeights are double-buffered: the column's weight bus w_i is written into the shadow register when the\n"
      "load token w_load_i passes (it moves down one row per cycle, w_load_o); the activation flagged first_i\n"
      "meets the shadow weight and makes it the active one.";
  m.params = c.params();
  m.input("clk_i", 1, "clock");
  m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("w_i", ww, "the column's weight bus");
  m.input("w_load_i", 1, "load token: write w_i into the shadow weight");
  m.output("w_load_o", 1, "load token, to the PE below (1 cycle)");
  m.input("a_i", aw, "activation from the west");
  m.input("first_i", 1, "a_i is the first activation of a new weight tile");
  m.output("a_o", aw, "activation, to the east (1 cycle)");
  m.output("first_o", 1, "first_i, to the east (1 cycle)");
  if (c.table_entries())
    m.input("table_i", c.table_entry_width() * c.table_entries(),
            c.lut_terms ? "the weight table: entry i as term codes at bits [6*terms*i +: 6*terms]"
                        : "the weight table: entry i (1.14 fixed point) at bits [16*i +: 16]");
  m.input("psum_i", pw, "partial sum from the PE above");
  m.output("psum_o", pw, fmt::format("psum_i + a * w ({} cycle after psum_i)", 1));

  m.wire("w_shadow_d", ww);
  m.assign("w_shadow_d", "w_i");
  m.reg("w_shadow", ww, "w_load_i", "", "the next tile's weight");
  m.wire("w_active_d", ww);
  m.assign("w_active_d", "w_shadow_q");
  m.reg("w_active", ww, "first_i", "", "the current tile's weight");
  m.wire("w_use", ww, "the weight this activation meets");
  m.assign("w_use", "first_i ? w_shadow_q : w_active_q");
  m.wire("w_load_fwd_d", 1);
  m.assign("w_load_fwd_d", "w_load_i");
  m.reg("w_load_fwd", 1, "", "1'b0");
  m.assign("w_load_o", "w_load_fwd_q");
  m.wire("a_fwd_d", aw);
  m.assign("a_fwd_d", "a_i");
  m.reg("a_fwd", aw, "", "");
  m.assign("a_o", "a_fwd_q");
  m.wire("first_fwd_d", 1);
  m.assign("first_fwd_d", "first_i");
  m.reg("first_fwd", 1, "", "1'b0");
  m.assign("first_o", "first_fwd_q");

  datapath(m, c);
  m.reg("psum", pw, "", "");
  m.assign("psum_o", "psum_q");
  return m;
}

}  // namespace

std::vector<hdl::Module> pe_modules(const PeConfig& cfg) {
  cfg.validate();
  std::vector<hdl::Module> mods = {pe_module(cfg)};
  if (cfg.psum_is_float()) mods.push_back(fp32_add_module());
  return mods;
}

}  // namespace mixpe
