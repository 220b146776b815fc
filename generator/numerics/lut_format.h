// Lookup-table weight formats (FLUTE, NormalFloat): a code is an index into a table of
// 2^b FP16 values. The table is what the hardware stores, so entries are FP16 bit patterns.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace mixpe {

struct LutFormat {
  std::string name;               // "nf4", "nf3", "nf2" or "table"
  int bits;                       // 2..4
  std::vector<uint16_t> entries;  // 2^bits FP16 encodings, finite

  // The hardware holds an entry as a 16-bit signed fixed-point integer with 14 fraction bits
  // (entry = fixed(i) * 2^-14, |entry| < 2): the integer datapath multiplies these integers.
  static constexpr int kFracBits = 14;
  static constexpr int kWidth = 16;
  int frac_bits() const { return kFracBits; }
  int64_t fixed(int index) const;
  double value(int index) const;
  double max_abs() const;
  // Index of the entry 0.0 (used for padding); fails if the table has no zero.
  int zero_index() const;
};

// NF4 / NF3 / NF2 with the values of ARCHITECTURE.md, rounded once to FP16.
LutFormat nf_format(int bits);
// Any 2^b-entry table of finite values (b = 2..4), each rounded to FP16 (RNE); every entry must
// be exact in the hardware's 1.14 fixed point (|entry| < 2, no bits below 2^-14).
LutFormat table_format(const std::vector<double>& values);

}  // namespace mixpe
