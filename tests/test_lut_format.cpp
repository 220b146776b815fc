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
    for (int i = 0; i < (1 << bits); ++i)
      EXPECT_EQ(std::ldexp(double(t.fixed(i)), -fb), t.value(i)) << bits << " " << i;
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
  EXPECT_THROW(table_format({0.0, 0.5, 1.0, 2.5}), Error);    // |entry| >= 2
  EXPECT_THROW(table_format({0.0, 0.5, 1.0, 0.001}), Error);  // bits below 2^-14
}

TEST(LutFormat, TermTablesEncodeEveryEntryInTheirShiftRange) {
  for (int shift : {3, 4})
    for (int terms : {1, 2, 3}) {
      const LutFormat t = restrict_terms(nf_format(4), terms, shift);
      const int F = t.frac_bits(), cw = (shift + 2) * terms;
      EXPECT_EQ(F, shift == 4 ? 14 : 6);
      for (int i = 0; i < 16; ++i) {
        EXPECT_EQ(std::ldexp(double(t.fixed(i)), -F), t.value(i));  // on the 2^-F grid
        const uint32_t code = term_code(t.fixed(i), terms, shift);
        EXPECT_LT(code, 1u << cw);
        EXPECT_EQ(term_value(code, terms, shift), t.fixed(i)) << shift << " " << terms << " " << i;
        EXPECT_LE(std::fabs(t.value(i) - nf_format(4).value(i)), terms == 1 ? 0.25 : terms == 2 ? 0.06 : 0.02);
      }
    }
  // NF4 in two terms: 3-bit shifts (2^-6 .. 2^1) move an entry by at most 2^-7 from the 4-bit table
  const LutFormat s3 = restrict_terms(nf_format(4), 2, 3), s4 = restrict_terms(nf_format(4), 2, 4);
  for (int i = 0; i < 16; ++i) EXPECT_LE(std::fabs(s3.value(i) - s4.value(i)), 0x1p-7) << i;
  EXPECT_EQ(term_value(term_code(-3, 2, 3), 2, 3), -3);  // -3 * 2^-6 = -2^-4 + 2^-6
  EXPECT_THROW(term_code(0b10101, 2, 3), Error);         // three terms
  EXPECT_THROW(restrict_terms(nf_format(4), 2, 2), Error);
}
