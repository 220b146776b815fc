#include "llm/backends.h"

#include <sys/wait.h>
#include <unistd.h>
#include <bit>
#include <csignal>

#include "golden/mpgemm.h"
#include "llm/gemm_wire.h"
#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

GoldenBackend::GoldenBackend(const std::vector<LinearWeight>& layers, const EngineConfig& design, bool software)
    : design_(design), software_(software) {
  const WeightQuantConfig wq = design.weight_quant();
  for (const LinearWeight& l : layers) quantized_.push_back(quantize_weights(l.w, wq));
}

Activations GoldenBackend::quantize_input(const float* x, int K) const {
  Matrix<float> xm(1, K);
  std::copy(x, x + K, xm.data.begin());
  return quantize_activations(xm, design_.pe.act);
}

void GoldenBackend::matvec(int index, const float* x, float* y) {
  const QuantWeights& w = quantized_[size_t(index)];
  const Activations xa = quantize_input(x, w.K);
  const Matrix<uint32_t> out = software_ ? software_reference(xa, w) : golden_engine(design_, xa, w);
  for (int n = 0; n < w.N; ++n) y[n] = std::bit_cast<float>(out.at(0, n));
}

RtlBackend::RtlBackend(const std::vector<LinearWeight>& layers, const EngineConfig& design,
                       const std::string& simulator)
    : golden_(layers, design) {
  if (access(simulator.c_str(), X_OK) != 0)
    fail("the engine simulator '{}' does not exist: build it with `make sim` and the same options", shorten(simulator));
  int down[2], up[2];
  if (pipe(down) != 0 || pipe(up) != 0) fail("cannot create pipes for the engine simulator");
  pid_ = fork();
  if (pid_ < 0) fail("cannot start the engine simulator");
  if (pid_ == 0) {
    dup2(down[0], 0);
    dup2(up[1], 1);
    close(down[1]);
    close(up[0]);
    execl(simulator.c_str(), simulator.c_str(), "--serve", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(down[0]);
  close(up[1]);
  to_child_ = down[1];
  from_child_ = up[0];
  std::signal(SIGPIPE, SIG_IGN);
}

RtlBackend::~RtlBackend() {
  if (to_child_ >= 0) close(to_child_);
  if (from_child_ >= 0) close(from_child_);
  if (pid_ > 0) waitpid(pid_, nullptr, 0);
}

void RtlBackend::matvec(int index, const float* x, float* y) {
  const QuantWeights& w = golden_.weights(index);
  const Activations xa = golden_.quantize_input(x, w.K);
  write_gemm_request(to_child_, xa, w);
  const Matrix<uint32_t> out = read_gemm_result(from_child_, 1, w.N);
  for (int n = 0; n < w.N; ++n) y[n] = std::bit_cast<float>(out.at(0, n));
}

}  // namespace mixpe
