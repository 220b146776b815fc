// Group-wise weight quantization along K (GPTQ/AWQ convention) and its quantized container.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "numerics/int_format.h"
#include "numerics/lut_format.h"
#include "numerics/matrix.h"

namespace mixpe {

enum class WeightScheme {
  kAsym,  // unsigned q, unsigned zero point z, FP16 scale: w = s * (q - z)
  kSym,   // signed q, FP16 scale: w = s * q
  kLut,   // index into a table T, FP16 scale (group absmax for NF): w = s * T[q]
};

std::string_view scheme_name(WeightScheme s);

struct WeightQuantConfig {
  WeightScheme scheme = WeightScheme::kAsym;
  int bits = 4;          // 2, 3, 4, 8 (LUT: 2..4, must equal lut.bits)
  int group_size = 128;  // 32, 64, 128, 256
  LutFormat lut;         // kLut only

  IntFormat code_format() const { return {bits, scheme == WeightScheme::kSym}; }
  void validate() const;  // throws Error with a one-line message
};

void check_group_size(int group_size);

// Quantized K x N weights. K is padded with zero weights up to a multiple of G; the padding
// rows are explicit: k in [K, k_padded) holds the code whose weight is exactly zero.
struct QuantWeights {
  WeightQuantConfig cfg;
  int K = 0;
  int N = 0;
  int k_padded = 0;
  std::vector<int32_t> q;       // k_padded x N codes, row-major [k][n]
  std::vector<uint16_t> scale;  // groups x N, FP16 encodings
  std::vector<int32_t> zero;    // groups x N, unsigned zero points (kAsym), else all 0

  int groups() const { return k_padded / cfg.group_size; }
  int32_t code(int k, int n) const { return q[size_t(k) * N + n]; }
  uint16_t scale_at(int g, int n) const { return scale[size_t(g) * N + n]; }
  int32_t zero_at(int g, int n) const { return zero[size_t(g) * N + n]; }
  // The integer the datapath multiplies by the activation: q for kAsym/kSym, the table
  // entry in fixed point (2^-weight_frac_bits() units) for kLut.
  int64_t weight_int(int k, int n) const;
  int weight_frac_bits() const;
  // The exact dequantized weight, s * (q - z), s * q or s * T[q], as a double.
  double dequant(int k, int n) const;
  // The dequantized weight rounded once to FP16 (RNE): what the dequant-first (fma) datapath holds.
  uint16_t dequant_fp16(int k, int n) const;
};

// The dequant-first datapath's weight from its integer value v (q - z, or a signed q): RNE_fp16(s * v),
// the exact product rounded once (subnormals, overflow to infinity); a NaN scale, or an infinite one
// times 0, gives FP16's quiet NaN. The weight-dequant block computes exactly this.
uint16_t dequant_to_fp16(int32_t v, uint16_t scale_fp16);

// Quantizes W (K x N). Rejects NaN/Inf weights with the position named.
QuantWeights quantize_weights(const Matrix<float>& w, const WeightQuantConfig& cfg);

}  // namespace mixpe
