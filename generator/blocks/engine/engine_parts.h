// The parts of the engine's top module, each added by its own function (engine_top.cpp puts
// them together). Internal to blocks/engine.
#pragma once
#include <string>

#include "blocks/engine/engine_emit.h"

namespace mixpe {

// A counter register: cleared by a command, +1 when `inc`.
void counter(hdl::Module& m, const std::string& name, int w, const std::string& inc, const std::string& comment = "");

// Bits of the number of N tiles interleaved (EngineConfig::interleave).
int ilv_width(const EngineConfig& c);
// The command: busy, the totals, the LUT table.
void add_command(hdl::Module& m, const EngineConfig& c);
// The weight stager: a FIFO of a tile's R / L beats, burst as the tile starts into the array's
// shadow registers behind a load token per column (L buses per column, skewed like the activations).
void add_weight_stager(hdl::Module& m, const EngineConfig& c);
// The activation stream: tiles of M rows, the K/N tile and group counters, when a tile may start.
void add_activation_control(hdl::Module& m, const EngineConfig& c);
// Scales and zero points: scale_slots() slots, group g in slot g % slots.
void add_scales(hdl::Module& m, const EngineConfig& c);
// The west edge, the row control registered beside it, the skew and the array.
void add_array_path(hdl::Module& m, const EngineConfig& c);
// The side band past the array, one group unit per column, and the output rows.
void add_south(hdl::Module& m, const EngineConfig& c);

}  // namespace mixpe
