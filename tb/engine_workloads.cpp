#include "engine_workloads.h"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

namespace mixpe::tb {

Gemm make_gemm(const EngineConfig& e, std::string name, const Matrix<float>& x, const Matrix<float>& w) {
  return {std::move(name), quantize_activations(x, e.pe.act), quantize_weights(w, e.weight_quant())};
}

Matrix<float> llm_activations(int M, int K, std::mt19937_64& rng) {
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::uniform_int_distribution<int> ch(0, K - 1);
  Matrix<float> x(M, K);
  for (float& v : x.data) v = nd(rng);
  for (int i = 0; i < std::max(1, K / 64); ++i) {
    const int k = ch(rng);
    const float gain = 30.0f + 70.0f * std::fabs(nd(rng)) / 3.0f;
    for (int m = 0; m < M; ++m) x.at(m, k) *= gain;
  }
  return x;
}

Matrix<float> normal(int r, int c, float sd, std::mt19937_64& rng) {
  std::normal_distribution<float> nd(0.0f, sd);
  Matrix<float> m(r, c);
  for (float& v : m.data) v = nd(rng);
  return m;
}

std::vector<Gemm> corner_gemms(const EngineConfig& e, std::mt19937_64& rng) {
  const int M = std::min(e.depth, 5), K = e.group_size + e.rows, N = e.cols + 1;
  std::vector<Gemm> out;
  out.push_back(make_gemm(e, "corner: zero activations", Matrix<float>(M, K, 0.0f), normal(K, N, 0.05f, rng)));
  Gemm base = make_gemm(e, "corner: extreme codes", normal(M, K, 1.0f, rng), normal(K, N, 0.05f, rng));
  const IntFormat cf = base.w.cfg.code_format();
  for (int k = 0; k < base.w.k_padded; ++k)
    for (int n = 0; n < N; ++n) base.w.q[size_t(k) * N + n] = int32_t((k + n) % 2 ? cf.max() : cf.min());
  out.push_back(base);
  if (is_float(e.pe.act)) {
    const FloatFormat f = float_format(e.pe.act);
    const uint32_t max_finite = (uint32_t(f.max_biased_exp() - 1) << (f.sig_bits - 1)) | f.frac_mask();
    Gemm sub = base;
    sub.name = "corner: subnormals and the largest magnitudes";
    std::uniform_int_distribution<uint32_t> frac(1, f.frac_mask());
    for (int m = 0; m < M; ++m)
      for (int k = 0; k < K; ++k) {
        const uint32_t sign = (m + k) % 2 ? f.sign_bit() : 0u;
        sub.x.code.at(m, k) = int32_t(sign | (m % 2 ? frac(rng) : (k % 7 ? max_finite : 1u)));
      }
    out.push_back(sub);
    Gemm nan = base;
    nan.name = "corner: NaN and Inf activations";
    nan.x.code.at(0, 3) = int32_t(f.quiet_nan());
    nan.x.code.at(std::min(2, M - 1), K - 1) = int32_t(uint32_t(f.max_biased_exp()) << (f.sig_bits - 1));  // +Inf
    out.push_back(nan);
    // a NaN or an Inf in every lane of the array's west edge, one per row: each lane's flag counts
    const int rows = std::min(e.depth, e.rows);
    Gemm lanes = make_gemm(e, "corner: NaN or Inf in each lane", normal(rows, K, 1.0f, rng), normal(K, N, 0.05f, rng));
    const uint32_t inf = uint32_t(f.max_biased_exp()) << (f.sig_bits - 1);
    for (int m = 0; m < rows; ++m)
      lanes.x.code.at(m, (m % e.rows) + e.rows * (m % 2)) =
          int32_t(m % 3 ? f.quiet_nan() : inf | (m % 2 ? f.sign_bit() : 0u));
    out.push_back(lanes);
  } else {
    // INT8: activations so small that their rows' FP32 scales are subnormal, so that the row-scale
    // multiply sees subnormal operands
    out.push_back(make_gemm(e, "corner: tiny activations (subnormal FP32 row scales)", normal(M, K, 1e-38f, rng),
                            normal(K, N, 0.05f, rng)));
  }
  return out;
}

Streams input_streams(const EngineConfig& e, const Gemm& g) { return host_streams(e, g.x, g.w); }

Matrix<uint32_t> expected(const EngineConfig& e, const Gemm& g) { return golden_engine(e, g.x, g.w); }

void Perf::add(const EngineConfig& e, const Gemm& g, uint64_t run_cycles, double run_seconds) {
  const int R = e.rows, C = e.cols, kt = g.w.k_padded / R, nt = (g.w.N + C - 1) / C;
  cycles += run_cycles;
  seconds += run_seconds;
  macs += uint64_t(g.x.M()) * uint64_t(g.x.K()) * uint64_t(g.w.N);
  padded_macs += uint64_t(g.x.M()) * uint64_t(kt) * R * uint64_t(nt) * C;
  bound_cycles += uint64_t(kt) * nt * uint64_t(std::max(g.x.M(), e.beats_per_tile()));
}

void Perf::report(const EngineConfig& e, const std::string& what) const {
  const double array = double(e.rows) * e.cols;
  const double util = double(macs) / (array * double(cycles));
  const double bound = double(padded_macs) / (array * double(bound_cycles));
  fmt::print("{}: {} cycles, {} MACs, utilization {:.3f} (bound max(M,R/L) per tile: {:.3f}, {:.1f}% of it)", what,
             cycles, macs, util, bound, 100.0 * util / bound);
  fmt::print(", {:.3g} simulated MACs/s ({:.0f} cycles/s)\n", double(macs) / seconds, double(cycles) / seconds);
}

}  // namespace mixpe::tb
