#include "golden/datapath.h"

#include "golden/pe_model.h"

#include <algorithm>
#include <bit>

namespace mixpe {

int block_max_exp(FloatFormat f, const int32_t* codes, int count) {
  int e_max = 1;
  for (int i = 0; i < count; ++i) {
    const Unpacked u = decode(f, uint32_t(codes[i]));
    if (u.finite()) e_max = std::max(e_max, u.exp);
  }
  return e_max;
}

int64_t align_activation(FloatFormat f, uint32_t bits, int e_max, int align_bits) {
  const Unpacked u = decode(f, bits);
  const int left = align_bits - 1 - f.sig_bits;  // may be negative: A narrower than sig + sign
  const int right = e_max - u.exp - std::min(left, 0);
  int64_t mag = int64_t(u.sig) << std::max(left, 0);
  mag = right >= 63 ? 0 : mag >> right;
  return u.sign ? -mag : mag;
}

int prealign_lsb_exp(FloatFormat f, int e_max, int align_bits) { return e_max - f.bias() - (align_bits - 2); }

int exact_lsb_exp(FloatFormat f) { return 1 - f.bias() - (f.sig_bits - 1); }

AlignedRow align_row(const Activations& x, int m, int k_padded, const AccumConfig& acc) {
  AlignedRow r;
  r.a.assign(size_t(k_padded), 0);
  r.lsb_exp.assign(size_t(k_padded / acc.block), 0);
  const int K = x.K();
  const int32_t* row = &x.code.at(m, 0);
  if (!is_float(x.fmt)) {
    for (int k = 0; k < K; ++k) r.a[size_t(k)] = row[k];
    return r;
  }
  const FloatFormat f = float_format(x.fmt);
  for (int k = 0; k < K; ++k)
    if (!decode(f, uint32_t(row[k])).finite()) r.poisoned = true;
  for (size_t b = 0; b < r.lsb_exp.size(); ++b) {
    const int k0 = int(b) * acc.block;
    const int count = std::clamp(K - k0, 0, acc.block);
    if (acc.mode == AccumMode::kExact) {
      // Fixed point with the LSB of the smallest subnormal: sig << (e - 1).
      r.lsb_exp[b] = exact_lsb_exp(f);
      for (int k = k0; k < k0 + count; ++k) r.a[size_t(k)] = exact_activation(x.fmt, row[k]);
    } else {
      const int e_max = block_max_exp(f, row + k0, count);
      r.lsb_exp[b] = prealign_lsb_exp(f, e_max, acc.align_bits);
      for (int k = k0; k < k0 + count; ++k) {
        if (!decode(f, uint32_t(row[k])).finite()) continue;
        r.a[size_t(k)] = align_activation(f, uint32_t(row[k]), e_max, acc.align_bits);
      }
    }
  }
  return r;
}

int128 shift_right_floor(int128 v, int shift) {
  if (shift <= 0) return v;
  if (shift >= 127) return v < 0 ? -1 : 0;
  return v >> shift;  // GCC: arithmetic shift of a signed value
}

void GroupAccumulator::add(int128 block_sum, int lsb_exp) {
  const int128 scaled = block_sum * (int128(1) << frac_bits_);
  if (empty_) {
    empty_ = false;
    exp_ = lsb_exp;
    acc_ = scaled;
  } else if (lsb_exp > exp_) {
    acc_ = shift_right_floor(acc_, lsb_exp - exp_) + scaled;
    exp_ = lsb_exp;
  } else {
    acc_ += shift_right_floor(scaled, exp_ - lsb_exp);
  }
}

float f32(uint32_t bits) { return std::bit_cast<float>(bits); }
uint32_t f32_bits(float v) { return std::bit_cast<uint32_t>(v); }
// NaN results are canonical (the host would propagate an input's payload; the hardware does not).
static uint32_t canonical(float v) { return v != v ? kF32QuietNan : f32_bits(v); }
uint32_t f32_add(uint32_t a, uint32_t b) { return canonical(f32(a) + f32(b)); }
uint32_t f32_mul(uint32_t a, uint32_t b) { return canonical(f32(a) * f32(b)); }

uint32_t dequant_accumulate(uint32_t y, int128 d, int exp, uint16_t scale_fp16) {
  const unsigned __int128 mag = d < 0 ? (unsigned __int128)(-d) : (unsigned __int128)d;
  const uint32_t d32 = round_to(kFp32, d < 0, mag, exp);
  const uint32_t s32 = f32_bits(float(to_double(kFp16, scale_fp16)));  // exact widening
  return f32_add(y, f32_mul(d32, s32));
}

}  // namespace mixpe
