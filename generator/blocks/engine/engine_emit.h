// Verilog of the engine's blocks; each function returns one module.
#pragma once
#include <vector>

#include "blocks/engine/engine_config.h"
#include "hdl/module.h"

namespace mixpe {

// N lanes of W bits; lane i is delayed by i + extra cycles (the systolic skew). Control
// (tokens, valid bits) needs `reset`: random power-up state must not look like work.
hdl::Module skew_module(int width, int lanes, int extra, bool reset);
// The west edge: per activation row of R values, the aligned values the PEs take, the
// activation sum S, the block exponent and the non-finite flag; one register stage.
hdl::Module act_edge_module(const EngineConfig& c);
// R x C PEs, weight-stationary.
hdl::Module array_module(const EngineConfig& c);
// One column's group-dequant unit: zero point, group accumulation, dequant, output memory.
hdl::Module group_unit_module(const EngineConfig& c);
// The top: controller, streams, and the blocks above.
hdl::Module engine_top_module(const EngineConfig& c);

// Every module of the engine, the top first.
std::vector<hdl::Module> engine_modules(const EngineConfig& c);

}  // namespace mixpe
