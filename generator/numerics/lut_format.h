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
  int terms = 0;                  // > 0: every entry is a sum of at most `terms` signed powers of two

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

// A table whose entries are restricted to at most `terms` signed powers of two (2^-14 .. 2^0), each
// entry replaced by the nearest such value that FP16 holds exactly: a PE multiplies by it with a
// shift-add of `terms` terms instead of a multiplier.
LutFormat restrict_terms(const LutFormat& t, int terms);

// The hardware encoding of a restricted entry: term j at bits [6j+5:6j] = {enable, negative,
// shift (4 bits)}, the term worth (-1)^negative * 2^shift in 1.14 units. Fails if the fixed-point
// value needs more than `terms` terms.
uint32_t term_code(int64_t fixed, int terms);
int64_t term_value(uint32_t code, int terms);  // the fixed-point value of a code

// NF4 / NF3 / NF2: the NormalFloat values (bitsandbytes NF4; FLUTE's NF3/NF2), rounded once to FP16.
LutFormat nf_format(int bits);
// Any 2^b-entry table of finite values (b = 2..4), each rounded to FP16 (RNE); every entry must
// be exact in the hardware's 1.14 fixed point (|entry| < 2, no bits below 2^-14).
LutFormat table_format(const std::vector<double>& values);

}  // namespace mixpe
