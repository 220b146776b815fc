// LLM traces: for one linear layer, the real activations it met (M tokens x K) and its weight
// (K x N). File <layer>.trace: the 4 bytes "MXTR", little-endian int32 version (1), M, K, N,
// then X as float32 row-major (M x K), then W as float32 row-major (K x N). tokens.txt holds
// the token sequence that produced them.
#pragma once
#include <string>
#include <vector>

#include "numerics/matrix.h"
#include "quant/act_quant.h"

namespace mixpe {

struct TraceFile {
  std::string name;  // the layer, e.g. "L0.wq"
  Matrix<float> x;
  Matrix<float> w;
};

void write_traces(const std::string& dir, const std::vector<TraceFile>& traces, const std::vector<int>& tokens);
// Reads every *.trace of a directory (sorted by name); a malformed file is an Error naming it, as
// is an activation the format `act` cannot hold (above 65504 for FP16; BF16 holds any finite float).
std::vector<TraceFile> read_traces(const std::string& dir, ActFormat act = ActFormat::kFp16);

}  // namespace mixpe
