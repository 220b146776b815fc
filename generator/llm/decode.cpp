#include "llm/decode.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "numerics/error.h"

namespace mixpe {

std::vector<int> generate(Transformer& t, const std::vector<int>& prompt, int steps, std::vector<float>* logits_out) {
  std::vector<int> seq = {kBosToken};
  seq.insert(seq.end(), prompt.begin(), prompt.end());
  if (steps < 0 || int64_t(seq.size()) + steps > t.config().max_seq_len)
    fail("BOS, {} prompt tokens and {} steps exceed the model's {} positions", seq.size() - 1, steps,
         t.config().max_seq_len);
  std::vector<int> out;
  const int given = int(seq.size()), total = given + steps;
  for (int pos = 0; pos + 1 < total; ++pos) {
    const std::vector<float>& logits = t.forward(seq[size_t(pos)], pos);
    if (pos + 1 < given) continue;
    if (logits_out) logits_out->insert(logits_out->end(), logits.begin(), logits.end());
    seq.push_back(argmax(logits));
    out.push_back(seq.back());
  }
  return out;
}

double log_softmax_at(const std::vector<float>& logits, int token) {
  const double mx = *std::max_element(logits.begin(), logits.end());
  double sum = 0;
  for (float v : logits) sum += std::exp(double(v) - mx);
  return double(logits[size_t(token)]) - mx - std::log(sum);
}

Fidelity evaluate(const LlamaModel& model, const std::vector<LinearWeight>& layers, LinearBackend& backend,
                  const std::vector<int>& seq, const std::vector<std::vector<float>>& ref_logits) {
  Fp32Backend fp(layers);
  Transformer t(model, backend);
  double gnum = 0, gden = 0;
  std::vector<float> yref;
  t.set_observer([&](int index, const float* x, const float* y) {
    const int N = layers[size_t(index)].w.cols;
    yref.assign(size_t(N), 0.0f);
    fp.matvec(index, x, yref.data());
    for (int n = 0; n < N; ++n)
      gnum += std::pow(double(y[n]) - yref[size_t(n)], 2), gden += std::pow(double(yref[size_t(n)]), 2);
  });
  double lnum = 0, lden = 0, nll = 0;
  int agree = 0;
  const int steps = int(seq.size()) - 1;
  for (int pos = 0; pos < steps; ++pos) {
    const std::vector<float>& lg = t.forward(seq[size_t(pos)], pos);
    const std::vector<float>& rf = ref_logits[size_t(pos)];
    for (size_t i = 0; i < lg.size(); ++i)
      lnum += std::pow(double(lg[i]) - rf[i], 2), lden += std::pow(double(rf[i]), 2);
    agree += argmax(lg) == argmax(rf);
    nll -= log_softmax_at(lg, seq[size_t(pos) + 1]);
  }
  // free-running greedy decoding, compared position by position with the FP32 model's
  Transformer g(model, backend);
  const std::vector<int> mine = generate(g, {}, steps);
  int same = 0, first = steps;
  for (int i = 0; i < steps; ++i) {
    same += mine[size_t(i)] == seq[size_t(i) + 1];
    if (mine[size_t(i)] != seq[size_t(i) + 1] && first == steps) first = i;
  }
  return {std::sqrt(gnum / gden), std::sqrt(lnum / lden), double(agree) / steps,
          std::exp(nll / steps),  double(same) / steps,   first};
}

}  // namespace mixpe
