// `mixpe error`: the golden model's error against float64, beside the software W4A16 kernel's,
// on random N(0,1) data and on the real weights of a llama2.c checkpoint; with --traces on real
// activations, with --outliers on activations with outlier channels, and with --sweep-align for
// several alignment widths A side by side (where prealignment stops matching the software kernel).
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <string>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/design_args.h"
#include "cli/validate.h"
#include "golden/mpgemm.h"
#include "golden/reference.h"
#include "llm/trace_file.h"
#include "model/llama_model.h"
#include "numerics/error.h"

namespace mixpe {
namespace {

struct ErrorArgs {
  DesignArgs design;
  std::string model, traces;
  bool outliers = false;
  std::string sweep_align_text;  // --sweep-align as given
  std::vector<int> sweep_align;  // A values: one golden column each
  int rows = 16;                 // activation rows M
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

std::string row_line(const char* name, const Row& r) {
  return fmt::format("{:<34} {:>14.3e} {:>12.3e} {:>14.3e} {:>12.3e}\n", name, r.golden.rel(), r.golden.max_abs,
                     r.software.rel(), r.software.max_abs);
}

void run_sweep(const ErrorArgs& a);

void run(const ErrorArgs& a) {
  a.design.refuse(DesignArgs::hardware_only(), "mixpe error (the golden model)");
  if (!a.sweep_align.empty() || !a.traces.empty() || a.outliers) return run_sweep(a);
  const EngineConfig e = a.design.engine();  // validated before anything is printed
  std::optional<LlamaModel> model;
  if (!a.model.empty()) model = load_llama_model(a.model);
  std::mt19937_64 rng(a.seed);
  std::string out;  // printed once everything is computed: a late failure prints nothing
  out += fmt::format("error against float64 (same quantized weights, exact dequant); seed {}\n", a.seed);
  out += fmt::format("{} (F={})\n", option_string(numeric_options(e.to_options())), e.pe.accum.frac_bits(e.pe.act));
  out += fmt::format("{:<34} {:>14} {:>12} {:>14} {:>12}\n", "data", "golden relF", "golden max", "software relF",
                     "software max");
  Row rnd;
  measure(rnd, normal_matrix(a.rows, 1024, rng), normal_matrix(1024, 256, rng), e);
  out += row_line(fmt::format("random N(0,1) {}x1024 * 1024x256", a.rows).c_str(), rnd);
  if (!model) return (void)fmt::print("{}", out);
  std::map<std::string, Row> by_kind;  // "wq", ..., "classifier": all layers of that kind
  for (const LinearWeight& lw : model->linear_layers()) {
    const Matrix<float> x = normal_matrix(a.rows, lw.w.rows, rng);
    measure(by_kind[lw.name.substr(lw.name.find('.') + 1)], x, lw.w, e);
  }
  Row all;
  for (const auto& [kind, r] : by_kind) {
    out += row_line(fmt::format("model {} (N(0,1) X)", kind).c_str(), r);
    all.golden.num += r.golden.num, all.golden.den += r.golden.den;
    all.software.num += r.software.num, all.software.den += r.software.den;
    all.golden.max_abs = std::max(all.golden.max_abs, r.golden.max_abs);
    all.software.max_abs = std::max(all.software.max_abs, r.software.max_abs);
  }
  out += row_line("model: every linear layer", all);
  fmt::print("{}", out);
}

// One named data set: GEMMs whose errors combine into one relative Frobenius error.
struct DataSet {
  std::string name;
  std::vector<std::pair<Matrix<float>, Matrix<float>>> gemms;  // (X, W)
};

// Activations with outlier channels, as LLMs have them: N(0,1) with the channels `ks` scaled by
// `mag` in every row. A prealigned block that holds an outlier aligns its other values far down.
DataSet outlier_set(const std::string& name, const std::vector<int>& ks, float mag, const Matrix<float>& x,
                    const Matrix<float>& w) {
  Matrix<float> xo = x;
  for (int m = 0; m < xo.rows; ++m)
    for (int k : ks) xo.at(m, k) *= mag;
  return {fmt::format("{}, x{:g}", name, mag), {{xo, w}}};
}

std::vector<DataSet> data_sets(const ErrorArgs& a, ActFormat act, std::mt19937_64& rng) {
  std::vector<DataSet> sets;
  sets.push_back({fmt::format("random N(0,1) {}x1024 * 1024x256", a.rows),
                  {{normal_matrix(a.rows, 1024, rng), normal_matrix(1024, 256, rng)}}});
  if (!a.model.empty()) {
    DataSet d{"stories260K layers, N(0,1) X", {}};
    for (const LinearWeight& lw : load_llama_model(a.model).linear_layers())
      d.gemms.emplace_back(normal_matrix(a.rows, lw.w.rows, rng), lw.w);
    sets.push_back(std::move(d));
  }
  if (!a.traces.empty()) {
    DataSet d{"real traces (activations and weights)", {}};
    for (const TraceFile& t : read_traces(a.traces, act)) d.gemms.emplace_back(t.x, t.w);
    sets.push_back(std::move(d));
  }
  if (a.outliers) {  // positions relative to the alignment block B (the array's rows)
    const Matrix<float> x = normal_matrix(a.rows, 1024, rng), w = normal_matrix(1024, 256, rng);
    const int B = a.design.engine().rows, n = std::min(B, 8);
    std::vector<int> spread, every, cluster;
    for (int i = 0; i < 8; ++i) spread.push_back(128 * i + 5);
    for (int i = 0; i < n; ++i) cluster.push_back(B + i);
    for (int k = B / 2 - 1 + (B == 1); k < 1024; k += B) every.push_back(k);
    for (float mag : {20.0f, 100.0f}) {
      sets.push_back(outlier_set("outliers: 1 channel (k=0)", {0}, mag, x, w));
      sets.push_back(outlier_set("outliers: 8 in 8 blocks (k=128i+5)", spread, mag, x, w));
      sets.push_back(
          outlier_set(fmt::format("outliers: {} in one block (k={}..{})", n, B, B + n - 1), cluster, mag, x, w));
      sets.push_back(
          outlier_set(fmt::format("outliers: 1 in every block (k={}i+{})", B, every.front()), every, mag, x, w));
    }
  }
  return sets;
}

// The golden model at each A of --sweep-align beside the software kernel, one row per data set.
void run_sweep(const ErrorArgs& a) {
  std::vector<EngineConfig> configs;
  std::vector<std::string> heads;
  // checked before --align-bits is added, which a non-prealigned design refuses in its own name
  if (!a.sweep_align.empty() && a.design.engine().pe.accum.mode != AccumMode::kPrealign)
    fail("--sweep-align compares prealigned datapaths: this design accumulates {} (drop it, or use --accum prealign)",
         accum_name(a.design.engine().pe.accum.mode));
  for (int A : a.sweep_align) {
    OptionList o = a.design.given();
    o.emplace_back("--align-bits", std::to_string(A));
    configs.push_back(engine_from_options(o));
    heads.push_back(fmt::format("A={}", A));
  }
  if (configs.empty()) configs.push_back(a.design.engine()), heads.push_back("golden");
  std::mt19937_64 rng(a.seed);
  std::string out;  // printed once everything is computed: a late failure prints nothing
  const std::vector<DataSet> sets = data_sets(a, configs.front().pe.act, rng);
  out += fmt::format("relative Frobenius error against float64 of the same quantized operands; seed {}\n", a.seed);
  out += fmt::format("{}\n", option_string(numeric_options(configs.front().to_options())));
  out += fmt::format("{:<44}", "data");
  for (const std::string& h : heads) out += fmt::format(" {:>10}", h);
  out += fmt::format(" {:>10}\n", "software");
  for (const DataSet& d : sets) {
    std::vector<ErrSum> golden(configs.size());
    ErrSum software;
    for (const auto& [x, w] : d.gemms) {
      const Activations xq = quantize_activations(x, configs.front().pe.act);
      const QuantWeights wq = quantize_weights(w, configs.front().weight_quant());
      const Matrix<double> ref = reference_f64(xq, wq);
      for (size_t i = 0; i < configs.size(); ++i) golden[i].add(fp32_to_double(golden_engine(configs[i], xq, wq)), ref);
      software.add(fp32_to_double(software_reference(xq, wq)), ref);
    }
    out += fmt::format("{:<44}", d.name);
    for (const ErrSum& g : golden) out += fmt::format(" {:>10.2e}", g.rel());
    out += fmt::format(" {:>10.2e}\n", software.rel());
  }
  fmt::print("{}", out);
}

}  // namespace

void register_error_command(CLI::App& app) {
  auto args = std::make_shared<ErrorArgs>();
  CLI::App* cmd = app.add_subcommand("error", "golden model and software W4A16 error against float64");
  args->design.add_to(*cmd, kPeScope | kEngineScope);
  cmd->add_option("--model", args->model, "llama2.c checkpoint whose linear layers to use");
  cmd->add_option("--traces", args->traces, "also the real activations and weights of a trace directory (mixpe trace)");
  cmd->add_flag("--outliers", args->outliers,
                "also N(0,1) activations with outlier channels (x20, x100; one, spread, clustered, every block)");
  cmd->add_option("--sweep-align", args->sweep_align_text,
                  "alignment widths A to compare side by side (e.g. 8,10,12,16)");
  cmd->add_option("--act-rows", args->rows, "activation rows M")->capture_default_str()->check(integer_in(1, 4096));
  cmd->add_option("--seed", args->seed, "random seed")->capture_default_str()->check(seed_value());
  cmd->callback([args, cmd] {
    if (cmd->count("--sweep-align")) {  // (given empty: refused as an empty list, not ignored)
      args->sweep_align = parse_int_list("--sweep-align", args->sweep_align_text, 8, 32);
      args->design.refuse({"--align-bits"}, "--sweep-align (it sets A itself)");
    }
    run(*args);
  });
}

}  // namespace mixpe
