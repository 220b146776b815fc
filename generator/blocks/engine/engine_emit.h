// Verilog of the engine's blocks; each function returns one module object (instances refer to
// it, so the design writer finds every module an engine needs).
#pragma once
#include <string>

#include "config/engine_config.h"
#include "hdl/bundle.h"
#include "hdl/module.h"

namespace mixpe {

// LANES lanes of WIDTH bits, lane i delayed by i * STEP + EXTRA cycles (the systolic skew): a module
// with Verilog parameters. Control (tokens, valid bits) needs `reset`: random power-up state
// must not look like work.
hdl::ModulePtr skew_module(bool reset);
hdl::Instance skew_instance(bool reset, const std::string& name, int width, int lanes, int extra, const std::string& d,
                            const std::string& q, int step = 1);
// The west edge: per activation row of R values, the aligned values the PEs take, the
// activation sum S, the block exponent and the non-finite flag; one register stage.
hdl::ModulePtr act_edge_module(const EngineConfig& c);
// A column bus's LUT decoder (lut PEs with --lut-decode column): index in, table entry out.
hdl::ModulePtr lut_decode_module(const PeConfig& pe);
// R x C PEs, weight-stationary, with ROWS and COLS parameters.
hdl::ModulePtr array_module(const EngineConfig& c);
// One column's group-dequant unit: zero point, group accumulation, dequant, output memory.
hdl::ModulePtr group_unit_module(const EngineConfig& c);
// The dequant-first design's weight dequantizer: code, zero point and FP16 scale to the FP16 weight
// (integer codes only: LUT weights fail with a one-line error).
hdl::ModulePtr weight_dequant_module(const EngineConfig& c);
// The top: controller, weight stager, streams, side band and outputs around the blocks above.
hdl::ModulePtr engine_module(const EngineConfig& c);
// The engine behind AXI4-Stream interfaces (EngineConfig::axis).
hdl::ModulePtr axis_module(const EngineConfig& c);
// A GTKWave save file for the engine `top` (the engine or its AXI4-Stream wrapper): the streams, the
// controller, one PE; it names <top>.fst as its dump file.
std::string engine_wave_view(const EngineConfig& c, const hdl::Module& top);

// What travels with an activation row from the controller (registered with the edge's outputs),
// and the side band that carries it and the edge's outputs past the array to the group units.
hdl::Bundle row_control(const EngineConfig& c);
hdl::Bundle side_band(const EngineConfig& c);

}  // namespace mixpe
