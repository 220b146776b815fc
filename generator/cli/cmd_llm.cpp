// `mixpe llm` (greedy decoding), `mixpe trace` (real activations of every linear layer) and
// `mixpe eval` (fidelity of quantized configurations against the FP32 model).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <unistd.h>

#include <fmt/core.h>

#include "blocks/engine/engine_config.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "golden/reference.h"
#include "llm/backends.h"
#include "llm/trace_file.h"
#include "llm/transformer.h"
#include "numerics/error.h"

namespace mixpe {
namespace {

constexpr int kBos = 1;

struct LlmArgs {
  std::string model = "tests/data/stories260K.bin";
  int steps = 200;
  std::string prompt;
  std::string gemm = "fp32";
  std::string rtl_sim;
  std::string logits;  // write every step's logits (float32) here
  QuantOptions q;
};

std::vector<int> parse_tokens(const std::string& s, int vocab) {
  std::vector<int> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t used = 0;
    int t = -1;
    try {
      t = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || t < 0 || t >= vocab)
      fail("--prompt-tokens: '{}' is not a token id from 0 to {}", item, vocab - 1);
    out.push_back(t);
  }
  return out;
}

QuantSetup quant_setup(const QuantOptions& q) {
  return {q.weight_config(), q.act_format(), q.accum_config()};
}

// The engine that runs these quantization options: R = the accumulation block, 16 columns.
EngineConfig engine_for(const QuantOptions& q) {
  EngineConfig e;
  const WeightQuantConfig w = q.weight_config();
  if (w.scheme == WeightScheme::kLut) e.pe.kind = PeKind::kLut, e.pe.lut_terms = w.lut.terms;
  e.pe.weight_bits = w.bits;
  e.pe.weight_signed = w.scheme == WeightScheme::kSym;
  e.pe.act = q.act_format();
  e.pe.accum = q.accum_config();
  e.rows = q.block;
  e.group_size = q.group_size;
  e.validate();
  return e;
}

std::string default_simulator(const EngineConfig& e) {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  const std::filesystem::path exe = n > 0 ? std::filesystem::path(std::string(buf, size_t(n))) : "mixpe";
  return (exe.parent_path() / "sim" / e.name() / "tb").string();
}

std::unique_ptr<LinearBackend> make_backend(const LlmArgs& a, const std::vector<LinearWeight>& layers) {
  if (a.gemm == "fp32") return std::make_unique<Fp32Backend>(layers);
  if (a.gemm == "golden") return std::make_unique<GoldenBackend>(layers, quant_setup(a.q));
  if (a.gemm == "software") return std::make_unique<GoldenBackend>(layers, quant_setup(a.q), true);
  if (a.gemm == "rtl") {
    const EngineConfig e = engine_for(a.q);
    return std::make_unique<RtlBackend>(layers, quant_setup(a.q), a.rtl_sim.empty() ? default_simulator(e) : a.rtl_sim);
  }
  fail("--gemm '{}' is not supported: legal values are fp32, golden, software, rtl", a.gemm);
}

// Greedy decoding from BOS (then the prompt): returns the generated tokens. `logits_out`, if
// given, receives the logits of every generating step.
std::vector<int> generate(Transformer& t, const std::vector<int>& prompt, int steps,
                          std::vector<float>* logits_out = nullptr) {
  std::vector<int> seq = {kBos};
  seq.insert(seq.end(), prompt.begin(), prompt.end());
  if (int(seq.size()) + steps > t.config().max_seq_len)
    fail("BOS, {} prompt tokens and {} steps exceed the model's {} positions", seq.size() - 1, steps, t.config().max_seq_len);
  std::vector<int> out;
  const int given = int(seq.size()), total = given + steps;
  for (int pos = 0; pos + 1 < total; ++pos) {
    const std::vector<float>& logits = t.forward(seq[size_t(pos)], pos);
    if (pos + 1 < given) continue;
    if (logits_out) logits_out->insert(logits_out->end(), logits.begin(), logits.end());
    seq.push_back(argmax(logits));
    out.push_back(seq.back());
  }
  return out;
}

void run_llm(const LlmArgs& a) {
  const LlamaModel model = load_llama_model(a.model);
  if (a.steps < 1) fail("--steps {} is not legal: use 1 or more", a.steps);
  const std::vector<int> prompt = a.prompt.empty() ? std::vector<int>{} : parse_tokens(a.prompt, model.cfg.vocab_size);
  const std::vector<LinearWeight> layers = model.linear_layers();
  std::unique_ptr<LinearBackend> backend = make_backend(a, layers);
  Transformer t(model, *backend);
  std::vector<float> logits;
  const std::vector<int> out = generate(t, prompt, a.steps, a.logits.empty() ? nullptr : &logits);
  if (!a.logits.empty()) {
    std::ofstream f(a.logits, std::ios::binary);
    f.write(reinterpret_cast<const char*>(logits.data()), std::streamsize(logits.size() * 4));
    if (!f) fail("cannot write logits to '{}'", a.logits);
  }
  std::string line;
  for (size_t i = 0; i < out.size(); ++i) line += (i ? " " : "") + std::to_string(out[i]);
  fmt::print("{}\n", line);
}

// --- traces
void run_trace(const std::string& model_path, int tokens, const std::string& dir) {
  const LlamaModel model = load_llama_model(model_path);
  if (tokens < 1 || tokens + 1 > model.cfg.max_seq_len) fail("--tokens {} is not legal: use 1 to {}", tokens, model.cfg.max_seq_len - 1);
  const std::vector<LinearWeight> layers = model.linear_layers();
  Fp32Backend fp(layers);
  Transformer t(model, fp);
  std::vector<Matrix<float>> acts(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) acts[i] = Matrix<float>(0, layers[i].w.rows);
  t.set_observer([&](int index, const float* x, const float*) {
    Matrix<float>& a = acts[size_t(index)];
    a.data.insert(a.data.end(), x, x + a.cols);
    ++a.rows;
  });
  const std::vector<int> seq = generate(t, {}, tokens);
  std::vector<TraceFile> files;
  for (size_t i = 0; i < layers.size(); ++i) files.push_back({layers[i].name, acts[i], layers[i].w});
  write_traces(dir, files, seq);
  fmt::print("{} traces of {} tokens in {}\n", files.size(), tokens, dir);
}

// --- fidelity
struct Fidelity {
  double gemm_rel, logit_rel, top1, ppl, greedy_agree;
  int first_divergence;  // the first generated token that differs from the FP32 model's (steps: none)
};

double log_softmax_at(const std::vector<float>& logits, int token) {
  const double mx = *std::max_element(logits.begin(), logits.end());
  double sum = 0;
  for (float v : logits) sum += std::exp(double(v) - mx);
  return double(logits[size_t(token)]) - mx - std::log(sum);
}

Fidelity evaluate(const LlamaModel& model, const std::vector<LinearWeight>& layers, LinearBackend& backend,
                  const std::vector<int>& seq, const std::vector<std::vector<float>>& ref_logits) {
  Fp32Backend fp(layers);
  Transformer t(model, backend);
  double gnum = 0, gden = 0;
  std::vector<float> yref;
  t.set_observer([&](int index, const float* x, const float* y) {
    const int N = layers[size_t(index)].w.cols;
    yref.assign(size_t(N), 0.0f);
    fp.matvec(index, x, yref.data());
    for (int n = 0; n < N; ++n) gnum += std::pow(double(y[n]) - yref[size_t(n)], 2), gden += std::pow(double(yref[size_t(n)]), 2);
  });
  double lnum = 0, lden = 0, nll = 0;
  int agree = 0;
  const int steps = int(seq.size()) - 1;
  for (int pos = 0; pos < steps; ++pos) {
    const std::vector<float>& lg = t.forward(seq[size_t(pos)], pos);
    const std::vector<float>& rf = ref_logits[size_t(pos)];
    for (size_t i = 0; i < lg.size(); ++i) lnum += std::pow(double(lg[i]) - rf[i], 2), lden += std::pow(double(rf[i]), 2);
    agree += argmax(lg) == argmax(rf);
    nll -= log_softmax_at(lg, seq[size_t(pos) + 1]);
  }
  // free-running greedy decoding, compared position by position with the FP32 model's
  Transformer g(model, backend);
  const std::vector<int> mine = generate(g, {}, steps);
  int same = 0, first = steps;
  for (int i = 0; i < steps; ++i) {
    same += mine[size_t(i)] == seq[size_t(i) + 1];
    if (mine[size_t(i)] != seq[size_t(i) + 1] && first == steps) first = i;
  }
  return {std::sqrt(gnum / gden), std::sqrt(lnum / lden), double(agree) / steps, std::exp(nll / steps),
          double(same) / steps, first};
}

struct EvalArgs {
  std::string model = "tests/data/stories260K.bin";
  int steps = 200;
  std::string csv = "build/reports/fidelity.csv";
};

void run_eval(const EvalArgs& a) {
  const LlamaModel model = load_llama_model(a.model);
  if (a.steps < 2 || a.steps + 1 > model.cfg.max_seq_len) fail("--steps {} is not legal: use 2 to {}", a.steps, model.cfg.max_seq_len - 1);
  const std::vector<LinearWeight> layers = model.linear_layers();
  // the FP32 model's own greedy continuation: the sequence every configuration is scored on
  Fp32Backend fp(layers);
  Transformer t(model, fp);
  const std::vector<int> gen = generate(t, {}, a.steps);
  std::vector<int> seq = {kBos};
  seq.insert(seq.end(), gen.begin(), gen.end());
  Transformer tr(model, fp);
  std::vector<std::vector<float>> ref;
  double nll = 0;
  for (int pos = 0; pos < a.steps; ++pos) {
    ref.push_back(tr.forward(seq[size_t(pos)], pos));
    nll -= log_softmax_at(ref.back(), seq[size_t(pos) + 1]);
  }
  struct Row {
    std::string name, act;
    int bits, group;
    bool software;
    std::string scheme = "asym";
    int terms = 0;
  };
  std::vector<Row> rows;
  for (int g : {32, 64})
    for (const char* act : {"fp16", "bf16"})
      for (int bits : {8, 4, 3, 2}) rows.push_back({fmt::format("W{}A16 {} G{}", bits, act, g), act, bits, g, false});
  for (int g : {32, 64}) rows.push_back({fmt::format("W4A16 fp16 G{} software kernel", g), "fp16", 4, g, true});
  // lookup-table weights (NormalFloat, group absmax scale) against INT4 at the same group size
  for (int g : {32, 64})
    for (int bits : {4, 3, 2}) rows.push_back({fmt::format("NF{}A16 fp16 G{}", bits, g), "fp16", bits, g, false, "nf"});
  // NF4 tables restricted to 1, 2, 3 signed powers of two per entry (shift-add LUT PEs)
  for (int g : {32, 64})
    for (int t : {1, 2, 3})
      rows.push_back({fmt::format("NF4A16 fp16 G{} {}-term", g, t), "fp16", 4, g, false, "nf", t});

  std::string csv =
      "config,act,weight_bits,group_size,scheme,lut_terms,datapath,gemm_rel_err,logit_rel_err,top1_agreement,perplexity,"
      "greedy_agreement,first_divergence\n";
  fmt::print("fidelity against the FP32 model on its own {}-token greedy continuation (FP32 perplexity {:.4f})\n",
             a.steps, std::exp(nll / a.steps));
  fmt::print("{:<32} {:>12} {:>12} {:>8} {:>11} {:>8} {:>6}\n", "configuration", "GEMM relerr", "logit relerr",
             "top-1", "perplexity", "greedy", "first");
  for (const Row& r : rows) {
    QuantOptions q;
    q.weight_bits = r.bits;
    q.group_size = r.group;
    q.act = r.act;
    q.scheme = r.scheme;
    q.lut_terms = r.terms;
    auto backend = std::make_unique<GoldenBackend>(layers, quant_setup(q), r.software);
    const Fidelity f = evaluate(model, layers, *backend, seq, ref);
    fmt::print("{:<32} {:>12.3e} {:>12.3e} {:>8.3f} {:>11.4f} {:>8.3f} {:>6}\n", r.name, f.gemm_rel, f.logit_rel,
               f.top1, f.ppl, f.greedy_agree, f.first_divergence);
    csv += fmt::format("{},{},{},{},{},{},{},{:.6e},{:.6e},{:.4f},{:.6f},{:.4f},{}\n", r.name, r.act, r.bits, r.group,
                       r.scheme, r.terms, r.software ? "software" : "golden-prealign16", f.gemm_rel, f.logit_rel, f.top1, f.ppl,
                       f.greedy_agree, f.first_divergence);
  }
  std::filesystem::create_directories(std::filesystem::path(a.csv).parent_path());
  std::ofstream(a.csv) << csv;
  fmt::print("written {}\n", a.csv);
}

}  // namespace

void register_llm_commands(CLI::App& app) {
  auto la = std::make_shared<LlmArgs>();
  CLI::App* llm = app.add_subcommand("llm", "greedy decoding with a llama2.c model; the token ids go to stdout");
  llm->add_option("--model", la->model, "llama2.c checkpoint (version 0)")->capture_default_str();
  llm->add_option("--steps", la->steps, "tokens to generate")->capture_default_str();
  llm->add_option("--prompt-tokens", la->prompt, "comma-separated token ids after BOS");
  llm->add_option("--gemm", la->gemm, "linear layers: fp32, golden, software (W4A16 kernel), rtl (the engine)")
      ->capture_default_str();
  llm->add_option("--rtl-sim", la->rtl_sim, "--gemm rtl: the engine testbench (default: build/sim/<engine>/tb)");
  llm->add_option("--logits", la->logits, "write every step's logits (float32, vocab per step) to this file");
  la->q.add_to(*llm);
  llm->callback([la] { run_llm(*la); });

  auto tr = std::make_shared<std::tuple<std::string, int, std::string>>("tests/data/stories260K.bin", 16, "");
  CLI::App* trace = app.add_subcommand("trace", "record every linear layer's activations and weights");
  trace->add_option("--model", std::get<0>(*tr), "llama2.c checkpoint")->capture_default_str();
  trace->add_option("--tokens", std::get<1>(*tr), "tokens of greedy FP32 decoding from BOS")->capture_default_str();
  trace->add_option("-o,--out", std::get<2>(*tr), "output directory")->required();
  trace->callback([tr] { run_trace(std::get<0>(*tr), std::get<1>(*tr), std::get<2>(*tr)); });

  auto ea = std::make_shared<EvalArgs>();
  CLI::App* ev = app.add_subcommand("eval", "fidelity of quantized configurations against the FP32 model");
  ev->add_option("--model", ea->model, "llama2.c checkpoint")->capture_default_str();
  ev->add_option("--steps", ea->steps, "tokens of the FP32 greedy continuation to score on")->capture_default_str();
  ev->add_option("--csv", ea->csv, "where to write the table")->capture_default_str();
  ev->callback([ea] { run_eval(*ea); });
}

}  // namespace mixpe
