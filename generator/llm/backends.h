// Linear-layer backends for the quantized model: the golden mpGEMM, the software W4A16 kernel,
// and the Verilated engine (a testbench process serving GEMMs over pipes).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "config/engine_config.h"
#include "llm/transformer.h"
#include "quant/act_quant.h"
#include "quant/weight_quant.h"

namespace mixpe {

// Quantizes every linear layer once as the design says (EngineConfig::weight_quant); each
// matvec quantizes its input row and runs what the design's engine computes (golden_engine),
// or, with `software`, the dequantize-to-FP16 reference kernel.
class GoldenBackend : public LinearBackend {
 public:
  GoldenBackend(const std::vector<LinearWeight>& layers, const EngineConfig& design, bool software = false);
  void matvec(int index, const float* x, float* y) override;
  const QuantWeights& weights(int index) const { return quantized_[size_t(index)]; }
  Activations quantize_input(const float* x, int K) const;

 private:
  EngineConfig design_;
  bool software_;
  std::vector<QuantWeights> quantized_;
};

// The same quantized GEMMs run by the engine's Verilator testbench in --serve mode.
class RtlBackend : public LinearBackend {
 public:
  RtlBackend(const std::vector<LinearWeight>& layers, const EngineConfig& design, const std::string& simulator);
  ~RtlBackend() override;
  void matvec(int index, const float* x, float* y) override;

 private:
  GoldenBackend golden_;  // the quantized weights and input quantization are shared
  int to_child_ = -1, from_child_ = -1, pid_ = -1;
};

}  // namespace mixpe
