// Verilator testbench of the group-dequant unit alone (the fixed-point variant: prealigned,
// exact or INT8 column sums), against the golden datapath's stage functions (GroupAccumulator,
// dequant_accumulate): N tiles of M rows streamed as the engine would (tiles of a group, groups
// of an N tile, idle cycles between rows), then every row's Y read back and compared. Random
// column sums P and activation sums S over their whole ranges, and directed cases: the extreme
// same-sign sums, tiles that cancel below one unit, subnormal, tiny and huge scales, every zero
// point, block exponents far apart, tiles cancelling across exponents, a dequant product that
// rounds up to the next power of two, infinite scales, poisoned rows, the two rounding carries into
// an FP32 exponent (a group accumulator of all ones rounded to FP32; Y one ulp below a power of
// two plus three quarters of an ulp), Y sums of infinities of either sign; the first row on the first
// edge after reset.
#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <random>
#include <vector>

#include <verilated.h>

#include "Vdut.h"
#include MIXPE_PARAMS
#include "golden/datapath.h"
#include "golden/mpgemm.h"
#include "golden/pe_model.h"
#include "numerics/error.h"
#include "numerics/lut_format.h"
#include "tb_common.h"
#include "wide_bits.h"

namespace P = MIXPE_PARAMS_NS;
using namespace mixpe;

namespace {

// One row of a tile as the unit receives it.
struct Beat {
  int m;
  bool first_tile, last_tile, first_group, last_group, poison;
  int64_t p, s;  // P and S as signed integers (S unused without a zero point)
  int exp;       // the block exponent (prealign)
  uint16_t scale;
  uint32_t zero, row_scale;
};

// How the values of a case are drawn.
enum class Kind { kRandom, kExtreme, kCancel, kTinyScale, kHugeScale, kExpSpread, kCarry, kAccCarry, kYCarry, kInfY };

// A group sum d (the significand of its FP32 rounding) and an FP16 scale whose product rounds
// up to the next power of two: the rounding carry of the dequant multiply.
std::pair<int64_t, uint16_t> carry_case(std::mt19937_64& rng) {
  for (;;) {
    const int64_t s = 1024 + int64_t(rng() % 1024), lo = (int64_t(1) << 34) - 512;
    const int64_t d = (lo + s - 1) / s;
    if (d < (int64_t(1) << 24) && d * s < (int64_t(1) << 34))
      return {d, uint16_t(((10 + rng() % 10) << 10) | uint64_t(s - 1024))};
  }
}

// A group accumulator of n > 24 ones (its FP32 rounding carries into the exponent): 2^j - 1 over
// the group's first tiles at one block exponent and, where F > 0 and the exponents allow, 2^F - 1
// in the last tile F exponents below (n = j + F). j = 0: out of reach for this configuration.
struct AccCarryPlan {
  int j = 0;
  bool tail = false;
};
AccCarryPlan acc_carry_plan(const EngineConfig& c, int64_t pmax, int emax, std::mt19937_64& rng) {
  const int F = c.frac_bits(), tpg = c.tiles_per_group();
  AccCarryPlan p;
  p.tail = F > 0 && tpg > 1 && emax > F;
  const int main_tiles = p.tail ? tpg - 1 : tpg;
  const int j_min = std::max(1, 25 - (p.tail ? F : 0));
  int j_max = 0;
  while (j_max < 62 && (int64_t(1) << (j_max + 1)) - 1 <= pmax * main_tiles) ++j_max;
  if (j_min <= j_max) p.j = j_min + int(rng() % uint64_t(std::min(j_max, j_min + 3) - j_min + 1));
  return p;
}

struct Golden {
  const EngineConfig& c;
  std::vector<GroupAccumulator> acc;
  std::vector<bool> poison;
  std::vector<uint32_t> y;
  explicit Golden(const EngineConfig& cfg)
      : c(cfg), acc(size_t(cfg.depth), GroupAccumulator(0)), poison(size_t(cfg.depth)), y(size_t(cfg.depth)) {}

  // Returns true with the row's final Y in `out` when the beat finishes its N tile.
  bool step(const Beat& b, uint32_t& out) {
    const size_t m = size_t(b.m);
    const int128 d = int128(b.p) - (c.has_zero() ? int128(b.s) * (int64_t(b.zero) - c.pe.zero_offset()) : 0);
    if (b.first_tile) acc[m] = GroupAccumulator(c.frac_bits());
    acc[m].add(d, column_sum_lsb_exp(c, b.exp));
    poison[m] = (b.first_tile && b.first_group ? false : bool(poison[m])) || b.poison;
    if (!b.last_tile) return false;
    // the accumulator's own LSB (F bits below the block's)
    const int lsb = acc[m].lsb_exp();
    y[m] = dequant_accumulate(b.first_group ? 0u : y[m], acc[m].value(), lsb, b.scale);
    if (!b.last_group) return false;
    out = is_float(c.pe.act) ? y[m] : f32_mul(y[m], b.row_scale);
    if (poison[m]) out = kF32QuietNan;
    y[m] = out;
    return true;
  }
};

class Bench {
 public:
  Bench(const EngineConfig& c, tb::Tally& t) : c_(c), tally_(t), golden_(c) {
    top_->clk_i = 0;
    top_->rst_ni = 0;
    top_->valid_i = 0;
    top_->eval();
    top_->clk_i = 1;
    top_->eval();
    top_->clk_i = 0;
    top_->rst_ni = 1;
    top_->eval();
  }
  ~Bench() { top_->final(); }

  // Streams the beats (with the idle cycles marked by m < 0), checks final_o's timing and, once
  // drained, every finished row's Y.
  void run(const std::vector<Beat>& beats, const std::string& what) {
    std::deque<std::pair<uint64_t, int>> finals;  // (cycle final_o is due, m)
    std::vector<std::pair<int, uint32_t>> want;
    for (const Beat& b : beats) {
      drive(b);
      if (b.m >= 0) {
        uint32_t out = 0;
        if (golden_.step(b, out))
          finals.push_back({cycle_ + uint64_t(c_.dequant_stages()) - 1, b.m}), want.push_back({b.m, out});
      }
      clock(finals, what);
    }
    top_->valid_i = 0;
    for (int i = 0; i < c_.dequant_stages() + 2; ++i) clock(finals, what);
    tally_.check(finals.size(), 0, [&] { return fmt::format("{}: final_o pulses missing", what); });
    for (const auto& [m, y] : want) {
      top_->rd_m_i = uint32_t(m);
      top_->eval();
      tally_.check(top_->rd_y_o, y, [&, m = m] { return fmt::format("{}: Y of row {}", what, m); });
    }
  }

 private:
  void drive(const Beat& b) {
    top_->valid_i = b.m >= 0;
    if (b.m < 0) return;
    top_->m_i = uint32_t(b.m);
    top_->first_tile_i = b.first_tile, top_->last_tile_i = b.last_tile;
    top_->first_group_i = b.first_group, top_->last_group_i = b.last_group;
    top_->poison_i = b.poison;
    tb::set_bits(top_->p_i, 0, c_.pe.psum_width(), wrap(b.p, c_.pe.psum_width()));
    tb::set_bits(top_->sum_i, 0, c_.sum_width(), wrap(b.s, c_.sum_width()));
#ifdef MIXPE_HAS_PORT_exp_i
    top_->exp_i = uint32_t(b.exp);
#endif
#ifdef MIXPE_HAS_PORT_zero_i
    top_->zero_i = b.zero;
#endif
    top_->scale_i = b.scale;
#ifdef MIXPE_HAS_PORT_row_scale_i
    top_->row_scale_i = b.row_scale;
#endif
  }
  void clock(std::deque<std::pair<uint64_t, int>>& finals, const std::string& what) {
    top_->eval();
    const bool due = !finals.empty() && finals.front().first == cycle_;
    tally_.check(top_->final_o, due, [&] { return fmt::format("{}: final_o at cycle {}", what, cycle_); });
    if (due) finals.pop_front();
    top_->clk_i = 1;
    top_->eval();
    top_->clk_i = 0;
    ++cycle_;
  }

  const EngineConfig& c_;
  tb::Tally& tally_;
  Golden golden_;
  std::unique_ptr<Vdut> top_ = std::make_unique<Vdut>();
  uint64_t cycle_ = 0;
};

// Draws the beats of one N tile: `groups` groups of `tpg` tiles of M rows, idle cycles between
// rows, each tile padded with idle cycles as the engine spaces tiles (row_gap(): the unit reads a
// row's accumulator and Y a few cycles before writing them back).
std::vector<Beat> n_tile(const EngineConfig& c, Kind kind, int M, int groups, std::mt19937_64& rng) {
  const int pw = c.pe.psum_width(), sw = c.sum_width(), tpg = c.tiles_per_group();
  const int64_t pmax = (int64_t(1) << (pw - 1)) - 1, smax = (int64_t(1) << (sw - 1)) - 1;
  const int emax = is_float(c.pe.act) ? float_format(c.pe.act).max_biased_exp() - 1 : 0;
  const int zmax = (1 << c.pe.weight_bits) - 1;
  auto uniform = [&](int64_t lo, int64_t hi) { return lo + int64_t(rng() % uint64_t(hi - lo + 1)); };
  const Beat idle_beat{-1, false, false, false, false, false, 0, 0, 0, 0, 0, 0};
  std::vector<Beat> out;
  std::vector<int> row_exp(static_cast<size_t>(M));
  std::vector<int64_t> row_p(static_cast<size_t>(M));
  std::vector<int> row_k(static_cast<size_t>(M));
  const int F = c.frac_bits();
  if (kind == Kind::kYCarry || kind == Kind::kInfY) groups = 2;
  const AccCarryPlan acc_plan = acc_carry_plan(c, pmax, emax, rng);
  if (kind == Kind::kAccCarry && !acc_plan.j) kind = Kind::kRandom;  // the accumulator never rounds
  // Y carry: group 0 makes Y = (2^24 - 1) 2^u exactly (12291 x a scale of significand 1365 =
  // 3 * 5 * 7 * 13), group 1 adds 3/4 2^u (3 x a power of two 12 binades lower)
  const int y_exp = 13 + int(rng() % 18);
  std::vector<int> row_sign(static_cast<size_t>(M));
  for (int& sgn : row_sign) sgn = rng() % 2 ? 1 : -1;
  for (int g = 0; g < groups; ++g) {
    uint16_t scale = uint16_t(0x1000 + rng() % 0x3000);                 // moderate FP16 scales
    if (kind == Kind::kTinyScale) scale = uint16_t(1 + rng() % 0x3FF);  // subnormal FP16
    if (kind == Kind::kHugeScale) scale = uint16_t(0x7800 + rng() % 0x3FF);
    if (kind == Kind::kHugeScale && rng() % 4 == 0) scale = rng() % 2 ? 0x7C00 : 0xFC00;  // +-Inf: Inf x 0 is NaN
    const auto [carry_d, carry_scale] = carry_case(rng);
    if (kind == Kind::kCarry) scale = carry_scale;
    if (kind == Kind::kYCarry) scale = uint16_t(g == 0 ? (y_exp << 10) | 341 : (y_exp - 12) << 10);
    // Y + t with infinities: +-Inf scales on both groups (the same sign or opposite: Inf or NaN)
    if (kind == Kind::kInfY) scale = rng() % 2 ? 0x7C00 : 0xFC00;
    int64_t group_sum = carry_d;
    if (kind == Kind::kAccCarry) group_sum = (int64_t(1) << acc_plan.j) - 1;
    if (kind == Kind::kYCarry) group_sum = g == 0 ? 12291 : 3;
    std::vector<int64_t> carry_left(static_cast<size_t>(M), group_sum);  // of each row's group sum
    const uint32_t zero = uint32_t(rng() % uint64_t(zmax + 1));
    for (int t = 0; t < tpg; ++t) {
      for (int m = 0; m < M; ++m) {
        Beat b{m, t == 0, t == tpg - 1, g == 0, g == groups - 1, rng() % 64 == 0, 0, 0, 1, scale, zero, 0};
        b.exp = emax ? int(uniform(1, emax)) : 0;
        b.row_scale = f32_bits(float(std::ldexp(1.0 + double(rng() % 1000) / 1000, int(rng() % 20) - 10)));
        if (kind == Kind::kTinyScale) {  // FP32 subnormal, its leading one anywhere
          const int k = int(rng() % 23);
          b.row_scale = (1u << k) | (uint32_t(rng()) & ((1u << k) - 1));
        }
        switch (kind) {
          case Kind::kExtreme:  // the same sign at the range's ends: the top accumulator bits
            b.p = rng() % 2 ? pmax : -pmax - 1;
            b.s = b.p > 0 ? -smax - 1 : smax;
            if (t > 0) b.exp = row_exp[size_t(m)];
            break;
          case Kind::kCancel:  // pairs of tiles k exponents apart cancel to a few units of the lower one
            b.s = 0;
            if (t % 2 == 0) {
              const int k = emax ? int(uniform(0, std::min({F, emax - 1, pw - 2}))) : 0;
              row_k[size_t(m)] = k;
              b.p = uniform(-(pmax >> k), pmax >> k);
              b.exp = emax ? int(uniform(1 + k, emax)) : 0;
            } else {
              const int k = row_k[size_t(m)];
              b.p = std::clamp(-row_p[size_t(m)] * (int64_t(1) << k) + uniform(-2, 2), -pmax, pmax);
              b.exp = row_exp[size_t(m)] - k;
            }
            break;
          case Kind::kCarry:  // the group sum splits over the tiles; its product with the scale carries
            b.s = 0;
            b.p = std::min<int64_t>(pmax, carry_left[size_t(m)]);
            carry_left[size_t(m)] -= b.p;
            if (t > 0) b.exp = row_exp[size_t(m)];
            break;
          case Kind::kAccCarry:  // all ones above 24 bits: the FP32 rounding carries into the exponent
            b.s = 0;
            if (acc_plan.tail && t == tpg - 1) {
              b.p = row_sign[size_t(m)] * ((int64_t(1) << F) - 1);
              b.exp = row_exp[size_t(m)] - F;
            } else {
              b.p = row_sign[size_t(m)] * std::min<int64_t>(pmax, carry_left[size_t(m)]);
              carry_left[size_t(m)] -= std::abs(b.p);
              b.exp = t > 0 ? row_exp[size_t(m)] : acc_plan.tail ? int(uniform(F + 1, emax)) : b.exp;
            }
            break;
          case Kind::kYCarry:  // Y + t rounds up across a power of two
            b.s = 0;
            b.p = row_sign[size_t(m)] * std::min<int64_t>(pmax, carry_left[size_t(m)]);
            carry_left[size_t(m)] -= std::abs(b.p);
            if (t > 0 || g > 0) b.exp = row_exp[size_t(m)];
            b.poison = false;
            break;
          case Kind::kInfY:  // a nonzero group sum, so that its product with an infinite scale is infinite
            b.s = 0;
            b.p = (rng() % 2 ? 1 : -1) * uniform(1, pmax);
            b.poison = false;
            break;
          case Kind::kExpSpread:  // block exponents as far apart as the accumulator allows
            b.p = uniform(-pmax, pmax), b.s = uniform(-smax, smax);
            b.exp = emax ? (t % 2 ? 1 : emax) : 0;
            break;
          default:
            b.p = uniform(-pmax - 1, pmax), b.s = uniform(-smax - 1, smax);
            if ((scale & 0x7FFF) == 0x7C00 && m % 2 == 0) b.p = b.s = 0;  // Inf x a zero group sum: NaN
            break;
        }
        row_exp[size_t(m)] = b.exp;
        row_p[size_t(m)] = b.p;
        out.push_back(b);
        const int idle = int(rng() % 4 == 0);
        for (int i = 0; i < idle; ++i) out.push_back(idle_beat);
      }
      // the engine's tiles start row_gap() - M + 1 cycles after the previous tile's last row at
      // least (a row returns row_gap() cycles later); with L = R a tile may take one cycle
      size_t last_row = out.size() - 1;
      while (out[last_row].m < 0) --last_row;
      while (int(out.size() - last_row) < c.row_gap() - M + 1) out.push_back(idle_beat);
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  tb::Options opt;
  opt.random_cases = 400;
  opt.parse(argc, argv, "group-dequant unit testbench: the unit alone against the golden datapath");
  Verilated::randReset(2);
  const EngineConfig c = tb::design_config(P::kOptions, P::kBlock, P::kTop);
  if (c.float_accum()) fail("the group-unit testbench covers the fixed-point unit (not fp32 or fma accumulation)");
  fmt::print("{}: seed {}\n", P::kTop, opt.seed);
  std::mt19937_64 rng(opt.seed);
  tb::Tally tally(opt);
  Bench bench(c, tally);
  long tiles = 0;
  const Kind kinds[] = {Kind::kRandom,    Kind::kExtreme, Kind::kCancel,   Kind::kTinyScale, Kind::kHugeScale,
                        Kind::kExpSpread, Kind::kCarry,   Kind::kAccCarry, Kind::kYCarry,    Kind::kInfY};
  const long n_kinds = long(std::size(kinds));
  for (long i = 0; i < opt.random_cases; ++i) {
    const Kind kind = kinds[i % n_kinds];
    const int M = i % n_kinds == 0 ? 1 : 1 + int(rng() % uint64_t(std::min(c.depth, 6)));
    bench.run(n_tile(c, kind, M, 1 + int(rng() % 3), rng), fmt::format("case {} (kind {})", i, int(kind)));
    ++tiles;
  }
  fmt::print(
      "{} N tiles: random, extreme, cancelling, subnormal and huge scales, spread exponents, rounding carries "
      "(product, accumulator, Y), infinite Y sums\n",
      tiles);
  return tally.finish();
}
