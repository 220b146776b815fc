// Verilator testbench of the activation edge (the west edge of the array): one lane takes every
// encoding of the activation format while the next sets the block's largest exponent to each
// value in turn (the other lanes random below it, now and then NaN or Inf); the lane under test
// moves with the exponent, so every lane is swept. Every lane's aligned value, the activation
// sum S, the block exponent and the NaN/Inf flag are compared with the golden datapath
// (align_activation, exact_activation, block_max_exp): every encoding x every block exponent.
// Before one row in eight comes a bubble (valid_i low), which must enter as zeros.
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

int main(int argc, char** argv) {
  tb::Options opt;
  opt.parse(argc, argv, "activation edge testbench: every encoding x every block exponent against the golden datapath");
  const EngineConfig c = tb::design_config(P::kOptions, P::kBlock, P::kTop);
  if (!is_float(c.pe.act) || c.float_accum()) fail("the edge testbench covers fp16/bf16 with prealign or exact");
  const FloatFormat f = float_format(c.pe.act);
  const int R = c.rows, aw = c.pe.act_width(), sw = c.sum_width();
  fmt::print("{}: seed {}\n", P::kTop, opt.seed);
  std::mt19937_64 rng(opt.seed);
  tb::Tally tally(opt);
  auto top = std::make_unique<Vdut>();
  top->clk_i = 0;
  top->eval();
  long cases = 0;
  std::vector<uint32_t> lanes(static_cast<size_t>(R));
  long bubbles = 0;
  for (int e = 1; e < f.max_biased_exp(); ++e) {
    const int test = e % R, setter = (test + 1) % R;  // the lane under test, the lane setting exponent e
    for (uint32_t code = 0; code < 65536;) {
      const bool valid = rng() % 8 != 0;  // a bubble: the same code comes again in the next row
      for (int r = 0; r < R; ++r) {
        // now and then a NaN or Inf in another lane: it must not count towards the block exponent
        const bool special = r != setter && rng() % 64 == 0;
        const uint32_t er = r == setter ? uint32_t(e) : special ? uint32_t(f.max_biased_exp()) : uint32_t(rng() % uint64_t(e + 1));
        lanes[size_t(r)] = (er << (f.sig_bits - 1)) | (uint32_t(rng()) & f.frac_mask()) | (rng() & 1 ? f.sign_bit() : 0);
      }
      lanes[size_t(test)] = code;
      for (int r = 0; r < R; ++r) set_bits(top->a_i, 16 * r, 16, lanes[size_t(r)]);
      top->valid_i = valid;
      top->eval();
      top->clk_i = 1;
      top->eval();
      top->clk_i = 0;
      top->eval();
      // the golden datapath on the same row
      std::vector<int32_t> row(lanes.begin(), lanes.end());
      bool poison = false;
      for (uint32_t v : lanes) poison |= !decode(f, v).finite();
      const int e_max = block_max_exp(f, row.data(), R);
      int64_t sum = 0;
      for (int r = 0; r < R; ++r) {
        const bool finite = decode(f, lanes[size_t(r)]).finite();
        int64_t v;
        uint64_t want_a;
        if (c.pe.accum.mode == AccumMode::kPrealign) {
          v = finite ? align_activation(f, lanes[size_t(r)], e_max, aw) : 0;
          want_a = wrap(v, aw);
        } else {
          v = exact_activation(c.pe.act, int32_t(lanes[size_t(r)]));
          want_a = lanes[size_t(r)];  // the exact PEs take the encoding itself
        }
        sum += v;
        const uint32_t lane_code = lanes[size_t(r)];
        tally.check(get_bits(top->a_o, aw * r, aw), valid ? want_a : 0,
                    [&] { return fmt::format("lane {} code 0x{:04x} e_max {} valid {}", r, lane_code, e_max, valid); });
      }
      tally.check(get_bits(top->sum_o, 0, sw), valid ? wrap(sum, sw) : 0,
                  [&] { return fmt::format("S for code 0x{:04x} e {} valid {}", code, e, valid); });
#ifdef MIXPE_HAS_PORT_exp_o
      tally.check(top->exp_o, uint64_t(e_max), [&] { return fmt::format("block exponent, code 0x{:04x}", code); });
#endif
      tally.check(top->poison_o, valid && poison, [&] { return fmt::format("poison, code 0x{:04x}", code); });
      if (valid) ++code, ++cases;
      else ++bubbles;
    }
  }
  fmt::print("exhaustive: 65536 encodings x {} block exponents = {} rows ({} bubbles), the lane under test moving\n",
             f.max_biased_exp() - 1, cases, bubbles);
  top->final();
  return tally.finish();
}
