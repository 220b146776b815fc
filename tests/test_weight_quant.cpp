// Group-wise weight quantizers: round trips, padding, bounds, errors.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "test_helpers.h"

#include "numerics/error.h"
#include "numerics/float_format.h"
#include "quant/weight_quant.h"

using namespace mixpe;

namespace {

Matrix<float> random_weights(int K, int N, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> nd(0.0f, 0.05f);
  Matrix<float> w(K, N);
  for (float& v : w.data) v = nd(rng);
  return w;
}

}  // namespace

// Every quantized weight lies within half a step of the original (the RTN bound); for NF the
// step is the largest gap between table entries, times the scale.
TEST(WeightQuant, RoundTripErrorIsWithinHalfAStep) {
  const Matrix<float> w = random_weights(300, 24, 1);
  for (WeightScheme s : {WeightScheme::kAsym, WeightScheme::kSym, WeightScheme::kLut})
    for (int bits : {2, 3, 4, 8})
      for (int g : {32, 64, 128, 256}) {
        if (s == WeightScheme::kLut && bits == 8) continue;
        const QuantWeights q = quantize_weights(w, test::weight_config(s, bits, g));
        double max_gap = 0;
        if (s == WeightScheme::kLut)
          for (int i = 1; i < (1 << bits); ++i)
            max_gap = std::max(max_gap, q.cfg.lut.value(i) - q.cfg.lut.value(i - 1));
        for (int k = 0; k < w.rows; ++k)
          for (int n = 0; n < w.cols; ++n) {
            const double s_g = to_double(kFp16, q.scale_at(k / g, n));
            const double step = s == WeightScheme::kLut ? max_gap * s_g : s_g;
            ASSERT_TRUE(q.cfg.code_format().contains(q.code(k, n)) || s == WeightScheme::kLut);
            // Interior codes: half a step. At the ends of the code range the rounded zero point
            // (asym) and the FP16 rounding of the scale can leave the group's extreme just outside
            // the grid: up to one step plus maxq * 2^-11 steps.
            const IntFormat cf = q.cfg.code_format();
            const bool at_end = s != WeightScheme::kLut && (q.code(k, n) == cf.min() || q.code(k, n) == cf.max());
            const double bound = at_end ? step * (1.0 + double(cf.max()) * std::ldexp(1.0, -10)) : 0.5 * step;
            ASSERT_LE(std::fabs(q.dequant(k, n) - w.at(k, n)), bound * (1 + 1e-6) + 1e-9)
                << scheme_name(s) << " W" << bits << " G" << g << " k" << k << " n" << n;
          }
      }
}

TEST(WeightQuant, PaddingIsExplicitAndZero) {
  const Matrix<float> w = random_weights(100, 5, 2);
  for (WeightScheme s : {WeightScheme::kAsym, WeightScheme::kSym, WeightScheme::kLut}) {
    const QuantWeights q = quantize_weights(w, test::weight_config(s, 4, 64));
    EXPECT_EQ(q.K, 100);
    EXPECT_EQ(q.k_padded, 128);
    EXPECT_EQ(q.groups(), 2);
    for (int k = 100; k < 128; ++k)
      for (int n = 0; n < 5; ++n) ASSERT_EQ(q.dequant(k, n), 0.0) << scheme_name(s);
  }
}

TEST(WeightQuant, AsymmetricUsesTheFullRangeAndAnUnsignedZeroPoint) {
  Matrix<float> w(32, 1);
  for (int k = 0; k < 32; ++k) w.at(k, 0) = float(k) / 31.0f - 0.25f;  // min -0.25, max 0.75
  const QuantWeights q = quantize_weights(w, test::weight_config(WeightScheme::kAsym, 4, 32));
  EXPECT_EQ(q.code(0, 0), 0);
  EXPECT_EQ(q.code(31, 0), 15);
  EXPECT_GE(q.zero_at(0, 0), 0);
  EXPECT_LE(q.zero_at(0, 0), 15);
  EXPECT_EQ(q.scale_at(0, 0), from_double(kFp16, 1.0 / 15.0));
}

TEST(WeightQuant, AllZeroGroupGetsAUsableScale) {
  const QuantWeights q = quantize_weights(Matrix<float>(32, 2, 0.0f), test::weight_config(WeightScheme::kSym, 4, 32));
  EXPECT_EQ(to_double(kFp16, q.scale_at(0, 0)), 1.0);
  EXPECT_EQ(q.dequant(5, 1), 0.0);
}

TEST(WeightQuant, InvalidInputsGiveOneLineErrors) {
  const Matrix<float> w = random_weights(64, 4, 3);
  EXPECT_THROW(quantize_weights(w, test::weight_config(WeightScheme::kAsym, 5, 128)), Error);
  EXPECT_THROW(quantize_weights(w, test::weight_config(WeightScheme::kAsym, 4, 100)), Error);
  EXPECT_THROW(quantize_weights(Matrix<float>(0, 4), test::weight_config(WeightScheme::kAsym, 4, 32)), Error);
  Matrix<float> bad = w;
  bad.at(10, 2) = NAN;
  try {
    quantize_weights(bad, test::weight_config(WeightScheme::kAsym, 4, 32));
    FAIL() << "NaN weight accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "weight W[10][2] = nan is not finite: the quantizer needs finite weights");
  }
  bad.at(10, 2) = INFINITY;
  EXPECT_THROW(quantize_weights(bad, test::weight_config(WeightScheme::kSym, 4, 32)), Error);
  WeightQuantConfig lut8 = test::weight_config(WeightScheme::kLut, 4, 32);
  lut8.bits = 8;
  EXPECT_THROW(lut8.validate(), Error);
}

// The dequant-first weight: the exact product rounded once, the corners the hardware block must meet.
TEST(WeightQuant, DequantToFp16RoundsTheExactProductOnce) {
  const auto h = [](double v) { return uint16_t(from_double(kFp16, v)); };
  EXPECT_EQ(dequant_to_fp16(-3, h(0.5)), h(-1.5));
  EXPECT_EQ(dequant_to_fp16(0, h(-2.0)), 0x8000);  // -2 * +0: the zero takes the scale's sign
  EXPECT_EQ(dequant_to_fp16(-1, 0x0000), 0x8000);
  EXPECT_EQ(dequant_to_fp16(15, h(65504.0)), 0x7c00);        // overflow to infinity
  EXPECT_EQ(dequant_to_fp16(3, 0x0001), 0x0003);             // subnormal scale, exact
  EXPECT_EQ(dequant_to_fp16(3, 0x3c01), 0x4202);             // 3 + 1.5 ulp: a tie, to even (up)
  EXPECT_EQ(dequant_to_fp16(3, 0x3c03), 0x4204);             // 3 + 4.5 ulp: a tie, to even (down)
  EXPECT_EQ(dequant_to_fp16(0, 0x7c00), kFp16.quiet_nan());  // infinity x 0
  EXPECT_EQ(dequant_to_fp16(-2, 0x7c00), 0xfc00);
  EXPECT_EQ(dequant_to_fp16(1, 0xfe01), kFp16.quiet_nan());  // a NaN scale: the canonical NaN
  // and the quantized container uses it: one rounding of s * (q - z)
  const QuantWeights q = quantize_weights(random_weights(64, 3, 7), test::weight_config(WeightScheme::kAsym, 4, 32));
  for (int k = 0; k < 64; ++k)
    for (int n = 0; n < 3; ++n) EXPECT_EQ(q.dequant_fp16(k, n), h(q.dequant(k, n))) << k << " " << n;
}
