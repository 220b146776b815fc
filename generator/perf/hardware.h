// The hardware of `mixpe perf`: a design (an engine configuration and how its weights reach it),
// its area and clock from this project's synthesis flow, the array sized to an area budget, the
// memory system, and the energy constants (each with its source).
#pragma once
#include <string>
#include <vector>

#include "config/engine_config.h"

namespace mixpe {

// Figures of one synthesized block (docs/measured/area.json: `make area`, timing run).
struct BlockFigures {
  double um2 = 0, fmax_mhz = 0;
};

// The measured blocks a design is built from (names of area.json entries).
struct DesignBlocks {
  std::string pe, edge, unit_logic, unit;  // unit_logic: the group unit with 2 rows (its rows' storage apart)
  std::string dequant = "";                // dequant-first: the weight dequantizer, L x C of them
  std::string pe_p1 = "";                  // the PE with a product register (--pipeline 1): perf takes the faster
};

struct Design {
  std::string name, description;
  std::string options;  // engine options (config/options.h), before sizing
  DesignBlocks blocks;
  bool dequant_first = false;  // 4-bit asymmetric codes in DRAM, dequantized to FP16 on the way in
                               // (by blocks.dequant: L x C weight dequantizers, counted)
};

// What DRAM holds per weight and per group and column: the engine's codes (FP16 for the fma array)
// with a 16-bit scale and its zero point, or the dequant-first array's 4-bit codes and zero points.
struct DramWeights {
  int bits, group_bits;
};
DramWeights dram_weights(const Design& d, const EngineConfig& e);

// FP16 (fma, FP16 weights), W4A16 dequant-first (fma array, 4-bit weights in DRAM), INT8 (W8A8),
// MixPE W4A16 and W4A8, the LUT PE with NF4.
const std::vector<Design>& perf_designs();
const Design& perf_design(const std::string& name);  // fails naming the designs

struct AreaTable {
  std::string source;
  BlockFigures block(const std::string& name) const;  // fails naming the file and `make area`
  std::vector<std::pair<std::string, BlockFigures>> blocks;
  // engines synthesized whole: their own logic's clock (controller, stager, side band; timing run)
  std::vector<std::pair<std::string, double>> own_logic_mhz;
  // the engine's own logic: a per column plus b per bit of weight skew (skew_bits), through the
  // W4A16 16 x 16 engine's tops at L = 1 and 16 (area run)
  double own_logic_a_mm2 = 0, own_logic_b_mm2 = 0;
};
AreaTable load_area_table(const std::string& path);
// The area table when none is given, found at run time: beside an installed binary
// (<prefix>/share/mixpe/area.json), else the repository's docs/measured/area.json seen from a
// binary in a build tree inside it (<repo>/build/mixpe), else from the working directory; "" if none.
std::string default_area_table();

// A design at a size: the engine, its logic area (array, west edge, group units' logic, the
// engine's own logic, a dequant-first design's weight dequantizers; the group units' rows are
// storage, counted as SRAM) and its clock.
struct SizedDesign {
  Design design;
  EngineConfig engine;
  double logic_mm2, array_mm2, edge_mm2, units_mm2, own_mm2, dequant_mm2;
  double clock_mhz;
  std::string clock_limit;  // the block that sets the clock
};
// Flip-flops of the weight skews: bank l delayed l R / L + E - 1 cycles (C columns of codes), and
// column c delayed c cycles (L codes).
double skew_bits(const EngineConfig& e);
// depth 0: the design's default D.
SizedDesign size_design(const Design& d, const AreaTable& t, int rows, int cols, int load, int depth = 0,
                        bool pipelined = false);
// The largest array (R a power of two dividing G, C <= 64, the most PEs, then the squarer) whose
// logic fits budget_mm2, loading L = min(load, R) weight rows per cycle (load 0: L = R), at the
// design's best pipelining: with a product register (blocks.pe_p1) where that gives more MACs per
// second (R C x clock) in the budget; clock_mhz > 0: every design at that clock instead of its
// measured one; fails if not even 2 x 2 fits.
SizedDesign fit_design(const Design& d, const AreaTable& t, double budget_mm2, int load = 0, int depth = 0,
                       double clock_mhz = 0);

// The memory system and the energy constants. Defaults and their sources: docs/perf.md.
struct MemorySystem {
  double dram_gbps = 25.6;  // LPDDR4X-3200 x 64 bits
  double dram_pj_per_bit =
      20.0;  // Horowitz ISSCC 2014 (as tabulated by Han et al., ISCA 2016): 640 pJ per 32-bit DRAM access
  double sram_pj_per_bit = 100.0 / 64;  // the buffers: Horowitz ISSCC 2014, a 1 MB SRAM 64-bit access 100 pJ
  double rows_pj_per_bit =
      10.0 / 64;  // the group units' rows (under 8 KB each): Horowitz, an 8 KB SRAM 64-bit access 10 pJ
  double weight_buffer_kib = 512, act_buffer_kib = 4096;  // activations: two halves of 64 rows x 16384 FP16
  double attn_gmacs = 51.2;          // the FP16 unit for attention's activation products (256 MACs at 200 MHz)
  double attn_pj_per_mac = 2.0;      // Horowitz: FP16 multiply 1.1 pJ + FP32 add 0.9 pJ
  double core_pj_per_um2_cycle = 0;  // set from the FP16 PE: attn_pj_per_mac / fma PE area
  // make power: OpenSTA's leakage of the 4 x 4 W4A16 engine (0.274 uW in 0.697 mm2; SKY130 tt, 25 C)
  double leak_w_per_mm2 = 2.74e-7 / 0.697;
};

}  // namespace mixpe
