// Verilog for one PE configuration: the PE module (it instantiates the FP32 adder when it
// accumulates in FP32).
#pragma once
#include "config/pe_config.h"
#include "hdl/module.h"

namespace mixpe {

hdl::ModulePtr pe_module(const PeConfig& cfg);

}  // namespace mixpe
