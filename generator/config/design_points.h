// The design points the project's sweeps run, in one place: the PE configurations that lint
// and simulation cover, and the named points of the area and design-space reports. Scripts
// read them through `mixpe list` (text or --json), never from lists of their own.
#pragma once
#include <string>
#include <vector>

#include "config/pe_config.h"

namespace mixpe {

// Every PE configuration the lint and simulation sweeps cover: each kind, weight width,
// signedness, activation format and accumulation at the default A and rows, plus variations of
// A, rows and the pipeline.
std::vector<PeConfig> pe_sweep();

// A named design point of a report: `mixpe gen BLOCK OPTIONS` builds it, `mixpe fidelity
// OPTIONS` measures its error.
struct DesignPoint {
  std::string name;
  std::string block;    // the registry's block
  std::string options;  // as on the command line
  std::string family;   // how reports group it
  std::string what;
};

// The synthesis report (make area).
const std::vector<DesignPoint>& area_points();
// The gate-level power flow (make power): small engines.
const std::vector<DesignPoint>& power_points();
// The design-space exploration (make dse): fidelity options; its PE is the same options' PE.
const std::vector<DesignPoint>& dse_points();
// The configurations `mixpe eval` scores on the model (family "software": the W4A16 kernel).
const std::vector<DesignPoint>& eval_points();
// The weight dequantizers the lint covers: every integer weight format (options).
const std::vector<std::string>& weight_dequant_points();
// The arrays the lint covers (each also at another size by parameter override): options.
const std::vector<std::string>& array_lint_points();

// `count` random legal engine configurations (make fuzz-configs), drawn from `seed`: every option
// of the schema, the array at most max_rows x max_cols (simulation cost). Deterministic.
std::vector<std::string> random_engine_options(int count, uint64_t seed, int max_rows, int max_cols);

}  // namespace mixpe
