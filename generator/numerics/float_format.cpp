#include "numerics/float_format.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace mixpe {

Unpacked decode(FloatFormat f, uint32_t bits) {
  const int frac_bits = f.sig_bits - 1;
  const bool sign = (bits >> (f.total_bits() - 1)) & 1u;
  const int e = int((bits >> frac_bits) & uint32_t(f.max_biased_exp()));
  const uint32_t frac = bits & f.frac_mask();
  if (e == f.max_biased_exp()) return {sign, e, frac, frac ? FpClass::kNaN : FpClass::kInf};
  if (e == 0) return {sign, 1, frac, frac ? FpClass::kSubnormal : FpClass::kZero};
  return {sign, e, frac | (1u << frac_bits), FpClass::kNormal};
}

double to_double(FloatFormat f, uint32_t bits) {
  const Unpacked u = decode(f, bits);
  double mag;
  switch (u.cls) {
    case FpClass::kNaN:
      return std::nan("");
    case FpClass::kInf:
      mag = INFINITY;
      break;
    default:
      mag = std::ldexp(double(u.sig), u.exp - f.bias() - (f.sig_bits - 1));
  }
  return u.sign ? -mag : mag;
}

uint32_t round_to(FloatFormat f, bool sign, unsigned __int128 mag, int exp2, bool sticky) {
  const uint32_t sign_bits = sign ? f.sign_bit() : 0u;
  const int frac_bits = f.sig_bits - 1;
  if (mag == 0) return sign_bits;  // a sticky-only value would be below any representable LSB

  const int msb = 127 - (mag >> 64 ? std::countl_zero(uint64_t(mag >> 64)) : 64 + std::countl_zero(uint64_t(mag)));
  const int unbiased = msb + exp2;  // value in [2^unbiased, 2^(unbiased+1))
  // Weight of the LSB we keep: normal numbers keep sig_bits bits; subnormals are fixed-point.
  const int min_normal_exp = 1 - f.bias();
  const int lsb_exp = (unbiased >= min_normal_exp ? unbiased : min_normal_exp) - frac_bits;
  const int shift = lsb_exp - exp2;  // right shift that puts mag's bits at the kept LSB

  unsigned __int128 kept;
  if (shift <= 0) {
    kept = mag << -shift;  // exact: fewer than sig_bits significant bits
  } else {
    const bool all_out = shift >= 128;
    kept = all_out ? 0 : mag >> shift;
    const unsigned __int128 rem = all_out ? mag : mag & (((unsigned __int128)1 << shift) - 1);
    const unsigned __int128 half = all_out ? 0 : (unsigned __int128)1 << (shift - 1);
    const bool round_up = !all_out && (rem > half || (rem == half && (sticky || (kept & 1))));
    if (round_up) ++kept;
  }
  // kept is the significand (with hidden bit when normal); a carry out of the top bit or out
  // of the subnormal range both just increase the biased exponent by one, which the packing
  // below does for free when the fields are added rather than or-ed.
  int biased = lsb_exp + frac_bits + f.bias();  // exponent field for a significand with hidden bit
  if (kept < ((unsigned __int128)1 << frac_bits))
    biased = 0;  // subnormal or zero result
  else if (kept >= ((unsigned __int128)1 << f.sig_bits)) {
    kept >>= 1;
    ++biased;
  }
  if (biased >= f.max_biased_exp()) return sign_bits | (uint32_t(f.max_biased_exp()) << frac_bits);
  const uint32_t frac = uint32_t(kept) & f.frac_mask();
  return sign_bits | (uint32_t(biased) << frac_bits) | frac;
}

uint32_t from_double(FloatFormat f, double v) {
  const bool sign = std::signbit(v);
  if (std::isnan(v)) return f.quiet_nan() | (sign ? f.sign_bit() : 0u);
  if (std::isinf(v)) return (sign ? f.sign_bit() : 0u) | (uint32_t(f.max_biased_exp()) << (f.sig_bits - 1));
  const uint64_t b = std::bit_cast<uint64_t>(v);
  const int e = int((b >> 52) & 0x7ff);
  const uint64_t frac = b & ((uint64_t(1) << 52) - 1);
  const uint64_t mag = e ? (frac | (uint64_t(1) << 52)) : frac;
  return round_to(f, sign, mag, (e ? e : 1) - 1075);
}

std::string_view format_name(FloatFormat f) {
  if (f == kFp16) return "fp16";
  if (f == kBf16) return "bf16";
  if (f == kFp32) return "fp32";
  return "float";
}

}  // namespace mixpe
