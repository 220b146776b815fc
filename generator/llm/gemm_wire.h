// The byte format of a GEMM sent to the engine simulator's --serve mode and of its result:
// little-endian int32 header {magic, M, K, N, k_padded, groups, bits, scheme, act, lut_n}
// then X codes (M x K int32), INT8 row scales (M uint32), W codes (k_padded x N int32),
// scales (groups x N uint16 in uint32), zeros (groups x N int32), LUT entries; the result is
// M x N FP32 encodings (uint32). A request with M = 0 ends the session.
#pragma once
#include "numerics/matrix.h"
#include "quant/act_quant.h"
#include "quant/weight_quant.h"

namespace mixpe {

void write_gemm_request(int fd, const Activations& x, const QuantWeights& w);
// Returns false at the end of the session (M = 0 or end of input).
bool read_gemm_request(int fd, Activations& x, QuantWeights& w);
void write_gemm_result(int fd, const Matrix<uint32_t>& y);
Matrix<uint32_t> read_gemm_result(int fd, int M, int N);

}  // namespace mixpe
