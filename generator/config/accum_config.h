// How the datapath accumulates (prealigned, exact or FP32; docs/numerics.md), as one validated
// configuration shared by the golden model, the emitters and the testbenches.
#pragma once
#include <string_view>

#include "quant/act_quant.h"

namespace mixpe {

enum class AccumMode {
  kPrealign,  // activations aligned to a shared exponent per (row, block): integer PEs
  kExact,     // every product exact in a wide fixed point (Kulisch-like); fp16/int8 only
  kFp32,      // FP32 accumulation of exact products, rounding at every add
};

std::string_view accum_name(AccumMode m);
AccumMode parse_accum(std::string_view name);  // "prealign" | "exact" | "fp32"

struct AccumConfig {
  AccumMode mode = AccumMode::kPrealign;
  int align_bits = 16;      // A: width of an aligned activation, sign included (prealign)
  int block = 16;           // B: consecutive K elements accumulated together (the array's rows)
  int edge_frac_bits = -1;  // F: LSBs the group accumulator keeps below a block's LSB; -1 = default

  // F when left at -1: kDefaultFracBits for fp16 and bf16 (exact while a group's block exponents
  // differ by at most F; 29 would make fp16 always exact), 0 for int8.
  static constexpr int kDefaultFracBits = 8;
  int frac_bits(ActFormat act) const;
  // Throws Error naming the bad value and its legal range.
  void validate(ActFormat act, int group_size) const;
  bool operator==(const AccumConfig&) const = default;
};

}  // namespace mixpe
