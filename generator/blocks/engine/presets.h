// Named engine configurations (Gemmini-style variants of one base): the designs checked into
// rtl/ and the starting points of `mixpe gen engine --preset NAME`.
#pragma once
#include <string>
#include <vector>

#include "blocks/engine/engine_config.h"

namespace mixpe {

struct EnginePreset {
  std::string name;
  std::string description;
  EngineConfig config;
};

const std::vector<EnginePreset>& engine_presets();
const EnginePreset& engine_preset(const std::string& name);  // Error naming the legal ones

}  // namespace mixpe
