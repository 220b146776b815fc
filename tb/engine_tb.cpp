// Verilator testbench of a generated engine: GEMMs streamed through its ports with random idle
// cycles and back-pressure (engine_driver.h), every output element compared bit-exactly with
// the golden model; the workloads are in engine_workloads.h. Prints cycles and utilization per
// workload; ends with `N passed, N failed`. With --serve it runs GEMMs that arrive on stdin.
#include <algorithm>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include <verilated.h>
#if VM_TRACE
#include <verilated_fst_c.h>
#endif
#if VM_COVERAGE
#include <verilated_cov.h>
#endif

#include "Vdut.h"
#include MIXPE_PARAMS
#include "engine_driver.h"
#include "golden/engine_cycles.h"
#include "llm/gemm_wire.h"
#include "llm/trace_file.h"
#include "model/llama_model.h"

#include <CLI/CLI.hpp>

namespace P = MIXPE_PARAMS_NS;
using namespace mixpe;
using namespace mixpe::tb;

namespace {

// --serve: each request a GEMM through the engine (still checked against the golden model).
int serve(const EngineConfig& cfg, Driver& driver, Tally& tally, std::mt19937_64& rng, std::FILE* log) {
  Activations x;
  QuantWeights w;
  long served = 0;
  uint64_t rtl_cycles = 0, model_cycles = 0;  // command to last output beat, summed over the GEMMs
  while (read_gemm_request(0, x, w)) {
    if (w.cfg.group_size != cfg.group_size || x.fmt != cfg.pe.act || w.cfg.bits != cfg.pe.weight_bits)
      fail("a served GEMM must match the engine: group size {}, {} activations, {}-bit weights", cfg.group_size,
           act_name(cfg.pe.act), cfg.pe.weight_bits);
    if (x.M() > cfg.depth) fail("a served GEMM has M = {} rows; the engine holds {}", x.M(), cfg.depth);
    Matrix<uint32_t> y;
    const RunResult r = driver.run(Gemm{fmt::format("served #{}", served++), x, w}, Pace{}, rng, &y);
    // streams never idle here, so the cycle model (mixpe perf's compute) must equal the RTL
    const uint64_t model = engine_cycles_mkn(cfg, x.M(), w.K, w.N).cycles;
    tally.check(r.cycles, model, [&] { return fmt::format("served #{}: cycles against the cycle model", served - 1); });
    rtl_cycles += r.cycles, model_cycles += model;
    write_gemm_result(1, y);
  }
  fmt::print(log, "served {} GEMMs in {} cycles; command to last output, summed: {} cycles (cycle model: {})\n", served,
             driver.cycles(), rtl_cycles, model_cycles);
  return tally.finish();
}

// The performance workload: 64 x 1024 x 1024 (64 x 64 tiles on 16 x 16), streams never idle;
// also the manifest's latency, measured where nothing stalls.
void bench(const EngineConfig& cfg, Driver& driver, Tally& tally, std::mt19937_64& rng) {
  const int M = std::min(64, cfg.depth);
  const Gemm g = make_gemm(cfg, "bench", normal(M, 1024, 1.0f, rng), normal(1024, 1024, 0.05f, rng));
  const RunResult r = driver.run(g, Pace{}, rng);
  Perf p;
  p.add(cfg, g, r.cycles, r.sim_seconds);
  p.report(cfg, fmt::format("bench M={} K=1024 N=1024", M));
  fmt::print("latency from the last activation row to its output row: {} cycles (manifest: {})\n", r.last_latency,
             P::kLatency_last_a_to_y);
  tally.check(r.last_latency, uint64_t(P::kLatency_last_a_to_y), [] { return "latency last_a_to_y"; });
  const uint64_t model = engine_cycles_mkn(cfg, M, 1024, 1024).cycles;
  fmt::print("cycle model: {} cycles (RTL: {})\n", model, r.cycles);
  tally.check(r.cycles, model, [] { return "bench: cycles against the cycle model (engine_cycles)"; });
}

// The cycle model (golden/engine_cycles.h) against the RTL on random shapes, streams never idle
// and the output never stalled: the same number of cycles, command to last output beat.
void cycle_model(const EngineConfig& cfg, Driver& driver, Tally& tally, long count, std::mt19937_64& rng) {
  const int G = cfg.group_size, C = cfg.cols, D = cfg.depth;
  // K up to 8 groups, N up to 4 tiles; every third shape long in K (many groups) to cover the steady state
  std::uniform_int_distribution<int> md(1, D), kd(1, 8 * G), nd(1, 4 * C), long_k(16 * G, 32 * G);
  long equal = 0;
  for (long i = 0; i < count; ++i) {
    const int M = i == 0 ? 1 : i == 1 ? D : md(rng), K = i % 3 == 2 ? long_k(rng) : kd(rng), N = nd(rng);
    const Gemm g = make_gemm(cfg, fmt::format("cycle model #{} {}x{}x{}", i, M, K, N), llm_activations(M, K, rng),
                             normal(K, N, 0.05f, rng));
    const RunResult r = driver.run(g, Pace{}, rng);
    const uint64_t model = engine_cycles_mkn(cfg, M, K, N).cycles;
    equal += r.cycles == model;
    tally.check(r.cycles, model, [&] { return fmt::format("{}: cycles against the cycle model", g.name); });
  }
  fmt::print("cycle model: {} of {} shapes equal to the RTL, cycle for cycle\n", equal, count);
}

void random_and_corners(const EngineConfig& cfg, Driver& driver, long count, std::mt19937_64& rng) {
  const int R = cfg.rows, C = cfg.cols, G = cfg.group_size, D = cfg.depth;
  Perf rnd;
  std::uniform_int_distribution<int> md(1, D), kd(1, 3 * G + R), nd(1, 3 * C + 1);
  for (long i = 0; i < count; ++i) {
    // most with every stream 30% idle and the output stalling 30%; every fourth with one stream
    // starved (the output 90% stalled, or an input 90% idle) while the others flow, so that each
    // buffer runs full or empty. A stalled output gets the most rows and two N tiles at least:
    // the next N tile must not overwrite Y before it has left.
    Pace pace = Pace::uniform(0.3, 0.3);
    const int starved = i % 4 == 3 ? int(i / 4 % 4) : -1;  // 0: output, 1: weights, 2: activations, 3: scales
    if (starved >= 0)
      pace = {starved == 1 ? 0.9 : 0.0, starved == 3 ? 0.9 : 0.0, starved == 2 ? 0.9 : 0.0, starved == 0 ? 0.9 : 0.0};
    int M = i == 0 ? 1 : i == 1 ? D : md(rng), K = kd(rng), N = nd(rng);
    if (starved == 0) M = D, K = std::max(K, G + 1), N = std::max(N, C + 1);
    const Gemm g = make_gemm(cfg, fmt::format("random #{} {}x{}x{}", i, M, K, N), llm_activations(M, K, rng),
                             normal(K, N, 0.05f, rng));
    const RunResult r = driver.run(g, pace, rng);
    rnd.add(cfg, g, r.cycles, r.sim_seconds);
  }
  rnd.report(cfg, fmt::format("{} random GEMMs with 30% idle inputs and 30% output stalls (every fourth: one stream "
                              "starved)",
                              count));
  for (const Gemm& g : corner_gemms(cfg, rng)) driver.run(g, Pace::uniform(0.1, 0.1), rng);
  fmt::print("corner GEMMs done\n");
}

// Every linear layer of a llama2.c model: its real weights, LLM-like activations.
void model_layers(const EngineConfig& cfg, Driver& driver, const std::string& path, std::mt19937_64& rng) {
  const LlamaModel lm = load_llama_model(path);
  Perf p;
  for (const LinearWeight& lw : lm.linear_layers()) {
    const Gemm g = make_gemm(cfg, "model " + lw.name, llm_activations(std::min(cfg.depth, 8), lw.w.rows, rng), lw.w);
    const RunResult r = driver.run(g, Pace::uniform(0.1, 0.1), rng);
    p.add(cfg, g, r.cycles, r.sim_seconds);
  }
  p.report(cfg, fmt::format("{} linear layers of {}", lm.linear_layers().size(), path));
}

// Real activations of every linear layer (mixpe trace), at most depth rows per GEMM.
// With a cycle budget, it stops after the GEMM that reaches it.
Perf traces(const EngineConfig& cfg, Driver& driver, const std::string& dir, std::mt19937_64& rng,
            Pace pace = Pace::uniform(0.1, 0.1), uint64_t budget = UINT64_MAX) {
  Perf p;
  const std::vector<TraceFile> files = read_traces(dir, cfg.pe.act);
  for (const TraceFile& t : files)
    for (int m0 = 0; m0 < t.x.rows && driver.cycles() < budget; m0 += cfg.depth) {
      const int M = std::min(cfg.depth, t.x.rows - m0);
      Matrix<float> x(M, t.x.cols);
      std::copy(&t.x.at(m0, 0), &t.x.at(m0, 0) + size_t(M) * size_t(t.x.cols), x.data.begin());
      const Gemm g = make_gemm(cfg, "trace " + t.name, x, t.w);
      const RunResult r = driver.run(g, pace, rng);
      p.add(cfg, g, r.cycles, r.sim_seconds);
    }
  p.report(cfg, fmt::format("{} LLM traces from {}", files.size(), dir));
  return p;
}

// --power: one workload with every stream always ready, for the gate-level power flow
// (scripts/power.py): the real activations of --traces (the layers in turn until `budget`
// cycles), or `count` GEMMs of LLM-like activations (M = depth, K = 4 groups, N = 2 tiles) and
// Gaussian weights. Prints the cycles simulated since reset and the MACs of the GEMMs; a coverage
// build writes its toggle counts.
void power_workload(const EngineConfig& cfg, Driver& driver, const std::string& trace_dir, long count, uint64_t budget,
                    std::mt19937_64& rng, const std::string& coverage) {
  Perf p;
  if (!trace_dir.empty()) {
    p = traces(cfg, driver, trace_dir, rng, Pace{}, budget);
  } else {
    for (long i = 0; i < count; ++i) {
      const int M = cfg.depth, K = 4 * cfg.group_size, N = 2 * cfg.cols;
      const Gemm g = make_gemm(cfg, fmt::format("power #{}", i), llm_activations(M, K, rng), normal(K, N, 0.05f, rng));
      const RunResult r = driver.run(g, Pace{}, rng);
      p.add(cfg, g, r.cycles, r.sim_seconds);
    }
    p.report(cfg, fmt::format("{} GEMMs of LLM-like activations", count));
  }
  fmt::print("power workload: {} cycles, {} MACs\n", driver.cycles(), p.macs);
#if VM_COVERAGE
  if (!coverage.empty()) Verilated::threadContextp()->coveragep()->write(coverage.c_str());
#else
  if (!coverage.empty()) fail("--coverage needs a testbench built with toggle coverage (scripts/power.py)");
#endif
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  opt.random_cases = 40;
  std::string model, trace_dir, coverage;
  uint64_t power_cycles = 5'000;
  long cycle_shapes = 10;
  bool bench_only = false, serving = false, quick = false, power = false;
  opt.parse(argc, argv, "engine testbench: generated engine against the golden mpGEMM", [&](CLI::App& app) {
    app.add_option("--model", model, "llama2.c checkpoint: run every linear layer through the engine");
    app.add_option("--traces", trace_dir,
                   "LLM traces (mixpe trace): run every layer's real activations through the engine");
    app.add_flag("--bench", bench_only, "only the performance workload (M = 64, K = N = 1024), no idle cycles");
    app.add_flag("--quick", quick, "no performance workload: the random and corner GEMMs only (make fuzz-configs)");
    app.add_flag("--power", power, "only the power workload: --traces, else --random GEMMs; streams never idle");
    app.add_option("--coverage", coverage, "with --power: write the toggle counts here (coverage builds)");
    app.add_option("--power-cycles", power_cycles,
                   "with --power --traces: stop after the GEMM that reaches this many cycles");
    app.add_option("--cycle-shapes", cycle_shapes, "random shapes on which the cycle model must equal the RTL");
    app.add_flag("--serve", serving,
                 "serve GEMMs: requests on stdin, results on stdout (llm/gemm_wire.h); log on stderr");
  });
  Verilated::randReset(2);
  const EngineConfig cfg = design_config(P::kOptions, P::kBlock, P::kTop);
  std::FILE* log = serving ? stderr : stdout;
  fmt::print(log, "{}: seed {}\n", P::kTop, opt.seed);
  std::mt19937_64 rng(opt.seed);
  Tally tally(opt, log);
  Driver driver(cfg, tally, opt);
  if (serving) return serve(cfg, driver, tally, rng, log);
  if (power) {
    power_workload(cfg, driver, trace_dir, opt.random_cases, power_cycles, rng, coverage);
    return tally.finish();
  }
  if (!quick) bench(cfg, driver, tally, rng);
  if (!bench_only) {
    cycle_model(cfg, driver, tally, cycle_shapes, rng);
    random_and_corners(cfg, driver, opt.random_cases, rng);
    if (!model.empty()) model_layers(cfg, driver, model, rng);
    if (!trace_dir.empty()) traces(cfg, driver, trace_dir, rng);
  }
  fmt::print("simulated {} cycles\n", driver.cycles());
  return tally.finish();
}
