#include "golden/pe_model.h"

#include "golden/datapath.h"
#include "numerics/lut_format.h"

namespace mixpe {

int64_t sign_extend(uint64_t bits, int width) {
  if (width >= 64) return int64_t(bits);
  const uint64_t m = uint64_t(1) << (width - 1);
  bits &= (uint64_t(1) << width) - 1;
  return int64_t((bits ^ m) - m);
}

uint64_t wrap(int64_t v, int width) { return width >= 64 ? uint64_t(v) : uint64_t(v) & ((uint64_t(1) << width) - 1); }

int64_t exact_activation(ActFormat fmt, int32_t code) {
  if (!is_float(fmt)) return code;
  const Unpacked u = decode(float_format(fmt), uint32_t(code));
  if (!u.finite()) return 0;
  const int64_t mag = int64_t(u.sig) << (u.exp - 1);
  return u.sign ? -mag : mag;
}

uint32_t fp32_product(ActFormat fmt, int32_t code, int64_t w_int, int w_frac) {
  bool sign = w_int < 0;
  unsigned __int128 mag = (unsigned __int128)(w_int < 0 ? -w_int : w_int);
  int exp2 = -w_frac;
  if (is_float(fmt)) {
    const FloatFormat f = float_format(fmt);
    const Unpacked u = decode(f, uint32_t(code));
    if (!u.finite()) return 0;
    sign ^= u.sign;
    mag *= u.sig;
    exp2 += u.exp - f.bias() - (f.sig_bits - 1);
  } else {
    sign ^= code < 0;
    mag *= unsigned(code < 0 ? -code : code);
  }
  return round_to(kFp32, sign, mag, exp2);
}

uint32_t fma_product(uint16_t x16, uint16_t w16) {
  if (!decode(kFp16, x16).finite() || !decode(kFp16, w16).finite()) return 0;
  return f32_bits(float(to_double(kFp16, x16)) * float(to_double(kFp16, w16)));  // 22 bits: exact
}

uint64_t pe_step(const PeConfig& cfg, uint64_t a_bits, uint64_t w_bits, uint64_t psum_bits,
                 const std::vector<uint32_t>& table) {
  const int pw = cfg.psum_width();
  switch (cfg.kind) {
    case PeKind::kLut: {
      // the PE decodes the index through table_i, or (decoded per column) holds the entry itself
      const uint32_t e = cfg.lut_decode_column ? uint32_t(w_bits) : table.at(w_bits);
      const int64_t entry = cfg.entry_value(e);
      return wrap(sign_extend(psum_bits, pw) + sign_extend(a_bits, cfg.act_width()) * entry, pw);
    }
    case PeKind::kFma:
      return f32_add(uint32_t(psum_bits), fma_product(uint16_t(a_bits), uint16_t(w_bits)));
    case PeKind::kInt8:
      return wrap(sign_extend(psum_bits, 32) + sign_extend(a_bits, 8) * sign_extend(w_bits, 8), 32);
    case PeKind::kMixpe:
      break;
  }
  const int64_t w = cfg.weight_value(w_bits);
  switch (cfg.accum.mode) {
    case AccumMode::kFp32: {
      const int32_t code = is_float(cfg.act) ? int32_t(a_bits) : int32_t(sign_extend(a_bits, 8));
      return f32_add(uint32_t(psum_bits), fp32_product(cfg.act, code, w, 0));
    }
    case AccumMode::kPrealign:
      return wrap(sign_extend(psum_bits, pw) + sign_extend(a_bits, cfg.act_width()) * w, pw);
    case AccumMode::kExact: {
      const int32_t code = is_float(cfg.act) ? int32_t(a_bits) : int32_t(sign_extend(a_bits, 8));
      return wrap(sign_extend(psum_bits, pw) + exact_activation(cfg.act, code) * w, pw);
    }
  }
  return 0;
}

}  // namespace mixpe
