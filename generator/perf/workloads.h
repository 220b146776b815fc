// Transformer workloads for `mixpe perf`: a model's shape (public configuration values) and the
// GEMMs of its linear layers in a phase (prefill of S tokens, or decode of one token) at a batch,
// plus the activation-by-activation products of attention, which a weight-stationary array of
// quantized weights cannot run.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace mixpe {

struct ModelShape {
  std::string name;
  int hidden, intermediate, heads, kv_heads, layers, vocab, seq_len;
  bool gated_ffn;      // SwiGLU: gate, up and down projections; else a two-layer MLP
  bool causal;         // decoder (causal attention, a language-model head); else an encoder (ViT)
  std::string source;  // where the values come from
  int patch = 0;       // ViT: the patch side (pixels); its sequence is the patches and a class token
  int head_dim() const { return hidden / heads; }
  int kv_dim() const { return kv_heads * head_dim(); }
};

// The named presets (opt-6.7b, llama-2-7b, llama-2-13b, vit-b16, vit-h14); stories260K is read
// from its checkpoint (model_shape_from_checkpoint).
const std::vector<ModelShape>& model_presets();
const ModelShape& model_preset(const std::string& name);  // fails naming the presets
ModelShape model_shape_from_checkpoint(const std::string& path);

enum class Phase { kPrefill, kDecode };

// One linear layer's GEMM: Y (M x N) = X (M x K) W (K x N), `count` times per forward pass.
struct LayerGemm {
  std::string name;
  int64_t m;
  int k, n, count;
};

struct Workload {
  ModelShape model;
  Phase phase;
  int batch, seq;  // prefill: S tokens per sequence; decode: the context (KV cache) length
  std::vector<LayerGemm> gemms;
  double attention_macs;  // Q K^T and P V over all layers and heads, per forward pass
  int64_t tokens;         // what the pass produces: tokens (prefill: batch S; decode: batch), or images (ViT)
};

// Prefill: M = batch S for every layer but the head (the last token of each sequence, M = batch);
// decode: M = batch. An encoder has no head and runs prefill only.
Workload make_workload(const ModelShape& m, Phase phase, int batch, int seq);

}  // namespace mixpe
