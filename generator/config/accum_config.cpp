#include "config/accum_config.h"

#include <bit>

#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

std::string_view accum_name(AccumMode m) {
  switch (m) {
    case AccumMode::kPrealign:
      return "prealign";
    case AccumMode::kExact:
      return "exact";
    case AccumMode::kFp32:
      return "fp32";
  }
  return "?";
}

AccumMode parse_accum(std::string_view name) {
  if (name == "prealign") return AccumMode::kPrealign;
  if (name == "exact") return AccumMode::kExact;
  if (name == "fp32") return AccumMode::kFp32;
  fail("accumulation '{}' is not supported: legal values are prealign, exact, fp32", shorten(name));
}

int AccumConfig::frac_bits(ActFormat act) const {
  if (edge_frac_bits >= 0) return edge_frac_bits;
  // 8 bits below the largest block LSB of a group: exact while a group's block exponents differ by
  // at most 8, and on every row of the fidelity table (mixpe error --outliers --traces) the same
  // error as the always-exact 29 (FP16) to three digits; INT8 blocks share one exponent.
  return is_float(act) ? kDefaultFracBits : 0;
}

void AccumConfig::validate(ActFormat act, int group_size) const {
  if (block < 1 || block > group_size || !std::has_single_bit(unsigned(block)))
    fail("accumulation block {} is not legal: use a power of two from 1 to the group size {}", block, group_size);
  if (mode == AccumMode::kPrealign) {
    if (!is_float(act)) fail("prealign accumulation needs fp16 or bf16 activations; use exact with int8");
    if (align_bits < 8 || align_bits > 32) fail("alignment width {} is not legal: use 8 to 32 bits", align_bits);
  }
  if (mode == AccumMode::kExact && act == ActFormat::kBf16)
    fail("exact accumulation of bf16 needs a ~290-bit accumulator: use prealign or fp32 with bf16");
  if (edge_frac_bits < -1 || edge_frac_bits > 64)
    fail("edge fraction bits {} is not legal: use 0 to 64", edge_frac_bits);
}

}  // namespace mixpe
