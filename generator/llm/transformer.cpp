#include "llm/transformer.h"

#include <algorithm>
#include <cmath>

#include "numerics/error.h"

namespace mixpe {

void Fp32Backend::matvec(int index, const float* x, float* y) {
  const Matrix<float>& w = layers_[size_t(index)].w;
  for (int n = 0; n < w.cols; ++n) y[n] = 0.0f;
  for (int k = 0; k < w.rows; ++k) {
    const float xv = x[k];
    const float* row = &w.at(k, 0);
    for (int n = 0; n < w.cols; ++n) y[n] += xv * row[n];
  }
}

namespace {

void rmsnorm(float* out, const float* x, const float* weight, int n) {
  float ss = 0.0f;
  for (int i = 0; i < n; ++i) ss += x[i] * x[i];
  ss = 1.0f / std::sqrt(ss / float(n) + 1e-5f);
  for (int i = 0; i < n; ++i) out[i] = weight[i] * (ss * x[i]);
}

void softmax(float* x, int n) {
  const float mx = *std::max_element(x, x + n);
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) sum += (x[i] = std::exp(x[i] - mx));
  for (int i = 0; i < n; ++i) x[i] /= sum;
}

}  // namespace

Transformer::Transformer(const LlamaModel& model, LinearBackend& backend)
    : model_(model), cfg_(model.cfg), backend_(backend) {
  const size_t d = size_t(cfg_.dim), L = size_t(cfg_.n_layers), kv = size_t(cfg_.kv_dim()), h = size_t(cfg_.hidden_dim);
  const float* p = model.data.data();
  emb_ = p;
  rms_att_ = p + size_t(cfg_.vocab_size) * d;
  rms_ffn_ = rms_att_ + L * d + L * d * d * 2 + L * kv * d * 2;
  rms_final_ = rms_ffn_ + L * d + 3 * L * h * d;
  x_.assign(d, 0), xb_.assign(d, 0), xb2_.assign(d, 0), hb_.assign(h, 0), hb2_.assign(h, 0);
  q_.assign(d, 0), k_.assign(kv, 0), v_.assign(kv, 0);
  att_.assign(size_t(cfg_.n_heads) * size_t(cfg_.max_seq_len), 0);
  logits_.assign(size_t(cfg_.vocab_size), 0);
  key_cache_.assign(L * size_t(cfg_.max_seq_len) * kv, 0);
  value_cache_.assign(L * size_t(cfg_.max_seq_len) * kv, 0);
}

void Transformer::linear(int index, const float* x, float* y) {
  backend_.matvec(index, x, y);
  if (observer_) observer_(index, x, y);
}

const std::vector<float>& Transformer::forward(int token, int pos) {
  const LlamaConfig& c = cfg_;
  if (token < 0 || token >= c.vocab_size)
    fail("token {} is out of range: the vocabulary has {} tokens", token, c.vocab_size);
  if (pos < 0 || pos >= c.max_seq_len) fail("position {} is beyond the model's {} positions", pos, c.max_seq_len);
  const int d = c.dim, kv = c.kv_dim(), hs = c.head_size(), h = c.hidden_dim, kv_mul = c.n_heads / c.n_kv_heads;
  std::copy(emb_ + size_t(token) * size_t(d), emb_ + size_t(token + 1) * size_t(d), x_.begin());
  for (int l = 0; l < c.n_layers; ++l) {
    const int base = 7 * l;  // wq, wk, wv, wo, w1, w2, w3
    rmsnorm(xb_.data(), x_.data(), rms_att_ + size_t(l) * size_t(d), d);
    float* kc = key_cache_.data() + (size_t(l) * size_t(c.max_seq_len) + size_t(pos)) * size_t(kv);
    float* vc = value_cache_.data() + (size_t(l) * size_t(c.max_seq_len) + size_t(pos)) * size_t(kv);
    linear(base + 0, xb_.data(), q_.data());
    linear(base + 1, xb_.data(), kc);
    linear(base + 2, xb_.data(), vc);
    // RoPE on pairs (2i, 2i + 1) within each head
    for (int i = 0; i < d; i += 2) {
      const int hd = i % hs;
      const float freq = 1.0f / std::pow(10000.0f, float(hd) / float(hs));
      const float val = float(pos) * freq, fcr = std::cos(val), fci = std::sin(val);
      for (int which = 0; which < (i < kv ? 2 : 1); ++which) {
        float* vec = which == 0 ? q_.data() : kc;
        const float v0 = vec[i], v1 = vec[i + 1];
        vec[i] = v0 * fcr - v1 * fci;
        vec[i + 1] = v0 * fci + v1 * fcr;
      }
    }
    // grouped-query attention
    std::fill(xb_.begin(), xb_.end(), 0.0f);
    for (int hh = 0; hh < c.n_heads; ++hh) {
      const float* q = q_.data() + size_t(hh) * size_t(hs);
      float* att = att_.data() + size_t(hh) * size_t(c.max_seq_len);
      const size_t off = size_t(hh / kv_mul) * size_t(hs);
      for (int t = 0; t <= pos; ++t) {
        const float* k = key_cache_.data() + (size_t(l) * size_t(c.max_seq_len) + size_t(t)) * size_t(kv) + off;
        float score = 0.0f;
        for (int i = 0; i < hs; ++i) score += q[i] * k[i];
        att[t] = score / std::sqrt(float(hs));
      }
      softmax(att, pos + 1);
      float* xb = xb_.data() + size_t(hh) * size_t(hs);
      for (int t = 0; t <= pos; ++t) {
        const float* v = value_cache_.data() + (size_t(l) * size_t(c.max_seq_len) + size_t(t)) * size_t(kv) + off;
        for (int i = 0; i < hs; ++i) xb[i] += att[t] * v[i];
      }
    }
    linear(base + 3, xb_.data(), xb2_.data());
    for (int i = 0; i < d; ++i) x_[size_t(i)] += xb2_[size_t(i)];
    // SwiGLU FFN: w2(silu(w1 x) * w3 x)
    rmsnorm(xb_.data(), x_.data(), rms_ffn_ + size_t(l) * size_t(d), d);
    linear(base + 4, xb_.data(), hb_.data());
    linear(base + 6, xb_.data(), hb2_.data());
    for (int i = 0; i < h; ++i) {
      float v = hb_[size_t(i)];
      v *= 1.0f / (1.0f + std::exp(-v));
      hb_[size_t(i)] = v * hb2_[size_t(i)];
    }
    linear(base + 5, hb_.data(), xb_.data());
    for (int i = 0; i < d; ++i) x_[size_t(i)] += xb_[size_t(i)];
  }
  rmsnorm(x_.data(), x_.data(), rms_final_, d);
  linear(7 * c.n_layers, x_.data(), logits_.data());
  return logits_;
}

int argmax(const std::vector<float>& v) { return int(std::max_element(v.begin(), v.end()) - v.begin()); }

}  // namespace mixpe
