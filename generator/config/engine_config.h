// One validated configuration of the mpGEMM engine: an R x C weight-stationary array of PEs,
// the activation edge (alignment and the activation sum S, once per row), one group-dequant
// unit per column, and the controller. Every width is derived here. The same configuration
// says how the model quantizes for it (weight_quant): one design point, from options to numerics.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "config/pe_config.h"
#include "quant/weight_quant.h"

namespace mixpe {

struct EngineConfig {
  PeConfig pe;           // its accum.block is `rows`
  int rows = 16;         // R: K elements per tile (the array's rows), a power of two dividing G
  int cols = 16;         // C: N columns per tile
  int group_size = 128;  // G
  int depth = 16;        // D: the largest M (rows in flight); a power of two (options: default_depth())
  int load = 1;          // L: weight rows loaded per cycle, a power of two dividing R
  bool axis = false;     // the engine behind AXI4-Stream interfaces (blocks/engine/axis_wrapper.cpp)

  void validate() const;  // throws Error naming the bad parameter
  bool operator==(const EngineConfig&) const = default;

  int tiles_per_group() const { return group_size / rows; }
  // A tile's weights arrive in R / L beats of L rows; row l * (R / L) + j is in beat j, so each
  // of the L banks of R / L rows takes one row per cycle as the load token passes it.
  int beats_per_tile() const { return rows / load; }
  int m_width() const;                                     // bits of a row index (log2 D)
  int raw_act_width() const;                               // activation as it arrives: 16 (FP16/BF16) or 8 (INT8)
  int sum_width() const;                                   // the activation sum S of one tile row
  int exp_width() const;                                   // the block exponent carried to the edge (prealign), else 0
  int frac_bits() const;                                   // F of the group accumulator
  int diff_width() const;                                  // D = P - z * S
  int acc_width() const;                                   // the group accumulator
  bool fma() const { return pe.kind == PeKind::kFma; }     // dequantize first: FP16 weights arrive
  bool float_accum() const { return pe.psum_is_float(); }  // FP32 column sums
  // S comes from an extra array column (position 0) of weight 1: its FP32 sum in k order is
  // exactly the golden model's S (mixpe with FP32 accumulation).
  bool sum_column() const { return float_accum() && !fma(); }
  int array_cols() const { return cols + (sum_column() ? 1 : 0); }
  bool has_scales() const { return !fma(); }  // the fma engine's weights arrive dequantized
  // asymmetric integer weights carry a zero point (LUT and symmetric weights do not)
  bool has_zero() const { return has_scales() && pe.kind != PeKind::kLut && !pe.weight_signed; }
  // The group unit's stages, p_i to final_o (the fixed-point unit: D, read, align, add (2);
  // negate (2), round (3), times the scale (5), read Y, Y + t (5), write; INT8 activations: 4 more
  // for the row scale's multiply).
  int dequant_stages() const { return fma() ? 2 : float_accum() ? 6 : is_float(pe.act) ? 22 : 26; }
  // Cycles from reading a row's accumulator in the group unit to writing it back (every tile; the
  // fma unit's is Y itself), and the same for Y (once per group: the pipelined adder, INT8's
  // row-scale multiply): the row must not return sooner.
  int acc_update_span() const { return fma() ? 2 : float_accum() ? 1 : 4; }
  int y_update_span() const { return fma() ? 1 : float_accum() ? 2 : is_float(pe.act) ? 7 : 11; }
  // A tile's weights leave the stager as its first activation row is accepted (the tile starts
  // with its weights staged) and reach array row r one cycle before that activation row does:
  // they wait edge_stages() - 1 cycles, bank l another l * R / L. Tiles start max(M, R / L) apart.
  int weight_delay() const { return edge_stages() - 1; }
  // N tiles interleaved at M rows: when a row would return to the group unit sooner than
  // row_gap() (one-row tiles at a wide load), B consecutive N tiles take turns tile by tile, each
  // in its own rows of the group units (B * M rows per block of N tiles, two blocks in flight):
  // B = ceil(row_gap() / max(M, R / L)) where 2 B M <= depth, else 1. Streams follow the turns.
  int interleave(int M) const;
  // Scale slots (a power of two, at least 2): group g's scales sit in slot g % slots from their
  // beat until the last column has taken the group's last row; enough that the scale stream never
  // holds back a GEMM of one-row tiles (M = 1) at this load width.
  int scale_slots() const;
  int slot_width() const;  // log2(scale_slots())
  // The least number of cycles between two rows of the same index m at the group unit: it reads
  // a row's accumulator acc_update_span() cycles before writing it back, and Y y_update_span()
  // cycles before (once per tiles_per_group() tiles). The controller starts a tile no sooner than
  // row_gap() - M + 1 cycles after the previous tile's last row, so row m returns row_gap() later.
  int row_gap() const;
  // The depth the options give when --depth is not set: the least power of two, at least 16, at
  // which a GEMM of M = D rows keeps the array busy (a tile's R / L load cycles are covered) and
  // one-row tiles can interleave (2 B M <= D, interleave()). Deeper costs row storage and gains
  // only fewer chunks of a tall GEMM (each pays the latency once).
  int default_depth() const;
  // The west edge's pipeline: two for the block exponent, aligned values, sum (prealign); values,
  // sum (exact floats); one registered stage otherwise.
  int edge_stages() const;
  // Cycles from accepting an N tile's last activation row to that output row being valid.
  int latency() const { return edge_stages() + rows + pe.pipeline + (array_cols() - 1) + dequant_stages(); }

  std::string name() const;    // the top module
  std::string suffix() const;  // what every submodule name shares
  std::vector<std::pair<std::string, std::string>> params() const;
  // The canonical options (config/options.h) that rebuild exactly this configuration.
  std::vector<std::pair<std::string, std::string>> to_options() const;

  // How weights are quantized for this design: LUT PEs take NormalFloat tables of their index
  // width (restricted to lut_terms powers of two), signed codes are symmetric, the rest
  // asymmetric (the fma baseline dequantizes those to FP16 before the array).
  WeightQuantConfig weight_quant() const;
};

}  // namespace mixpe
