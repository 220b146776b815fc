// The one option schema. Every design option (PE kind, weight and activation formats,
// accumulation, array shape, ...) is declared once here, with its make variable and its help;
// `mixpe gen`, `llm`, `eval`, `error` and `fidelity`, the Makefile and the testbenches (through
// the options a generated params header carries) all read configurations through it.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/engine_config.h"

namespace mixpe {

// Which configurations an option belongs to: a PE alone, or an engine (which has a PE).
enum OptionScope : unsigned { kPeScope = 1, kEngineScope = 2 };

struct OptionSpec {
  std::string name;            // "--weight-bits"
  std::string make_var;        // "WBITS": `make sim WBITS=8`
  std::string help;            // legal values included
  unsigned scope;              // kPeScope | kEngineScope
  bool flag;                   // takes no value on the command line (`--weight-signed`, or `=0`)
  bool hardware_only = false;  // changes the hardware, never the numbers (golden models refuse it)
};

const std::vector<OptionSpec>& option_schema();

// Options in order, name -> value ("1"/"0" for flags); a later option overrides an earlier one.
using OptionList = std::vector<std::pair<std::string, std::string>>;

// The configuration these options describe, validated. A `--preset` expands first into its own
// options, which the others then override. Options not given take defaults that may depend on
// the others: `--pe int8` means int8 activations, signed 8-bit weights and exact sums; int8
// activations mean exact sums; `--pe fma` means FP32 sums; `--weight-format nfB` means a lut PE
// of B bits. The accumulation block is always the array's rows.
EngineConfig engine_from_options(const OptionList& opts);
// The PE alone: PE-scope options only, validated as a PE (rows = its column's products).
PeConfig pe_from_options(const OptionList& opts);

// The options without the hardware-only ones: what a golden model of the same design takes.
OptionList numeric_options(const OptionList& opts);

// "--pe mixpe --weight-bits 4 --weight-signed" <-> an OptionList (flags as "1").
OptionList parse_option_string(std::string_view s);
std::string option_string(const OptionList& opts);

}  // namespace mixpe
