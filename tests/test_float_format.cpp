// FP16 / BF16 / FP32 bit-level code checked against the host's IEEE arithmetic:
// exhaustively over every 16-bit encoding, and over every rounding boundary.
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>

#include <gtest/gtest.h>

#include "numerics/float_format.h"

using namespace mixpe;

namespace {

uint16_t host_half(float f) { return std::bit_cast<uint16_t>(static_cast<_Float16>(f)); }
uint16_t host_half(double d) { return std::bit_cast<uint16_t>(static_cast<_Float16>(d)); }
double host_half_value(uint16_t h) { return double(std::bit_cast<_Float16>(h)); }

// Round-to-nearest-even float -> bfloat16 by the well-known integer trick (non-NaN inputs).
uint16_t reference_bf16(float f) {
  const uint32_t u = std::bit_cast<uint32_t>(f);
  return uint16_t((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

void expect_same_half(uint16_t got, uint16_t want, double input) {
  if (is_nan(kFp16, want)) {
    EXPECT_TRUE(is_nan(kFp16, got)) << "input " << input;
  } else {
    ASSERT_EQ(got, want) << "input " << input;
  }
}

}  // namespace

TEST(Fp16, EveryEncodingDecodesToTheHostValue) {
  for (uint32_t h = 0; h < 65536; ++h) {
    const double want = host_half_value(uint16_t(h));
    const double got = to_double(kFp16, h);
    if (std::isnan(want)) {
      ASSERT_TRUE(std::isnan(got)) << h;
      ASSERT_EQ(decode(kFp16, h).cls, FpClass::kNaN);
    } else {
      ASSERT_EQ(got, want) << h;
      ASSERT_EQ(std::signbit(got), std::signbit(want)) << h;
    }
  }
}

TEST(Fp16, EveryFiniteEncodingRoundTrips) {
  for (uint32_t h = 0; h < 65536; ++h) {
    if (is_nan(kFp16, h)) continue;
    ASSERT_EQ(from_double(kFp16, to_double(kFp16, h)), h) << h;
  }
}

TEST(Fp16, ClassesAndFields) {
  EXPECT_EQ(decode(kFp16, 0x0000).cls, FpClass::kZero);
  EXPECT_EQ(decode(kFp16, 0x0001).cls, FpClass::kSubnormal);
  EXPECT_EQ(decode(kFp16, 0x0400).cls, FpClass::kNormal);
  EXPECT_EQ(decode(kFp16, 0x7C00).cls, FpClass::kInf);
  EXPECT_EQ(decode(kFp16, 0xFE00).cls, FpClass::kNaN);
  EXPECT_EQ(decode(kFp16, 0x3C00).sig, 0x400u);
  EXPECT_EQ(decode(kFp16, 0x3C00).exp, 15);
  EXPECT_EQ(decode(kFp16, 0x0001).exp, 1);  // subnormals use the effective exponent 1
}

// Every boundary between two adjacent FP16 values: the tie itself and its float neighbours,
// for both signs, including the tie between 65504 and the overflow threshold 65520.
TEST(Fp16, FloatToHalfMatchesHostOnEveryTie) {
  for (uint32_t h = 0; h < 0x7C00; ++h) {
    for (uint32_t sign : {0u, 0x8000u}) {
      const double lo = to_double(kFp16, h | sign);
      const double hi = h + 1 < 0x7C00 ? to_double(kFp16, (h + 1) | sign) : (sign ? -65536.0 : 65536.0);
      const float mid = float((lo + hi) / 2);  // exact: 12 significant bits
      for (float f : {mid, std::nextafter(mid, INFINITY), std::nextafter(mid, -INFINITY), float(lo)})
        expect_same_half(uint16_t(from_double(kFp16, f)), host_half(f), f);
    }
  }
}

TEST(Fp16, FloatToHalfMatchesHostOnRandomAndSpecialFloats) {
  std::mt19937_64 rng(12345);
  for (int i = 0; i < 4'000'000; ++i) {
    const float f = std::bit_cast<float>(uint32_t(rng()));
    expect_same_half(uint16_t(from_double(kFp16, f)), host_half(f), f);
  }
  // Floats near FP16's range: the subnormal region, underflow to zero, overflow to infinity.
  std::uniform_real_distribution<double> e(-30.0, 17.0);
  for (int i = 0; i < 2'000'000; ++i) {
    const float f = float((i & 1 ? -1 : 1) * std::exp2(e(rng)));
    expect_same_half(uint16_t(from_double(kFp16, f)), host_half(f), f);
  }
  for (float f : {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -NAN, 65504.0f, 65519.99f, 65520.0f, 5.9604645e-8f,
                  2.9802322e-8f, 2.9802326e-8f, 1e-10f})
    expect_same_half(uint16_t(from_double(kFp16, f)), host_half(f), f);
}

TEST(Fp16, DoubleToHalfRoundsOnceLikeTheHost) {
  std::mt19937_64 rng(777);
  std::uniform_real_distribution<double> e(-28.0, 17.0);
  for (int i = 0; i < 2'000'000; ++i) {
    double d = std::exp2(e(rng));
    // below a float ulp: catches double rounding through float
    d = std::bit_cast<double>(std::bit_cast<uint64_t>(d) ^ (rng() & 0xFFFFF));
    expect_same_half(uint16_t(from_double(kFp16, d)), host_half(d), d);
  }
}

TEST(Bf16, EveryEncodingDecodesToTheHostValue) {
  for (uint32_t b = 0; b < 65536; ++b) {
    const float want = std::bit_cast<float>(b << 16);
    const double got = to_double(kBf16, b);
    if (std::isnan(want)) {
      ASSERT_TRUE(std::isnan(got)) << b;
    } else {
      ASSERT_EQ(got, double(want)) << b;
    }
    if (!std::isnan(want)) {
      ASSERT_EQ(from_double(kBf16, got), b) << b;
    }
  }
}

TEST(Bf16, FloatToBf16MatchesTheReferenceRounding) {
  // every tie and its neighbours
  for (uint32_t b = 0; b < 0x7F80; ++b)
    for (uint32_t sign : {0u, 0x80000000u}) {
      const uint32_t mid = ((b << 16) + 0x8000u) | sign;
      for (uint32_t u : {mid, mid - 1, mid + 1, (b << 16) | sign}) {
        const float f = std::bit_cast<float>(u);
        ASSERT_EQ(from_double(kBf16, f), reference_bf16(f)) << u;
      }
    }
  std::mt19937_64 rng(99);
  for (int i = 0; i < 4'000'000; ++i) {
    const float f = std::bit_cast<float>(uint32_t(rng()));
    if (std::isnan(f))
      ASSERT_TRUE(is_nan(kBf16, from_double(kBf16, f)));
    else
      ASSERT_EQ(from_double(kBf16, f), reference_bf16(f)) << f;
  }
}

TEST(Fp32, DoubleToFloatMatchesTheHost) {
  std::mt19937_64 rng(4242);
  for (int i = 0; i < 4'000'000; ++i) {
    const double d = std::bit_cast<double>(rng());
    const uint32_t want = std::bit_cast<uint32_t>(float(d));
    const uint32_t got = from_double(kFp32, d);
    if (std::isnan(d))
      ASSERT_TRUE(is_nan(kFp32, got));
    else
      ASSERT_EQ(got, want) << d;
  }
  std::uniform_real_distribution<double> e(-155.0, 130.0);
  for (int i = 0; i < 2'000'000; ++i) {
    const double d = (i & 1 ? -1 : 1) * std::exp2(e(rng));
    ASSERT_EQ(from_double(kFp32, d), std::bit_cast<uint32_t>(float(d))) << d;
  }
}

TEST(RoundTo, StickyBitBreaksTiesUpward) {
  // 1 + 2^-11 is the tie between 1.0 and the next half; even rounds down, sticky rounds up.
  EXPECT_EQ(round_to(kFp16, false, (1u << 11) + 1, -11), 0x3C00u);
  EXPECT_EQ(round_to(kFp16, false, (1u << 11) + 1, -11, true), 0x3C01u);
  EXPECT_EQ(round_to(kFp16, true, 0, 0), 0x8000u);
  // very wide magnitudes
  const unsigned __int128 big = (unsigned __int128)1 << 120;
  EXPECT_EQ(round_to(kFp32, false, big, -120), 0x3F800000u);
  EXPECT_EQ(round_to(kFp32, false, big + 1, -120), 0x3F800000u);
  EXPECT_EQ(round_to(kFp16, false, 1, 100), 0x7C00u);  // overflow
  EXPECT_EQ(round_to(kFp16, false, 1, -26), 0x0000u);  // below half the smallest subnormal
  EXPECT_EQ(round_to(kFp16, false, 3, -26), 0x0001u);  // above half of it
}
