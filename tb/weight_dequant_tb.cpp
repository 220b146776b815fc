// Verilator testbench of the weight dequantizer (the dequant-first design's weight path): every code
// x zero point x FP16 scale encoding (NaN, infinities, zeros and subnormals included) where that is
// at most 2^24 cases; above it (8-bit asymmetric codes), every code x zero point with random
// scales. Each output is compared, the cycle after its inputs, with dequant_to_fp16.
#include <memory>
#include <random>

#include <verilated.h>

#include "Vdut.h"
#include MIXPE_PARAMS
#include "quant/weight_quant.h"
#include "tb_common.h"

namespace P = MIXPE_PARAMS_NS;
using namespace mixpe;

int main(int argc, char** argv) {
  tb::Options opt;
  opt.parse(argc, argv, "weight dequantizer testbench: code, zero point and FP16 scale against dequant_to_fp16");
  const EngineConfig c = tb::design_config(P::kOptions, P::kBlock, P::kTop);
  const WeightQuantConfig q = c.weight_quant();
  const bool asym = q.scheme == WeightScheme::kAsym;
  const uint32_t codes = 1u << q.bits, zeros = asym ? codes : 1;
  const uint64_t pairs = uint64_t(codes) * zeros;
  const bool exhaustive = pairs * 65536 <= (uint64_t(1) << 24);
  // random: at least one scale per pair, about max(random_cases, pairs) in all
  const uint64_t per_pair = exhaustive ? 65536 : std::max<uint64_t>(1, uint64_t(opt.random_cases) / pairs);
  fmt::print("{}: seed {}\n", P::kTop, opt.seed);
  std::mt19937_64 rng(opt.seed);
  tb::Tally tally(opt);
  auto top = std::make_unique<Vdut>();
  top->clk_i = 0;
  top->eval();
  for (uint32_t code = 0; code < codes; ++code) {
    for (uint32_t zero = 0; zero < zeros; ++zero) {
      // the integer the datapath scales: q - z, or the signed code
      const int32_t v = asym ? int32_t(code) - int32_t(zero) : int32_t(code << (32 - q.bits)) >> (32 - q.bits);
      for (uint64_t i = 0; i < per_pair; ++i) {
        const uint16_t scale = uint16_t(exhaustive ? i : rng());
        top->code_i = code;
#ifdef MIXPE_HAS_PORT_zero_i
        top->zero_i = zero;
#endif
        top->scale_i = scale;
        top->eval();
        top->clk_i = 1;
        top->eval();
        top->clk_i = 0;
        tally.check(top->w_o, dequant_to_fp16(v, scale),
                    [&] { return fmt::format("code {} zero {} scale 0x{:04x}", code, zero, scale); });
      }
    }
  }
  fmt::print("{}: {} codes x {} zero points x {} scales{}\n", P::kTop, codes, zeros, per_pair,
             exhaustive ? " (every encoding)" : " (random)");
  top->final();
  return tally.finish();
}
