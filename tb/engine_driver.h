// Drives a Verilated engine (Vdut, with the params header's MIXPE_HAS_PORT_* macros): streams a
// GEMM's beats through its ports with random idle cycles and back-pressure, and compares every
// output element with the golden model as it leaves. Included by engine_tb.cpp only.
#pragma once
#include <chrono>
#include <memory>

#include "engine_workloads.h"
#include "numerics/error.h"
#include "tb_common.h"
#include "wide_bits.h"

// The engine's stream ports, or those of its AXI4-Stream wrapper (mixpe gen engine --axis): the same
// handshakes under AXI names, each stream's fields packed into TDATA, TLAST on the weights and outputs.
#ifdef MIXPE_HAS_PORT_s_axis_cmd_tvalid
#define MIXPE_AXIS 1
#define MIXPE_CMD_VALID s_axis_cmd_tvalid
#define MIXPE_CMD_READY s_axis_cmd_tready
#define MIXPE_W_VALID s_axis_w_tvalid
#define MIXPE_W_READY s_axis_w_tready
#define MIXPE_W_DATA s_axis_w_tdata
#define MIXPE_A_VALID s_axis_a_tvalid
#define MIXPE_A_READY s_axis_a_tready
#define MIXPE_A_DATA s_axis_a_tdata
#define MIXPE_Y_VALID m_axis_y_tvalid
#define MIXPE_Y_READY m_axis_y_tready
#define MIXPE_Y_DATA m_axis_y_tdata
#ifdef MIXPE_HAS_PORT_s_axis_sz_tvalid
#define MIXPE_HAS_SCALES 1
#define MIXPE_SZ_VALID s_axis_sz_tvalid
#define MIXPE_SZ_READY s_axis_sz_tready
#endif
#else
#define MIXPE_CMD_VALID cmd_valid_i
#define MIXPE_CMD_READY cmd_ready_o
#define MIXPE_W_VALID w_valid_i
#define MIXPE_W_READY w_ready_o
#define MIXPE_W_DATA w_data_i
#define MIXPE_A_VALID a_valid_i
#define MIXPE_A_READY a_ready_o
#define MIXPE_A_DATA a_data_i
#define MIXPE_Y_VALID y_valid_o
#define MIXPE_Y_READY y_ready_i
#define MIXPE_Y_DATA y_data_o
#ifdef MIXPE_HAS_PORT_sz_valid_i
#define MIXPE_HAS_SCALES 1
#define MIXPE_SZ_VALID sz_valid_i
#define MIXPE_SZ_READY sz_ready_o
#endif
#endif

namespace mixpe::tb {

// How often, per cycle, each input stream holds back and the output refuses.
struct Pace {
  double w = 0, scales = 0, a = 0, stall = 0;
  static Pace uniform(double idle, double stall) { return {idle, idle, idle, stall}; }
};

struct RunResult {
  uint64_t cycles;        // from the command's cycle to the last output beat's, both included
  double sim_seconds;     // the simulation loop alone (not the golden model)
  uint64_t last_latency;  // from the last activation row accepted to the last output row valid
};

class Driver {
 public:
  Driver(const EngineConfig& c, Tally& t, const Options& o) : cfg_(c), tally_(t) {
    if (!o.fst.empty()) {
#if VM_TRACE
      Verilated::traceEverOn(true);
      trace_ = std::make_unique<VerilatedFstC>();
      top_->trace(trace_.get(), 99);
      trace_->open(o.fst.c_str());
#else
      fail("this testbench was built without tracing: rebuild it with FST=1 for --fst");
#endif
    }
    // Reset with every input asking for work (the power-up state is random): nothing may start,
    // and the engine must say so while the reset is held. The first command then comes on the
    // first clock edge after the reset is released.
    top_->clk_i = 0;
    top_->rst_ni = 1;
    settle();
    top_->rst_ni = 0;  // a falling edge: the asynchronous reset acts at once
    top_->MIXPE_CMD_VALID = top_->MIXPE_W_VALID = top_->MIXPE_A_VALID = 1;
    top_->MIXPE_Y_READY = 1;
    for (int edge = 0; edge < 2; ++edge) {
      settle();
      check_reset_outputs(edge);
      step();
    }
    top_->MIXPE_CMD_VALID = top_->MIXPE_W_VALID = top_->MIXPE_A_VALID = 0;
    top_->rst_ni = 1;
  }
  ~Driver() {
#if VM_TRACE
    if (trace_) trace_->close();
#endif
    top_->final();
  }
  uint64_t cycles() const { return cycle_; }

  // Streams one GEMM through the engine at the given pace. `got`, if given, receives the output.
  RunResult run(const Gemm& g, Pace pace, std::mt19937_64& rng, Matrix<uint32_t>* got = nullptr) {
    const EngineCommand cmd = engine_command(cfg_, g.x, g.w);
    const int R = cfg_.rows, M = cmd.m, kt = cmd.ktiles, nt = cmd.ntiles;
    Streams s = input_streams(cfg_, g);
    const Matrix<uint32_t> want = expected(cfg_, g);
    if (got) *got = Matrix<uint32_t>(M, g.w.N, 0);
    std::bernoulli_distribution hold_w(pace.w), hold_s(pace.scales), hold_a(pace.a), refuse(pace.stall);
    top_->MIXPE_CMD_VALID = 1;
#ifdef MIXPE_AXIS
    const int mw = cfg_.m_width() + 1;  // s_axis_cmd_tdata: {table, N / C, K / R, M}
    set_bits(top_->s_axis_cmd_tdata, 0, mw, uint64_t(M));
    set_bits(top_->s_axis_cmd_tdata, mw, 16, uint64_t(kt));
    set_bits(top_->s_axis_cmd_tdata, mw + 16, 16, uint64_t(nt));
    set_table(g, mw + 32);
#else
    set_table(g, 0);
    top_->cmd_m_i = uint32_t(M);
    top_->cmd_ktiles_i = uint32_t(kt);
    top_->cmd_ntiles_i = uint32_t(nt);
#endif
    const uint64_t start = cycle_;
    const auto t0 = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    int out_rows = 0;
    [[maybe_unused]] int w_beats = 0;  // weight beats taken (AXI4-Stream: TLAST on a tile's last)
    uint64_t last_a = 0, last_y_valid = 0;
    const uint64_t limit = cycle_ + 200000 + uint64_t(nt) * kt * (uint64_t(std::max(M, R)) + 64) * 20;
    // Past the end of a stream, and with a second command, the host keeps offering beats now and
    // then (not in the performance run): the engine must take no more than the command needs.
    std::bernoulli_distribution extra(pace.w + pace.a + pace.stall > 0 ? 0.3 : 0.0);
    bool accepted = false;
    while (out_rows < M * nt) {
      if (cycle_ > limit) {
        tally_.check(
            1, 0, [&] { return fmt::format("{}: engine stopped ({} of {} output rows)", g.name, out_rows, M * nt); });
        return {cycle_ - start, seconds(), 0};
      }
      const bool w_more = !s.w.empty(), s_more = !s.scale.empty(), a_more = !s.a.empty();
      const bool wv = w_more ? !hold_w(rng) : extra(rng), sv = s_more ? !hold_s(rng) : extra(rng);
      const bool av = a_more ? !hold_a(rng) : extra(rng);
      drive(s, wv, sv, av, w_beats);
      if (accepted) top_->MIXPE_CMD_VALID = extra(rng);
      top_->MIXPE_Y_READY = !refuse(rng);
      settle();
      // sample the handshakes before the edge
      const bool w_fire = wv && top_->MIXPE_W_READY, a_fire = av && top_->MIXPE_A_READY, s_fire = sv && scale_ready();
      const bool y_fire = top_->MIXPE_Y_VALID && top_->MIXPE_Y_READY;
      const bool c_fire = top_->MIXPE_CMD_VALID && top_->MIXPE_CMD_READY;
      if (top_->MIXPE_Y_VALID && out_rows == M * nt - 1 && last_y_valid == 0) last_y_valid = cycle_;
#ifdef MIXPE_AXIS
      if (y_fire)  // TLAST on the GEMM's last output row, and only there
        tally_.check(top_->m_axis_y_tlast, out_rows == M * nt - 1, [&] {
          return fmt::format("{}: m_axis_y_tlast at output row {} of {}", g.name, out_rows, M * nt);
        });
      if (w_fire && w_more) ++w_beats;
#endif
      if (y_fire) check_row(g, want, out_rows++, got);
      if ((w_fire && !w_more) || (s_fire && !s_more) || (a_fire && !a_more) || (c_fire && accepted))
        tally_.check(1, 0, [&] { return fmt::format("{}: a beat or command beyond the GEMM was taken", g.name); });
      step();
      if (w_fire && w_more) s.w.pop_front();
      if (s_fire && s_more) s.scale.pop_front(), s.zero.pop_front();
      if (a_fire && a_more) s.a.pop_front(), s.a_scale.pop_front(), last_a = cycle_ - 1;
      accepted |= c_fire;
    }
    const uint64_t cycles = cycle_ - start;  // command to the last output beat, both included
    // the engine must be idle again
    top_->MIXPE_CMD_VALID = 0;
    drive(s, false, false, false, w_beats);
    settle();
    step();
    settle();
    tally_.check(top_->busy_o, 0, [&] { return fmt::format("{}: busy after the last output", g.name); });
    return {cycles, seconds(), last_y_valid - last_a};
  }

 private:
  // LUT weights: the table, on table_i or (AXI4-Stream) in the command's TDATA from bit `lsb`.
  void set_table([[maybe_unused]] const Gemm& g, [[maybe_unused]] int lsb) {
    const int ew = cfg_.pe.table_entry_width();
    for (int i = 0; i < cfg_.pe.table_entries(); ++i) {
      [[maybe_unused]] const uint64_t code = cfg_.pe.table_code(g.w.cfg.lut, i);
#ifdef MIXPE_HAS_PORT_table_i
      set_bits(top_->table_i, ew * i, ew, code);
#elif defined(MIXPE_AXIS)
      set_bits(top_->s_axis_cmd_tdata, lsb + ew * i, ew, code);
#endif
    }
  }
  // This cycle's inputs: the front beat of each stream that is valid.
  // (AXI4-Stream: the scales and zero points in one TDATA, {zero points, scales}; the INT8 row scale
  // above the activations; TLAST on a tile's last weight beat, `w_beats` having been taken.)
  void drive(const Streams& s, bool wv, [[maybe_unused]] bool sv, bool av, [[maybe_unused]] int w_beats) {
    const int C = cfg_.cols, R = cfg_.rows, ww = cfg_.pe.weight_width(), rw = cfg_.raw_act_width();
    top_->MIXPE_W_VALID = wv;
    if (wv && !s.w.empty())
      for (int i = 0; i < C * cfg_.load; ++i) set_bits(top_->MIXPE_W_DATA, i * ww, ww, s.w.front()[size_t(i)]);
#ifdef MIXPE_AXIS
    top_->s_axis_w_tlast = (w_beats + 1) % cfg_.beats_per_tile() == 0;
#endif
#ifdef MIXPE_HAS_SCALES
    top_->MIXPE_SZ_VALID = sv;
    if (sv && !s.scale.empty()) {
      const int b = cfg_.pe.weight_bits;
#ifdef MIXPE_AXIS
      for (int c = 0; c < C; ++c) set_bits(top_->s_axis_sz_tdata, c * 16, 16, s.scale.front()[size_t(c)]);
      if (cfg_.has_zero())
        for (int c = 0; c < C; ++c) set_bits(top_->s_axis_sz_tdata, C * 16 + c * b, b, s.zero.front()[size_t(c)]);
#else
      for (int c = 0; c < C; ++c) set_bits(top_->sz_scale_i, c * 16, 16, s.scale.front()[size_t(c)]);
#ifdef MIXPE_HAS_PORT_sz_zero_i
      for (int c = 0; c < C; ++c) set_bits(top_->sz_zero_i, c * b, b, s.zero.front()[size_t(c)]);
#endif
#endif
    }
#endif
    top_->MIXPE_A_VALID = av;
    if (av && !s.a.empty()) {
      for (int r = 0; r < R; ++r) set_bits(top_->MIXPE_A_DATA, r * rw, rw, s.a.front()[size_t(r)]);
#ifdef MIXPE_HAS_PORT_a_scale_i
      top_->a_scale_i = s.a_scale.front();
#elif defined(MIXPE_AXIS)
      if (!is_float(cfg_.pe.act)) set_bits(top_->s_axis_a_tdata, R * rw, 32, s.a_scale.front());
#endif
    }
  }
  void check_reset_outputs(int edge) {
    auto at = [edge](const char* what) { return fmt::format("{} during reset (after {} edges)", what, edge); };
    tally_.check(top_->busy_o, 0, [&] { return at("busy_o"); });
    tally_.check(top_->MIXPE_CMD_READY, 1, [&] { return at("cmd_ready_o"); });
    tally_.check(top_->MIXPE_Y_VALID, 0, [&] { return at("y_valid_o"); });
    tally_.check(top_->MIXPE_W_READY, 0, [&] { return at("w_ready_o"); });
    tally_.check(top_->MIXPE_A_READY, 0, [&] { return at("a_ready_o"); });
  }
  bool scale_ready() const {
#ifdef MIXPE_HAS_SCALES
    return top_->MIXPE_SZ_READY;
#else
    return false;
#endif
  }
  // Output row `row` (N tile row / M, m = row % M) against the golden model.
  void check_row(const Gemm& g, const Matrix<uint32_t>& want, int row, Matrix<uint32_t>* got) {
    const int C = cfg_.cols;
    const auto [m, n0] = output_row(engine_command(cfg_, g.x, g.w), row);
    for (int c = 0; c < C; ++c) {
      const int n = n0 * C + c;
      if (n >= g.w.N) continue;
      const uint64_t y = get_bits(top_->MIXPE_Y_DATA, c * 32, 32);
      if (got) got->at(m, n) = uint32_t(y);
      tally_.check(y, want.at(m, n), [&] { return fmt::format("{}: Y[{}][{}]", g.name, m, n); });
    }
  }
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
  Tally& tally_;
  std::unique_ptr<Vdut> top_ = std::make_unique<Vdut>();
#if VM_TRACE
  std::unique_ptr<VerilatedFstC> trace_;
#endif
  uint64_t cycle_ = 0;
};

}  // namespace mixpe::tb
