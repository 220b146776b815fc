// Writes a generated design: one .v file per module, <top>_params.h for testbenches,
// <top>.json (the manifest scripts read), <top>.f (a filelist) and <top>.core (FuseSoC CAPI2).
// Either every file is written or none is.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hdl/module.h"

namespace mixpe::hdl {

struct Design {
  ModulePtr top;
  std::string block;    // the registry's name of the top's block: "pe", "array", "engine", ...
  std::string options;  // the canonical options that rebuild its configuration
  std::string waves;    // engines: a GTKWave save file, written as <top>.gtkw (empty: none)

  // The top, then every module it instantiates (directly or not), each once, in first-use order.
  std::vector<ModulePtr> modules() const;
  nlohmann::ordered_json manifest() const;
  std::string params_header() const;
  std::string filelist() const;  // <top>.f: the Verilog files, for verilator -F / iverilog -c
  std::string core() const;      // <top>.core: a FuseSoC CAPI2 core description
};

// The design's files: every module's Verilog, the parameters header, manifest, filelist, core
// description and (engines) the waveform view, as (file name, contents).
std::vector<std::pair<std::string, std::string>> design_files(const Design& d);
// Writes into `dir` (created if missing) atomically (io/output_files.h); files of the same name
// are replaced. Returns the paths written.
std::vector<std::string> write_design(const Design& d, const std::string& dir);

}  // namespace mixpe::hdl
