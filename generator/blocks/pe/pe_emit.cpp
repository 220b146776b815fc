#include "blocks/pe/pe_emit.h"

#include <fmt/format.h>

#include "blocks/fp/fp32_add.h"
#include "numerics/float_format.h"

namespace mixpe {
namespace {

using hdl::lit;
using hdl::sext;
using hdl::slice;
using hdl::zext;

// `sig` (sig_w bits) times the unsigned weight magnitude `q` (b bits), one shifted copy of
// the significand per weight bit: no multiplier, the MixPE product.
std::string shift_add(hdl::Module& m, const std::string& name, const std::string& sig, int sig_w, const std::string& q,
                      int b) {
  const int w = sig_w + b;
  std::string sum;
  for (int i = 0; i < b; ++i) {
    const std::string pp = fmt::format("{}_pp{}", name, i);
    m.wire(pp, w, i == 0 ? fmt::format("partial products: ({} << i) when weight bit i is set", sig) : "");
    const std::string shifted =
        i == 0 ? zext(sig, sig_w, w) : fmt::format("{{{}, {}, {}}}", lit(b - i, 0), sig, lit(i, 0));
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

// A float operand's sign, significand (hidden bit included) and effective exponent, and
// whether it is finite; or an INT8 operand's sign and magnitude.
struct Unpacked {
  std::string sign, sig, exp, finite;
  int sig_w;
};

Unpacked unpack_float(hdl::Module& m, const std::string& name, const std::string& code, FloatFormat f) {
  const int fb = f.sig_bits - 1, eb = f.exp_bits, top = eb + fb;
  m.wire(name + "_sign", 1);
  m.assign(name + "_sign", hdl::bit(code, top));
  m.wire(name + "_exp_field", eb);
  m.assign(name + "_exp_field", slice(code, top - 1, fb));
  m.wire(name + "_exp", eb, "effective exponent: 1 for zeros and subnormals");
  m.assign(name + "_exp", fmt::format("({0}_exp_field == {1}) ? {2} : {0}_exp_field", name, lit(eb, 0), lit(eb, 1)));
  m.wire(name + "_sig", f.sig_bits, "significand with the hidden bit");
  m.assign(name + "_sig", fmt::format("{{({}_exp_field != {}), {}}}", name, lit(eb, 0), slice(code, fb - 1, 0)));
  m.wire(name + "_finite", 1, "NaN and Inf contribute nothing (their rows are flagged at the array's edge)");
  m.assign(name + "_finite", fmt::format("{}_exp_field != {}", name, lit(eb, (1u << eb) - 1)));
  return {name + "_sign", name + "_sig", name + "_exp", name + "_finite", f.sig_bits};
}

Unpacked unpack_act(hdl::Module& m, const PeConfig& c) {
  if (is_float(c.act)) return unpack_float(m, "a", "a_i", float_format(c.act));
  m.wire("a_sign", 1);
  m.assign("a_sign", "a_i[7]");
  m.wire("a_mag", 8, "|a_i|: 128 fits 8 bits unsigned");
  m.assign("a_mag", "a_sign ? (8'd0 - a_i) : a_i");
  return {"a_sign", "a_mag", "", "1'b1", 8};
}

// The product as the accumulation takes it: a wire, or (pipeline = 1) a register.
std::string product(hdl::Module& m, const PeConfig& c, const std::string& value, int width) {
  if (c.pipeline == 0) {
    m.wire("prod", width);
    m.assign("prod", value);
    return "prod";
  }
  m.stage(value, "prod", width, "the pipeline register between product and accumulation");
  return "prod_q";
}

// psum_d = psum_i + the product, in two's complement or in FP32 (the adder module).
void accumulate(hdl::Module& m, const PeConfig& c, const std::string& prod, int prod_w) {
  const int pw = c.psum_width();
  m.wire("psum_d", pw);
  if (c.psum_is_float())
    m.instance(fp32_add_module(), "u_add", {{"a_i", "psum_i"}, {"b_i", prod}, {"y_o", "psum_d"}});
  else
    m.assign("psum_d", fmt::format("psum_i + {}", prod_w == pw ? prod : sext(prod, prod_w, pw)));
}

// The TPU-like baseline: an INT8 x INT8 multiplier.
void int8_datapath(hdl::Module& m, const PeConfig& c) {
  m.wire("prod_full", 16, "INT8 x INT8, signed");
  m.assign("prod_full", "$signed(a_i) * $signed(w_use)");
  accumulate(m, c, product(m, c, "prod_full", 16), 16);
}

// The FP16 baseline: the significands multiplied (exact), the product packed as FP32, added.
void fma_datapath(hdl::Module& m, const PeConfig& c) {
  const Unpacked a = unpack_act(m, c), w = unpack_float(m, "w", "w_use", kFp16);
  const int pw = a.sig_w + w.sig_w;
  m.wire("sig_prod", pw, "FP16 x FP16 significands: the baseline's multiplier");
  m.assign("sig_prod", fmt::format("{} * {}", a.sig, w.sig));
  m.wire("prod_sign", 1);
  m.assign("prod_sign", fmt::format("{} ^ {}", a.sign, w.sign));
  // the LSB of the significand product: 2^(ea - bias - fb + ew - bias - fb), biased for FP32
  const int offset = 127 - 2 * kFp16.bias() - 2 * (kFp16.sig_bits - 1);
  m.wire("prod_lsb_exp", 11);
  m.assign("prod_lsb_exp", fmt::format("{} + {} + {}", zext(a.exp, kFp16.exp_bits, 11), zext(w.exp, kFp16.exp_bits, 11),
                                       lit(11, unsigned(offset))));
  m.wire("prod_packed", 32);
  emit_fp32_pack(m, "pk_", "prod_sign", "sig_prod", pw, "prod_lsb_exp", "prod_packed");
  const std::string p = product(m, c, fmt::format("({} & {}) ? prod_packed : 32'd0", a.finite, w.finite), 32);
  accumulate(m, c, p, 32);
}

// LUT weights: the index selects its entry of the broadcast table (or, decoded per column, the
// PE holds the entry), times the aligned activation: a multiplier, or a shift-add of the entry's
// signed power-of-two terms, each negated as its ones' complement plus a carry into the sum.
void lut_datapath(hdl::Module& m, const PeConfig& c) {
  const int n = c.table_entries(), ew = c.table_entry_width(), b = c.weight_bits;
  const std::string what = c.lut_terms ? "T[w] as term codes {enable, negative, shift}" : "T[w]: 1.14 fixed point";
  m.wire("entry", ew, what);
  if (c.lut_decode_column) {
    m.assign("entry", "w_use");
  } else {
    std::string mux;
    for (int i = 0; i < n - 1; ++i)
      mux += fmt::format("(w_use == {}) ? {} : ", lit(b, unsigned(i)), hdl::part("table_i", i, ew));
    mux += hdl::part("table_i", n - 1, ew);
    m.assign("entry", mux);
  }
  const int S = c.lut_shift_bits, w = c.lut_product_width();
  m.wire("prod_full", w,
         c.lut_terms ? "aligned activation times the entry: a shift-add of its terms"
                     : "aligned activation times the entry, signed");
  if (c.lut_terms) {
    m.wire("a_ext", w);
    m.assign("a_ext", sext("a_i", c.accum.align_bits, w));
    std::string sum, carries;
    for (int j = 0; j < c.lut_terms; ++j) {
      const std::string t = fmt::format("term{}", j);
      const TermField f = term_field(j, S);
      m.wire(t + "_shifted", w);
      m.assign(t + "_shifted", fmt::format("a_ext << entry[{}:{}]", f.shift_lsb + S - 1, f.shift_lsb));
      m.wire(t, w, j == 0 ? "a term: the shifted activation or 0, inverted when negative (+1 below)" : "");
      m.assign(t, fmt::format("(entry[{0}] ? {1}_shifted : {2}) ^ {{{3}{{entry[{4}]}}}}", f.enable, t, lit(w, 0), w,
                              f.negative));
      sum += (j ? " + " : "") + t;
      carries += fmt::format(" + {}", zext(fmt::format("entry[{}]", f.negative), 1, w));
    }
    m.assign("prod_full", sum + carries);
  } else {
    m.assign("prod_full", "$signed(a_i) * $signed(entry)");
  }
  accumulate(m, c, product(m, c, "prod_full", w), w);
}

// MixPE, prealigned: a_i is an A-bit two's complement integer; a signed shift-add of A + b bits.
void prealign_datapath(hdl::Module& m, const PeConfig& c) {
  const int A = c.accum.align_bits, b = c.weight_bits, w = A + b;
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
  accumulate(m, c, product(m, c, sum, w), w);
}

// MixPE, prealigned, the weight recoded to radix-4 (Booth) digits d_i in {-2..2} of its signed value
// s (the code, or for unsigned codes q - 2^(b-1): the top bit inverted), s = sum_i d_i 4^i: one
// partial product per digit, a_i or 2 a_i or 0, inverted when negative with the +1 carried into
// the sum. Half the partial products of the bitwise shift-add, exact.
void booth_datapath(hdl::Module& m, const PeConfig& c) {
  const int A = c.accum.align_bits, b = c.weight_bits, w = A + b, nd = (b + 1) / 2;
  // s[0] is the implicit 0 below the weight's bit 0; the sign repeats up to the last digit's top bit
  const int sw = 2 * nd + 1;
  m.wire("s", sw, "the weight's signed value, sign-extended to the last digit, above an implicit 0");
  const std::string top = fmt::format("{}w_use[{}]", c.weight_signed ? "" : "~", b - 1);
  const std::string signs = sw - b == 1 ? top : fmt::format("{{{}{{{}}}}}", sw - b, top);
  m.assign("s", fmt::format("{{{}, {}, 1'b0}}", signs, slice("w_use", b - 2, 0)));
  m.wire("a_ext", w);
  m.assign("a_ext", sext("a_i", A, w));
  std::string sum, carries;
  for (int i = 0; i < nd; ++i) {
    // the digit's bits: s[2i+1] (weight -2), s[2i] and s[2i-1] (weight 1 each); s holds s[-1] at bit 0
    const std::string hi = fmt::format("s[{}]", 2 * i + 2), mid = fmt::format("s[{}]", 2 * i + 1),
                      lo = fmt::format("s[{}]", 2 * i);
    const std::string d = fmt::format("d{}", i);
    m.wire(d + "_one", 1, i == 0 ? "digit i: |d| = 1, |d| = 2, d < 0" : "");
    m.assign(d + "_one", fmt::format("{} ^ {}", mid, lo));
    m.wire(d + "_two", 1);
    m.assign(d + "_two", fmt::format("({0} & ~{1} & ~{2}) | (~{0} & {1} & {2})", hi, mid, lo));
    m.wire(d + "_neg", 1);
    m.assign(d + "_neg", hi);
    // the multiple, inverted when negative, then shifted: the +1 goes in at bit 2i
    const int mw = w - 2 * i;
    m.wire(d + "_m", mw, i == 0 ? "a, 2 a or 0 (to the digit's weight 4^i), inverted when the digit is negative" : "");
    m.assign(d + "_m", fmt::format("({0}_one ? {1} : {0}_two ? {{{2}, 1'b0}} : {3}) ^ {{{4}{{{0}_neg}}}}", d,
                                   slice("a_ext", mw - 1, 0), slice("a_ext", mw - 2, 0), lit(mw, 0), mw));
    m.wire(d + "_pp", w);
    m.assign(d + "_pp", i == 0 ? d + "_m" : fmt::format("{{{}_m, {}}}", d, lit(2 * i, 0)));
    sum += (i ? " + " : "") + d + "_pp";
    carries += i == 0 ? fmt::format(" + {{{}, {}_neg}}", lit(w - 1, 0), d)
                      : fmt::format(" + {{{}, {}_neg, {}}}", lit(w - 1 - 2 * i, 0), d, lit(2 * i, 0));
  }
  accumulate(m, c, product(m, c, sum + carries, w), w);
}

// The unaligned MixPE product: |significand| x |weight| by shift-add (exact, `sig_prod`, the
// returned width) and its sign (`prod_sign`); `a` receives the unpacked activation.
int signed_shift_add(hdl::Module& m, const PeConfig& c, Unpacked& a) {
  weight_magnitude(m, c);
  a = unpack_act(m, c);
  shift_add(m, "sig_prod", a.sig, a.sig_w, "q_mag", c.weight_bits);
  m.wire("prod_sign", 1);
  m.assign("prod_sign", fmt::format("{} ^ q_neg", a.sign));
  return a.sig_w + c.weight_bits;
}

// MixPE, exact: the shift-add product of the significand, shifted by its exponent into a
// fixed point with LSB 2^-24 (FP16), or the INT8 product.
void exact_datapath(hdl::Module& m, const PeConfig& c) {
  const int pw = c.psum_width();
  Unpacked a;
  const int mw = signed_shift_add(m, c, a);
  const std::string mag = "sig_prod";
  const int fw = is_float(c.act) ? mw + 29 : mw;
  std::string fixed = mag;
  if (is_float(c.act)) {
    m.wire("fixed", fw, "|x q| in units of 2^-24: exact");
    m.assign("fixed", fmt::format("{} << ({} - {})", zext(mag, mw, fw), a.exp, lit(5, 1)));
    fixed = "fixed";
  }
  m.wire("fixed_ext", pw);
  m.assign("fixed_ext", zext(fixed, fw, pw));
  const std::string value =
      fmt::format("{} ? (prod_sign ? ({} - fixed_ext) : fixed_ext) : {}", a.finite, lit(pw, 0), lit(pw, 0));
  accumulate(m, c, product(m, c, value, pw), pw);
}

// MixPE with FP32 accumulation: the exact shift-add product packed as FP32, then added.
void fp32_datapath(hdl::Module& m, const PeConfig& c) {
  Unpacked a;
  const int mw = signed_shift_add(m, c, a);
  const std::string mag = "sig_prod";
  std::string lsb = lit(11, 127);
  if (is_float(c.act)) {
    const FloatFormat f = float_format(c.act);
    const int offset = 127 - f.bias() - (f.sig_bits - 1);  // fp16: 102, bf16: -7
    lsb = fmt::format("{} {} {}", zext(a.exp, f.exp_bits, 11), offset >= 0 ? "+" : "-",
                      lit(11, unsigned(std::abs(offset))));
  }
  m.wire("prod_lsb_exp", 11);
  m.assign("prod_lsb_exp", lsb);
  m.wire("prod_packed", 32);
  emit_fp32_pack(m, "pk_", "prod_sign", mag, mw, "prod_lsb_exp", "prod_packed");
  accumulate(m, c, product(m, c, fmt::format("{} ? prod_packed : 32'd0", a.finite), 32), 32);
}

void datapath(hdl::Module& m, const PeConfig& c) {
  switch (c.kind) {
    case PeKind::kInt8:
      return int8_datapath(m, c);
    case PeKind::kFma:
      return fma_datapath(m, c);
    case PeKind::kLut:
      return lut_datapath(m, c);
    case PeKind::kMixpe:
      break;
  }
  switch (c.accum.mode) {
    case AccumMode::kPrealign:
      return c.booth ? booth_datapath(m, c) : prealign_datapath(m, c);
    case AccumMode::kExact:
      return exact_datapath(m, c);
    case AccumMode::kFp32:
      return fp32_datapath(m, c);
  }
}

std::string description(const PeConfig& c) {
  switch (c.kind) {
    case PeKind::kMixpe:
      return fmt::format(
          "MixPE processing element, weight-stationary: psum_o = psum_i + a * w, the product of the {} weight and\n"
          "the {} activation formed by shift-add (one shifted copy of the significand per weight bit, exact).",
          c.weight_name(), c.accum.mode == AccumMode::kPrealign ? "prealigned" : std::string(act_name(c.act)));
    case PeKind::kLut:
      return fmt::format(
          "LUT PE (FLUTE / NormalFloat weights), weight-stationary: psum_o = psum_i + a * T[w], {}\n"
          "times the prealigned activation{}.",
          c.lut_decode_column
              ? fmt::format("the entry T[w] decoded from the {}-bit index at the column's top", c.weight_bits)
              : fmt::format("the {}-bit index w selecting its entry of the table on table_i", c.weight_bits),
          c.lut_terms ? fmt::format(" by a shift-add of {} signed power-of-two terms (2^-{} .. 2^1)", c.lut_terms,
                                    c.lut_frac_bits())
                      : ", the entry in 1.14 fixed point (a multiplier)");
    case PeKind::kFma:
      return "Baseline PE: dequantized FP16 weight x FP16 activation (exact product), FP32 accumulate.";
    case PeKind::kInt8:
      return "Baseline PE (TPU-like): INT8 x INT8 multiply, INT32 accumulate.";
  }
  return "";
}

// The weight double buffer and the registers that pass activations and tokens on.
void pe_registers(hdl::Module& m, const PeConfig& c) {
  const int aw = c.act_width(), ww = c.pe_weight_width();
  m.stage("w_i", "w_shadow", ww, "the next tile's weight", "w_load_i");
  m.stage("w_shadow_q", "w_active", ww, "the current tile's weight", "first_i");
  m.wire("w_use", ww, "the weight this activation meets");
  m.assign("w_use", "first_i ? w_shadow_q : w_active_q");
  m.state("w_load_fwd", 1, "w_load_i", true);
  m.assign("w_load_o", "w_load_fwd_q");
  m.stage("a_i", "a_fwd", aw);
  m.assign("a_o", "a_fwd_q");
  m.state("first_fwd", 1, "first_i", true);
  m.assign("first_o", "first_fwd_q");
}

hdl::Module make_pe(const PeConfig& c) {
  hdl::Module m;
  m.name = c.module_name();
  const int aw = c.act_width(), ww = c.pe_weight_width(), pw = c.psum_width();
  m.description =
      description(c) +
      "\nWeights are double-buffered: the column's weight bus w_i is written into the shadow register when the\n"
      "load token w_load_i passes (it moves down one row per cycle, w_load_o); the activation flagged first_i\n"
      "meets the shadow weight and makes it the active one.";
  m.params = c.params();
  m.latency = {{"a_to_psum", c.latency()}, {"psum_to_psum", 1}, {"a_to_a", 1}};
  m.input("clk_i", 1, "clock");
  m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("w_i", ww,
          c.lut_decode_column ? "the column's weight bus: the table entry, decoded at the column's top"
                              : "the column's weight bus");
  m.input("w_load_i", 1, "load token: write w_i into the shadow weight");
  m.output("w_load_o", 1, "load token, to the PE below (1 cycle)");
  m.input("a_i", aw, "activation from the west");
  m.input("first_i", 1, "a_i is the first activation of a new weight tile");
  m.output("a_o", aw, "activation, to the east (1 cycle)");
  m.output("first_o", 1, "first_i, to the east (1 cycle)");
  if (c.table_entries() && !c.lut_decode_column)
    m.input("table_i", c.table_entry_width() * c.table_entries(),
            c.lut_terms
                ? fmt::format("the weight table: entry i as term codes at bits [{0}*i +: {0}]", c.table_entry_width())
                : "the weight table: entry i (1.14 fixed point) at bits [16*i +: 16]");
  m.input("psum_i", pw, "partial sum from the PE above");
  m.output("psum_o", pw, "psum_i + a * w (1 cycle after psum_i)");
  pe_registers(m, c);
  datapath(m, c);
  m.reg("psum", pw, "", "");
  m.assign("psum_o", "psum_q");
  return m;
}

}  // namespace

hdl::ModulePtr pe_module(const PeConfig& cfg) {
  cfg.validate();
  return hdl::share(make_pe(cfg));
}

}  // namespace mixpe
