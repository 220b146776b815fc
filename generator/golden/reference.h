// Float64 references and error metrics: the yardsticks the golden model is measured by.
#pragma once
#include <cstdint>

#include "numerics/matrix.h"
#include "quant/act_quant.h"
#include "quant/weight_quant.h"

namespace mixpe {

// The same mathematics in float64: activations as the hardware sees them (INT8 times its row
// scale), weights dequantized exactly, one float64 dot product per output.
Matrix<double> reference_f64(const Activations& x, const QuantWeights& w);

// Unquantized float64 product of the original matrices (the fidelity of quantization itself).
Matrix<double> reference_f64(const Matrix<float>& x, const Matrix<float>& w);

Matrix<double> fp32_to_double(const Matrix<uint32_t>& y);

struct ErrorMetrics {
  double rel_frobenius;  // ||Y - R||_F / ||R||_F
  double max_abs;        // max |Y - R|
};

ErrorMetrics error_metrics(const Matrix<double>& y, const Matrix<double>& ref);

}  // namespace mixpe
