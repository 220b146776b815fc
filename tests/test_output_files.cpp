// The rule for users' text (numerics/user_text.h).
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "numerics/user_text.h"

using namespace mixpe;

TEST(UserText, ShortenEscapesAndElides) {
  EXPECT_EQ(shorten("fp16"), "fp16");
  EXPECT_EQ(shorten("a\nb\tc\x01"), "a\\nb\\tc\\x01");
  const std::string s = shorten(std::string(1000, '\n'));
  EXPECT_EQ(s.find('\n'), std::string::npos);
  EXPECT_NE(s.find("(1000 characters)"), std::string::npos) << s;
  EXPECT_LT(s.size(), 100u);
}

TEST(UserText, DecimalOnly) {
  EXPECT_EQ(parse_decimal("0"), 0);
  EXPECT_EQ(parse_decimal("-12"), -12);
  EXPECT_EQ(parse_decimal("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_decimal("-9223372036854775808"), INT64_MIN);
  for (const char* bad : {"", "-", "+1", "010", "08", "0x10", " 1", "1 ", "1e3", "9223372036854775808", "00"})
    EXPECT_FALSE(parse_decimal(bad).has_value()) << bad;
  EXPECT_EQ(parse_unsigned_decimal("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_unsigned_decimal("18446744073709551616").has_value());
  EXPECT_FALSE(parse_unsigned_decimal("-1").has_value());
}
