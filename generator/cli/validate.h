// The command line's one validation layer: every number finite and in a stated range, seeds as
// unsigned decimals, flags strictly 0 or 1, lists without empty or repeated items, long values
// shortened in messages. CLI11 runs the validators while parsing, so a bad value stops the
// command before anything is computed, printed or written.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "numerics/user_text.h"

namespace mixpe {

// A finite number from lo to hi (inclusive).
CLI::Validator number_in(double lo, double hi);
// A plain decimal integer from lo to hi (inclusive): no leading zeros or 0x, which CLI11 would
// read as octal or hex (numerics/user_text.h).
CLI::Validator integer_in(long long lo, long long hi);
// A random seed: plain decimal, 0 to 2^64 - 1.
CLI::Validator seed_value();
// A flag's value: none, 0, 1, true or false (`--axis=2` is refused, not taken as true).
CLI::Validator flag_value();
// Adds `flag_value()` to every flag of `app` (its subcommands included).
void check_flags(CLI::App& app);

// Fails (one line naming `option`) if an item of `items` is repeated. Integer items must be
// checked by integer_in first: plain decimal makes equal values equal strings.
void refuse_repeats(const std::string& option, const std::vector<std::string>& items);
// The same for the values given to each of `options` of `app` (repeatable options).
void refuse_repeats(CLI::App& app, const std::vector<std::string>& options);

// A comma-separated list of integers from lo to hi: no empty item, no repeated value.
std::vector<int> parse_int_list(const std::string& option, const std::string& text, int lo, int hi);

}  // namespace mixpe
