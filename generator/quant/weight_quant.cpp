#include "quant/weight_quant.h"

#include <algorithm>
#include <cmath>

#include "numerics/error.h"
#include "numerics/float_format.h"

namespace mixpe {

std::string_view scheme_name(WeightScheme s) {
  switch (s) {
    case WeightScheme::kAsym:
      return "asym";
    case WeightScheme::kSym:
      return "sym";
    case WeightScheme::kLut:
      return "lut";
  }
  return "?";
}

void check_group_size(int g) {
  if (g != 32 && g != 64 && g != 128 && g != 256)
    fail("group size {} is not supported: legal values are 32, 64, 128, 256", g);
}

void WeightQuantConfig::validate() const {
  check_group_size(group_size);
  if (scheme == WeightScheme::kLut) {
    if (bits < 2 || bits > 4) fail("LUT weight bits {} is not supported: legal values are 2, 3, 4", bits);
    if (lut.bits != bits || lut.entries.size() != (size_t(1) << bits))
      fail("lookup table '{}' has {} entries, but {}-bit weights need {}", lut.name, lut.entries.size(), bits,
           1 << bits);
  } else {
    check_weight_bits(bits);
  }
}

int64_t QuantWeights::weight_int(int k, int n) const {
  const int32_t c = code(k, n);
  return cfg.scheme == WeightScheme::kLut ? cfg.lut.fixed(c) : c;
}

int QuantWeights::weight_frac_bits() const { return cfg.scheme == WeightScheme::kLut ? cfg.lut.frac_bits() : 0; }

double QuantWeights::dequant(int k, int n) const {
  const int g = k / cfg.group_size;
  const double s = to_double(kFp16, scale_at(g, n));
  const int32_t c = code(k, n);
  switch (cfg.scheme) {
    case WeightScheme::kAsym:
      return s * double(c - zero_at(g, n));
    case WeightScheme::kSym:
      return s * double(c);
    case WeightScheme::kLut:
      return s * cfg.lut.value(c);
  }
  return 0;
}

uint16_t dequant_to_fp16(int32_t v, uint16_t scale_fp16) {
  const double s = to_double(kFp16, scale_fp16);
  if (std::isnan(s) || (std::isinf(s) && v == 0)) return uint16_t(kFp16.quiet_nan());
  return uint16_t(from_double(kFp16, s * double(v)));  // exact: 11 x at most 8 significant bits
}

uint16_t QuantWeights::dequant_fp16(int k, int n) const {
  if (cfg.scheme == WeightScheme::kLut)
    return uint16_t(from_double(kFp16, dequant(k, n)));  // exact product, one rounding
  const int g = k / cfg.group_size;
  return dequant_to_fp16(code(k, n) - (cfg.scheme == WeightScheme::kAsym ? zero_at(g, n) : 0), scale_at(g, n));
}

namespace {

// An FP16 scale for a group: RNE to FP16; a zero or underflowing scale becomes 1.0 (every
// weight of such a group is 0 anyway), an overflowing one is an error.
uint16_t fp16_scale(double s, int g, int n) {
  if (s == 0) return uint16_t(from_double(kFp16, 1.0));
  uint32_t h = from_double(kFp16, s);
  if (!decode(kFp16, h).finite())
    fail("group {} of column {}: scale {} overflows FP16 (max 65504); rescale the weights", g, n, s);
  if (decode(kFp16, h).cls == FpClass::kZero) h = 1;  // smallest subnormal: keep it nonzero
  return uint16_t(h);
}

int32_t clamp_round(double v, const IntFormat& f) {
  return int32_t(std::clamp<double>(std::nearbyint(v), double(f.min()), double(f.max())));
}

}  // namespace

QuantWeights quantize_weights(const Matrix<float>& w, const WeightQuantConfig& cfg) {
  cfg.validate();
  if (w.rows <= 0 || w.cols <= 0) fail("weight matrix is {} x {}: both K and N must be >= 1", w.rows, w.cols);
  for (int k = 0; k < w.rows; ++k)
    for (int n = 0; n < w.cols; ++n)
      if (!std::isfinite(w.at(k, n)))
        fail("weight W[{}][{}] = {} is not finite: the quantizer needs finite weights", k, n, w.at(k, n));

  QuantWeights qw;
  qw.cfg = cfg;
  qw.K = w.rows;
  qw.N = w.cols;
  const int G = cfg.group_size;
  qw.k_padded = (w.rows + G - 1) / G * G;
  qw.q.assign(size_t(qw.k_padded) * qw.N, 0);
  qw.scale.assign(size_t(qw.groups()) * qw.N, 0);
  qw.zero.assign(size_t(qw.groups()) * qw.N, 0);
  const IntFormat cf = cfg.code_format();

  for (int g = 0; g < qw.groups(); ++g) {
    const int k0 = g * G, k1 = std::min(k0 + G, qw.K);
    for (int n = 0; n < qw.N; ++n) {
      double lo = 0, hi = 0;  // min-max including 0, so that 0 is representable (GPTQ)
      for (int k = k0; k < k1; ++k) lo = std::min(lo, double(w.at(k, n))), hi = std::max(hi, double(w.at(k, n)));
      const double absmax = std::max(-lo, hi);
      int32_t z = 0, pad_code = 0;
      uint16_t s16 = 0;
      switch (cfg.scheme) {
        case WeightScheme::kAsym: {
          s16 = fp16_scale((hi - lo) / double(cf.max()), g, n);
          z = clamp_round(-lo / to_double(kFp16, s16), cf);
          pad_code = z;
          break;
        }
        case WeightScheme::kSym:
          s16 = fp16_scale(absmax / double(cf.max()), g, n);
          break;
        case WeightScheme::kLut:
          s16 = fp16_scale(absmax / cfg.lut.max_abs(), g, n);
          pad_code = cfg.lut.zero_index();
          break;
      }
      const double s = to_double(kFp16, s16);
      qw.scale[size_t(g) * qw.N + n] = s16;
      qw.zero[size_t(g) * qw.N + n] = z;
      for (int k = k0; k < k0 + G; ++k) {
        int32_t c = pad_code;
        if (k < k1) {
          const double x = double(w.at(k, n)) / s;
          if (cfg.scheme == WeightScheme::kLut) {
            // nearest table entry; ties go to the lower index
            double best = INFINITY;
            for (int i = 0; i < (1 << cfg.bits); ++i) {
              const double d = std::fabs(x - cfg.lut.value(i));
              if (d < best) best = d, c = i;
            }
          } else {
            c = clamp_round(x + double(z), cf);
          }
        }
        qw.q[size_t(k) * qw.N + n] = c;
      }
    }
  }
  return qw;
}

}  // namespace mixpe
