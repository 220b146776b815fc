// The engine's cycle model: how many cycles a GEMM takes from the command to the last output
// beat when every input stream is always valid and the output never stalls, and how many beats
// each stream carries. It steps the controller's registers (command, weight stager, activation
// tiles, scale slots, output rows) cycle by cycle, and stands for the array and the group units
// by their fixed latencies; a test compares it with the RTL, cycle for cycle.
#pragma once
#include <cstdint>

#include "config/engine_config.h"

namespace mixpe {

struct EngineCycles {
  uint64_t cycles = 0;                 // command cycle to the last output beat, both included
  uint64_t w_beats = 0, sz_beats = 0;  // weight beats (L rows each); groups of scales (0 without scales)
  uint64_t a_beats = 0, y_beats = 0;   // activation rows; output rows
};

// A GEMM of M rows, ktiles tiles of R along K (a multiple of G / R) and ntiles tiles of C along N.
EngineCycles engine_cycles(const EngineConfig& c, int M, int ktiles, int ntiles);

// The same for M x K x N: K padded to a multiple of G, N to a multiple of C (as the host does).
EngineCycles engine_cycles_mkn(const EngineConfig& c, int M, int K, int N);

}  // namespace mixpe
