// The performance and energy model of `mixpe perf`: each linear layer's GEMM on a sized design,
// its cycles from the engine's exact cycle model (golden/engine_cycles.h; M above the depth in
// chunks of D rows), its DRAM traffic against the bandwidth (the layer takes the longer of the
// two: weights prefetched while the previous layer computes), its energy split into core
// (logic area x cycles), buffer (SRAM accesses), DRAM and static (leakage); attention's
// activation products on an FP16 unit, apart.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "golden/engine_cycles.h"
#include "perf/hardware.h"
#include "perf/workloads.h"

namespace mixpe {

struct Energy {
  double core = 0, buffer = 0, dram = 0, stat = 0;  // joules
  double total() const { return core + buffer + dram + stat; }
  Energy& operator+=(const Energy& o);
};

struct LayerResult {
  std::string name;
  int64_t m;
  int k, n, count;
  uint64_t cycles;                   // engine cycles of one instance (every chunk)
  double macs, dram_bytes;           // of one instance
  double compute_s, dram_s, time_s;  // of one instance: time = max(compute, DRAM)
  Energy energy;                     // of one instance
};

struct PerfResult {
  std::vector<LayerResult> layers;
  double linear_s = 0, linear_macs = 0, engine_cycles = 0, dram_bytes = 0;
  Energy linear;
  double attention_s = 0, attention_j = 0, kv_bytes = 0;  // attention (FP16 unit) and its KV-cache traffic
  int64_t tokens = 0;
  double total_s() const { return linear_s + attention_s; }
  double total_j() const { return linear.total() + attention_j; }
};

class PerfModel {
 public:
  PerfModel(SizedDesign d, MemorySystem mem) : d_(std::move(d)), mem_(mem) {}
  PerfResult run(const Workload& w);
  const SizedDesign& design() const { return d_; }
  const MemorySystem& memory() const { return mem_; }
  EngineCycles gemm_cycles(int m, int k, int n);  // one chunk (m <= D), cached

 private:
  LayerResult layer(const LayerGemm& g);
  SizedDesign d_;
  MemorySystem mem_;
  std::map<std::tuple<int, int, int>, EngineCycles> cache_;
};

}  // namespace mixpe
