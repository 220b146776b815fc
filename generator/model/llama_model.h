// The llama2.c legacy checkpoint (version 0, float32): header, shape checks, named weights.
#pragma once
#include <string>
#include <vector>

#include "numerics/matrix.h"

namespace mixpe {

struct LlamaConfig {
  int dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, max_seq_len;
  bool shared_classifier;
  int head_size() const { return dim / n_heads; }
  int kv_dim() const { return n_kv_heads * head_size(); }
};

// One linear layer's weight as the mpGEMM sees it: K x N (in x out), i.e. nn.Linear transposed.
struct LinearWeight {
  std::string name;  // e.g. "L0.wq", "classifier"
  Matrix<float> w;
};

struct LlamaModel {
  LlamaConfig cfg;
  std::vector<float> data;  // every float after the header, in file order
  // Every linear layer (wq, wk, wv, wo, w1, w2, w3 of each layer, then the classifier).
  std::vector<LinearWeight> linear_layers() const;
};

// Reads and checks a checkpoint; a bad file gets an Error saying what is wrong.
LlamaModel load_llama_model(const std::string& path);

}  // namespace mixpe
