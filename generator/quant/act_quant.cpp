#include "quant/act_quant.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

std::string_view act_name(ActFormat a) {
  switch (a) {
    case ActFormat::kFp16:
      return "fp16";
    case ActFormat::kBf16:
      return "bf16";
    case ActFormat::kInt8:
      return "int8";
  }
  return "?";
}

ActFormat parse_act(std::string_view name) {
  if (name == "fp16") return ActFormat::kFp16;
  if (name == "bf16") return ActFormat::kBf16;
  if (name == "int8") return ActFormat::kInt8;
  fail("activation format '{}' is not supported: legal values are fp16, bf16, int8", shorten(name));
}

bool is_float(ActFormat a) { return a != ActFormat::kInt8; }

FloatFormat float_format(ActFormat a) { return a == ActFormat::kBf16 ? kBf16 : kFp16; }

double Activations::value(int m, int k) const {
  if (is_float(fmt)) return to_double(float_format(fmt), uint32_t(code.at(m, k)));
  return double(code.at(m, k)) * double(std::bit_cast<float>(row_scale[size_t(m)]));
}

Activations quantize_activations(const Matrix<float>& x, ActFormat fmt) {
  if (x.rows <= 0 || x.cols <= 0) fail("activation matrix is {} x {}: both M and K must be >= 1", x.rows, x.cols);
  Activations a;
  a.fmt = fmt;
  a.code = Matrix<int32_t>(x.rows, x.cols);
  if (is_float(fmt)) {
    for (size_t i = 0; i < x.data.size(); ++i) a.code.data[i] = int32_t(from_double(float_format(fmt), x.data[i]));
    return a;
  }
  for (int m = 0; m < x.rows; ++m) {
    float absmax = 0;
    for (int k = 0; k < x.cols; ++k) {
      if (!std::isfinite(x.at(m, k)))
        fail("activation X[{}][{}] = {} is not finite: INT8 quantization needs finite values", m, k, x.at(m, k));
      absmax = std::max(absmax, std::fabs(x.at(m, k)));
    }
    const float scale = absmax > 0 ? absmax / 127.0f : 1.0f;
    a.row_scale.push_back(std::bit_cast<uint32_t>(scale));
    for (int k = 0; k < x.cols; ++k)
      a.code.at(m, k) = int32_t(std::clamp(std::nearbyint(x.at(m, k) / scale), -127.0f, 127.0f));
  }
  return a;
}

}  // namespace mixpe
