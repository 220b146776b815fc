// Writes a generated design: one .v file per module, <top>_params.h for testbenches and
// <top>.json, the manifest scripts read. Either every file is written or none is.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hdl/module.h"

namespace mixpe::hdl {

struct Design {
  std::vector<Module> modules;  // the top first
  nlohmann::ordered_json latency;  // named latencies in cycles
  std::string block;               // "pe", "array", "engine"

  const Module& top() const { return modules.front(); }
  nlohmann::ordered_json manifest() const;
  std::string params_header() const;
};

// Writes into `dir` (created if missing); files of the same name are replaced.
// Returns the paths written.
std::vector<std::string> write_design(const Design& d, const std::string& dir);

}  // namespace mixpe::hdl
