// The datapath steps of the numeric contract (docs/numerics.md), one function each, so the
// golden mpGEMM and the per-block testbenches check the hardware against the same code.
#pragma once
#include <cstdint>
#include <vector>

#include "config/accum_config.h"
#include "quant/act_quant.h"

namespace mixpe {

using int128 = __int128;

// Activation k of a row as the integer the PEs multiply: value = a * 2^lsb_exp.
// prealign: A-bit two's complement aligned to the block's largest exponent, magnitude
// truncated; exact: the significand shifted by its own exponent; int8: the code itself.
struct AlignedRow {
  std::vector<int64_t> a;    // k_padded entries (zero past K)
  std::vector<int> lsb_exp;  // one per block of AccumConfig::block elements
  bool poisoned = false;     // a NaN or Inf activation in the row: every output is NaN
};

// Largest effective exponent among finite values (zeros and subnormals count as 1).
int block_max_exp(FloatFormat f, const int32_t* codes, int count);
// One prealigned activation: trunc(sig * 2^(A-1-p) / 2^(e_max - e)) with the sign applied.
int64_t align_activation(FloatFormat f, uint32_t bits, int e_max, int align_bits);
// The weight of a prealigned activation's LSB for a block whose largest exponent is e_max.
int prealign_lsb_exp(FloatFormat f, int e_max, int align_bits);
// The weight of an exact activation's LSB: the smallest subnormal, 2^(1 - bias - (p - 1)).
int exact_lsb_exp(FloatFormat f);

AlignedRow align_row(const Activations& x, int m, int k_padded, const AccumConfig& acc);

// The group accumulator at the array's south edge: block sums arrive with their own LSB
// exponent; the accumulator keeps F bits below the largest exponent seen and floors what
// falls below (an arithmetic right shift). Exact whenever exponents differ by at most F.
class GroupAccumulator {
 public:
  explicit GroupAccumulator(int frac_bits) : frac_bits_(frac_bits) {}
  void add(int128 block_sum, int lsb_exp);
  int128 value() const { return acc_; }
  int lsb_exp() const { return exp_ - frac_bits_; }  // the weight of value()'s LSB
 private:
  int frac_bits_;
  bool empty_ = true;
  int exp_ = 0;
  int128 acc_ = 0;
};

// Arithmetic right shift of a signed 128-bit value by any non-negative amount (floor).
int128 shift_right_floor(int128 v, int shift);

// The group dequant: d = RNE_fp32(D * 2^exp); t = RNE_fp32(d * s); returns y + t in FP32
// (all FP32 values as encodings).
uint32_t dequant_accumulate(uint32_t y, int128 d, int exp, uint16_t scale_fp16);

// IEEE binary32 operations, round-to-nearest-even (the host's, compiled without contraction);
// a NaN result is the canonical quiet NaN 0x7FC00000.
uint32_t f32_add(uint32_t a, uint32_t b);
uint32_t f32_mul(uint32_t a, uint32_t b);
float f32(uint32_t bits);
uint32_t f32_bits(float v);
inline constexpr uint32_t kF32QuietNan = 0x7FC00000u;

}  // namespace mixpe
