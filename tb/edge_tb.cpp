// Verilator testbench of the activation edge (the west edge of the array), every kind of edge:
// FP16/BF16 rows aligned to their block exponent (prealign) or summed exactly, INT8 rows, and the
// pass-through edges of FP32-accumulating PEs. One lane takes every encoding of the activation
// format while (for floats) the next sets the block's largest exponent to each value in turn, the
// other lanes random below it and now and then NaN or Inf; the lane under test moves, so every
// lane is swept. Every lane's value, the activation sum S, the block exponent and the NaN/Inf flag
// are compared with the golden datapath (align_activation, exact_activation, block_max_exp).
// Before one row in eight comes a bubble (valid_i low), which must leave as zeros. Outputs are
// compared kLatency_a_to_out cycles after their row entered (the edge's pipeline).
#include <deque>
#include <memory>
#include <random>
#include <vector>

#include <verilated.h>

#include "Vdut.h"
#include MIXPE_PARAMS
#include "golden/datapath.h"
#include "golden/pe_model.h"
#include "numerics/error.h"
#include "tb_common.h"
#include "wide_bits.h"

namespace P = MIXPE_PARAMS_NS;
using namespace mixpe;
using tb::get_bits;
using tb::set_bits;

namespace {

// What the edge must output for one accepted row.
struct RowWant {
  std::vector<uint64_t> a;  // per lane, what the PEs take
  int64_t sum = 0;          // S (edges with a sum port)
  int e_max = 0;            // block exponent (edges with an exponent port)
  bool poison = false;      // a NaN or Inf lane
};

RowWant golden_row(const EngineConfig& c, const std::vector<uint32_t>& lanes) {
  const int aw = c.pe.act_width();
  RowWant w;
  if (!is_float(c.pe.act)) {  // INT8: the code itself; S sums the signed values
    for (uint32_t code : lanes) {
      w.a.push_back(code);
      w.sum += int8_t(code);
    }
    return w;
  }
  const FloatFormat f = float_format(c.pe.act);
  for (uint32_t v : lanes) w.poison |= !decode(f, v).finite();
  if (c.float_accum()) {  // FP32-accumulating PEs take the encodings as they are
    w.a.assign(lanes.begin(), lanes.end());
    return w;
  }
  const std::vector<int32_t> row(lanes.begin(), lanes.end());
  w.e_max = block_max_exp(f, row.data(), int(row.size()));
  for (uint32_t code : lanes) {
    int64_t v;
    if (c.pe.accum.mode == AccumMode::kPrealign) {
      v = decode(f, code).finite() ? align_activation(f, code, w.e_max, aw) : 0;
      w.a.push_back(wrap(v, aw));
    } else {
      v = exact_activation(c.pe.act, int32_t(code));
      w.a.push_back(code);  // the exact PEs take the encoding itself
    }
    w.sum += v;
  }
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  tb::Options opt;
  opt.parse(argc, argv, "activation edge testbench: every encoding in every lane against the golden datapath");
  const EngineConfig c = tb::design_config(P::kOptions, P::kBlock, P::kTop);
  const int R = c.rows, rw = c.raw_act_width(), aw = c.pe.act_width();
  const bool fp = is_float(c.pe.act);
  const FloatFormat f = fp ? float_format(c.pe.act) : FloatFormat{};
  // the block exponents swept (floats: every finite one; INT8 has none: 16 rounds of random lanes)
  const int e_first = 1, e_last = fp ? f.max_biased_exp() - 1 : 16;
  const uint32_t codes = 1u << rw;
  fmt::print("{}: seed {}\n", P::kTop, opt.seed);
  std::mt19937_64 rng(opt.seed);
  tb::Tally tally(opt);
  auto top = std::make_unique<Vdut>();
  auto clock = [&] {
    top->eval();
    top->clk_i = 1;
    top->eval();
    top->clk_i = 0;
    top->eval();
  };
  top->clk_i = 0;
#ifdef MIXPE_HAS_PORT_rst_ni
  top->rst_ni = 0;
  top->eval();
  top->rst_ni = 1;
#endif
  top->eval();
  // the rows in the edge's pipeline, oldest first: compared once the latency has passed
  struct InFlight {
    RowWant want;
    bool valid;
    std::vector<uint32_t> lanes;
  };
  std::deque<InFlight> flight;
  auto check_oldest = [&] {
    const InFlight& row = flight.front();
    const RowWant& want = row.want;
    const bool valid = row.valid;
    for (int r = 0; r < R; ++r)
      tally.check(get_bits(top->a_o, aw * r, aw), valid ? want.a[size_t(r)] : 0, [&] {
        return fmt::format("lane {} code 0x{:04x} e_max {} valid {}", r, row.lanes[size_t(r)], want.e_max, valid);
      });
#ifdef MIXPE_HAS_PORT_sum_o
    tally.check(get_bits(top->sum_o, 0, c.sum_width()), valid ? wrap(want.sum, c.sum_width()) : 0,
                [&] { return fmt::format("S, e_max {} valid {}", want.e_max, valid); });
#endif
#ifdef MIXPE_HAS_PORT_exp_o
    tally.check(top->exp_o, uint64_t(want.e_max), [&] { return fmt::format("block exponent {}", want.e_max); });
#endif
    tally.check(top->poison_o, valid && want.poison, [&] { return fmt::format("poison, e_max {}", want.e_max); });
    flight.pop_front();
  };
  long cases = 0, bubbles = 0;
  std::vector<uint32_t> lanes(static_cast<size_t>(R));
  for (int e = e_first; e <= e_last; ++e) {
    const int test = e % R, setter = (test + 1) % R;  // the lane under test, the lane setting exponent e
    for (uint32_t code = 0; code < codes;) {
      const bool valid = rng() % 8 != 0;  // a bubble: the same code comes again in the next row
      for (int r = 0; r < R; ++r) {
        if (!fp) {
          lanes[size_t(r)] = uint32_t(rng() % codes);
          continue;
        }
        // now and then a NaN or Inf in another lane: it must not count towards the block exponent
        const bool special = r != setter && rng() % 64 == 0;
        const uint32_t er = r == setter ? uint32_t(e)
                            : special   ? uint32_t(f.max_biased_exp())
                                        : uint32_t(rng() % uint64_t(e + 1));
        lanes[size_t(r)] =
            (er << (f.sig_bits - 1)) | (uint32_t(rng()) & f.frac_mask()) | (rng() & 1 ? f.sign_bit() : 0);
      }
      lanes[size_t(test)] = code;
      for (int r = 0; r < R; ++r) set_bits(top->a_i, rw * r, rw, lanes[size_t(r)]);
      top->valid_i = valid;
      clock();
      flight.push_back({golden_row(c, lanes), valid, lanes});
      if (int(flight.size()) == P::kLatency_a_to_out) check_oldest();
      if (valid)
        ++code, ++cases;
      else
        ++bubbles;
    }
  }
  top->valid_i = 0;  // drain the pipeline with bubbles
  for (int i = 1; i < P::kLatency_a_to_out; ++i) {
    clock();
    flight.push_back({golden_row(c, lanes), false, lanes});
    check_oldest();
  }
  fmt::print("exhaustive: {} encodings x {} rounds = {} rows ({} bubbles), the lane under test moving\n", codes,
             e_last - e_first + 1, cases, bubbles);
  top->final();
  return tally.finish();
}
