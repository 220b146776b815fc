#include <gtest/gtest.h>

#include "numerics/error.h"
#include "numerics/float_format.h"
#include "numerics/lut_format.h"

using namespace mixpe;

TEST(LutFormat, NormalFloatTablesAreFp16RoundingsOfThePublishedValues) {
  const LutFormat nf4 = nf_format(4);
  ASSERT_EQ(nf4.entries.size(), 16u);
  EXPECT_EQ(nf4.value(0), -1.0);
  EXPECT_EQ(nf4.value(7), 0.0);
  EXPECT_EQ(nf4.value(15), 1.0);
  EXPECT_EQ(nf4.entries[1], from_double(kFp16, -0.6961928009986877));
  EXPECT_NEAR(nf4.value(8), 0.07958029955625534, 1e-4);
  EXPECT_EQ(nf_format(3).entries.size(), 8u);
  EXPECT_EQ(nf_format(2).value(2), to_double(kFp16, from_double(kFp16, 0.3379151367)));
  EXPECT_THROW(nf_format(5), Error);
}

TEST(LutFormat, FixedPointIntegersRepresentEveryEntryExactly) {
  for (int bits : {2, 3, 4}) {
    const LutFormat t = nf_format(bits);
    const int fb = t.frac_bits();
    for (int i = 0; i < (1 << bits); ++i) EXPECT_EQ(std::ldexp(double(t.fixed(i)), -fb), t.value(i)) << bits << " " << i;
  }
  // every table uses the hardware's 1.14 fixed point
  const LutFormat p = table_format({-1.0, -0.25, 0.0, 0.5});
  EXPECT_EQ(p.frac_bits(), 14);
  EXPECT_EQ(p.fixed(1), -4096);
  EXPECT_EQ(p.zero_index(), 2);
}

TEST(LutFormat, BadTablesAreRejected) {
  EXPECT_THROW(table_format({1.0, 0.5, 0.25}), Error);
  EXPECT_THROW(table_format({1.0, 0.5, 0.25, 1e6}), Error);  // overflows FP16
  EXPECT_THROW(table_format({1.0, 0.5, 1.5, 0.25}).zero_index(), Error);
  EXPECT_THROW(table_format({0.0, 0.5, 1.0, 2.5}), Error);     // |entry| >= 2
  EXPECT_THROW(table_format({0.0, 0.5, 1.0, 0.001}), Error);   // bits below 2^-14
}
