#include "cli/validate.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

#include <fmt/format.h>

#include "numerics/error.h"

namespace mixpe {

CLI::Validator number_in(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) -> std::string {
        errno = 0;
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v) || v < lo || v > hi)
          return fmt::format("'{}' is not a number from {:g} to {:g}", shorten(s), lo, hi);
        return {};
      },
      fmt::format("NUMBER {:g}..{:g}", lo, hi));
}

CLI::Validator integer_in(long long lo, long long hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) -> std::string {
        const std::optional<long long> v = parse_decimal(s);
        if (!v || *v < lo || *v > hi)
          return fmt::format("'{}' is not an integer from {} to {} ({})", shorten(s), lo, hi, kDecimalRule);
        return {};
      },
      fmt::format("INT {}..{}", lo, hi));
}

CLI::Validator seed_value() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (!parse_unsigned_decimal(s))
          return fmt::format("'{}' is not a seed: use a decimal from 0 to 2^64 - 1 without leading zeros", shorten(s));
        return {};
      },
      "SEED");
}

CLI::Validator flag_value() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        static const std::set<std::string> ok = {"", "0", "1", "true", "false", "-1"};  // -1: CLI11's own "off"
        if (!ok.count(s)) return fmt::format("'{}' is not a flag value: give the flag alone, or =0 / =1", shorten(s));
        return {};
      },
      "");
}

void check_flags(CLI::App& app) {
  for (CLI::Option* o : app.get_options())
    if (o->get_expected_max() == 0 && o->get_name() != "--help" && o->get_name() != "--version") o->check(flag_value());
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) check_flags(*sub);
}

void refuse_repeats(const std::string& option, const std::vector<std::string>& items) {
  std::set<std::string> seen;
  for (const std::string& i : items)
    if (!seen.insert(i).second) fail("{} {}: given twice; give each value once", option, shorten(i));
}

void refuse_repeats(CLI::App& app, const std::vector<std::string>& options) {
  for (const std::string& o : options) refuse_repeats(o, app.get_option(o)->results());
}

std::vector<int> parse_int_list(const std::string& option, const std::string& text, int lo, int hi) {
  if (text.empty()) fail("{} '': an empty list; give integers separated by commas", option);
  std::vector<int> out;
  std::set<int> seen;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) fail("{} {}: an empty item; give integers separated by single commas", option, shorten(text));
    const std::optional<long long> v = parse_decimal(item);
    if (!v || *v < lo || *v > hi)
      fail("{} {}: '{}' is not an integer from {} to {} ({})", option, shorten(text), shorten(item), lo, hi,
           kDecimalRule);
    if (!seen.insert(int(*v)).second) fail("{} {}: {} is repeated", option, shorten(text), *v);
    out.push_back(int(*v));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace mixpe
