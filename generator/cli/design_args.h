// The option schema (config/options.h) on a CLI11 command: registers the options of a scope
// and hands back the ones given, so every command reads a configuration the same way.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/options.h"

namespace mixpe {

class DesignArgs {
 public:
  // Registers every schema option of `scope` (kPeScope, or kPeScope | kEngineScope) on `app`.
  void add_to(CLI::App& app, unsigned scope);
  OptionList given() const;  // the options on the command line, in schema order
  EngineConfig engine() const { return engine_from_options(given()); }
  PeConfig pe() const { return pe_from_options(given()); }
  // Fails (one line naming the option) if any of `ignored` was given: what `context` ignores.
  void refuse(const std::vector<std::string>& ignored, const std::string& context) const;
  // The options that change only the hardware, not the numbers a model computes.
  static const std::vector<std::string>& hardware_only();

 private:
  CLI::App* app_ = nullptr;
  std::map<std::string, std::string> values_;
  std::map<std::string, bool> flags_;
};

}  // namespace mixpe
