#include "golden/mpgemm.h"

#include <algorithm>
#include <cmath>

#include "golden/datapath.h"
#include "golden/pe_model.h"
#include "numerics/error.h"

namespace mixpe {
namespace {

void check_shapes(const Activations& x, const QuantWeights& w) {
  if (x.K() != w.K) fail("X has K = {} columns but W has K = {} rows: they must match", x.K(), w.K);
}

// Activation k of row m as the hardware receives it; past K the padding is +0.
int32_t act_code(const Activations& x, int m, int k) { return k < x.K() ? x.code.at(m, k) : 0; }

bool row_poisoned(const Activations& x, int m) {
  if (!is_float(x.fmt)) return false;
  for (int k = 0; k < x.K(); ++k)
    if (!decode(float_format(x.fmt), uint32_t(x.code.at(m, k))).finite()) return true;
  return false;
}

// INT8 activations carry a per-row scale, applied to each output once at the end.
uint32_t apply_row_scale(const Activations& x, int m, uint32_t y) {
  return is_float(x.fmt) ? y : f32_mul(y, x.row_scale[size_t(m)]);
}

// FP32-accumulation variant of the dequant-after datapath (AccumMode::kFp32).
uint32_t fp32_group_path(const Activations& x, const QuantWeights& w, const AccumConfig& acc, int m, int n) {
  const int G = w.cfg.group_size;
  const int wfrac = w.weight_frac_bits();
  uint32_t y = 0;
  for (int g = 0; g < w.groups(); ++g) {
    uint32_t p = 0, s = 0;
    for (int b0 = g * G; b0 < (g + 1) * G; b0 += acc.block) {
      uint32_t pb = 0, sb = 0;
      for (int k = b0; k < b0 + acc.block; ++k) {
        pb = f32_add(pb, fp32_product(x.fmt, act_code(x, m, k), w.weight_int(k, n), wfrac));
        sb = f32_add(sb, fp32_product(x.fmt, act_code(x, m, k), 1, 0));
      }
      p = f32_add(p, pb);
      s = f32_add(s, sb);
    }
    const uint32_t zs = f32_mul(f32_bits(float(w.zero_at(g, n))), s);
    const uint32_t d = f32_add(p, zs ^ 0x80000000u);
    const uint32_t s32 = f32_bits(float(to_double(kFp16, w.scale_at(g, n))));
    y = f32_add(y, f32_mul(d, s32));
  }
  return y;
}

}  // namespace

Matrix<uint32_t> golden_mpgemm(const Activations& x, const QuantWeights& w, const AccumConfig& acc) {
  check_shapes(x, w);
  acc.validate(x.fmt, w.cfg.group_size);
  const int G = w.cfg.group_size, B = acc.block;
  const int frac = acc.mode == AccumMode::kExact ? 0 : acc.frac_bits(x.fmt);
  const int wfrac = w.weight_frac_bits();
  // The integers the PEs hold, column-major so a column's dot product reads contiguously.
  Matrix<int64_t> wint(w.N, w.k_padded);
  for (int k = 0; k < w.k_padded; ++k)
    for (int n = 0; n < w.N; ++n) wint.at(n, k) = w.weight_int(k, n);
  Matrix<uint32_t> y(x.M(), w.N, 0);
  for (int m = 0; m < x.M(); ++m) {
    if (row_poisoned(x, m)) {
      for (int n = 0; n < w.N; ++n) y.at(m, n) = kF32QuietNan;
      continue;
    }
    if (acc.mode == AccumMode::kFp32) {
      for (int n = 0; n < w.N; ++n) y.at(m, n) = apply_row_scale(x, m, fp32_group_path(x, w, acc, m, n));
      continue;
    }
    const AlignedRow row = align_row(x, m, w.k_padded, acc);
    // S per block is shared by every column: computed once per row, as the edge unit does.
    std::vector<int128> s_block(row.lsb_exp.size(), 0);
    for (size_t b = 0; b < s_block.size(); ++b)
      for (int k = int(b) * B; k < int(b + 1) * B; ++k) s_block[b] += row.a[size_t(k)];
    for (int n = 0; n < w.N; ++n) {
      uint32_t yv = 0;
      for (int g = 0; g < w.groups(); ++g) {
        GroupAccumulator ga(frac);
        const int128 z = w.zero_at(g, n);
        for (int b = g * G / B; b < (g + 1) * G / B; ++b) {
          int128 p = 0;
          const int64_t* wc = &wint.at(n, b * B);
          const int64_t* ac = &row.a[size_t(b * B)];
          for (int k = 0; k < B; ++k) p += int128(ac[k]) * wc[k];
          ga.add(p - z * s_block[size_t(b)], row.lsb_exp[size_t(b)]);
        }
        yv = dequant_accumulate(yv, ga.value(), ga.lsb_exp() - wfrac, w.scale_at(g, n));
      }
      y.at(m, n) = apply_row_scale(x, m, yv);
    }
  }
  return y;
}

Matrix<uint32_t> golden_dequant_first(const Activations& x, const QuantWeights& w, int block) {
  check_shapes(x, w);
  if (block < 1) fail("accumulation block {} is not legal: use 1 or more", block);
  if (x.fmt != ActFormat::kFp16) fail("the dequant-first (fma) datapath is FP16 x FP16: activations must be fp16");
  Matrix<uint16_t> w16(w.k_padded, w.N);
  for (int k = 0; k < w.k_padded; ++k)
    for (int n = 0; n < w.N; ++n) w16.at(k, n) = w.dequant_fp16(k, n);
  Matrix<uint32_t> y(x.M(), w.N, 0);
  for (int m = 0; m < x.M(); ++m) {
    const bool poisoned = row_poisoned(x, m);
    for (int n = 0; n < w.N; ++n) {
      if (poisoned) {
        y.at(m, n) = kF32QuietNan;
        continue;
      }
      uint32_t yv = 0;
      for (int b0 = 0; b0 < w.k_padded; b0 += block) {
        uint32_t pb = 0;
        for (int k = b0; k < std::min(b0 + block, w.k_padded); ++k)
          pb = f32_add(pb, fma_product(uint16_t(act_code(x, m, k)), w16.at(k, n)));
        yv = f32_add(yv, pb);
      }
      y.at(m, n) = yv;
    }
  }
  return y;
}

Matrix<uint32_t> software_reference(const Activations& x, const QuantWeights& w) {
  return golden_dequant_first(x, w, w.k_padded);
}

int column_sum_lsb_exp(const EngineConfig& e, int block_exp) {
  if (!is_float(e.pe.act)) return 0;
  const FloatFormat f = float_format(e.pe.act);
  const int table = e.pe.kind == PeKind::kLut ? e.pe.lut_frac_bits() : 0;
  if (e.pe.accum.mode == AccumMode::kExact) return exact_lsb_exp(f) - table;
  return prealign_lsb_exp(f, block_exp, e.pe.accum.align_bits) - table;
}

Matrix<uint32_t> golden_engine(const EngineConfig& e, const Activations& x, const QuantWeights& w) {
  return e.fma() ? golden_dequant_first(x, w, e.rows) : golden_mpgemm(x, w, e.pe.accum);
}

}  // namespace mixpe
