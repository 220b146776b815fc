// IEEE-style binary floating-point formats at the bit level: the single definition of
// decoding and of round-to-nearest-even encoding used by the golden model, the tests and
// the Verilog emitter's parameters.
#pragma once
#include <cstdint>
#include <string_view>

namespace mixpe {

// A format typed by (exponent bits, significand bits including the hidden bit),
// as HardFloat types its units: fp16 = (5, 11), bf16 = (8, 8), fp32 = (8, 24).
struct FloatFormat {
  int exp_bits;
  int sig_bits;

  constexpr int bias() const { return (1 << (exp_bits - 1)) - 1; }
  constexpr int total_bits() const { return exp_bits + sig_bits; }      // sign + exp + (sig - 1)
  constexpr int max_biased_exp() const { return (1 << exp_bits) - 1; }  // the Inf/NaN code
  constexpr uint32_t frac_mask() const { return (1u << (sig_bits - 1)) - 1; }
  constexpr uint32_t quiet_nan() const {
    return (uint32_t(max_biased_exp()) << (sig_bits - 1)) | (1u << (sig_bits - 2));
  }
  constexpr uint32_t sign_bit() const { return 1u << (total_bits() - 1); }
  constexpr bool operator==(const FloatFormat&) const = default;
};

inline constexpr FloatFormat kFp16{5, 11};
inline constexpr FloatFormat kBf16{8, 8};
inline constexpr FloatFormat kFp32{8, 24};

enum class FpClass { kZero, kSubnormal, kNormal, kInf, kNaN };

// A decoded value: (-1)^sign * sig * 2^(exp - bias - (sig_bits - 1)).
// For zeros and subnormals exp is 1 (the effective exponent) and sig has no hidden bit,
// so the formula holds for every finite value. For Inf/NaN, sig holds the fraction.
struct Unpacked {
  bool sign;
  int exp;
  uint32_t sig;
  FpClass cls;
  bool finite() const { return cls != FpClass::kInf && cls != FpClass::kNaN; }
};

Unpacked decode(FloatFormat f, uint32_t bits);

// The exact value of an encoding as a double (every fp16/bf16/fp32 value is a double).
double to_double(FloatFormat f, uint32_t bits);

// Rounds (-1)^sign * mag * 2^exp2 to the format, round-to-nearest-even; `sticky` says
// that nonzero bits lie below mag's LSB (the value is then slightly larger in magnitude).
// Overflow gives infinity; underflow gives subnormals or a signed zero.
uint32_t round_to(FloatFormat f, bool sign, unsigned __int128 mag, int exp2, bool sticky = false);

// Rounds a double to the format (RNE); NaN gives the format's quiet NaN with the same sign.
uint32_t from_double(FloatFormat f, double v);

inline bool is_nan(FloatFormat f, uint32_t bits) { return decode(f, bits).cls == FpClass::kNaN; }

std::string_view format_name(FloatFormat f);

}  // namespace mixpe
