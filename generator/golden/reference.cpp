#include "golden/reference.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "numerics/error.h"
#include "numerics/float_format.h"

namespace mixpe {

Matrix<double> reference_f64(const Activations& x, const QuantWeights& w) {
  if (x.K() != w.K) fail("X has K = {} columns but W has K = {} rows: they must match", x.K(), w.K);
  Matrix<double> wd(w.N, w.K);
  for (int k = 0; k < w.K; ++k)
    for (int n = 0; n < w.N; ++n) wd.at(n, k) = w.dequant(k, n);
  Matrix<double> y(x.M(), w.N);
  for (int m = 0; m < x.M(); ++m) {
    std::vector<double> xr(size_t(x.K()));
    for (int k = 0; k < x.K(); ++k) xr[size_t(k)] = x.value(m, k);
    for (int n = 0; n < w.N; ++n) {
      double s = 0;
      for (int k = 0; k < x.K(); ++k) s += xr[size_t(k)] * wd.at(n, k);
      y.at(m, n) = s;
    }
  }
  return y;
}

Matrix<double> reference_f64(const Matrix<float>& x, const Matrix<float>& w) {
  if (x.cols != w.rows) fail("X has K = {} columns but W has K = {} rows: they must match", x.cols, w.rows);
  const Matrix<float> wt = w.transposed();
  Matrix<double> y(x.rows, w.cols);
  for (int m = 0; m < x.rows; ++m)
    for (int n = 0; n < w.cols; ++n) {
      double s = 0;
      for (int k = 0; k < x.cols; ++k) s += double(x.at(m, k)) * double(wt.at(n, k));
      y.at(m, n) = s;
    }
  return y;
}

Matrix<double> fp32_to_double(const Matrix<uint32_t>& y) {
  Matrix<double> d(y.rows, y.cols);
  for (size_t i = 0; i < y.data.size(); ++i) d.data[i] = double(std::bit_cast<float>(y.data[i]));
  return d;
}

ErrorMetrics error_metrics(const Matrix<double>& y, const Matrix<double>& ref) {
  if (y.rows != ref.rows || y.cols != ref.cols)
    fail("error metrics need equal shapes: {} x {} vs {} x {}", y.rows, y.cols, ref.rows, ref.cols);
  double num = 0, den = 0, mx = 0;
  for (size_t i = 0; i < y.data.size(); ++i) {
    const double d = y.data[i] - ref.data[i];
    num += d * d;
    den += ref.data[i] * ref.data[i];
    mx = std::max(mx, std::fabs(d));
  }
  return {den > 0 ? std::sqrt(num / den) : std::sqrt(num), mx};
}

}  // namespace mixpe
