// The block registry: every hardware block mixpe generates, with its name, the options it takes,
// the module that is its top (which names, by its instances, every module it needs and carries
// the block's own latency) and the tests that verify it. `mixpe gen` and `mixpe list blocks`
// are loops over it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "config/engine_config.h"
#include "hdl/design_output.h"

namespace mixpe {

struct Block {
  std::string name;  // `mixpe gen NAME`
  std::string description;
  unsigned scope;  // the options it takes (config/options.h): PE or engine
  hdl::ModulePtr (*top)(const EngineConfig&);
  std::string tests;  // what verifies it (CTest names and make targets)
};

const std::vector<Block>& block_registry();
const Block& find_block(std::string_view name);  // Error naming the legal ones

// The block's design for this configuration (for PE-scope blocks only c.pe matters).
hdl::Design make_design(const Block& b, const EngineConfig& c);

}  // namespace mixpe
