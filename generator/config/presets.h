// Named engine configurations (Gemmini-style variants of one base): the designs checked into
// rtl/ and the starting points of `--preset NAME`. A preset is a list of options over the
// defaults, so any option given beside it overrides it the same way.
#pragma once
#include <string>
#include <vector>

namespace mixpe {

struct EnginePreset {
  std::string name;
  std::string description;
  std::string options;  // as on the command line (config/options.h)
};

const std::vector<EnginePreset>& engine_presets();
const EnginePreset& engine_preset(const std::string& name);  // Error naming the legal ones

}  // namespace mixpe
