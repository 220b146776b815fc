// `mixpe llm` (greedy decoding), `mixpe trace` (real activations of every linear layer) and
// `mixpe eval` (fidelity of quantized configurations against the FP32 model).
#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/design_args.h"
#include "cli/validate.h"
#include "config/design_points.h"
#include "io/output_files.h"
#include "llm/backends.h"
#include "llm/decode.h"
#include "llm/trace_file.h"
#include "llm/transformer.h"
#include "numerics/error.h"

namespace mixpe {
namespace {

struct LlmArgs {
  std::string model = "tests/data/stories260K.bin";
  int steps = 200;
  std::string prompt;
  std::string gemm = "fp32";
  std::string rtl_sim;
  std::string logits;  // write every step's logits (float32) here
  DesignArgs design;   // the quantization (golden, software) or the engine (rtl)
};

std::vector<int> parse_tokens(const std::string& s, int vocab) {
  std::vector<int> out;
  for (size_t start = 0;;) {
    const size_t end = std::min(s.find(',', start), s.size());
    const std::string item = s.substr(start, end - start);
    const std::optional<long long> t = parse_decimal(item);
    if (!t || *t < 0 || *t >= vocab)
      fail("--prompt-tokens {}: '{}' is not a token id from 0 to {} (give ids separated by commas, {})", shorten(s),
           shorten(item), vocab - 1, kDecimalRule);
    out.push_back(int(*t));
    if (end == s.size()) return out;
    start = end + 1;
  }
}

std::string default_simulator(const EngineConfig& e) {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  const std::filesystem::path exe = n > 0 ? std::filesystem::path(std::string(buf, size_t(n))) : "mixpe";
  return (exe.parent_path() / "sim" / e.name() / "tb").string();
}

std::unique_ptr<LinearBackend> make_backend(const LlmArgs& a, const std::vector<LinearWeight>& layers) {
  std::vector<std::string> all;
  for (const OptionSpec& o : option_schema()) all.push_back(o.name);
  if (a.gemm == "fp32") {
    a.design.refuse(all, "--gemm fp32 (no quantization)");
    return std::make_unique<Fp32Backend>(layers);
  }
  const EngineConfig e = a.design.engine();
  if (a.gemm == "golden") {
    a.design.refuse(DesignArgs::hardware_only(), "--gemm golden");
    return std::make_unique<GoldenBackend>(layers, e);
  }
  if (a.gemm == "software") {  // dequantize to FP16, FP32 accumulation along K: only the formats count
    a.design.refuse({"--preset", "--pe", "--accum", "--align-bits", "--rows", "--edge-frac-bits", "--cols", "--depth",
                     "--pipeline"},
                    "--gemm software (the dequantize-to-FP16 kernel)");
    return std::make_unique<GoldenBackend>(layers, e, true);
  }
  if (a.gemm == "rtl")
    return std::make_unique<RtlBackend>(layers, e, a.rtl_sim.empty() ? default_simulator(e) : a.rtl_sim);
  fail("--gemm '{}' is not supported: legal values are fp32, golden, software, rtl", shorten(a.gemm));
}

void run_llm(const LlmArgs& a) {
  const LlamaModel model = load_llama_model(a.model);
  if (a.steps < 1 || a.steps > model.cfg.max_seq_len - 1)
    fail("--steps {} is not legal: use 1 to {} (the model's positions after BOS)", a.steps, model.cfg.max_seq_len - 1);
  const std::vector<int> prompt = a.prompt.empty() ? std::vector<int>{} : parse_tokens(a.prompt, model.cfg.vocab_size);
  const std::vector<LinearWeight> layers = model.linear_layers();
  std::unique_ptr<LinearBackend> backend = make_backend(a, layers);
  Transformer t(model, *backend);
  std::vector<float> logits;
  const std::vector<int> out = generate(t, prompt, a.steps, a.logits.empty() ? nullptr : &logits);
  if (!a.logits.empty()) {
    OutputFiles files;
    files.add(a.logits, std::string(reinterpret_cast<const char*>(logits.data()), logits.size() * 4));
    files.commit();
  }
  std::string line;
  for (size_t i = 0; i < out.size(); ++i) line += (i ? " " : "") + std::to_string(out[i]);
  fmt::print("{}\n", line);
}

// --- traces
void run_trace(const std::string& model_path, int tokens, const std::string& dir) {
  check_output_dir("-o", dir);
  const LlamaModel model = load_llama_model(model_path);
  if (tokens < 1 || tokens + 1 > model.cfg.max_seq_len)
    fail("--tokens {} is not legal: use 1 to {}", tokens, model.cfg.max_seq_len - 1);
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

struct EvalArgs {
  std::string model = "tests/data/stories260K.bin";
  int steps = 200;
  std::string csv = "build/reports/fidelity.csv";
};

void run_eval(const EvalArgs& a) {
  check_output_file("--csv", a.csv);
  std::string out;  // printed once the table is written
  const LlamaModel model = load_llama_model(a.model);
  if (a.steps < 2 || a.steps + 1 > model.cfg.max_seq_len)
    fail("--steps {} is not legal: use 2 to {}", a.steps, model.cfg.max_seq_len - 1);
  const std::vector<LinearWeight> layers = model.linear_layers();
  // the FP32 model's own greedy continuation: the sequence every configuration is scored on
  Fp32Backend fp(layers);
  Transformer t(model, fp);
  const std::vector<int> gen = generate(t, {}, a.steps);
  std::vector<int> seq = {kBosToken};
  seq.insert(seq.end(), gen.begin(), gen.end());
  Transformer tr(model, fp);
  std::vector<std::vector<float>> ref;
  double nll = 0;
  for (int pos = 0; pos < a.steps; ++pos) {
    ref.push_back(tr.forward(seq[size_t(pos)], pos));
    nll -= log_softmax_at(ref.back(), seq[size_t(pos) + 1]);
  }
  std::string csv =
      "config,act,weight_bits,group_size,scheme,lut_terms,datapath,gemm_rel_err,logit_rel_err,top1_agreement,"
      "perplexity,"
      "greedy_agreement,first_divergence,numbers\n";
  out +=
      fmt::format("fidelity against the FP32 model on its own {}-token greedy continuation (FP32 perplexity {:.4f})\n",
                  a.steps, std::exp(nll / a.steps));
  out += fmt::format("{:<32} {:>12} {:>12} {:>8} {:>11} {:>8} {:>6}\n", "configuration", "GEMM relerr", "logit relerr",
                     "top-1", "perplexity", "greedy", "first");
  for (const DesignPoint& p : eval_points()) {
    const EngineConfig e = engine_from_options(parse_option_string(p.options));
    const WeightQuantConfig w = e.weight_quant();
    const bool software = p.family == "software";
    GoldenBackend backend(layers, e, software);
    const Fidelity f = evaluate(model, layers, backend, seq, ref);
    out += fmt::format("{:<32} {:>12.3e} {:>12.3e} {:>8.3f} {:>11.4f} {:>8.3f} {:>6}\n", p.name, f.gemm_rel,
                       f.logit_rel, f.top1, f.ppl, f.greedy_agree, f.first_divergence);
    // (numbers: the canonical numeric options, as `mixpe list --json` gives them: the DSE joins on them)
    csv +=
        fmt::format("{},{},{},{},{},{},{},{:.6e},{:.6e},{:.4f},{:.6f},{:.4f},{},{}\n", p.name, act_name(e.pe.act),
                    w.bits, w.group_size, scheme_name(w.scheme), e.pe.lut_terms, p.family, f.gemm_rel, f.logit_rel,
                    f.top1, f.ppl, f.greedy_agree, f.first_divergence, option_string(numeric_options(e.to_options())));
  }
  OutputFiles files;
  files.add(a.csv, csv);
  files.commit();
  fmt::print("{}written {}\n", out, a.csv);
}

}  // namespace

void register_llm_commands(CLI::App& app) {
  auto la = std::make_shared<LlmArgs>();
  CLI::App* llm = app.add_subcommand("llm", "greedy decoding with a llama2.c model; the token ids go to stdout");
  llm->add_option("--model", la->model, "llama2.c checkpoint (version 0)")->capture_default_str();
  llm->add_option("--steps", la->steps, "tokens to generate")->capture_default_str()->check(integer_in(1, 1 << 20));
  llm->add_option("--prompt-tokens", la->prompt, "comma-separated token ids after BOS");
  llm->add_option("--gemm", la->gemm, "linear layers: fp32, golden, software (W4A16 kernel), rtl (the engine)")
      ->capture_default_str();
  llm->add_option("--rtl-sim", la->rtl_sim, "--gemm rtl: the engine testbench (default: build/sim/<engine>/tb)");
  CLI::Option* logits =
      llm->add_option("--logits", la->logits, "write every step's logits (float32, vocab per step) to this file");
  la->design.add_to(*llm, kPeScope | kEngineScope);
  llm->callback([la, logits] {
    if (logits->count()) check_output_file("--logits", la->logits);  // (given empty: refused, not taken as absent)
    run_llm(*la);
  });

  auto tr = std::make_shared<std::tuple<std::string, int, std::string>>("tests/data/stories260K.bin", 16, "");
  CLI::App* trace = app.add_subcommand("trace", "record every linear layer's activations and weights");
  trace->add_option("--model", std::get<0>(*tr), "llama2.c checkpoint")->capture_default_str();
  trace->add_option("--tokens", std::get<1>(*tr), "tokens of greedy FP32 decoding from BOS")
      ->capture_default_str()
      ->check(integer_in(1, 1 << 20));
  trace->add_option("-o,--out", std::get<2>(*tr), "output directory")->required();
  trace->callback([tr] { run_trace(std::get<0>(*tr), std::get<1>(*tr), std::get<2>(*tr)); });

  auto ea = std::make_shared<EvalArgs>();
  CLI::App* ev = app.add_subcommand("eval", "fidelity of quantized configurations against the FP32 model");
  ev->add_option("--model", ea->model, "llama2.c checkpoint")->capture_default_str();
  ev->add_option("--steps", ea->steps, "tokens of the FP32 greedy continuation to score on")
      ->capture_default_str()
      ->check(integer_in(2, 1 << 20));
  ev->add_option("--csv", ea->csv, "where to write the table")->capture_default_str();
  ev->callback([ea] { run_eval(*ea); });
}

}  // namespace mixpe
