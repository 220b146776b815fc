#include "blocks/fp/fp32_round.h"

#include <algorithm>
#include <bit>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "blocks/fp/fp32_add.h"

namespace mixpe {

using hdl::lit;

void emit_float_round(hdl::Module& m, FloatFormat f, const std::string& p, const std::string& sign_in,
                      const std::string& mag, int w, const std::string& lsb_biased, const std::string& out,
                      const PipelineCut& cut) {
  const int sig = f.sig_bits, eb = f.exp_bits, cap = sig + 2;  // a shift of `cap` moves every bit below the guard
  const int lzw = std::bit_width(unsigned(w)), sw = std::bit_width(unsigned(cap));
  const int nw = std::max(w, sig);  // the normalized magnitude, at least a significand wide
  m.wire(p + "lz", lzw);
  m.assign(p + "lz", leading_zeros(mag, w, lzw));
  m.wire(p + "norm", nw, "leading one at the top");
  m.assign(p + "norm", nw == w ? fmt::format("{} << {}", mag, p + "lz")
                               : fmt::format("{{{}, {}}} << {}", mag, lit(nw - w, 0), p + "lz"));
  m.wire(p + "exp", 13, "biased exponent of the leading one (two's complement)");
  m.assign(p + "exp", fmt::format("{} + {} - {}", lsb_biased, lit(13, unsigned(w - 1)), hdl::zext(p + "lz", lzw, 13)));
  m.wire(p + "zero", 1);
  m.assign(p + "zero", fmt::format("{} == {}", mag, lit(w, 0)));
  std::vector<LiveValue> live = {
      {p + "sign", sign_in, 1}, {p + "norm", p + "norm", nw}, {p + "exp", p + "exp", 13}, {p + "zero", p + "zero", 1}};
  if (cut) cut(live);
  const std::string sign = live[0].name, norm = live[1].name, exp = live[2].name, zero = live[3].name;
  m.wire(p + "sub", 1, "below the normal range: shift right into a subnormal");
  m.assign(p + "sub", fmt::format("{0}[12] | ({0} == 13'd0)", exp));
  m.wire(p + "neg_exp", 13);
  m.assign(p + "neg_exp", fmt::format("13'd1 - {}", exp));
  m.wire(p + "dshift", sw, fmt::format("1 - exp, capped: {} already moves every bit below the guard", cap));
  m.assign(p + "dshift",
           fmt::format("!{0}sub ? {1} : ({0}neg_exp > {2}) ? {3} : {4}", p, lit(sw, 0), lit(13, unsigned(cap)),
                       lit(sw, unsigned(cap)), hdl::slice(p + "neg_exp", sw - 1, 0)));
  const int xw = nw + cap;
  m.wire(p + "x", xw, fmt::format("{} kept bits, guard, then sticky bits", sig));
  m.assign(p + "x", fmt::format("{{{}, {}}} >> {}dshift", norm, lit(cap, 0), p));
  m.wire(p + "sticky", 1);
  m.assign(p + "sticky", fmt::format("{} != {}", hdl::slice(p + "x", nw, 0), lit(nw + 1, 0)));
  m.wire(p + "round_up", 1);
  m.assign(p + "round_up", fmt::format("{0}x[{1}] & ({0}sticky | {0}x[{2}])", p, nw + 1, nw + 2));
  m.wire(p + "kept", sig);
  m.assign(p + "kept", hdl::slice(p + "x", xw - 1, nw + 2));
  m.wire(p + "exp_eff", 13, "the exponent the kept bits are at: 1 for subnormals");
  m.assign(p + "exp_eff", fmt::format("{0}sub ? 13'd1 : {1}", p, exp));
  live = {{p + "sign", sign, 1},
          {p + "zero", zero, 1},
          {p + "kept", p + "kept", sig},
          {p + "round_up", p + "round_up", 1},
          {p + "exp_eff", p + "exp_eff", 13}};
  if (cut) cut(live);
  const std::string sign2 = live[0].name, zero2 = live[1].name, kept = live[2].name, up = live[3].name,
                    exp_eff = live[4].name;
  m.wire(p + "rounded", sig + 1);
  m.assign(p + "rounded", fmt::format("{{1'b0, {}}} + {{{}, {}}}", kept, lit(sig, 0), up));
  m.wire(p + "exp_final", 13);
  m.assign(p + "exp_final", fmt::format("{0}rounded[{2}] ? {1} + 13'd1 : {1}", p, exp_eff, sig));
  m.wire(p + "frac", sig - 1);
  m.assign(p + "frac",
           fmt::format("{0}rounded[{1}] ? {2} : {3}", p, sig, lit(sig - 1, 0), hdl::slice(p + "rounded", sig - 2, 0)));
  m.wire(p + "field", eb);
  m.assign(p + "field", fmt::format("({0}rounded[{1}] | {0}rounded[{2}]) ? {3} : {4}", p, sig, sig - 1,
                                    hdl::slice(p + "exp_final", eb - 1, 0), lit(eb, 0)));
  const unsigned top = (1u << eb) - 1;
  m.assign(out, fmt::format("{1} ? {{{0}, {3}}}"
                            " : (!{2}exp_final[12] & ({2}exp_final >= {4})) ? {{{0}, {5}, {6}}}"
                            " : {{{0}, {2}field, {2}frac}}",
                            sign2, zero2, p, lit(f.total_bits() - 1, 0), lit(13, top), fmt::format("{}'h{:x}", eb, top),
                            lit(sig - 1, 0)));
}

void emit_fp32_round(hdl::Module& m, const std::string& p, const std::string& sign_in, const std::string& mag, int w,
                     const std::string& lsb_biased, const std::string& out, const PipelineCut& cut) {
  emit_float_round(m, kFp32, p, sign_in, mag, w, lsb_biased, out, cut);
}

void emit_fp32_mul(hdl::Module& m, const std::string& p, const std::string& a, const std::string& b, FloatFormat bf,
                   const std::string& out, const PipelineCut& cut) {
  const int bfb = bf.sig_bits - 1, beb = bf.exp_bits, btop = bf.total_bits() - 1;
  m.wire(p + "a_field", 8);
  m.assign(p + "a_field", hdl::slice(a, 30, 23));
  m.wire(p + "b_field", beb);
  m.assign(p + "b_field", hdl::slice(b, btop - 1, bfb));
  m.wire(p + "a_sig", 24);
  m.assign(p + "a_sig", fmt::format("{{({0}a_field != 8'd0), {1}}}", p, hdl::slice(a, 22, 0)));
  m.wire(p + "b_sig", bf.sig_bits);
  m.assign(p + "b_sig", fmt::format("{{({0}b_field != {1}), {2}}}", p, lit(beb, 0), hdl::slice(b, bfb - 1, 0)));
  m.wire(p + "a_inf", 1);
  m.wire(p + "a_nan", 1);
  m.wire(p + "b_inf", 1);
  m.wire(p + "b_nan", 1);
  m.assign(p + "a_nan", fmt::format("({0}a_field == 8'hff) & ({1} != 23'd0)", p, hdl::slice(a, 22, 0)));
  m.assign(p + "a_inf", fmt::format("({0}a_field == 8'hff) & ({1} == 23'd0)", p, hdl::slice(a, 22, 0)));
  const std::string bmax = lit(beb, (1u << beb) - 1);
  m.assign(p + "b_nan",
           fmt::format("({0}b_field == {1}) & ({2} != {3})", p, bmax, hdl::slice(b, bfb - 1, 0), lit(bfb, 0)));
  m.assign(p + "b_inf",
           fmt::format("({0}b_field == {1}) & ({2} == {3})", p, bmax, hdl::slice(b, bfb - 1, 0), lit(bfb, 0)));
  m.wire(p + "sign", 1);
  m.assign(p + "sign", fmt::format("{} ^ {}", hdl::bit(a, 31), hdl::bit(b, btop)));
  const int pw = 24 + bf.sig_bits;
  // pipelined: partial products of a's significand and 6-bit pieces of b's, summed after the cut
  std::vector<LiveValue> parts;
  if (cut) {
    for (int lo = 0, i = 0; lo < bf.sig_bits; lo += 6, ++i) {
      const int w = std::min(6, bf.sig_bits - lo);
      const std::string pp = fmt::format("{}pp{}", p, i);
      m.wire(pp, 24 + w);
      m.assign(pp, fmt::format("{} * {}", hdl::zext(p + "a_sig", 24, 24 + w),
                               hdl::zext(hdl::slice(p + "b_sig", lo + w - 1, lo), w, 24 + w)));
      parts.push_back({pp, pp, 24 + w});
    }
  } else {
    m.wire(p + "prod", pw, "exact significand product");
    m.assign(p + "prod",
             fmt::format("{0} * {1}", hdl::zext(p + "a_sig", 24, pw), hdl::zext(p + "b_sig", bf.sig_bits, pw)));
  }
  // LSB weight: (ea - 127 - 23) + (eb - bias_b - (sig_b - 1)); biased by 127
  const int offset = 23 + bf.bias() + bfb;
  m.wire(p + "lsb", 13);
  m.assign(
      p + "lsb",
      fmt::format(
          "{{5'd0, (({0}a_field == 8'd0) ? 8'd1 : {0}a_field)}}"
          " + {1} - {2}",
          p, hdl::zext(fmt::format("(({0}b_field == {1}) ? {2} : {0}b_field)", p, lit(beb, 0), lit(beb, 1)), beb, 13),
          lit(13, unsigned(offset))));
  // NaN in, or infinity times zero; infinity otherwise
  m.wire(p + "nan", 1);
  m.assign(p + "nan", fmt::format("{0}a_nan | {0}b_nan | ({0}a_inf & ({1} == {2})) | ({0}b_inf & ({3} == 31'd0))", p,
                                  hdl::slice(b, btop - 1, 0), lit(btop, 0), hdl::slice(a, 30, 0)));
  m.wire(p + "inf", 1);
  m.assign(p + "inf", fmt::format("{0}a_inf | {0}b_inf", p));
  // the values that outlive the product: named, so each cut renames them in place
  std::string sign = p + "sign", lsb = p + "lsb", nan = p + "nan", inf = p + "inf";
  const std::vector<std::pair<std::string*, int>> kept = {{&sign, 1}, {&lsb, 13}, {&nan, 1}, {&inf, 1}};
  const std::vector<std::string> labels = {p + "sign", p + "lsb", p + "nan", p + "inf"};
  const auto carry = [&](std::vector<LiveValue>& l) {
    for (size_t i = 0; i < kept.size(); ++i) l.push_back({labels[i], *kept[i].first, kept[i].second});
  };
  const auto take = [&](const std::vector<LiveValue>& l) {
    for (size_t i = 0; i < kept.size(); ++i) *kept[i].first = live_name(l, labels[i]);
  };
  if (cut) {  // cut 1 after the partial products, cut 2 after their sum
    std::vector<LiveValue> l = parts;
    carry(l);
    cut(l);
    take(l);
    std::string sum;
    for (size_t i = 0; i < parts.size(); ++i)
      sum += fmt::format("{}({} << {})", i ? " + " : "", hdl::zext(live_name(l, parts[i].label), parts[i].width, pw),
                         6 * i);
    m.wire(p + "prod", pw, "exact significand product, from its partial products");
    m.assign(p + "prod", sum);
  }
  std::string prod = p + "prod";
  if (cut) {
    std::vector<LiveValue> l = {{prod, prod, pw}};
    carry(l);
    cut(l);
    take(l);
    prod = live_name(l, p + "prod");
  }
  PipelineCut round_cut;  // the rounding's own cuts carry the special flags too
  if (cut)
    round_cut = [&](std::vector<LiveValue>& l) {
      const size_t own = l.size();
      l.push_back({p + "nan", nan, 1});
      l.push_back({p + "inf", inf, 1});
      cut(l);
      nan = live_name(l, p + "nan");
      inf = live_name(l, p + "inf");
      l.resize(own);
    };
  m.wire(p + "finite", 32);
  emit_fp32_round(m, p + "r_", sign, prod, pw, lsb, p + "finite", round_cut);
  // the finite result carries the product's sign, as the rounding's last stage has it
  m.assign(out, fmt::format("{} ? {} : {} ? {{{}finite[31], 8'hff, 23'd0}} : {}finite", nan, fp32_nan(), inf, p, p));
}

}  // namespace mixpe
