// One validated configuration of a processing element: its kind, operand formats and
// accumulation, and every width derived from them (the emitter, the params header, the
// manifest and the golden PE model all read these). Built from options (config/options.h),
// which it turns back into losslessly (to_options).
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/accum_config.h"
#include "numerics/lut_format.h"
#include "quant/act_quant.h"

namespace mixpe {

enum class PeKind {
  kMixpe,  // low-bit weight x activation by shift-add, exact product (the MixPE PE)
  kFma,    // baseline: dequantized FP16 weight x FP16 activation, FP32 accumulate
  kInt8,   // baseline: INT8 x INT8 multiply, INT32 accumulate (TPU-like)
  kLut,    // lookup-table weights (FLUTE, NormalFloat): the index selects a fixed-point entry of a table
           // broadcast on a port (or decoded per column); times the prealigned activation (a multiplier,
           // or a shift-add of the entry's signed power-of-two terms)
};

std::string_view pe_kind_name(PeKind k);
PeKind parse_pe_kind(std::string_view name);  // "mixpe" | "lut" | "fma" | "int8"

struct PeConfig {
  PeKind kind = PeKind::kMixpe;
  int weight_bits = 4;         // mixpe: 2, 3, 4, 8
  bool weight_signed = false;  // mixpe: signed codes (symmetric quantization)
  ActFormat act = ActFormat::kFp16;
  AccumConfig accum;               // prealign (A), exact or fp32; its block B is always the array's rows
  int pipeline = 0;                // registers between the product and the accumulation: 0 or 1
  int lut_terms = 0;               // lut: 0 = 16-bit entries and a multiplier; 1..3 = entries of that many
                                   // signed powers of two (codes of 2 + lut_shift_bits bits each) and a shift-add
  bool int8_column_psum = false;   // int8: partial sums sized to the column (16 + log2 R bits, the
                                   // rule of the mixpe PEs) instead of INT32
  bool booth = false;              // mixpe prealign: the weight recoded into radix-4 (Booth) digits, one partial
                                   // product per 2 weight bits; unsigned codes enter as q - 2^(b-1) (zero_offset)
  int lut_shift_bits = 4;          // lut with terms: bits of a term's shift, S = 4 (2^-14 .. 2^1) or 3 (2^-6 .. 2^1)
  bool lut_decode_column = false;  // lut: the index is decoded into the table entry once per column bus at
                                   // weight load; the PE holds the entry itself (no table port, no decoder)

  // Throws Error naming the bad parameter and its legal values.
  void validate() const;
  bool operator==(const PeConfig&) const = default;

  // The integer the PE multiplies the activation by for weight code `code` (its w_i bits): the code,
  // signed or not, less zero_offset(); the group unit then subtracts (z - zero_offset()) * S.
  int64_t weight_value(uint64_t code) const;
  int zero_offset() const { return booth && !weight_signed ? 1 << (weight_bits - 1) : 0; }

  // Widths of the ports (derived; one definition).
  int act_width() const;     // a_i: aligned integer (prealign), FP16/BF16 encoding, or INT8
  int weight_width() const;  // w_i: the code (mixpe), the index (lut), an FP16 encoding (fma), INT8 (int8)
  int table_entries() const { return kind == PeKind::kLut ? 1 << weight_bits : 0; }
  // bits of one table_i entry: 16-bit fixed point, or `lut_terms` codes {enable, negative, shift}
  int table_entry_width() const { return lut_terms ? (2 + lut_shift_bits) * lut_terms : 16; }
  // The PE's own w_i: the weight code, or (lut decoded per column) the table entry it selects.
  int pe_weight_width() const {
    return kind == PeKind::kLut && lut_decode_column ? table_entry_width() : weight_width();
  }
  // lut: the fraction bits of the fixed-point entries the PE multiplies by (LutFormat::frac_bits of
  // lut_table()), and the width of the product a_i * entry (terms: each below 2^(A-1) * 2^(2^S - 1),
  // at most 3 of them; 16-bit entries: A + 16).
  int lut_frac_bits() const { return lut_terms ? LutFormat::term_frac_bits(lut_shift_bits) : LutFormat::kFracBits; }
  int lut_product_width() const { return accum.align_bits + (lut_terms ? (1 << lut_shift_bits) + 2 : 16); }
  // lut: the NormalFloat table of this width as the PE takes it (restricted to its terms), the
  // hardware encoding of entry i of a table (table_i's field, or the decoded w_i), and an
  // encoding's fixed-point value. One definition for the golden models, drivers and testbenches.
  LutFormat lut_table() const;
  uint32_t table_code(const LutFormat& t, int i) const;
  int64_t entry_value(uint32_t code) const;
  int psum_width() const;      // psum_i/psum_o: wide enough for a block of B products
  bool psum_is_float() const;  // FP32 encoding rather than two's complement
  // Cycles from a_i to the psum_o that includes its product; psum_i to psum_o is always 1.
  int latency() const { return 1 + pipeline; }

  std::string weight_name() const;  // u4, s4, lut4t2, fp16, s8: for descriptions
  std::string module_name() const;
  // The parameters printed in headers and manifests: canonical values and derived widths.
  std::vector<std::pair<std::string, std::string>> params() const;
  // The canonical options (config/options.h) that rebuild exactly this configuration.
  std::vector<std::pair<std::string, std::string>> to_options() const;
};

}  // namespace mixpe
