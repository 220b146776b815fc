#include "perf/workloads.h"

#include <filesystem>

#include <fmt/format.h>

#include "model/llama_model.h"
#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

const std::vector<ModelShape>& model_presets() {
  // hidden, intermediate, heads, KV heads, layers, vocabulary (ViT: ImageNet's 1000 classes),
  // sequence (ViT: (224 / patch)^2 patches + the class token at 224 x 224, ViT's fine-tuning size)
  static const std::vector<ModelShape> presets = {
      {"opt-6.7b", 4096, 16384, 32, 32, 32, 50272, 2048, false, true, "facebook/opt-6.7b config.json"},
      {"llama-2-7b", 4096, 11008, 32, 32, 32, 32000, 4096, true, true, "meta-llama/Llama-2-7b-hf config.json"},
      {"llama-2-13b", 5120, 13824, 40, 40, 40, 32000, 4096, true, true, "meta-llama/Llama-2-13b-hf config.json"},
      {"vit-b16", 768, 3072, 12, 12, 12, 1000, 197, false, false,
       "Dosovitskiy et al., ICLR 2021, Table 1 (ViT-Base/16)", 16},
      {"vit-h14", 1280, 5120, 16, 16, 32, 1000, 257, false, false,
       "Dosovitskiy et al., ICLR 2021, Table 1 (ViT-Huge/14)", 14},
  };
  return presets;
}

const ModelShape& model_preset(const std::string& name) {
  std::string names;
  for (const ModelShape& m : model_presets()) {
    if (m.name == name) return m;
    names += (names.empty() ? "" : ", ") + m.name;
  }
  fail("unknown model '{}': use one of {}, or a llama2.c checkpoint's path (e.g. tests/data/stories260K.bin)",
       shorten(name), names);
}

ModelShape model_shape_from_checkpoint(const std::string& path) {
  const LlamaConfig c = load_llama_model(path).cfg;
  return {std::filesystem::path(path).stem().string(),
          c.dim,
          c.hidden_dim,
          c.n_heads,
          c.n_kv_heads,
          c.n_layers,
          c.vocab_size,
          c.max_seq_len,
          true,
          true,
          fmt::format("the checkpoint's header ({})", path)};
}

Workload make_workload(const ModelShape& m, Phase phase, int batch, int seq) {
  if (batch < 1) fail("batch {}: must be at least 1", batch);
  if (seq < 1) fail("sequence length {}: must be at least 1", seq);
  if (!m.causal && phase == Phase::kDecode) fail("{} is an encoder: it has no decode phase (use prefill)", m.name);
  Workload w{m, phase, batch, seq, {}, 0.0, 0};
  const int64_t rows = phase == Phase::kPrefill ? int64_t(batch) * seq : batch;
  const int h = m.hidden, L = m.layers;
  if (!m.causal) {  // ViT: the patch embedding (16 x 16 or 14 x 14 RGB patches), the class token apart
    w.gemms.push_back({"patch_embed", int64_t(batch) * (seq - 1), 3 * m.patch * m.patch, h, 1});
  }
  w.gemms.push_back({"q", rows, h, h, L});
  w.gemms.push_back({"k", rows, h, m.kv_dim(), L});
  w.gemms.push_back({"v", rows, h, m.kv_dim(), L});
  w.gemms.push_back({"o", rows, h, h, L});
  if (m.gated_ffn) {
    w.gemms.push_back({"gate", rows, h, m.intermediate, L});
    w.gemms.push_back({"up", rows, h, m.intermediate, L});
  } else {
    w.gemms.push_back({"fc1", rows, h, m.intermediate, L});
  }
  w.gemms.push_back({m.gated_ffn ? "down" : "fc2", rows, m.intermediate, h, L});
  // the head: the next token of each sequence (decoders), the class of each image (ViT)
  w.gemms.push_back({m.causal ? "lm_head" : "classifier", batch, h, m.vocab, 1});
  // attention per layer and sequence: heads x queries x keys x head_dim, twice (Q K^T, P V)
  const double hd = double(m.heads) * m.head_dim();
  double pairs;  // query-key pairs of one sequence
  // decode: the new token's query against the seq cached keys and its own
  if (phase == Phase::kDecode)
    pairs = double(seq) + 1;
  else
    pairs = m.causal ? double(seq) * (double(seq) + 1) / 2 : double(seq) * seq;  // causal: the lower triangle
  w.attention_macs = 2.0 * hd * pairs * batch * L;
  w.tokens = phase == Phase::kPrefill && m.causal ? int64_t(batch) * seq : batch;
  return w;
}

}  // namespace mixpe
