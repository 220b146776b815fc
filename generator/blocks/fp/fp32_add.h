// IEEE binary32 adder, round-to-nearest-even with subnormals, infinities and NaN (canonical
// quiet NaN 0x7FC00000): the accumulator of the fp32-accumulating PEs. Its golden model is the
// host's float addition (f32_add).
#pragma once
#include "hdl/module.h"

namespace mixpe {

// The adder module, one shared object per depth: instances refer to it. stages 1: combinational;
// 5: pipelined (order | align | add, count | normalize | round, pack), result four cycles later.
hdl::ModulePtr fp32_add_module(int stages = 1);
// The canonical quiet NaN (kF32QuietNan) as a Verilog literal.
std::string fp32_nan();

// Adds to `m` the wires that pack sign * mag * 2^(lsb_exp) into an FP32 encoding `out`, exactly
// (the caller guarantees that every bit of mag is representable, or the value overflows to
// infinity). mag is `mag_width` bits (<= 24); `lsb_biased` is an 11-bit two's complement
// expression worth (unbiased exponent of mag's LSB) + 127.
void emit_fp32_pack(hdl::Module& m, const std::string& prefix, const std::string& sign, const std::string& mag,
                    int mag_width, const std::string& lsb_biased, const std::string& out);

// Leading-zero count of a `width`-bit expression as a ternary chain (width - 1 for zero).
std::string leading_zeros(const std::string& e, int width, int out_width);

}  // namespace mixpe
