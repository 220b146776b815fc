// The engine testbench's workloads and bookkeeping, independent of the Verilated model: GEMMs
// (random LLM-like, corners, a model's layers, real traces) quantized as the design says, the
// beats of each input stream in the engine's order, and the cycle and utilization report.
#pragma once
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "config/engine_config.h"
#include "golden/host_streams.h"
#include "golden/mpgemm.h"

namespace mixpe::tb {

// One GEMM as the engine sees it.
struct Gemm {
  std::string name;
  Activations x;
  QuantWeights w;
};

Gemm make_gemm(const EngineConfig& e, std::string name, const Matrix<float>& x, const Matrix<float>& w);
// Activations like an LLM's: mostly N(0,1), a few channels with outliers 30-100x larger.
Matrix<float> llm_activations(int M, int K, std::mt19937_64& rng);
Matrix<float> normal(int r, int c, float sd, std::mt19937_64& rng);
// Corner cases: zeros, subnormals, the largest magnitudes, extreme codes, NaN and Inf.
std::vector<Gemm> corner_gemms(const EngineConfig& e, std::mt19937_64& rng);

// The input streams of one GEMM, beat by beat: the host contract (golden/host_streams.h).
using Streams = HostStreams;
Streams input_streams(const EngineConfig& e, const Gemm& g);
// What the engine must produce: golden_engine.
Matrix<uint32_t> expected(const EngineConfig& e, const Gemm& g);

// Cycles and MACs of a set of GEMMs against the bound max(M, R / L) cycles per tile.
struct Perf {
  uint64_t cycles = 0, macs = 0, padded_macs = 0, bound_cycles = 0;
  double seconds = 0;
  void add(const EngineConfig& e, const Gemm& g, uint64_t cycles, double seconds);
  void report(const EngineConfig& e, const std::string& what) const;
};

}  // namespace mixpe::tb
