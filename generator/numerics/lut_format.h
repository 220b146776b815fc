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
  int shift_bits = 4;             // terms > 0: a term's shift field; its powers of two are 2^-frac_bits() .. 2^0

  // The hardware holds an entry as a signed fixed-point integer (entry = fixed(i) * 2^-frac_bits(),
  // |entry| < 2): 16 bits with 14 fraction bits, or for a table of terms with shifts of S bits,
  // 2^S - 2 fraction bits (S = 4: 14, S = 3: 6). The integer datapath multiplies these integers.
  static constexpr int kFracBits = 14;
  static constexpr int kWidth = 16;
  int frac_bits() const { return terms ? term_frac_bits(shift_bits) : kFracBits; }
  static int term_frac_bits(int shift_bits) { return (1 << shift_bits) - 2; }
  int64_t fixed(int index) const;
  double value(int index) const;
  double max_abs() const;
  // Index of the entry 0.0 (used for padding); fails if the table has no zero.
  int zero_index() const;
};

// A table whose entries are restricted to at most `terms` signed powers of two (2^-F .. 2^0 with
// F = 2^shift_bits - 2: 2^-14 for 4-bit shifts, 2^-6 for 3-bit ones), each entry replaced by the
// nearest such value that FP16 holds exactly: a PE multiplies by it with a shift-add of `terms`
// terms instead of a multiplier.
LutFormat restrict_terms(const LutFormat& t, int terms, int shift_bits = 4);

// The hardware encoding of a restricted entry: term j at bits [(S+2)j +: S+2] = {enable, negative,
// shift (S = shift_bits)}, the term worth (-1)^negative * 2^shift in fixed-point units (2^-F, so the
// largest shift, 2^S - 1, is 2^1). Fails if the value needs more than `terms` terms.
// Where term j's fields sit in a code (the one definition of the layout: the codec below and the
// PE emitter read it): shift at [shift_lsb +: shift_bits], then negative, then enable.
struct TermField {
  int shift_lsb, negative, enable;
};
inline TermField term_field(int j, int shift_bits) {
  const int lsb = (shift_bits + 2) * j;
  return {lsb, lsb + shift_bits, lsb + shift_bits + 1};
}
uint32_t term_code(int64_t fixed, int terms, int shift_bits = 4);
int64_t term_value(uint32_t code, int terms, int shift_bits = 4);  // the fixed-point value of a code

// NF4 / NF3 / NF2: the NormalFloat values (bitsandbytes NF4; FLUTE's NF3/NF2), rounded once to FP16.
LutFormat nf_format(int bits);
// Any 2^b-entry table of finite values (b = 2..4), each rounded to FP16 (RNE); every entry must
// be exact in the hardware's 1.14 fixed point (|entry| < 2, no bits below 2^-14).
LutFormat table_format(const std::vector<double>& values);

}  // namespace mixpe
