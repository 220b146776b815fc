// The golden mpGEMM against independent computations of the same contract, and its error
// against float64 beside the software W4A16 kernel's.
#include <bit>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "test_helpers.h"

#include "golden/datapath.h"
#include "golden/mpgemm.h"
#include "golden/reference.h"
#include "numerics/error.h"

using namespace mixpe;

namespace {

struct Problem {
  Matrix<float> x, w;
};

Problem random_problem(int M, int K, int N, uint64_t seed, float xscale = 1.0f) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  Problem p{Matrix<float>(M, K), Matrix<float>(K, N)};
  for (float& v : p.x.data) v = xscale * nd(rng);
  for (float& v : p.w.data) v = nd(rng);
  return p;
}

AccumConfig accum(AccumMode mode, int A = 16, int block = 16) {
  AccumConfig a;
  a.mode = mode;
  a.align_bits = A;
  a.block = block;
  return a;
}

// The contract written out independently for one output: per group, the exact sum
// D = sum_k x_k * (w_k - z) (exact in double for these sizes), then RNE to FP32, times the
// scale, added to Y, each in FP32.
uint32_t exact_contract(const Activations& x, const QuantWeights& w, int m, int n) {
  float y = 0.0f;
  for (int g = 0; g < w.groups(); ++g) {
    double d = 0;
    for (int k = g * w.cfg.group_size; k < std::min((g + 1) * w.cfg.group_size, w.K); ++k) {
      const double wv = std::ldexp(double(w.weight_int(k, n)), -w.weight_frac_bits());
      d += (is_float(x.fmt) ? x.value(m, k) : double(x.code.at(m, k))) * (wv - double(w.zero_at(g, n)));
    }
    y = y + float(d) * float(to_double(kFp16, w.scale_at(g, n)));
  }
  if (!is_float(x.fmt)) y = y * std::bit_cast<float>(x.row_scale[size_t(m)]);
  return std::bit_cast<uint32_t>(y);
}

}  // namespace

TEST(Datapath, AlignActivationTruncatesTheMagnitude) {
  // 1.0 aligned to itself with A = 16: 15 magnitude bits, LSB 2^-14
  EXPECT_EQ(align_activation(kFp16, 0x3C00, 15, 16), 0x4000);
  EXPECT_EQ(prealign_lsb_exp(kFp16, 15, 16), -14);
  EXPECT_EQ(align_activation(kFp16, 0xBC00, 15, 16), -0x4000);
  // 1 + 2^-10 aligned to an exponent 8 larger keeps 15 - 8 bits: the 2^-10 is truncated away
  EXPECT_EQ(align_activation(kFp16, 0x3C01, 23, 16), 0x40);
  EXPECT_EQ(align_activation(kFp16, 0xBC01, 23, 16), -0x40);  // toward zero for negatives too
  // A narrower than the significand: bits drop even at the block maximum
  EXPECT_EQ(align_activation(kFp16, 0x3FFF, 15, 8), 0x7F);
  EXPECT_EQ(align_activation(kFp16, 0x3C00, 15 + 70, 16), 0);
}

TEST(Datapath, GroupAccumulatorIsExactWithinItsFractionBits) {
  GroupAccumulator exact(3);
  exact.add(5, 0);
  exact.add(1, 3);  // 8 + 5 = 13 at LSB 2^0: kept exactly with 3 fraction bits
  EXPECT_EQ(exact.value(), int128(13));
  EXPECT_EQ(exact.lsb_exp(), 0);
  GroupAccumulator lossy(1);
  lossy.add(5, 0);
  lossy.add(1, 3);  // 5 * 2^0 re-aligned to LSB 2^2 floors to 1; plus 1 * 2^3 = 2 units: 3 * 4 = 12
  EXPECT_EQ(lossy.value(), int128(3));
  EXPECT_EQ(lossy.lsb_exp(), 2);
  GroupAccumulator neg(0);
  neg.add(-1, 0);
  neg.add(0, 4);  // floor, not truncation: -1/16 floors to -1
  EXPECT_EQ(neg.value(), int128(-1));
}

// Exact accumulation: the golden output equals the contract computed in double.
TEST(Golden, ExactModeMatchesTheContractComputedIndependently) {
  for (WeightScheme s : {WeightScheme::kAsym, WeightScheme::kSym, WeightScheme::kLut})
    for (ActFormat af : {ActFormat::kFp16, ActFormat::kInt8}) {
      const Problem p = random_problem(3, 150, 7, 11);
      const Activations x = quantize_activations(p.x, af);
      const QuantWeights w = quantize_weights(p.w, test::weight_config(s, 4, 32));
      const Matrix<uint32_t> y = golden_mpgemm(x, w, accum(AccumMode::kExact, 16, 8));
      for (int m = 0; m < 3; ++m)
        for (int n = 0; n < 7; ++n)
          ASSERT_EQ(y.at(m, n), exact_contract(x, w, m, n)) << scheme_name(s) << " " << act_name(af) << m << n;
    }
}

// Prealignment loses nothing when every exponent of a block is equal and A keeps all bits.
TEST(Golden, PrealignEqualsExactWhenNothingIsShiftedOut) {
  Problem p = random_problem(4, 256, 9, 5);
  for (float& v : p.x.data) v = std::copysign(1.0f + std::fabs(v) / 8.0f, v);  // all in [1, 2)
  const Activations x = quantize_activations(p.x, ActFormat::kFp16);
  const QuantWeights w = quantize_weights(p.w, test::weight_config(WeightScheme::kAsym, 4, 128));
  EXPECT_EQ(golden_mpgemm(x, w, accum(AccumMode::kPrealign, 12, 16)).data,
            golden_mpgemm(x, w, accum(AccumMode::kExact)).data);
  // ...and differs once A is too narrow for the significand
  EXPECT_NE(golden_mpgemm(x, w, accum(AccumMode::kPrealign, 10, 16)).data,
            golden_mpgemm(x, w, accum(AccumMode::kExact)).data);
}

// With F >= 29 the edge accumulator is exact for FP16, so prealign with a wide A is exact.
TEST(Golden, WidePrealignWithFullEdgeBitsIsExactForFp16) {
  const Problem p = random_problem(3, 256, 5, 8);
  const Activations x = quantize_activations(p.x, ActFormat::kFp16);
  const QuantWeights w = quantize_weights(p.w, test::weight_config(WeightScheme::kAsym, 4, 64));
  // A = 32 keeps 20 guard bits: exact whenever the block spans at most 20 binades; F = 29 keeps
  // every block of a group exact (FP16 exponents span 29)
  AccumConfig a = accum(AccumMode::kPrealign, 32, 16);
  a.edge_frac_bits = 29;
  const Matrix<uint32_t> pre = golden_mpgemm(x, w, a);
  const Matrix<uint32_t> ex = golden_mpgemm(x, w, accum(AccumMode::kExact));
  EXPECT_EQ(pre.data, ex.data);
}

// The default F is 8 for FP16 and BF16. Exact while a group's block exponents differ by at most 8;
// beyond that the group accumulator floors the smaller blocks
// (Datapath.GroupAccumulatorIsExactWithinItsFractionBits), which the FP32 result rarely shows: here
// block 0 is scaled 2^8 (with the blocks' own spread, 9-10 binades) and the outputs still equal the
// exact datapath's, as on every row of the fidelity table.
TEST(Golden, DefaultEdgeBitsAreEightAndExactWithinEightBinades) {
  Problem p = random_problem(2, 128, 3, 9);
  for (int m = 0; m < 2; ++m)
    for (int k = 0; k < 16; ++k) p.x.at(m, k) *= 256.0f;  // block 0 of the first group
  const Activations x = quantize_activations(p.x, ActFormat::kFp16);
  const QuantWeights w = quantize_weights(p.w, test::weight_config(WeightScheme::kAsym, 4, 64));
  const AccumConfig def = accum(AccumMode::kPrealign, 32, 16);
  EXPECT_EQ(def.frac_bits(ActFormat::kFp16), 8);
  EXPECT_EQ(def.frac_bits(ActFormat::kBf16), 8);
  EXPECT_EQ(golden_mpgemm(x, w, def).data, golden_mpgemm(x, w, accum(AccumMode::kExact)).data);
}

TEST(Golden, KPaddingEqualsExplicitZeros) {
  const Problem p = random_problem(2, 100, 6, 21);
  Problem padded{Matrix<float>(2, 128), Matrix<float>(128, 6)};
  for (int m = 0; m < 2; ++m)
    for (int k = 0; k < 100; ++k) padded.x.at(m, k) = p.x.at(m, k);
  const QuantWeights w = quantize_weights(p.w, test::weight_config(WeightScheme::kAsym, 4, 128));
  QuantWeights wp = w;
  wp.K = 128;  // the same codes, padding rows now counted as real rows
  for (AccumMode mode : {AccumMode::kPrealign, AccumMode::kExact, AccumMode::kFp32})
    EXPECT_EQ(golden_mpgemm(quantize_activations(p.x, ActFormat::kFp16), w, accum(mode)).data,
              golden_mpgemm(quantize_activations(padded.x, ActFormat::kFp16), wp, accum(mode)).data);
}

TEST(Golden, NonFiniteActivationsPoisonTheirRowOnly) {
  Problem p = random_problem(3, 64, 4, 3);
  p.x.at(1, 17) = INFINITY;
  const QuantWeights w = quantize_weights(p.w, test::weight_config(WeightScheme::kAsym, 4, 32));
  const Activations x = quantize_activations(p.x, ActFormat::kFp16);
  for (AccumMode mode : {AccumMode::kPrealign, AccumMode::kExact, AccumMode::kFp32}) {
    const Matrix<uint32_t> y = golden_mpgemm(x, w, accum(mode));
    for (int n = 0; n < 4; ++n) {
      EXPECT_EQ(y.at(1, n), kF32QuietNan);
      EXPECT_FALSE(std::isnan(f32(y.at(0, n))));
      EXPECT_FALSE(std::isnan(f32(y.at(2, n))));
    }
  }
  EXPECT_EQ(golden_dequant_first(x, w, 16).at(1, 0), kF32QuietNan);
}

// FP32 accumulation in blocks, written out for a one-group problem.
TEST(Golden, Fp32ModeAccumulatesBlocksInOrder) {
  const Problem p = random_problem(2, 32, 3, 4);
  const Activations x = quantize_activations(p.x, ActFormat::kFp16);
  const QuantWeights w = quantize_weights(p.w, test::weight_config(WeightScheme::kAsym, 4, 32));
  const Matrix<uint32_t> y = golden_mpgemm(x, w, accum(AccumMode::kFp32, 16, 8));
  for (int m = 0; m < 2; ++m)
    for (int n = 0; n < 3; ++n) {
      float P = 0, S = 0;
      for (int b = 0; b < 4; ++b) {
        float pb = 0, sb = 0;
        for (int k = b * 8; k < b * 8 + 8; ++k) {
          const float xv = float(x.value(m, k));
          pb = pb + xv * float(w.code(k, n));
          sb = sb + xv;
        }
        P = P + pb;
        S = S + sb;
      }
      const float d = P - float(w.zero_at(0, n)) * S;
      const float want = 0.0f + d * float(to_double(kFp16, w.scale_at(0, n)));
      ASSERT_EQ(y.at(m, n), std::bit_cast<uint32_t>(want));
    }
}

TEST(Golden, SoftwareReferenceIsDequantFirstWithOneBlock) {
  const Problem p = random_problem(2, 256, 3, 9);
  const Activations x = quantize_activations(p.x, ActFormat::kFp16);
  const QuantWeights w = quantize_weights(p.w, test::weight_config(WeightScheme::kAsym, 4, 128));
  const Matrix<uint32_t> sw = software_reference(x, w);
  for (int m = 0; m < 2; ++m)
    for (int n = 0; n < 3; ++n) {
      float y = 0;
      for (int k = 0; k < 256; ++k)
        y = y + float(x.value(m, k)) * float(to_double(kFp16, from_double(kFp16, w.dequant(k, n))));
      ASSERT_EQ(sw.at(m, n), std::bit_cast<uint32_t>(y));
    }
}

// Error against float64 on W4A16 G128: the exact datapath rounds only at the dequant, so it
// beats the software kernel, which rounds the weights to FP16 and every partial sum to FP32.
TEST(Golden, ErrorAgainstFloat64) {
  const Problem p = random_problem(16, 1024, 64, 2024);
  const Activations x = quantize_activations(p.x, ActFormat::kFp16);
  const QuantWeights w = quantize_weights(p.w, test::weight_config(WeightScheme::kAsym, 4, 128));
  const Matrix<double> ref = reference_f64(x, w);
  const ErrorMetrics exact = error_metrics(fp32_to_double(golden_mpgemm(x, w, accum(AccumMode::kExact))), ref);
  const ErrorMetrics pre16 = error_metrics(fp32_to_double(golden_mpgemm(x, w, accum(AccumMode::kPrealign))), ref);
  const ErrorMetrics sw = error_metrics(fp32_to_double(software_reference(x, w)), ref);
  EXPECT_LT(exact.rel_frobenius, 1e-7);  // a few FP32 roundings per output
  EXPECT_LT(exact.rel_frobenius, sw.rel_frobenius);
  EXPECT_LT(pre16.rel_frobenius, 1e-4);  // 4 guard bits of alignment
  EXPECT_GT(pre16.rel_frobenius, exact.rel_frobenius);
  // against the unquantized product the quantization error dominates (W4: a few percent)
  const ErrorMetrics quant =
      error_metrics(fp32_to_double(golden_mpgemm(x, w, accum(AccumMode::kExact))), reference_f64(p.x, p.w));
  EXPECT_GT(quant.rel_frobenius, 1e-2);
  EXPECT_LT(quant.rel_frobenius, 0.2);
}

TEST(Golden, InvalidConfigurationsGiveOneLineErrors) {
  const Problem p = random_problem(1, 64, 2, 1);
  const QuantWeights w = quantize_weights(p.w, test::weight_config(WeightScheme::kAsym, 4, 32));
  EXPECT_THROW(golden_mpgemm(quantize_activations(p.x, ActFormat::kBf16), w, accum(AccumMode::kExact)), Error);
  EXPECT_THROW(golden_mpgemm(quantize_activations(p.x, ActFormat::kInt8), w, accum(AccumMode::kPrealign)), Error);
  EXPECT_THROW(golden_mpgemm(quantize_activations(p.x, ActFormat::kFp16), w, accum(AccumMode::kPrealign, 16, 64)),
               Error);
  EXPECT_THROW(golden_mpgemm(quantize_activations(p.x, ActFormat::kFp16), w, accum(AccumMode::kPrealign, 40)), Error);
  const Problem q = random_problem(1, 65, 2, 1);
  EXPECT_THROW(golden_mpgemm(quantize_activations(q.x, ActFormat::kFp16), w, accum(AccumMode::kExact)), Error);
}
