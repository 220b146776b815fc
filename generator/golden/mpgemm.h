// The golden mpGEMM: Y = X * W^ computed bit-exactly as the hardware computes it.
#pragma once
#include <cstdint>

#include "config/accum_config.h"
#include "config/engine_config.h"
#include "numerics/matrix.h"
#include "quant/act_quant.h"
#include "quant/weight_quant.h"

namespace mixpe {

// Dequantize after each group's dot product (MixPE): Y[m][n] = sum_g s * (P - z * S), with
// P and S accumulated as AccumConfig says. Returns FP32 encodings (M x N).
Matrix<uint32_t> golden_mpgemm(const Activations& x, const QuantWeights& w, const AccumConfig& acc);

// Dequantize first (the `fma` baseline PE, and with block = K the software W4A16 kernel):
// w16 = RNE_fp16(W^), products exact, FP32 accumulation in blocks of `block` along K, each
// block sum added into Y. Returns FP32 encodings (M x N).
Matrix<uint32_t> golden_dequant_first(const Activations& x, const QuantWeights& w, int block);

// The software W4A16 reference of GPU kernels: dequantize to FP16, one FP32 accumulation
// along K in order.
Matrix<uint32_t> software_reference(const Activations& x, const QuantWeights& w);

// The exponent of the LSB of a column sum P (a block's dot product) in the engine of this
// configuration: the activations' LSB (prealign: for the block exponent `block_exp`) less the
// weight integers' fraction bits (LUT entries: 1.14 fixed point). Built from the golden datapath's
// LSB functions (prealign_lsb_exp, exact_lsb_exp); the group unit's emitter and its testbench use it.
int column_sum_lsb_exp(const EngineConfig& e, int block_exp);

// What the engine of this configuration computes: golden_mpgemm with the array's rows as the
// accumulation block, or golden_dequant_first for the fma baseline.
Matrix<uint32_t> golden_engine(const EngineConfig& e, const Activations& x, const QuantWeights& w);

}  // namespace mixpe
