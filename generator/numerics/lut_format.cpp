#include "numerics/lut_format.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "numerics/error.h"
#include "numerics/float_format.h"

namespace mixpe {
namespace {

// NormalFloat tables (bitsandbytes NF4; FLUTE's NF3/NF2 with offset 0.0322917).
const std::vector<double> kNf4 = {-1.0,
                                  -0.6961928009986877,
                                  -0.5250730514526367,
                                  -0.39491748809814453,
                                  -0.28444138169288635,
                                  -0.18477343022823334,
                                  -0.09105003625154495,
                                  0.0,
                                  0.07958029955625534,
                                  0.16093020141124725,
                                  0.24611230194568634,
                                  0.33791524171829224,
                                  0.44070982933044434,
                                  0.5626170039176941,
                                  0.7229568362236023,
                                  1.0};
const std::vector<double> kNf3 = {-1.0,         -0.4786290853, -0.2171417800, 0.0,
                                  0.1609301444, 0.3379151367,  0.5626168880,  1.0};
const std::vector<double> kNf2 = {-1.0, 0.0, 0.3379151367, 1.0};

}  // namespace

namespace {

// Fraction bits an FP16 value needs to be an exact fixed-point integer.
int needed_frac_bits(uint16_t h) {
  const Unpacked u = decode(kFp16, h);
  if (u.sig == 0) return 0;
  return 25 - u.exp - std::countr_zero(u.sig);  // value = sig * 2^(exp - 25)
}

}  // namespace

int64_t LutFormat::fixed(int index) const {
  const Unpacked u = decode(kFp16, entries.at(index));
  // exact either way: a negative shift only drops trailing zeros (see frac_bits)
  const int shift = u.exp - 25 + frac_bits();
  const int64_t mag = shift >= 0 ? int64_t(u.sig) << shift : int64_t(u.sig) >> -shift;
  return u.sign ? -mag : mag;
}

double LutFormat::value(int index) const { return to_double(kFp16, entries.at(index)); }

double LutFormat::max_abs() const {
  double m = 0;
  for (size_t i = 0; i < entries.size(); ++i) m = std::max(m, std::fabs(value(int(i))));
  return m;
}

int LutFormat::zero_index() const {
  for (size_t i = 0; i < entries.size(); ++i)
    if (value(int(i)) == 0.0) return int(i);
  fail("lookup table '{}' has no 0.0 entry, which padding needs: add one", name);
}

LutFormat table_format(const std::vector<double>& values) {
  const size_t n = values.size();
  if (n != 4 && n != 8 && n != 16) fail("a lookup table needs 4, 8 or 16 entries (2, 3 or 4 bits); got {}", n);
  LutFormat t{"table", std::countr_zero(n), {}};
  for (size_t i = 0; i < n; ++i) {
    const uint32_t h = from_double(kFp16, values[i]);
    if (!decode(kFp16, h).finite()) fail("lookup table entry {} = {} is not a finite FP16 value", i, values[i]);
    if (std::fabs(to_double(kFp16, h)) >= 2.0 || needed_frac_bits(uint16_t(h)) > LutFormat::kFracBits)
      fail("lookup table entry {} = {} is not exact in 1.14 fixed point: use entries in (-2, 2) on a 2^-14 grid", i,
           values[i]);
    t.entries.push_back(uint16_t(h));
  }
  return t;
}

namespace {

// Non-adjacent form: the signed binary digits of v with the fewest nonzeros.
std::vector<std::pair<int, bool>> naf(int64_t v) {
  std::vector<std::pair<int, bool>> digits;  // (position, negative)
  const bool neg = v < 0;
  uint64_t x = uint64_t(neg ? -v : v);
  for (int pos = 0; x != 0; ++pos, x >>= 1) {
    if (x & 1) {
      const bool minus = (x & 3) == 3;  // ...11 -> -1 and carry
      digits.emplace_back(pos, minus != neg);
      x = minus ? x + 1 : x - 1;
    }
  }
  return digits;
}

}  // namespace

uint32_t term_code(int64_t fixed, int terms, int shift_bits) {
  const int F = LutFormat::term_frac_bits(shift_bits), S = shift_bits;
  const auto d = naf(fixed);
  if (int(d.size()) > terms || (!d.empty() && d.back().first > F + 1))
    fail("table value {} needs {} signed powers of two from 2^-{} to 2^1; this table allows {}",
         std::ldexp(double(fixed), -F), d.size(), F, terms);
  uint32_t code = 0;
  for (size_t j = 0; j < d.size(); ++j) {
    const TermField f = term_field(int(j), S);
    code |= (1u << f.enable) | (d[j].second ? 1u << f.negative : 0u) | (uint32_t(d[j].first) << f.shift_lsb);
  }
  return code;
}

int64_t term_value(uint32_t code, int terms, int shift_bits) {
  const int S = shift_bits;
  int64_t v = 0;
  for (int j = 0; j < terms; ++j) {
    const TermField f = term_field(j, S);
    if (!((code >> f.enable) & 1u)) continue;
    const int64_t p = int64_t(1) << ((code >> f.shift_lsb) & ((1u << S) - 1));
    v += ((code >> f.negative) & 1u) ? -p : p;
  }
  return v;
}

LutFormat restrict_terms(const LutFormat& t, int terms, int shift_bits) {
  if (terms < 1 || terms > 3) fail("table terms {} is not legal: use 1, 2 or 3 (0: unrestricted)", terms);
  if (shift_bits != 3 && shift_bits != 4) fail("table shift bits {} is not legal: use 3 or 4", shift_bits);
  const int F = LutFormat::term_frac_bits(shift_bits);
  // every value of at most `terms` signed powers of two 2^-F .. 2^0 that FP16 holds exactly
  std::vector<int64_t> cand = {0};
  for (int k = 0; k < terms; ++k) {
    const std::vector<int64_t> prev = cand;
    for (int64_t c : prev)
      for (int pos = 0; pos <= F; ++pos)
        for (int64_t sgn : {1, -1}) cand.push_back(c + sgn * (int64_t(1) << pos));
  }
  std::sort(cand.begin(), cand.end());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  std::vector<double> ok;
  for (int64_t c : cand) {
    const double v = std::ldexp(double(c), -F);
    if (std::fabs(v) < 2.0 && to_double(kFp16, from_double(kFp16, v)) == v && int(naf(c).size()) <= terms)
      ok.push_back(v);
  }
  std::vector<double> vals;
  for (size_t i = 0; i < t.entries.size(); ++i) {
    const double want = t.value(int(i));
    double best = ok.front();
    for (double v : ok)
      if (std::fabs(v - want) < std::fabs(best - want) ||
          (std::fabs(v - want) == std::fabs(best - want) && std::fabs(v) < std::fabs(best)))
        best = v;
    vals.push_back(best);
  }
  LutFormat r = table_format(vals);
  r.name = shift_bits == 4 ? fmt::format("{}t{}", t.name, terms) : fmt::format("{}t{}s{}", t.name, terms, shift_bits);
  r.terms = terms;
  r.shift_bits = shift_bits;
  return r;
}

LutFormat nf_format(int bits) {
  LutFormat t;
  switch (bits) {
    case 4:
      t = table_format(kNf4);
      break;
    case 3:
      t = table_format(kNf3);
      break;
    case 2:
      t = table_format(kNf2);
      break;
    default:
      fail("NormalFloat has 2, 3 or 4 bits; got {}", bits);
  }
  t.name = "nf" + std::to_string(bits);
  return t;
}

}  // namespace mixpe
