// Verilog for one PE configuration: the PE module and the modules it instantiates.
#pragma once
#include <vector>

#include "blocks/pe/pe_config.h"
#include "hdl/module.h"

namespace mixpe {

// The PE first, then its submodules (each one module, one file).
std::vector<hdl::Module> pe_modules(const PeConfig& cfg);

}  // namespace mixpe
