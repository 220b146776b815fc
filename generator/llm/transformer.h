// The llama2.c forward pass (RMSNorm, RoPE, grouped-query attention, SwiGLU), FP32, with every
// linear layer behind one interface so that it can run in FP32, through the golden mpGEMM or
// through the Verilated engine.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "model/llama_model.h"

namespace mixpe {

// y (N) = x (K) * W (K x N) for linear layer `index` of LlamaModel::linear_layers().
class LinearBackend {
 public:
  virtual ~LinearBackend() = default;
  virtual void matvec(int index, const float* x, float* y) = 0;
};

// Plain FP32 (float accumulation in k order, like llama2.c's matmul).
class Fp32Backend : public LinearBackend {
 public:
  explicit Fp32Backend(const std::vector<LinearWeight>& layers) : layers_(layers) {}
  void matvec(int index, const float* x, float* y) override;

 private:
  const std::vector<LinearWeight>& layers_;
};

// Observes every linear layer's input (for traces and per-layer error).
using LinearObserver = std::function<void(int index, const float* x, const float* y)>;

class Transformer {
 public:
  Transformer(const LlamaModel& model, LinearBackend& backend);
  // Runs one token at position pos; returns the logits (vocab).
  const std::vector<float>& forward(int token, int pos);
  void set_observer(LinearObserver obs) { observer_ = std::move(obs); }
  const LlamaConfig& config() const { return cfg_; }

 private:
  void linear(int index, const float* x, float* y);
  const LlamaModel& model_;
  LlamaConfig cfg_;
  LinearBackend& backend_;
  LinearObserver observer_;
  // weights that stay FP32 (embeddings, norms)
  const float *emb_, *rms_att_, *rms_ffn_, *rms_final_;
  // activations
  std::vector<float> x_, xb_, xb2_, hb_, hb2_, q_, k_, v_, att_, logits_, key_cache_, value_cache_;
};

// Index of the largest logit (the first on ties): greedy decoding.
int argmax(const std::vector<float>& v);

}  // namespace mixpe
