// The processing elements' arithmetic, cycle by cycle: what psum_o must be for given a_i, w_i
// and psum_i. The golden mpGEMM is built from the same product functions.
#pragma once
#include <cstdint>
#include <vector>

#include "config/pe_config.h"

namespace mixpe {

// The exact-mode PE's view of an activation: sign * sig << (e - 1) for FP16 (LSB 2^-24),
// the code itself for INT8; 0 for NaN/Inf (rows holding those are flagged at the array's edge).
int64_t exact_activation(ActFormat fmt, int32_t code);

// The product x * w with w = w_int * 2^-w_frac, as FP32: exact unless it overflows (then
// infinity); the sign of a zero product is sign(x) xor sign(w); +0 for a NaN/Inf activation.
uint32_t fp32_product(ActFormat fmt, int32_t code, int64_t w_int, int w_frac);

// FP16 x FP16 as FP32 (always exact); +0 when either operand is NaN/Inf.
uint32_t fma_product(uint16_t x16, uint16_t w16);

// One PE step on raw port values (bit patterns as the Verilog ports carry them): the psum_o
// that a_i, w_i (the weight in use) and psum_i produce.
// `table` holds the lut PE's table_i entries (16-bit fixed point, or term codes), unused by the
// other kinds.
uint64_t pe_step(const PeConfig& cfg, uint64_t a_bits, uint64_t w_bits, uint64_t psum_bits,
                 const std::vector<uint32_t>& table = {});

// Two's complement helpers for raw port values.
int64_t sign_extend(uint64_t bits, int width);
uint64_t wrap(int64_t v, int width);

}  // namespace mixpe
