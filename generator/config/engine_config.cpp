#include "config/engine_config.h"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

#include "numerics/error.h"
#include "numerics/lut_format.h"

namespace mixpe {

namespace {
int log2i(int v) { return std::countr_zero(unsigned(v)); }
}  // namespace

void EngineConfig::validate() const {
  check_group_size(group_size);
  if (rows < 2 || rows > group_size || !std::has_single_bit(unsigned(rows)))
    fail("rows {} is not legal: use a power of two from 2 to the group size {}", rows, group_size);
  if (cols < 2 || cols > 64) fail("cols {} is not legal: use 2 to 64", cols);
  if (depth < 2 || depth > 1024 || !std::has_single_bit(unsigned(depth)))
    fail("depth {} is not legal: use a power of two from 2 to 1024", depth);
  if (load < 1 || load > rows || !std::has_single_bit(unsigned(load)))
    fail("load {} is not legal: use a power of two from 1 to rows {}", load, rows);
  if (pe.accum.block != rows) fail("internal: the PE's block {} must equal rows {}", pe.accum.block, rows);
  pe.validate();
}

int EngineConfig::m_width() const { return log2i(depth); }
int EngineConfig::raw_act_width() const { return is_float(pe.act) ? 16 : 8; }

int EngineConfig::sum_width() const {
  if (float_accum()) return 0;  // S is an FP32 column sum (or not needed: fma)
  // one activation as the PEs see it, plus log2(R) bits for the sum of a tile row
  int a = 8;
  if (pe.accum.mode == AccumMode::kPrealign)
    a = pe.accum.align_bits;
  else if (is_float(pe.act))
    a = 1 + 11 + 29;  // exact FP16: sig << (e - 1), signed
  return a + log2i(rows);
}

int EngineConfig::exp_width() const {
  return pe.accum.mode == AccumMode::kPrealign ? float_format(pe.act).exp_bits : 0;
}

int EngineConfig::frac_bits() const { return pe.accum.mode == AccumMode::kPrealign ? pe.accum.frac_bits(pe.act) : 0; }

int EngineConfig::diff_width() const {
  const int zs = has_zero() ? sum_width() + pe.weight_bits + 1 : 0;
  return std::max(pe.psum_width(), zs) + 1;
}

int EngineConfig::edge_stages() const {
  if (!is_float(pe.act) || float_accum()) return 1;
  return pe.accum.mode == AccumMode::kPrealign ? 4 : 2;
}
int EngineConfig::interleave(int M) const {
  const int tile = std::max(M, beats_per_tile()), gap = row_gap();
  if (tile >= gap) return 1;
  const int b = (gap + tile - 1) / tile;
  return 2 * b * M <= depth ? b : 1;
}

int EngineConfig::scale_slots() const {
  // a group of one-row tiles lasts this long (per N tile of an interleaved block); its scales
  // are needed from its first tile until its last row reaches the last column's group unit
  const int group_cycles = tiles_per_group() * std::max(beats_per_tile(), row_gap());
  const int to_unit = latency() - dequant_stages();
  return int(std::bit_ceil(unsigned(interleave(1) * (2 + to_unit / group_cycles))));
}
int EngineConfig::slot_width() const { return log2i(scale_slots()); }
int EngineConfig::row_gap() const {
  const int tpg = tiles_per_group();  // a row's Y is updated once per group
  return std::max(acc_update_span(), (y_update_span() + tpg - 1) / tpg);
}
int EngineConfig::default_depth() const {
  return int(std::bit_ceil(unsigned(std::max({16, beats_per_tile(), 2 * row_gap()}))));
}
int EngineConfig::acc_width() const { return diff_width() + frac_bits() + log2i(tiles_per_group()) + 1; }

std::string EngineConfig::suffix() const {
  // the PE module name without its "mixpe_pe_" prefix, then the array and group shape, and the
  // group accumulator's fraction bits where they are not the format's default
  const bool own_f = pe.accum.mode == AccumMode::kPrealign && pe.accum.edge_frac_bits >= 0;
  const std::string f = own_f ? fmt::format("_f{}", pe.accum.edge_frac_bits) : "";
  const std::string l = load > 1 ? fmt::format("_l{}", load) : "";
  return fmt::format("{}_r{}c{}_g{}_d{}{}{}", pe.module_name().substr(9), rows, cols, group_size, depth, l, f);
}

std::string EngineConfig::name() const { return "mixpe_engine_" + suffix(); }

std::vector<std::pair<std::string, std::string>> EngineConfig::params() const {
  auto p = pe.params();
  p.emplace_back("cols", std::to_string(cols));
  p.emplace_back("group_size", std::to_string(group_size));
  p.emplace_back("depth", std::to_string(depth));
  p.emplace_back("edge_frac_bits", std::to_string(frac_bits()));
  p.emplace_back("sum_width", std::to_string(sum_width()));
  p.emplace_back("acc_width", std::to_string(acc_width()));
  return p;
}

WeightQuantConfig EngineConfig::weight_quant() const {
  WeightQuantConfig w;
  w.bits = pe.weight_bits;
  w.group_size = group_size;
  w.scheme = pe.weight_signed ? WeightScheme::kSym : WeightScheme::kAsym;
  if (pe.kind == PeKind::kLut) {
    w.scheme = WeightScheme::kLut;
    w.lut = pe.lut_table();
  }
  w.validate();
  return w;
}

}  // namespace mixpe
