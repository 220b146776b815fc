#include "blocks/registry.h"

#include "blocks/engine/engine_emit.h"
#include "blocks/fp/fp32_add.h"
#include "blocks/pe/pe_emit.h"
#include "config/options.h"
#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

const std::vector<Block>& block_registry() {
  static const std::vector<Block> blocks = {
      {"pe", "a processing element (mixpe shift-add, lut, fma and int8 baselines), weight-stationary", kPeScope,
       [](const EngineConfig& c) { return pe_module(c.pe); },
       "sim_pe (make sim-pe: every PE of `mixpe list pe` against the golden PE, exhaustive where <= 2^24 cases), "
       "pe_planted_bug, lint_pe, unit_tests"},
      {"fp32-add", "the IEEE binary32 adder of the FP32-accumulating PEs and the dequant pipelines", 0,
       [](const EngineConfig&) { return fp32_add_module(); },
       "sim_pe (every FP32-accumulating PE, 10^6 random cases and corners), sim_engine_*"},
      {"skew", "the systolic skew line (parameters WIDTH, LANES, STEP, EXTRA)", 0,
       [](const EngineConfig&) { return skew_module(false); }, "lint_engine (in every engine), sim_engine_*"},
      {"edge", "the activation edge of an engine: alignment, activation sum S, block exponent, flags", kEngineScope,
       act_edge_module, "sim_edge_* (every encoding x every block exponent), sim_engine_*"},
      {"array", "an R x C weight-stationary array of PEs (parameters ROWS, COLS)", kEngineScope, array_module,
       "lint_blocks (at two sizes by parameter override), sim_engine_*, area_smoke"},
      {"group-unit", "one column's group-dequant unit: zero point, group accumulation, dequant, Y", kEngineScope,
       group_unit_module,
       "sim_group_unit_* (its own testbench: random and directed cases, the rounding carries), sim_engine_*"},
      {"weight-dequant",
       "the dequant-first design's weight dequantizer: code, zero point and FP16 scale to the FP16 weight (integer "
       "codes)",
       kEngineScope, weight_dequant_module,
       "sim_weight_dequant_* (every code x zero point x FP16 scale where that is <= 2^24 cases, else random)"},
      {"engine", "the mpGEMM engine: array, edges, group dequant, controller, streams (--axis: behind AXI4-Stream)",
       kEngineScope, [](const EngineConfig& c) { return c.axis ? axis_module(c) : engine_module(c); },
       "sim_engine_* (make sim), llm_checks, lint_engine, rtl_up_to_date"},
  };
  return blocks;
}

const Block& find_block(std::string_view name) {
  std::string names;
  for (const Block& b : block_registry()) {
    if (b.name == name) return b;
    names += (names.empty() ? "" : ", ") + b.name;
  }
  fail("block '{}' does not exist: legal values are {}", shorten(name), names);
}

hdl::Design make_design(const Block& b, const EngineConfig& c) {
  const OptionList opts = b.scope & kEngineScope ? c.to_options() : b.scope ? c.pe.to_options() : OptionList{};
  hdl::Design d{b.top(c), b.name, option_string(opts), ""};
  if (b.name == "engine") d.waves = engine_wave_view(c, *d.top);
  return d;
}

}  // namespace mixpe
