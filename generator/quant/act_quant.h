// Activations as the hardware receives them: FP16 / BF16 encodings, or INT8 values with a
// per-row FP32 scale (W4A8).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "numerics/float_format.h"
#include "numerics/matrix.h"

namespace mixpe {

enum class ActFormat { kFp16, kBf16, kInt8 };

std::string_view act_name(ActFormat a);
ActFormat parse_act(std::string_view name);  // "fp16" | "bf16" | "int8"
bool is_float(ActFormat a);
FloatFormat float_format(ActFormat a);  // fp16 / bf16 only

struct Activations {
  ActFormat fmt = ActFormat::kFp16;
  Matrix<int32_t> code;             // M x K: the FP encoding (fp16/bf16) or the INT8 value
  std::vector<uint32_t> row_scale;  // int8 only: M FP32 encodings; empty otherwise

  int M() const { return code.rows; }
  int K() const { return code.cols; }
  // The exact value the hardware sees, including the row scale for INT8.
  double value(int m, int k) const;
};

// FP16/BF16: each element rounded (RNE). INT8: per-row symmetric, scale = absmax / 127 in
// FP32, codes = RNE(x / scale) clamped to [-127, 127]. Non-finite inputs are kept for FP formats
// (the hardware's behaviour on them is part of the contract) and rejected for INT8.
Activations quantize_activations(const Matrix<float>& x, ActFormat fmt);

}  // namespace mixpe
