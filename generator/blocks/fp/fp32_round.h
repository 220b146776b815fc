// Rounding to FP32 or any narrower format (RNE, subnormals, overflow to infinity; exponents in 13
// bits) and the FP32 multiply of the group-dequant pipeline, as wires added to a module. Golden:
// round_to and f32_mul.
#pragma once
#include <string>

#include "blocks/fp/pipeline_cut.h"
#include "hdl/module.h"
#include "numerics/float_format.h"

namespace mixpe {

// out (f's width) = RNE_f((-1)^sign * mag * 2^(lsb_biased - bias)): emit_fp32_round for any format.
void emit_float_round(hdl::Module& m, FloatFormat f, const std::string& prefix, const std::string& sign,
                      const std::string& mag, int mag_width, const std::string& lsb_biased, const std::string& out,
                      const PipelineCut& cut = {});

// out (32 bits) = RNE_fp32((-1)^sign * mag * 2^(lsb_biased - 127)); mag is `mag_width` bits
// unsigned; lsb_biased a 13-bit two's complement expression. With `cut`: three stages (normalize |
// shift into the subnormal range, round bit | round, pack).
void emit_fp32_round(hdl::Module& m, const std::string& prefix, const std::string& sign, const std::string& mag,
                     int mag_width, const std::string& lsb_biased, const std::string& out, const PipelineCut& cut = {});

// out = RNE_fp32(a * b) with a an FP32 encoding and b an encoding of format `bf`; IEEE
// specials, canonical NaN. With `cut`: five stages (partial
// products of 6-bit pieces of b | their sum | the rounding's three).
void emit_fp32_mul(hdl::Module& m, const std::string& prefix, const std::string& a, const std::string& b,
                   FloatFormat bf, const std::string& out, const PipelineCut& cut = {});

}  // namespace mixpe
