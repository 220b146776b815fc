// The one rule for reading and echoing what a user typed, shared by every command and file
// reader: integers are plain decimal (CLI11 would read 010 as octal and 0x10 as hex; the
// validators and the option parser refuse both, so a number means the same everywhere), and
// every value a message quotes is shortened and has its control characters escaped, so that the
// message stays one line.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mixpe {

// `s` as it may appear in a one-line message: control characters escaped (\n, \t, \xNN), at most
// `max` characters, the rest elided.
std::string shorten(std::string_view s, size_t max = 60);

// The whole of `s` as a plain decimal integer: an optional minus sign, then 0 or digits without
// a leading zero; no plus sign, no spaces, no 0x. Empty when `s` is not one or does not fit.
std::optional<long long> parse_decimal(std::string_view s);
std::optional<unsigned long long> parse_unsigned_decimal(std::string_view s);

// What parse_decimal accepts, for messages that refuse a value.
inline constexpr const char* kDecimalRule = "plain decimal: digits, an optional minus sign, no leading zeros";

}  // namespace mixpe
