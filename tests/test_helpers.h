// Small builders shared by the unit tests.
#pragma once
#include "numerics/lut_format.h"
#include "quant/weight_quant.h"

namespace mixpe::test {

// A weight quantization: NF tables for kLut.
inline WeightQuantConfig weight_config(WeightScheme s, int bits, int group) {
  WeightQuantConfig c;
  c.scheme = s;
  c.bits = bits;
  c.group_size = group;
  if (s == WeightScheme::kLut) c.lut = nf_format(bits);
  return c;
}

}  // namespace mixpe::test
