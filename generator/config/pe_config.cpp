#include "config/pe_config.h"

#include <bit>

#include <fmt/format.h>

#include "numerics/error.h"
#include "numerics/int_format.h"
#include "numerics/user_text.h"

namespace mixpe {

std::string_view pe_kind_name(PeKind k) {
  switch (k) {
    case PeKind::kMixpe:
      return "mixpe";
    case PeKind::kFma:
      return "fma";
    case PeKind::kInt8:
      return "int8";
    case PeKind::kLut:
      return "lut";
  }
  return "?";
}

PeKind parse_pe_kind(std::string_view name) {
  if (name == "mixpe") return PeKind::kMixpe;
  if (name == "fma") return PeKind::kFma;
  if (name == "int8") return PeKind::kInt8;
  if (name == "lut") return PeKind::kLut;
  fail("PE kind '{}' is not supported: legal values are mixpe, lut, fma, int8", shorten(name));
}

void PeConfig::validate() const {
  if (int8_column_psum && kind != PeKind::kInt8)
    fail("--int8-psum column sizes the int8 PE's partial sums: it does not apply to --pe {}", pe_kind_name(kind));
  if (pipeline != 0 && pipeline != 1) fail("pipeline {} is not supported: legal values are 0, 1", pipeline);
  if (accum.block < 1 || accum.block > 256 || !std::has_single_bit(unsigned(accum.block)))
    fail("block {} is not legal: use a power of two from 1 to 256 (the array's rows)", accum.block);
  if (lut_terms != 0 && kind != PeKind::kLut) fail("--lut-terms applies to LUT weights (--weight-format) only");
  if (booth && (kind != PeKind::kMixpe || accum.mode != AccumMode::kPrealign))
    fail(
        "--booth recodes the mixpe PE's weights for its prealigned product: use --pe mixpe --accum prealign "
        "with fp16 or bf16 activations");
  if (lut_decode_column && kind != PeKind::kLut) fail("--lut-decode applies to LUT weights (--weight-format) only");
  if (lut_shift_bits != 4 && (kind != PeKind::kLut || lut_terms == 0))
    fail("--lut-shift-bits {} applies to LUT weights of terms only (--weight-format nf4 --lut-terms 1..3)",
         lut_shift_bits);
  if (lut_shift_bits != 3 && lut_shift_bits != 4)
    fail("--lut-shift-bits {} is not legal: use 4 (terms 2^-14 .. 2^1) or 3 (2^-6 .. 2^1)", lut_shift_bits);
  switch (kind) {
    case PeKind::kMixpe:
      check_weight_bits(weight_bits);
      accum.validate(act, 256);
      break;
    case PeKind::kLut:
      if (weight_bits < 2 || weight_bits > 4)
        fail("LUT weights have 2, 3 or 4 bits (NF2, NF3, NF4); got {}", weight_bits);
      if (accum.mode != AccumMode::kPrealign || !is_float(act))
        fail(
            "the lut PE takes prealigned fp16 or bf16 activations: use --accum prealign (exact and fp32 are not "
            "built)");
      accum.validate(act, 256);
      if (lut_terms < 0 || lut_terms > 3)
        fail("--lut-terms {} is not legal: use 0 (a multiplier) or 1 to 3", lut_terms);
      break;
    case PeKind::kFma:
      check_weight_bits(weight_bits);  // the weights are quantized, then dequantized to FP16 on their way in
      if (act != ActFormat::kFp16)
        fail("the fma baseline PE is FP16 x FP16: --act must be fp16, not {}", act_name(act));
      if (accum.mode != AccumMode::kFp32) fail("the fma baseline PE accumulates in FP32: --accum must be fp32");
      break;
    case PeKind::kInt8:
      if (act != ActFormat::kInt8)
        fail("the int8 baseline PE is INT8 x INT8: --act must be int8, not {}", act_name(act));
      if (weight_bits != 8 || !weight_signed)
        fail("the int8 baseline PE takes signed 8-bit weights: use --weight-bits 8 --weight-signed");
      if (accum.mode != AccumMode::kExact) fail("the int8 baseline PE sums exactly in 32 bits: --accum must be exact");
      break;
  }
}

int PeConfig::act_width() const {
  if ((kind == PeKind::kMixpe || kind == PeKind::kLut) && accum.mode == AccumMode::kPrealign) return accum.align_bits;
  return is_float(act) ? 16 : 8;
}

int PeConfig::weight_width() const {
  switch (kind) {
    case PeKind::kMixpe:
      return weight_bits;
    case PeKind::kLut:
      return weight_bits;
    case PeKind::kFma:
      return 16;
    case PeKind::kInt8:
      return 8;
  }
  return 0;
}

bool PeConfig::psum_is_float() const {
  return kind == PeKind::kFma || (kind == PeKind::kMixpe && accum.mode == AccumMode::kFp32);
}

int PeConfig::psum_width() const {
  // |product| < 2^(operand magnitude bits + weight_bits); a block of B adds log2(B) bits.
  const int log2b = std::countr_zero(unsigned(accum.block));
  if (kind == PeKind::kInt8) return int8_column_psum ? 8 + 8 + log2b : 32;
  if (psum_is_float()) return 32;
  if (kind == PeKind::kLut) return lut_product_width() + log2b;
  if (accum.mode == AccumMode::kPrealign) return accum.align_bits + weight_bits + log2b;
  if (act == ActFormat::kInt8) return 8 + weight_bits + log2b;
  // exact FP16: an 11-bit significand times the weight, shifted by up to 29, plus the sign
  return 1 + 11 + weight_bits + 29 + log2b;
}

std::string PeConfig::module_name() const {
  switch (kind) {
    case PeKind::kFma:
      return fmt::format("mixpe_pe_fma_fp16_fp32_p{}", pipeline);
    case PeKind::kInt8:
      return fmt::format("mixpe_pe_int8{}_p{}", int8_column_psum ? "col" : "", pipeline);
    case PeKind::kLut:
      return fmt::format("mixpe_pe_{}_{}_prealign{}_b{}_p{}", weight_name(), act_name(act), accum.align_bits,
                         accum.block, pipeline);
    case PeKind::kMixpe:
      break;
  }
  std::string acc = std::string(accum_name(accum.mode));
  if (accum.mode == AccumMode::kPrealign) acc += fmt::format("{}", accum.align_bits);
  if (accum.mode != AccumMode::kFp32) acc += fmt::format("_b{}", accum.block);
  return fmt::format("mixpe_pe_w{}{}{}_{}_{}_p{}", weight_bits, weight_signed ? "s" : "u", booth ? "r4" : "",
                     act_name(act), acc, pipeline);
}

std::string PeConfig::weight_name() const {
  switch (kind) {
    case PeKind::kMixpe:
      return fmt::format("{}{}", weight_signed ? "s" : "u", weight_bits);
    case PeKind::kLut:  // lut4, lut4t2, lut4t2s3 (3-bit shifts), ...c (decoded per column)
      return fmt::format("lut{}{}{}{}", weight_bits, lut_terms ? fmt::format("t{}", lut_terms) : "",
                         lut_shift_bits != 4 ? fmt::format("s{}", lut_shift_bits) : "", lut_decode_column ? "c" : "");
    case PeKind::kFma:
      return "fp16";
    case PeKind::kInt8:
      return "s8";
  }
  return "?";
}

std::vector<std::pair<std::string, std::string>> PeConfig::params() const {
  std::vector<std::pair<std::string, std::string>> p = {
      {"pe", std::string(pe_kind_name(kind))},        {"weight_bits", std::to_string(weight_bits)},
      {"weight_signed", weight_signed ? "1" : "0"},   {"act", std::string(act_name(act))},
      {"accum", std::string(accum_name(accum.mode))},
  };
  p.emplace_back("align_bits", std::to_string(accum.align_bits));  // used by prealign only
  p.emplace_back("rows", std::to_string(accum.block));
  p.emplace_back("pipeline", std::to_string(pipeline));
  p.emplace_back("lut_terms", std::to_string(lut_terms));
  if (booth) p.emplace_back("booth", "1");
  if (kind == PeKind::kLut) {
    p.emplace_back("lut_shift_bits", std::to_string(lut_shift_bits));
    p.emplace_back("lut_decode", lut_decode_column ? "column" : "pe");
    p.emplace_back("pe_weight_width", std::to_string(pe_weight_width()));
  }
  p.emplace_back("act_width", std::to_string(act_width()));
  p.emplace_back("weight_width", std::to_string(weight_width()));
  p.emplace_back("psum_width", std::to_string(psum_width()));
  return p;
}

int64_t PeConfig::weight_value(uint64_t code) const {
  const int w = weight_width();
  const uint64_t c = code & ((uint64_t(1) << w) - 1);
  if (!weight_signed) return int64_t(c) - zero_offset();
  return int64_t(c ^ (uint64_t(1) << (w - 1))) - (int64_t(1) << (w - 1));
}

LutFormat PeConfig::lut_table() const {
  return lut_terms ? restrict_terms(nf_format(weight_bits), lut_terms, lut_shift_bits) : nf_format(weight_bits);
}

uint32_t PeConfig::table_code(const LutFormat& t, int i) const {
  return lut_terms ? term_code(t.fixed(i), lut_terms, lut_shift_bits) : uint32_t(uint16_t(t.fixed(i)));
}

int64_t PeConfig::entry_value(uint32_t code) const {
  return lut_terms ? term_value(code, lut_terms, lut_shift_bits) : int64_t(int16_t(uint16_t(code)));
}

}  // namespace mixpe
