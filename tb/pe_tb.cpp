// Verilator testbench for one generated PE configuration (its params header is included as
// MIXPE_PARAMS). Every cycle, psum_o is compared with the golden PE model (pe_step), and the
// forwarded activation, first flag and load token with what the PE must pass on.
//   exhaustive: every (activation, weight) pair when act_width + weight_width <= 24
//   otherwise:  --random seeded cases plus corner cases
//   always:     a long accumulation run (psum_o fed back to psum_i) with weight reloads
#include <deque>
#include <memory>
#include <random>
#include <vector>

#include <verilated.h>
#if VM_TRACE
#include <verilated_fst_c.h>
#endif

#include "Vdut.h"
#include MIXPE_PARAMS
#include "golden/datapath.h"
#include "golden/pe_model.h"
#include "numerics/error.h"
#include "numerics/lut_format.h"
#include "tb_common.h"
#include "wide_bits.h"

namespace P = MIXPE_PARAMS_NS;
using namespace mixpe;

namespace {

uint64_t mask(int w) { return w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1; }

struct Bench {
  const PeConfig& cfg;
  tb::Tally& tally;
  std::unique_ptr<Vdut> top = std::make_unique<Vdut>();
#if VM_TRACE
  VerilatedFstC* trace = nullptr;
#endif
  uint64_t time = 0;
  // What the PE must hold: the weight registers and the in-flight products (pipeline).
  uint64_t shadow = 0, active = 0;
  struct Flight {
    uint64_t a, w;
    std::vector<uint32_t> table;  // the lut PE's table when the product was formed
  };
  std::vector<uint32_t> table;  // what table_i carries: 16-bit entries or term codes
  std::deque<Flight> flight;
  uint64_t prev_a = 0, prev_first = 0;
  bool have_prev = false;

  void half(int clk) {
    top->clk_i = clk;
    top->eval();
#if VM_TRACE
    if (trace) trace->dump(time);
#endif
    ++time;
  }
  // Reset with the control inputs high (the power-up state is random): the registers that reset
  // (the forwarded load token and first flag) must read 0 while it is held, whatever comes in.
  void reset() {
    top->rst_ni = 1;
    top->eval();
    top->rst_ni = 0;  // a falling edge: the asynchronous reset acts at once
    top->w_load_i = 1;
    top->first_i = 1;
    half(0);
    tally.check(uint64_t(top->w_load_o), 0, [] { return "w_load_o during reset"; });
    tally.check(uint64_t(top->first_o), 0, [] { return "first_o during reset"; });
    half(1);
    tally.check(uint64_t(top->w_load_o), 0, [] { return "w_load_o during reset, after an edge"; });
    tally.check(uint64_t(top->first_o), 0, [] { return "first_o during reset, after an edge"; });
    top->w_load_i = 0;
    top->first_i = 0;
    top->rst_ni = 1;
    half(0);
  }
  // One clock cycle with these inputs; then checks every output.
  void cycle(uint64_t a, bool first, uint64_t psum_in, bool load, uint64_t w_in) {
    top->a_i = a;
    top->first_i = first;
    top->psum_i = psum_in;
    top->w_load_i = load;
    top->w_i = w_in;
#ifdef MIXPE_HAS_PORT_table_i
    const int ew = cfg.table_entry_width();
    for (size_t i = 0; i < table.size(); ++i) tb::set_bits(top->table_i, int(ew * i), ew, table[i]);
#endif
    const uint64_t w_use = first ? shadow : active;
    if (first) active = shadow;
    if (load) shadow = w_in;
    flight.push_back({a, w_use, table});
    half(0);
    half(1);
    if (int(flight.size()) > cfg.pipeline) {
      const Flight f = flight.front();
      flight.pop_front();
      const uint64_t want = pe_step(cfg, f.a, f.w, psum_in, f.table) & mask(cfg.psum_width());
      tally.check(uint64_t(top->psum_o), want,
                  [&] { return fmt::format("a=0x{:x} w=0x{:x} psum_i=0x{:x}", f.a, f.w, psum_in); });
    }
    tally.check(uint64_t(top->a_o), a, [&] { return fmt::format("a_o for a_i=0x{:x}", a); });
    tally.check(uint64_t(top->first_o), first, [&] { return "first_o"; });
    tally.check(uint64_t(top->w_load_o), load, [&] { return "w_load_o"; });
  }
};

// A partial sum that makes the addition interesting: for FP32, values near the product's
// magnitude (so that operands overlap), plus zeros, infinities, NaN and random encodings.
uint64_t random_psum(const PeConfig& cfg, std::mt19937_64& rng, uint64_t a, uint64_t w) {
  if (!cfg.psum_is_float()) return rng() & mask(cfg.psum_width());
  const uint32_t prod =
      cfg.kind == PeKind::kFma ? fma_product(uint16_t(a), uint16_t(w)) : uint32_t(pe_step(cfg, a, w, 0));
  const int pexp = int((prod >> 23) & 0xFF);
  switch (rng() % 16) {
    case 0:
      return rng() & 0xFFFFFFFFu;
    case 1:
      return (rng() & 1) ? 0x80000000u : 0u;
    case 2: {
      const uint32_t s[] = {0x7F800000u, 0xFF800000u, 0x7FC00000u, 0x7F800001u, 0x7F7FFFFFu, 0x00000001u, 0x807FFFFFu};
      return s[rng() % 7];
    }
    case 3:
      return prod ^ 0x80000000u;  // exact cancellation
    default: {
      const int e = std::clamp(pexp + int(rng() % 61) - 30, 0, 254);
      return (uint32_t(rng() & 1) << 31) | (uint32_t(e) << 23) | uint32_t(rng() & 0x7FFFFF);
    }
  }
}

std::vector<uint64_t> corner_activations(const PeConfig& cfg) {
  if ((cfg.kind == PeKind::kMixpe || cfg.kind == PeKind::kLut) && cfg.accum.mode == AccumMode::kPrealign) {
    const int A = cfg.act_width();
    const uint64_t mx = (uint64_t(1) << (A - 1)) - 1;
    return {0, 1, mx, mx + 1 /* most negative */, mask(A) /* -1 */};
  }
  if (!is_float(cfg.act)) return {0, 1, 0x7F, 0x80, 0xFF, 0x81};
  if (cfg.act == ActFormat::kBf16)
    return {0x0000, 0x8000, 0x0001, 0x8001, 0x007F, 0x0080, 0x7F7F, 0xFF7F, 0x7F80, 0xFF80, 0x7FC0, 0x3F80};
  return {0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00, 0x7E00, 0x7C01, 0x3C00};
}

std::vector<uint64_t> corner_weights(const PeConfig& cfg) {
  const int ww = cfg.pe_weight_width();
  if (cfg.kind == PeKind::kFma) return {0x0000, 0x8000, 0x0001, 0x3C00, 0x7BFF, 0xFBFF, 0x7C00, 0x7E00, 0x0400};
  if (cfg.lut_decode_column && ww > 8) {  // decoded entries: the table's, the extremes (random ones come later)
    const LutFormat t = cfg.lut_table();
    std::vector<uint64_t> codes = {0, mask(ww)};
    for (int i = 0; i < cfg.table_entries(); ++i) codes.push_back(cfg.table_code(t, i));
    return codes;
  }
  std::vector<uint64_t> all;
  for (uint64_t w = 0; w <= mask(ww); ++w) all.push_back(w);  // every code: at most 256
  return all;
}

// Streams activations against one weight: the weight goes into the shadow register in the last
// cycle of the previous stream, while the previous weight is still in use (the active weight
// must not change), and the first activation commits it.
void stream(Bench& b, std::mt19937_64& rng, uint64_t w, const std::vector<uint64_t>& acts) {
  b.cycle(0, false, 0, true, w);
  for (size_t i = 0; i < acts.size(); ++i) b.cycle(acts[i], i == 0, random_psum(b.cfg, rng, acts[i], w), false, 0);
}

// Every (activation, weight) pair where act_width + weight_width <= 24; else corner cases and
// --random seeded cases.
void operand_sweep(Bench& b, const PeConfig& cfg, const tb::Options& opt, std::mt19937_64& rng) {
  const int aw = cfg.act_width(), ww = cfg.pe_weight_width();
  long cases = 0;
  if (cfg.lut_decode_column && aw <= 20) {  // every activation x every entry of the table, as decoded
    std::vector<uint64_t> acts(size_t(1) << aw);
    for (uint64_t a = 0; a < acts.size(); ++a) acts[a] = a;
    const LutFormat t = cfg.lut_table();
    for (int i = 0; i < cfg.table_entries(); ++i)
      stream(b, rng, cfg.table_code(t, i), acts), cases += long(acts.size());
    fmt::print("exhaustive: {} activations x {} table entries = {} cases\n", acts.size(), cfg.table_entries(), cases);
    return;
  }
  if (aw + ww <= 24) {
    std::vector<uint64_t> acts(size_t(1) << aw);
    for (uint64_t a = 0; a < acts.size(); ++a) acts[a] = a;
    for (uint64_t w = 0; w <= mask(ww); ++w) stream(b, rng, w, acts), cases += long(acts.size());
    fmt::print("exhaustive: {} activations x {} weights = {} cases\n", acts.size(), mask(ww) + 1, cases);
    return;
  }
  const std::vector<uint64_t> ca = corner_activations(cfg), cw = corner_weights(cfg);
  for (uint64_t w : cw) stream(b, rng, w, ca), cases += long(ca.size());
  std::vector<uint64_t> acts(1000);
  for (long done = 0; done < opt.random_cases; done += long(acts.size())) {
    const uint64_t w = rng() & mask(ww);
    for (auto& a : acts) a = rng() & mask(aw);
    stream(b, rng, w, acts);
    cases += long(acts.size());
  }
  fmt::print("corners and random: {} cases\n", cases);
}

// Accumulation: psum_o fed back into psum_i for long runs, a new weight every 64 cycles loaded
// into the shadow register while the current one computes, the weight bus driven with random
// values whenever no load token passes, and (lut) a random table per run.
void accumulation_runs(Bench& b, const PeConfig& cfg, std::mt19937_64& rng) {
  const int aw = cfg.act_width(), ww = cfg.pe_weight_width();
  long acc_cycles = 0;
  for (int run = 0; run < 64; ++run) {
    for (uint32_t& e : b.table) e = uint32_t(rng()) & uint32_t(mask(cfg.table_entry_width()));
    b.cycle(0, false, 0, true, rng() & mask(ww));
    uint64_t psum = 0;
    for (int i = 0; i < 2048; ++i) {
      const bool first = i % 64 == 0, load = i % 64 == 40;
      const uint64_t a = rng() & mask(aw);
      b.cycle(a, first, psum, load, rng() & mask(ww));
      psum = uint64_t(b.top->psum_o);
      ++acc_cycles;
    }
  }
  fmt::print("accumulation runs: {} cycles\n", acc_cycles);
}

}  // namespace

int main(int argc, char** argv) {
  tb::Options opt;
  opt.parse(argc, argv, "PE testbench: the generated PE against the golden PE model");
  Verilated::randReset(2);  // random initial state: reset bugs show up
  const PeConfig cfg = tb::design_config(P::kOptions, P::kBlock, P::kTop).pe;
  // the generator and this model must agree on every derived width
  if (cfg.psum_width() != P::kPsumWidth || cfg.act_width() != P::kActWidth || cfg.weight_width() != P::kWeightWidth ||
      cfg.latency() != P::kLatency_a_to_psum)
    fail("the params header's widths differ from the C++ configuration's: regenerate");
  fmt::print("{}: seed {}\n", P::kTop, opt.seed);
  std::mt19937_64 rng(opt.seed);
  tb::Tally tally(opt);
  Bench b{cfg, tally};
  if (!opt.fst.empty()) {
#if VM_TRACE
    Verilated::traceEverOn(true);
    b.trace = new VerilatedFstC;
    b.top->trace(b.trace, 99);
    b.trace->open(opt.fst.c_str());
#else
    fail("this testbench was built without tracing: rebuild it with FST=1 for --fst");
#endif
  }
  b.reset();
  if (cfg.kind == PeKind::kLut) {  // the NormalFloat table of this width (restricted to its terms); random later
    const LutFormat nf = cfg.lut_table();
    for (int i = 0; i < cfg.table_entries(); ++i) b.table.push_back(cfg.table_code(nf, i));
  }

  operand_sweep(b, cfg, opt, rng);
  accumulation_runs(b, cfg, rng);
#if VM_TRACE
  if (b.trace) b.trace->close();
#endif
  b.top->final();
  return tally.finish();
}
