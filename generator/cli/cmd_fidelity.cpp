// `mixpe fidelity`: the relative error of a datapath on real LLM traces, against the float64
// product of the unquantized matrices: quantization and arithmetic together. One design point
// of the design-space exploration: any design the options describe (the fma baseline
// dequantizes first, the int8 baseline runs W8A8).
#include <cmath>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/design_args.h"
#include "golden/mpgemm.h"
#include "golden/reference.h"
#include "llm/trace_file.h"
#include "numerics/error.h"

namespace mixpe {
namespace {

struct FidelityArgs {
  std::string traces = "build/traces";
  DesignArgs design;
};

void run_fidelity(const FidelityArgs& a) {
  a.design.refuse(DesignArgs::hardware_only(), "mixpe fidelity (the golden model)");
  const EngineConfig e = a.design.engine();
  const WeightQuantConfig wq = e.weight_quant();
  const std::vector<TraceFile> traces = read_traces(a.traces, e.pe.act);
  double num = 0, den = 0;
  for (const TraceFile& t : traces) {
    const Activations x = quantize_activations(t.x, e.pe.act);
    const QuantWeights w = quantize_weights(t.w, wq);
    const Matrix<double> yd = fp32_to_double(golden_engine(e, x, w)), ref = reference_f64(t.x, t.w);
    for (size_t i = 0; i < ref.data.size(); ++i)
      num += std::pow(yd.data[i] - ref.data[i], 2), den += ref.data[i] * ref.data[i];
  }
  fmt::print("{:.6e}\n", std::sqrt(num / den));
}

}  // namespace

void register_fidelity_command(CLI::App& app) {
  auto fa = std::make_shared<FidelityArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fidelity", "relative GEMM error on LLM traces against float64 of the unquantized matrices (prints one number)");
  cmd->add_option("--traces", fa->traces, "trace directory (mixpe trace)")->capture_default_str();
  fa->design.add_to(*cmd, kPeScope | kEngineScope);
  cmd->callback([fa] { run_fidelity(*fa); });
}

}  // namespace mixpe
