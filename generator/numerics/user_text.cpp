#include "numerics/user_text.h"

#include <charconv>
#include <limits>

#include <fmt/format.h>

namespace mixpe {

std::string shorten(std::string_view s, size_t max) {
  std::string out;
  for (const char c : s) {
    if (out.size() >= max) return fmt::format("{}... ({} characters)", out.substr(0, max), s.size());
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (u < 0x20 || u == 0x7f)
      out += fmt::format("\\x{:02x}", u);
    else
      out += c;
  }
  if (out.size() > max) return fmt::format("{}... ({} characters)", out.substr(0, max), s.size());
  return out;
}

std::optional<unsigned long long> parse_unsigned_decimal(std::string_view s) {
  if (s.empty() || (s.size() > 1 && s[0] == '0') || s.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  unsigned long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<long long> parse_decimal(std::string_view s) {
  const bool negative = !s.empty() && s[0] == '-';
  const std::optional<unsigned long long> u = parse_unsigned_decimal(s.substr(negative ? 1 : 0));
  constexpr unsigned long long kMax = std::numeric_limits<long long>::max();
  if (!u || *u > kMax + negative) return std::nullopt;
  if (!negative) return static_cast<long long>(*u);
  return *u == kMax + 1 ? std::numeric_limits<long long>::min() : -static_cast<long long>(*u);
}

}  // namespace mixpe
