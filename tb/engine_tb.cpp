// Verilator testbench of a generated engine: GEMMs streamed through its ports with random idle
// cycles and back-pressure, every output element compared bit-exactly with golden_mpgemm.
// Prints cycles and utilization per workload; ends with `N passed, N failed`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include <verilated.h>
#if VM_TRACE
#include <verilated_fst_c.h>
#endif

#include "Vdut.h"
#include MIXPE_PARAMS
#include "blocks/engine/engine_config.h"
#include "golden/mpgemm.h"
#include "llm/gemm_wire.h"
#include "llm/trace_file.h"
#include "model/llama_model.h"
#include "numerics/error.h"
#include "tb_common.h"
#include "wide_bits.h"

#include <CLI/CLI.hpp>

namespace P = MIXPE_PARAMS_NS;
using namespace mixpe;
using tb::get_bits;
using tb::set_bits;

namespace {

EngineConfig config_from_params() {
  EngineConfig e;
  PeConfig& c = e.pe;
  c.kind = parse_pe_kind(P::kPe);
  c.act = parse_act(P::kAct);
  const std::string w = P::kWeight;  // u4, s8, ...; the fma PE's is fp16 (its weights are quantized u4 here)
  if (c.kind == PeKind::kLut) {
    c.weight_bits = w[3] - '0';  // "lut4", "lut4t2"
    c.lut_terms = P::kLutTerms;
  } else if (c.kind != PeKind::kFma) {
    c.weight_signed = w[0] == 's';
    c.weight_bits = std::stoi(w.substr(1));
  }
  c.accum.mode = c.kind == PeKind::kInt8 ? AccumMode::kExact : parse_accum(P::kAccum);
  c.accum.align_bits = P::kAlignBits;
  c.accum.block = P::kBlock;
  c.pipeline = P::kPipeline;
  e.rows = P::kRows, e.cols = P::kCols, e.group_size = P::kGroupSize, e.depth = P::kDepth;
  e.validate();
  if (e.name() != P::kTop || e.acc_width() != P::kAccWidth || e.sum_width() != P::kSumWidth ||
      e.latency() != P::kLatency_last_a_to_y)
    fail("the params header does not match the C++ configuration it names: regenerate");
  return e;
}

// One GEMM as the engine sees it.
struct Gemm {
  std::string name;
  Activations x;
  QuantWeights w;
};

struct Perf {
  uint64_t cycles = 0, macs = 0, padded_macs = 0, bound_cycles = 0;
  double seconds = 0;
};

struct RunResult {
  uint64_t cycles;
  double sim_seconds;     // the simulation loop alone (not the golden model)
  uint64_t last_latency;  // from the last activation row accepted to the last output row valid
};

class Bench {
 public:
  Bench(const EngineConfig& c, tb::Tally& t, const tb::Options& o) : cfg_(c), tally_(t), opt_(o) {
    if (!opt_.fst.empty()) {
#if VM_TRACE
      Verilated::traceEverOn(true);
      trace_ = std::make_unique<VerilatedFstC>();
      top_->trace(trace_.get(), 99);
      trace_->open(opt_.fst.c_str());
#else
      fail("this testbench was built without tracing: rebuild it with FST=1 for --fst");
#endif
    }
    top_->clk_i = 0;
    top_->rst_ni = 0;
    settle();
    step();
    top_->rst_ni = 1;
    settle();
    step();
  }
  ~Bench() {
#if VM_TRACE
    if (trace_) trace_->close();
#endif
    top_->final();
  }
  uint64_t cycles() const { return cycle_; }

  // Streams one GEMM through the engine; idle and stall are probabilities per cycle of an
  // input holding back and of the output refusing. Returns the cycles from command to done.
  RunResult run(const Gemm& g, double idle, double stall, std::mt19937_64& rng, Matrix<uint32_t>* got = nullptr) {
    const int R = cfg_.rows, C = cfg_.cols, G = cfg_.group_size;
    const int M = g.x.M(), kt = g.w.k_padded / R, nt = (g.w.N + C - 1) / C, tpg = G / R;
    const int ww = cfg_.pe.weight_width(), b = cfg_.pe.weight_bits, rw = cfg_.raw_act_width();
    // the three input streams, in the engine's order
    std::deque<std::vector<uint64_t>> wq, szq_scale, szq_zero, aq;
    std::deque<uint32_t> aq_scale;
    for (int n0 = 0; n0 < nt; ++n0)
      for (int t = 0; t < kt; ++t) {
        for (int r = 0; r < R; ++r) {
          std::vector<uint64_t> row(size_t(C), 0);
          for (int c = 0; c < C; ++c) {
            const int n = n0 * C + c;
            if (n >= g.w.N) continue;
            // the fma engine takes each weight dequantized to FP16 (the golden model's rounding)
            row[size_t(c)] = cfg_.fma() ? g.w.dequant_fp16(t * R + r, n)
                                        : uint64_t(g.w.code(t * R + r, n)) & ((uint64_t(1) << ww) - 1);
          }
          wq.push_back(row);
        }
        if (t % tpg == 0 && cfg_.has_scales()) {
          std::vector<uint64_t> sc(size_t(C), 0x3C00), z(size_t(C), 0);
          for (int c = 0; c < C; ++c) {
            const int n = n0 * C + c;
            if (n < g.w.N) sc[size_t(c)] = g.w.scale_at(t / tpg, n), z[size_t(c)] = uint64_t(g.w.zero_at(t / tpg, n));
          }
          szq_scale.push_back(sc);
          szq_zero.push_back(z);
        }
        for (int m = 0; m < M; ++m) {
          std::vector<uint64_t> row(size_t(R), 0);
          for (int r = 0; r < R; ++r) {
            const int k = t * R + r;
            if (k < g.x.K()) row[size_t(r)] = uint64_t(uint32_t(g.x.code.at(m, k))) & ((uint64_t(1) << rw) - 1);
          }
          aq.push_back(row);
          aq_scale.push_back(g.x.row_scale.empty() ? 0u : g.x.row_scale[size_t(m)]);
        }
      }
    const Matrix<uint32_t> want = cfg_.fma() ? golden_dequant_first(g.x, g.w, R) : golden_mpgemm(g.x, g.w, accum());
    if (got) *got = Matrix<uint32_t>(M, g.w.N, 0);
    std::bernoulli_distribution hold(idle), refuse(stall);

#ifdef MIXPE_HAS_PORT_table_i
    const int ew = cfg_.pe.table_entry_width(), terms = cfg_.pe.lut_terms;
    for (int i = 0; i < cfg_.pe.table_entries(); ++i)
      set_bits(top_->table_i, ew * i, ew,
               terms ? term_code(g.w.cfg.lut.fixed(i), terms) : uint64_t(uint16_t(g.w.cfg.lut.fixed(i))));
#endif
    top_->cmd_valid_i = 1;
    top_->cmd_m_i = uint32_t(M);
    top_->cmd_ktiles_i = uint32_t(kt);
    top_->cmd_ntiles_i = uint32_t(nt);
    const uint64_t start = cycle_;
    const auto t0 = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    int out_rows = 0;
    uint64_t last_a = 0, last_y_valid = 0;
    const uint64_t limit = cycle_ + 200000 + uint64_t(nt) * kt * (uint64_t(std::max(M, R)) + 64) * 20;
    bool accepted = false;
    while (out_rows < M * nt) {
      if (cycle_ > limit) {
        tally_.check(1, 0, [&] { return fmt::format("{}: engine stopped ({} of {} output rows)", g.name, out_rows, M * nt); });
        return {cycle_ - start, seconds(), 0};
      }
      // drive this cycle's inputs
      const bool wv = !wq.empty() && !hold(rng), sv = !szq_scale.empty() && !hold(rng), av = !aq.empty() && !hold(rng);
      top_->w_valid_i = wv;
      if (wv) for (int c = 0; c < C; ++c) set_bits(top_->w_data_i, c * ww, ww, wq.front()[size_t(c)]);
#ifdef MIXPE_HAS_PORT_sz_valid_i
      top_->sz_valid_i = sv;
      if (sv) {
        for (int c = 0; c < C; ++c) set_bits(top_->sz_scale_i, c * 16, 16, szq_scale.front()[size_t(c)]);
#ifdef MIXPE_HAS_PORT_sz_zero_i
        for (int c = 0; c < C; ++c) set_bits(top_->sz_zero_i, c * b, b, szq_zero.front()[size_t(c)]);
#endif
      }
#else
      (void)sv, (void)b;
#endif
      top_->a_valid_i = av;
      if (av) {
        for (int r = 0; r < R; ++r) set_bits(top_->a_data_i, r * rw, rw, aq.front()[size_t(r)]);
#ifdef MIXPE_HAS_PORT_a_scale_i
        top_->a_scale_i = aq_scale.front();
#endif
      }
      top_->y_ready_i = !refuse(rng);
      settle();
      // sample handshakes before the edge
      const bool w_fire = wv && top_->w_ready_o, a_fire = av && top_->a_ready_o;
#ifdef MIXPE_HAS_PORT_sz_valid_i
      const bool s_fire = sv && top_->sz_ready_o;
#else
      const bool s_fire = false;
#endif
      const bool y_fire = top_->y_valid_o && top_->y_ready_i;
      const bool c_fire = top_->cmd_valid_i && top_->cmd_ready_o;
      if (top_->y_valid_o && out_rows == M * nt - 1 && last_y_valid == 0) last_y_valid = cycle_;
      if (y_fire) {
        const int n0 = out_rows / M, m = out_rows % M;
        for (int c = 0; c < C; ++c) {
          const int n = n0 * C + c;
          if (n >= g.w.N) continue;
          const uint64_t y = get_bits(top_->y_data_o, c * 32, 32);
          if (got) got->at(m, n) = uint32_t(y);
          tally_.check(y, want.at(m, n), [&] { return fmt::format("{}: Y[{}][{}]", g.name, m, n); });
        }
        ++out_rows;
      }
      step();
      if (w_fire) wq.pop_front();
      if (s_fire) szq_scale.pop_front(), szq_zero.pop_front();
      if (a_fire) aq.pop_front(), aq_scale.pop_front(), last_a = cycle_ - 1;
      if (c_fire) accepted = true, top_->cmd_valid_i = 0;
    }
    (void)accepted;
    // the engine must be idle again
    top_->w_valid_i = top_->a_valid_i = 0;
#ifdef MIXPE_HAS_PORT_sz_valid_i
    top_->sz_valid_i = 0;
#endif
    settle();
    step();
    settle();
    tally_.check(top_->busy_o, 0, [&] { return fmt::format("{}: busy after the last output", g.name); });
    return {cycle_ - start, seconds(), last_y_valid - last_a};
  }

  AccumConfig accum() const {
    AccumConfig a = cfg_.pe.accum;
    a.block = cfg_.rows;
    return a;
  }

 private:
  // The rising edge; the falling edge happens in the caller's eval of the next cycle's inputs
  // (two evaluations per cycle: inputs with the clock low, then the edge).
  void step() {
    top_->clk_i = 1;
    top_->eval();
#if VM_TRACE
    if (trace_) trace_->dump(2 * cycle_ + 1);
#endif
    top_->clk_i = 0;
    ++cycle_;
  }
  void settle() {
    top_->eval();
#if VM_TRACE
    if (trace_) trace_->dump(2 * cycle_);
#endif
  }

  const EngineConfig& cfg_;
  tb::Tally& tally_;
  const tb::Options& opt_;
  std::unique_ptr<Vdut> top_ = std::make_unique<Vdut>();
#if VM_TRACE
  std::unique_ptr<VerilatedFstC> trace_;
#endif
  uint64_t cycle_ = 0;
};

WeightQuantConfig weight_config(const EngineConfig& e) {
  WeightQuantConfig w;
  // the fma baseline dequantizes asymmetric codes (W4A16 dequantize-then-multiply); the lut
  // engine runs NormalFloat tables (any table goes through the same port)
  w.scheme = (e.has_zero() || e.fma()) ? WeightScheme::kAsym : WeightScheme::kSym;
  if (e.pe.kind == PeKind::kLut) {
    w.scheme = WeightScheme::kLut;
    w.lut = e.pe.lut_terms ? restrict_terms(nf_format(e.pe.weight_bits), e.pe.lut_terms) : nf_format(e.pe.weight_bits);
  }
  w.bits = e.pe.weight_bits;
  w.group_size = e.group_size;
  return w;
}

// Activations like an LLM's: mostly N(0,1), a few channels with outliers 30-100x larger.
Matrix<float> llm_activations(int M, int K, std::mt19937_64& rng) {
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::uniform_int_distribution<int> ch(0, K - 1);
  Matrix<float> x(M, K);
  for (float& v : x.data) v = nd(rng);
  for (int i = 0; i < std::max(1, K / 64); ++i) {
    const int k = ch(rng);
    const float gain = 30.0f + 70.0f * std::fabs(nd(rng)) / 3.0f;
    for (int m = 0; m < M; ++m) x.at(m, k) *= gain;
  }
  return x;
}

Matrix<float> normal(int r, int c, float sd, std::mt19937_64& rng) {
  std::normal_distribution<float> nd(0.0f, sd);
  Matrix<float> m(r, c);
  for (float& v : m.data) v = nd(rng);
  return m;
}

Gemm make_gemm(const EngineConfig& e, std::string name, const Matrix<float>& x, const Matrix<float>& w) {
  return {std::move(name), quantize_activations(x, e.pe.act), quantize_weights(w, weight_config(e))};
}

// Corner cases: zeros, subnormals, the largest magnitudes, extreme codes, NaN and Inf.
std::vector<Gemm> corner_gemms(const EngineConfig& e, std::mt19937_64& rng) {
  const int M = std::min(e.depth, 5), K = e.group_size + e.rows, N = e.cols + 1;
  std::vector<Gemm> out;
  Gemm zeros = make_gemm(e, "corner: zero activations", Matrix<float>(M, K, 0.0f), normal(K, N, 0.05f, rng));
  out.push_back(zeros);
  Gemm base = make_gemm(e, "corner: extreme codes", normal(M, K, 1.0f, rng), normal(K, N, 0.05f, rng));
  const IntFormat cf = base.w.cfg.code_format();
  for (int k = 0; k < base.w.k_padded; ++k)
    for (int n = 0; n < N; ++n) base.w.q[size_t(k) * N + n] = int32_t((k + n) % 2 ? cf.max() : cf.min());
  out.push_back(base);
  if (is_float(e.pe.act)) {
    const FloatFormat f = float_format(e.pe.act);
    const uint32_t max_finite = (uint32_t(f.max_biased_exp() - 1) << (f.sig_bits - 1)) | f.frac_mask();
    Gemm sub = base;
    sub.name = "corner: subnormals and the largest magnitudes";
    std::uniform_int_distribution<uint32_t> frac(1, f.frac_mask());
    for (int m = 0; m < M; ++m)
      for (int k = 0; k < K; ++k) {
        const uint32_t sign = (m + k) % 2 ? f.sign_bit() : 0u;
        sub.x.code.at(m, k) = int32_t(sign | (m % 2 ? frac(rng) : (k % 7 ? max_finite : 1u)));
      }
    out.push_back(sub);
    Gemm nan = base;
    nan.name = "corner: NaN and Inf activations";
    nan.x.code.at(0, 3) = int32_t(f.quiet_nan());
    nan.x.code.at(std::min(2, M - 1), K - 1) = int32_t(uint32_t(f.max_biased_exp()) << (f.sig_bits - 1));  // +Inf
    out.push_back(nan);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  tb::Options opt;
  opt.random_cases = 40;
  std::string model, traces;
  bool bench_only = false, serve = false;
  opt.parse(argc, argv, "engine testbench: generated engine against the golden mpGEMM", [&](CLI::App& app) {
    app.add_option("--model", model, "llama2.c checkpoint: run every linear layer through the engine");
    app.add_option("--traces", traces, "LLM traces (mixpe trace): run every layer's real activations through the engine");
    app.add_flag("--bench", bench_only, "only the performance workload (M = 64, K = N = 1024), no idle cycles");
    app.add_flag("--serve", serve, "serve GEMMs: requests on stdin, results on stdout (llm/gemm_wire.h); log on stderr");
  });
  Verilated::randReset(2);
  const EngineConfig cfg = config_from_params();
  std::FILE* log = serve ? stderr : stdout;
  fmt::print(log, "{}: seed {}\n", P::kTop, opt.seed);
  std::mt19937_64 rng(opt.seed);
  tb::Tally tally(opt, log);
  Bench bench(cfg, tally, opt);
  if (serve) {
    // each request: a GEMM through the engine (still checked against the golden model)
    Activations x;
    QuantWeights w;
    long served = 0;
    while (read_gemm_request(0, x, w)) {
      if (w.cfg.group_size != cfg.group_size || x.fmt != cfg.pe.act || w.cfg.bits != cfg.pe.weight_bits)
        fail("a served GEMM must match the engine: group size {}, {} activations, {}-bit weights", cfg.group_size,
             act_name(cfg.pe.act), cfg.pe.weight_bits);
      if (x.M() > cfg.depth) fail("a served GEMM has M = {} rows; the engine holds {}", x.M(), cfg.depth);
      Matrix<uint32_t> y;
      bench.run(Gemm{fmt::format("served #{}", served++), x, w}, 0.0, 0.0, rng, &y);
      write_gemm_result(1, y);
    }
    fmt::print(log, "served {} GEMMs in {} cycles\n", served, bench.cycles());
    return tally.finish();
  }
  const int R = cfg.rows, C = cfg.cols, G = cfg.group_size, D = cfg.depth;

  auto report = [&](const char* what, const Perf& p) {
    const double util = double(p.macs) / (double(R) * C * double(p.cycles));
    const double bound = double(p.padded_macs) / (double(R) * C * double(p.bound_cycles));
    fmt::print("{}: {} cycles, {} MACs, utilization {:.3f} (bound max(M,R) per tile: {:.3f}, {:.1f}% of it)", what,
               p.cycles, p.macs, util, bound, 100.0 * util / bound);
    fmt::print(", {:.3g} simulated MACs/s ({:.0f} cycles/s)", double(p.macs) / p.seconds, double(p.cycles) / p.seconds);
    fmt::print("\n");
  };
  auto account = [&](Perf& p, const Gemm& g, RunResult r) {
    const int kt = g.w.k_padded / R, nt = (g.w.N + C - 1) / C;
    p.cycles += r.cycles;
    p.seconds += r.sim_seconds;
    p.macs += uint64_t(g.x.M()) * uint64_t(g.x.K()) * uint64_t(g.w.N);
    p.padded_macs += uint64_t(g.x.M()) * uint64_t(kt) * R * uint64_t(nt) * C;
    p.bound_cycles += uint64_t(kt) * nt * uint64_t(std::max(g.x.M(), R));
  };

  // The performance workload: 64 x 1024 x 1024 (64 x 64 tiles on 16 x 16), streams never idle.
  {
    const int M = std::min(64, D);
    Gemm g = make_gemm(cfg, "bench", normal(M, 1024, 1.0f, rng), normal(1024, 1024, 0.05f, rng));
    Perf p;
    const RunResult r = bench.run(g, 0.0, 0.0, rng);
    account(p, g, r);
    report(fmt::format("bench M={} K=1024 N=1024", M).c_str(), p);
    // the manifest's latency, measured where nothing stalls
    fmt::print("latency from the last activation row to its output row: {} cycles (manifest: {})\n", r.last_latency,
               P::kLatency_last_a_to_y);
    tally.check(r.last_latency, uint64_t(P::kLatency_last_a_to_y), [] { return "latency last_a_to_y"; });
  }
  if (!bench_only) {
    Perf rnd;
    std::uniform_int_distribution<int> md(1, D), kd(1, 3 * G + R), nd(1, 3 * C + 1);
    for (long i = 0; i < opt.random_cases; ++i) {
      const int M = i == 0 ? 1 : i == 1 ? D : md(rng), K = kd(rng), N = nd(rng);
      Gemm g = make_gemm(cfg, fmt::format("random #{} {}x{}x{}", i, M, K, N), llm_activations(M, K, rng),
                         normal(K, N, 0.05f, rng));
      account(rnd, g, bench.run(g, 0.3, 0.3, rng));
    }
    report(fmt::format("{} random GEMMs with 30% idle inputs and 30% output stalls", opt.random_cases).c_str(), rnd);
    for (const Gemm& g : corner_gemms(cfg, rng)) bench.run(g, 0.1, 0.1, rng);
    fmt::print("corner GEMMs done\n");
    if (!model.empty()) {
      const LlamaModel lm = load_llama_model(model);
      Perf mp;
      for (const LinearWeight& lw : lm.linear_layers()) {
        const int M = std::min(D, 8);
        Gemm g = make_gemm(cfg, "model " + lw.name, llm_activations(M, lw.w.rows, rng), lw.w);
        account(mp, g, bench.run(g, 0.1, 0.1, rng));
      }
      report(fmt::format("{} linear layers of {}", lm.linear_layers().size(), model).c_str(), mp);
    }
  }
  if (!traces.empty() && !bench_only) {
    Perf tp;
    const std::vector<TraceFile> files = read_traces(traces);
    for (const TraceFile& t : files)
      for (int m0 = 0; m0 < t.x.rows; m0 += D) {  // at most depth rows per GEMM
        const int M = std::min(D, t.x.rows - m0);
        Matrix<float> x(M, t.x.cols);
        std::copy(&t.x.at(m0, 0), &t.x.at(m0, 0) + size_t(M) * size_t(t.x.cols), x.data.begin());
        account(tp, make_gemm(cfg, "trace " + t.name, x, t.w), bench.run(make_gemm(cfg, "trace " + t.name, x, t.w), 0.1, 0.1, rng));
      }
    report(fmt::format("{} LLM traces from {}", files.size(), traces).c_str(), tp);
  }
  fmt::print("simulated {} cycles\n", bench.cycles());
  return tally.finish();
}
