// The host contract: what a driver sends an engine for one GEMM and in which order, beat by beat
// (docs/engine.md, "Port protocol"), and where each output beat's values belong. The engine
// testbench drives the RTL with it; a user's driver can call it the same way. The cycle model
// (golden/engine_cycles.h) counts the same beats.
#pragma once
#include <cstdint>
#include <deque>
#include <vector>

#include "config/engine_config.h"
#include "quant/act_quant.h"
#include "quant/weight_quant.h"

namespace mixpe {

// The command: M rows, K / R tiles (K padded to a multiple of G) and N / C tiles (N padded to C).
struct EngineCommand {
  int m = 0, ktiles = 0, ntiles = 0;
};
EngineCommand engine_command(const EngineConfig& e, int M, int K, int N);
EngineCommand engine_command(const EngineConfig& e, const Activations& x, const QuantWeights& w);

// The input streams, each beat a vector of fields: w (L rows of C codes, field l * C + c; the fma
// engine's weights dequantized to FP16), scale and zero (one per column, per group), a (one
// activation code per array row) and, for INT8 activations, each a beat's FP32 row scale.
// Padding (K beyond the activations, N beyond the weights) is zero; scales there are 1.0.
struct HostStreams {
  std::deque<std::vector<uint64_t>> w, scale, zero, a;
  std::deque<uint32_t> a_scale;
};
HostStreams host_streams(const EngineConfig& e, const Activations& x, const QuantWeights& w);

// Output beat `beat` (counted from 0 after the command) carries Y[m][n_tile * C + c], c < C: the
// N tiles in order, each tile's M rows in order.
struct OutputRow {
  int m = 0, n_tile = 0;
};
OutputRow output_row(const EngineCommand& cmd, int beat);

}  // namespace mixpe
