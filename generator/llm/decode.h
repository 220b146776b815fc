// Greedy decoding and the fidelity metrics of a quantized model against the FP32 one.
#pragma once
#include <vector>

#include "llm/transformer.h"

namespace mixpe {

inline constexpr int kBosToken = 1;

// Greedy decoding from BOS (then the prompt): returns the generated tokens. `logits_out`, if
// given, receives the logits of every generating step.
std::vector<int> generate(Transformer& t, const std::vector<int>& prompt, int steps,
                          std::vector<float>* logits_out = nullptr);

// log softmax(logits)[token], in double.
double log_softmax_at(const std::vector<float>& logits, int token);

struct Fidelity {
  double gemm_rel, logit_rel, top1, ppl, greedy_agree;
  int first_divergence;  // the first generated token that differs from the FP32 model's (steps: none)
};

// Teacher-forced on `seq` (BOS and the FP32 model's continuation, whose logits are
// `ref_logits`): GEMM and logit relative errors, top-1 agreement, perplexity; then free-running
// greedy decoding against the same continuation.
Fidelity evaluate(const LlamaModel& model, const std::vector<LinearWeight>& layers, LinearBackend& backend,
                  const std::vector<int>& seq, const std::vector<std::vector<float>>& ref_logits);

}  // namespace mixpe
