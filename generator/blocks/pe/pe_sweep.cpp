#include "blocks/pe/pe_sweep.h"

#include <fmt/format.h>

#include "numerics/error.h"

namespace mixpe {
namespace {

bool legal(const PeConfig& c) {
  try {
    c.validate();
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

std::vector<PeConfig> pe_sweep() {
  std::vector<PeConfig> out;
  auto add = [&](const PeConfig& c) {
    if (legal(c)) out.push_back(c);
  };
  for (AccumMode mode : {AccumMode::kPrealign, AccumMode::kExact, AccumMode::kFp32})
    for (ActFormat act : {ActFormat::kFp16, ActFormat::kBf16, ActFormat::kInt8})
      for (int bits : {2, 3, 4, 8})
        for (bool sign : {false, true}) {
          PeConfig c;
          c.accum.mode = mode, c.act = act, c.weight_bits = bits, c.weight_signed = sign;
          add(c);
        }
  PeConfig fma;
  fma.kind = PeKind::kFma, fma.accum.mode = AccumMode::kFp32;
  add(fma);
  PeConfig int8;
  int8.kind = PeKind::kInt8, int8.act = ActFormat::kInt8, int8.weight_bits = 8, int8.weight_signed = true;
  int8.accum.mode = AccumMode::kExact;
  add(int8);
  // LUT weights (NF2, NF3, NF4 or any table on the port), FP16 and BF16 activations
  for (int bits : {2, 3, 4})
    for (ActFormat act : {ActFormat::kFp16, ActFormat::kBf16}) {
      PeConfig c;
      c.kind = PeKind::kLut, c.weight_bits = bits, c.act = act;
      add(c);
    }
  for (int terms : {1, 2, 3}) {  // shift-add products: tables of few signed powers of two
    PeConfig c;
    c.kind = PeKind::kLut, c.lut_terms = terms;
    add(c);
  }
  PeConfig lut_p1;
  lut_p1.kind = PeKind::kLut, lut_p1.pipeline = 1;
  add(lut_p1);
  // Variations around the default W4A16 PE.
  for (int a : {8, 12, 24, 32}) {
    PeConfig c;
    c.accum.align_bits = a;
    add(c);
  }
  for (AccumMode mode : {AccumMode::kPrealign, AccumMode::kExact})
    for (int b : {1, 4, 64, 256}) {
      PeConfig c;
      c.accum.mode = mode, c.accum.block = b;
      add(c);
    }
  for (PeConfig c : {PeConfig{}, fma, int8}) {
    c.pipeline = 1;
    add(c);
  }
  for (AccumMode mode : {AccumMode::kExact, AccumMode::kFp32}) {
    PeConfig c;
    c.accum.mode = mode, c.pipeline = 1, c.weight_signed = true;
    add(c);
  }
  return out;
}

std::string gen_options(const PeConfig& c) {
  std::string s = fmt::format("--pe {} --act {} --pipeline {}", pe_kind_name(c.kind), act_name(c.act), c.pipeline);
  if (c.kind == PeKind::kLut)
    s += fmt::format(" --weight-bits {} --align-bits {} --block {} --lut-terms {}", c.weight_bits, c.accum.align_bits,
                     c.accum.block, c.lut_terms);
  if (c.kind == PeKind::kMixpe) {
    s += fmt::format(" --weight-bits {}{} --accum {}", c.weight_bits, c.weight_signed ? " --weight-signed" : "",
                     accum_name(c.accum.mode));
    if (c.accum.mode == AccumMode::kPrealign) s += fmt::format(" --align-bits {}", c.accum.align_bits);
    if (c.accum.mode != AccumMode::kFp32) s += fmt::format(" --block {}", c.accum.block);
  }
  return s;
}

}  // namespace mixpe
