#include "config/presets.h"

#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

const std::vector<EnginePreset>& engine_presets() {
  static const std::vector<EnginePreset> presets = {
      {"w4a16", "MixPE W4A16: u4 weights, FP16 activations prealigned to 16 bits, 16 x 16, G = 128, depth 16", ""},
      {"w4a8", "MixPE W4A8: u4 weights, INT8 activations, exact integer accumulation, 16 x 16, G = 128", "--act int8"},
      {"int8", "baseline W8A8: INT8 x INT8 multiplier PEs, INT32 column sums, 16 x 16, G = 128", "--pe int8"},
      {"fma", "baseline FP16: weights dequantized to FP16, FP16 x FP16 products, FP32 accumulation, 16 x 16",
       "--pe fma"},
  };
  return presets;
}

const EnginePreset& engine_preset(const std::string& name) {
  std::string names;
  for (const EnginePreset& p : engine_presets()) {
    if (p.name == name) return p;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  fail("preset '{}' does not exist: legal values are {}", shorten(name), names);
}

}  // namespace mixpe
