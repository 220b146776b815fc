// Command-line options shared by subcommands: the quantization and accumulation settings.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "golden/accum_config.h"
#include "quant/weight_quant.h"

namespace mixpe {

struct QuantOptions {
  int weight_bits = 4;
  int group_size = 128;
  std::string scheme = "asym";   // asym | sym | nf | table
  std::string act = "fp16";
  std::string accum = "prealign";
  int align_bits = 16;
  int block = 16;
  int edge_frac_bits = -1;
  int lut_terms = 0;  // nf: restrict the table to entries of that many signed powers of two

  void add_to(CLI::App& app);
  WeightQuantConfig weight_config() const;  // validated
  ActFormat act_format() const { return parse_act(act); }
  AccumConfig accum_config() const;         // validated against act and group size
};

}  // namespace mixpe
