// `mixpe error`: the golden model's error against float64, beside the software W4A16 kernel's,
// on random N(0,1) data and on the real weights of a llama2.c checkpoint.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <random>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/design_args.h"
#include "golden/mpgemm.h"
#include "golden/reference.h"
#include "model/llama_model.h"

namespace mixpe {
namespace {

struct ErrorArgs {
  DesignArgs design;
  std::string model;
  int rows = 16;  // activation rows M
  uint64_t seed = 1;
};

Matrix<float> normal_matrix(int r, int c, std::mt19937_64& rng) {
  std::normal_distribution<float> nd(0.0f, 1.0f);
  Matrix<float> m(r, c);
  for (float& v : m.data) v = nd(rng);
  return m;
}

// Squared-error sums, so that several matrices combine into one relative Frobenius error.
struct ErrSum {
  double num = 0, den = 0, max_abs = 0;
  void add(const Matrix<double>& y, const Matrix<double>& ref) {
    const ErrorMetrics e = error_metrics(y, ref);
    double d = 0;
    for (double v : ref.data) d += v * v;
    num += e.rel_frobenius * e.rel_frobenius * d;
    den += d;
    max_abs = std::max(max_abs, e.max_abs);
  }
  double rel() const { return std::sqrt(num / den); }
};

struct Row {
  ErrSum golden, software;
};

void measure(Row& r, const Matrix<float>& x, const Matrix<float>& w, const EngineConfig& e) {
  const Activations xq = quantize_activations(x, e.pe.act);
  const QuantWeights wq = quantize_weights(w, e.weight_quant());
  const Matrix<double> ref = reference_f64(xq, wq);
  r.golden.add(fp32_to_double(golden_engine(e, xq, wq)), ref);
  r.software.add(fp32_to_double(software_reference(xq, wq)), ref);
}

void print_row(const char* name, const Row& r) {
  fmt::print("{:<34} {:>14.3e} {:>12.3e} {:>14.3e} {:>12.3e}\n", name, r.golden.rel(), r.golden.max_abs,
             r.software.rel(), r.software.max_abs);
}

void run(const ErrorArgs& a) {
  a.design.refuse(DesignArgs::hardware_only(), "mixpe error (the golden model)");
  const EngineConfig e = a.design.engine();  // validated before anything is printed
  std::optional<LlamaModel> model;
  if (!a.model.empty()) model = load_llama_model(a.model);
  std::mt19937_64 rng(a.seed);
  fmt::print("error against float64 (same quantized weights, exact dequant); seed {}\n", a.seed);
  fmt::print("{} (F={})\n", option_string(numeric_options(e.to_options())), e.pe.accum.frac_bits(e.pe.act));
  fmt::print("{:<34} {:>14} {:>12} {:>14} {:>12}\n", "data", "golden relF", "golden max", "software relF",
             "software max");
  Row rnd;
  measure(rnd, normal_matrix(a.rows, 1024, rng), normal_matrix(1024, 256, rng), e);
  print_row(fmt::format("random N(0,1) {}x1024 * 1024x256", a.rows).c_str(), rnd);
  if (!model) return;
  std::map<std::string, Row> by_kind;  // "wq", ..., "classifier": all layers of that kind
  for (const LinearWeight& lw : model->linear_layers()) {
    const Matrix<float> x = normal_matrix(a.rows, lw.w.rows, rng);
    measure(by_kind[lw.name.substr(lw.name.find('.') + 1)], x, lw.w, e);
  }
  Row all;
  for (const auto& [kind, r] : by_kind) {
    print_row(fmt::format("model {} (N(0,1) X)", kind).c_str(), r);
    all.golden.num += r.golden.num, all.golden.den += r.golden.den;
    all.software.num += r.software.num, all.software.den += r.software.den;
    all.golden.max_abs = std::max(all.golden.max_abs, r.golden.max_abs);
    all.software.max_abs = std::max(all.software.max_abs, r.software.max_abs);
  }
  print_row("model: every linear layer", all);
}

}  // namespace

void register_error_command(CLI::App& app) {
  auto args = std::make_shared<ErrorArgs>();
  CLI::App* cmd = app.add_subcommand("error", "golden model and software W4A16 error against float64");
  args->design.add_to(*cmd, kPeScope | kEngineScope);
  cmd->add_option("--model", args->model, "llama2.c checkpoint whose linear layers to use");
  cmd->add_option("--act-rows", args->rows, "activation rows M")->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed")->capture_default_str();
  cmd->callback([args] { run(*args); });
}

}  // namespace mixpe
