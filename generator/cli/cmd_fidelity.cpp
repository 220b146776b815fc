// `mixpe fidelity`: the relative error of a datapath on real LLM traces, against the float64
// product of the unquantized matrices: quantization and arithmetic together. One design point
// of the design-space exploration.
#include <cmath>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "golden/mpgemm.h"
#include "golden/reference.h"
#include "llm/trace_file.h"
#include "numerics/error.h"

namespace mixpe {
namespace {

struct FidelityArgs {
  std::string traces = "build/traces";
  std::string datapath = "mixpe";  // mixpe | fma | int8
  QuantOptions q;
};

void run_fidelity(const FidelityArgs& a) {
  const std::vector<TraceFile> traces = read_traces(a.traces);
  WeightQuantConfig wq = a.q.weight_config();
  ActFormat act = a.q.act_format();
  AccumConfig acc;
  if (a.datapath == "int8") {  // W8A8: symmetric 8-bit weights, INT8 activations, exact sums
    wq.scheme = WeightScheme::kSym, wq.bits = 8, act = ActFormat::kInt8;
    acc.mode = AccumMode::kExact, acc.block = a.q.block;
  } else if (a.datapath == "fma") {
    if (act != ActFormat::kFp16) fail("the fma datapath is FP16 x FP16: --act must be fp16");
  } else if (a.datapath == "mixpe") {
    acc = a.q.accum_config();
  } else {
    fail("--datapath '{}' is not supported: legal values are mixpe, fma, int8", a.datapath);
  }
  double num = 0, den = 0;
  for (const TraceFile& t : traces) {
    const Activations x = quantize_activations(t.x, act);
    const QuantWeights w = quantize_weights(t.w, wq);
    const Matrix<uint32_t> y = a.datapath == "fma" ? golden_dequant_first(x, w, a.q.block) : golden_mpgemm(x, w, acc);
    const Matrix<double> yd = fp32_to_double(y), ref = reference_f64(t.x, t.w);
    for (size_t i = 0; i < ref.data.size(); ++i) num += std::pow(yd.data[i] - ref.data[i], 2), den += ref.data[i] * ref.data[i];
  }
  fmt::print("{:.6e}\n", std::sqrt(num / den));
}

}  // namespace

void register_fidelity_command(CLI::App& app) {
  auto fa = std::make_shared<FidelityArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fidelity", "relative GEMM error on LLM traces against float64 of the unquantized matrices (prints one number)");
  cmd->add_option("--traces", fa->traces, "trace directory (mixpe trace)")->capture_default_str();
  cmd->add_option("--datapath", fa->datapath, "mixpe (dequant after the group), fma (dequant first), int8 (W8A8)")
      ->capture_default_str();
  fa->q.add_to(*cmd);
  cmd->callback([fa] { run_fidelity(*fa); });
}

}  // namespace mixpe
