#include <bit>
#include <cmath>

#include <gtest/gtest.h>

#include "numerics/error.h"
#include "quant/act_quant.h"

using namespace mixpe;

TEST(ActQuant, FloatFormatsRoundEachElement) {
  Matrix<float> x(1, 3);
  x.data = {1.0f, 1.0f / 3.0f, 1e6f};
  const Activations a = quantize_activations(x, ActFormat::kFp16);
  EXPECT_EQ(a.code.at(0, 0), 0x3C00);
  EXPECT_EQ(a.code.at(0, 2), 0x7C00);  // overflow to infinity: the hardware sees it
  const Activations b = quantize_activations(x, ActFormat::kBf16);
  EXPECT_EQ(b.code.at(0, 0), 0x3F80);
  EXPECT_NEAR(b.value(0, 1), 1.0 / 3.0, 1.0 / 256);
}

TEST(ActQuant, Int8UsesAPerRowAbsmaxScale) {
  Matrix<float> x(2, 4);
  x.data = {1.0f, -2.0f, 0.5f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
  const Activations a = quantize_activations(x, ActFormat::kInt8);
  EXPECT_EQ(std::bit_cast<float>(a.row_scale[0]), 2.0f / 127.0f);
  EXPECT_EQ(a.code.at(0, 1), -127);
  EXPECT_NEAR(a.code.at(0, 0), 63.5, 0.5);
  EXPECT_EQ(std::bit_cast<float>(a.row_scale[1]), 1.0f);
  EXPECT_NEAR(a.value(0, 2), 0.5, 2.0 / 127);
  x.at(1, 1) = NAN;
  EXPECT_THROW(quantize_activations(x, ActFormat::kInt8), Error);
  EXPECT_THROW(parse_act("fp8"), Error);
}
