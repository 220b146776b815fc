#include "blocks/engine/presets.h"

#include "numerics/error.h"

namespace mixpe {

const std::vector<EnginePreset>& engine_presets() {
  static const std::vector<EnginePreset> presets = [] {
    EngineConfig base;  // W4A16: 4-bit unsigned weights, FP16 activations prealigned to 16 bits
    base.pe.accum.block = base.rows;
    EngineConfig w4a8 = base;  // INT8 activations, exact integer accumulation
    w4a8.pe.act = ActFormat::kInt8;
    w4a8.pe.accum.mode = AccumMode::kExact;
    EngineConfig int8 = base;  // the TPU-like baseline: INT8 x INT8 multipliers
    int8.pe.kind = PeKind::kInt8;
    int8.pe.act = ActFormat::kInt8;
    int8.pe.weight_bits = 8;
    int8.pe.weight_signed = true;
    int8.pe.accum.mode = AccumMode::kExact;
    EngineConfig fma = base;  // the FP16 baseline: dequantized FP16 weights, FP16 x FP16 + FP32 PEs
    fma.pe.kind = PeKind::kFma;
    fma.pe.accum.mode = AccumMode::kFp32;
    return std::vector<EnginePreset>{
        {"w4a16", "MixPE W4A16: u4 weights, FP16 activations prealigned to 16 bits, 16 x 16, G = 128, depth 64", base},
        {"w4a8", "MixPE W4A8: u4 weights, INT8 activations, exact integer accumulation, 16 x 16, G = 128", w4a8},
        {"int8", "baseline W8A8: INT8 x INT8 multiplier PEs, INT32 column sums, 16 x 16, G = 128", int8},
        {"fma", "baseline FP16: weights dequantized to FP16, FP16 x FP16 products, FP32 accumulation, 16 x 16", fma},
    };
  }();
  return presets;
}

const EnginePreset& engine_preset(const std::string& name) {
  std::string names;
  for (const EnginePreset& p : engine_presets()) {
    if (p.name == name) return p;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  fail("preset '{}' does not exist: legal values are {}", name, names);
}

}  // namespace mixpe
