// Signed and unsigned b-bit integer weight codes.
#pragma once
#include <cstdint>

#include "numerics/error.h"

namespace mixpe {

struct IntFormat {
  int bits;
  bool is_signed;

  constexpr int64_t min() const { return is_signed ? -(int64_t(1) << (bits - 1)) : 0; }
  constexpr int64_t max() const { return is_signed ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1; }
  constexpr bool contains(int64_t v) const { return v >= min() && v <= max(); }
};

// The weight bit-widths the hardware supports.
inline void check_weight_bits(int bits) {
  if (bits != 2 && bits != 3 && bits != 4 && bits != 8)
    fail("weight bits {} is not supported: legal values are 2, 3, 4, 8", bits);
}

}  // namespace mixpe
