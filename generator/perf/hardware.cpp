#include "perf/hardware.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "config/options.h"
#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

const std::vector<Design>& perf_designs() {
  static const std::vector<Design> designs = {
      {"fp16",
       "FP16 x FP16 PEs, FP32 accumulation, FP16 weights (the unquantized model)",
       "--preset fma",
       {"fma", "fma_edge", "fma_group_unit_d2", "fma_group_unit", "", "fma_p1"}},
      {"w4a16-dqf",
       "dequant-first: 4-bit weights dequantized to FP16 on their way in, then the FP16 array",
       "--preset fma",
       {"fma", "fma_edge", "fma_group_unit_d2", "fma_group_unit", "fma_weight_dequant", "fma_p1"},
       true},
      {"int8",
       "INT8 x INT8 PEs, INT32 column sums, W8A8 (TPU-like)",
       "--preset int8",
       {"int8", "int8_edge", "int8_group_unit_d2", "int8_group_unit", "", "int8_p1"}},
      {"w4a16",
       "MixPE W4A16: shift-add PEs, FP16 activations prealigned, dequant per group",
       "--preset w4a16",
       {"mixpe_w4a16", "w4a16_edge", "w4a16_group_unit_d2", "w4a16_group_unit", "", "mixpe_w4a16_p1"}},
      {"w4a8",
       "MixPE W4A8: shift-add PEs, INT8 activations, exact integer accumulation",
       "--preset w4a8",
       {"mixpe_w4a8", "w4a8_edge", "w4a8_group_unit_d2", "w4a8_group_unit", "", "mixpe_w4a8_p1"}},
      {"nf4",
       "LUT PE with NF4 weights in two signed powers of two (3-bit shifts, decoded in the PE: at L = R every "
       "row has its own bus), a shift-add; FP16 activations (W4A16's edge and units)",
       "--pe lut --weight-format nf4 --lut-terms 2 --lut-shift-bits 3",
       {"lut_nf4_t2_s3", "w4a16_edge", "w4a16_group_unit_d2", "w4a16_group_unit", "", "lut_nf4_t2_s3_p1"}},
  };
  return designs;
}

DramWeights dram_weights(const Design& d, const EngineConfig& e) {
  if (d.dequant_first) return {4, 16 + 4};
  if (e.fma()) return {16, 0};
  return {e.pe.weight_bits, 16 + (e.has_zero() ? e.pe.weight_bits : 0)};
}

const Design& perf_design(const std::string& name) {
  std::string names;
  for (const Design& d : perf_designs()) {
    if (d.name == name) return d;
    names += (names.empty() ? "" : ", ") + d.name;
  }
  fail("unknown design '{}': use one of {}", shorten(name), names);
}

BlockFigures AreaTable::block(const std::string& name) const {
  for (const auto& [n, f] : blocks)
    if (n == name) return f;
  fail("{} has no design point '{}': regenerate it with `make area`", shorten(source), shorten(name));
}

AreaTable load_area_table(const std::string& path) {
  std::ifstream f(path);
  if (!f) fail("cannot open the area table '{}': run `make area` or give --area FILE", shorten(path));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(f);
  } catch (const nlohmann::json::exception& e) {
    fail("area table '{}' is not valid JSON ({}): regenerate it with `make area`", shorten(path), e.what());
  }
  if (!j.is_object() || !j.contains("designs") || !j["designs"].is_array())
    fail("area table '{}' has no \"designs\" list: regenerate it with `make area`", shorten(path));
  AreaTable t;
  t.source = path;
  double own1 = 0, own16 = 0;
  for (const auto& d : j["designs"]) {
    if (!d.contains("name") || !d["name"].is_string()) fail("area table '{}': a design without a name", shorten(path));
    const std::string name = d["name"];
    auto num = [&](const char* k) { return d.contains(k) && d[k].is_number() ? d[k].get<double>() : 0.0; };
    // the timing run's area and clock (buffered and sized; the clock only without slew violations)
    BlockFigures b{num("timing_area_um2"), num("fmax_mhz")};
    if (b.um2 <= 0) b.um2 = num("area_um2");
    // every value perf will use: a positive, finite area and a finite clock (0: none measured)
    if (!std::isfinite(b.um2) || b.um2 <= 0 || b.um2 > 1e12)
      fail("area table '{}': design '{}' has no positive, finite area: regenerate it with `make area`", shorten(path),
           shorten(name));
    if (!std::isfinite(b.fmax_mhz) || b.fmax_mhz < 0 || b.fmax_mhz > 1e5)
      fail("area table '{}': design '{}' has a clock of {} MHz: regenerate it with `make area`", shorten(path),
           shorten(name), b.fmax_mhz);
    t.blocks.emplace_back(name, b);
    const double own_mhz = num("top_logic_fmax_mhz");
    if (std::isfinite(own_mhz) && own_mhz > 0 && own_mhz < 1e5) t.own_logic_mhz.emplace_back(name, own_mhz);
    // the engine's own logic (area run: its top alone, blocks as black boxes) at L = 1 and 16
    if (name == "w4a16_top_l1") own1 = num("area_um2");
    if (name == "w4a16_top_l16") own16 = num("area_um2");
  }
  if (own1 <= 0 || own16 <= 0)
    fail("area table '{}' lacks w4a16_top_l1 / w4a16_top_l16: regenerate it with `make area`", shorten(path));
  if (own16 <= own1)
    fail(
        "area table '{}': the engine's own logic at L = 16 ({} um2) is not above L = 1 ({} um2): regenerate it with "
        "`make area`",
        shorten(path), own16, own1);
  // the W4A16 default engine, where the two points were synthesized
  const double s1 = skew_bits(engine_from_options(parse_option_string("--preset w4a16 --load 1")));
  const double s16 = skew_bits(engine_from_options(parse_option_string("--preset w4a16 --load 16")));
  EngineConfig e = engine_from_options(parse_option_string("--preset w4a16"));
  t.own_logic_b_mm2 = (own16 - own1) / (s16 - s1) * 1e-6;
  t.own_logic_a_mm2 = (own1 * 1e-6 - t.own_logic_b_mm2 * s1) / e.cols;
  return t;
}

std::string default_area_table() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> tries;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path up = exe.parent_path().parent_path();
    tries = {up / "share" / "mixpe" / "area.json", up / "docs" / "measured" / "area.json"};
  }
  tries.emplace_back(fs::path("docs") / "measured" / "area.json");
  for (const fs::path& p : tries)
    if (fs::is_regular_file(p, ec)) return fs::weakly_canonical(p, ec).string();
  return "";
}

double skew_bits(const EngineConfig& e) {
  const double ww = e.pe.weight_width(), R = e.rows, C = e.cols, L = e.load, E = e.edge_stages();
  return C * ww * (R * (L - 1) / 2 + L * (E - 1)) + L * ww * C * (C - 1) / 2;
}

SizedDesign size_design(const Design& d, const AreaTable& t, int rows, int cols, int load, int depth, bool pipelined) {
  OptionList opts = parse_option_string(d.options);
  if (pipelined && d.blocks.pe_p1.empty())
    throw std::logic_error(d.name + ": no PE with a product register was synthesized");
  if (pipelined) opts.emplace_back("--pipeline", "1");
  if (depth > 0) opts.emplace_back("--depth", std::to_string(depth));
  opts.emplace_back("--rows", std::to_string(rows));
  opts.emplace_back("--cols", std::to_string(cols));
  opts.emplace_back("--load", std::to_string(load));
  SizedDesign s{d, engine_from_options(opts), 0, 0, 0, 0, 0, 0, 0, ""};
  const BlockFigures pe = t.block(pipelined ? d.blocks.pe_p1 : d.blocks.pe), edge = t.block(d.blocks.edge),
                     ul = t.block(d.blocks.unit_logic), unit = t.block(d.blocks.unit);
  s.array_mm2 = rows * cols * pe.um2 * 1e-6;
  s.edge_mm2 = edge.um2 * rows / 16.0 * 1e-6;  // measured at R = 16: lanes scale with R
  s.units_mm2 = cols * ul.um2 * 1e-6;
  s.own_mm2 = cols * t.own_logic_a_mm2 + t.own_logic_b_mm2 * skew_bits(s.engine);
  // one weight dequantizer per weight loaded per cycle: L rows of C
  const BlockFigures dq = d.blocks.dequant.empty() ? BlockFigures{} : t.block(d.blocks.dequant);
  s.dequant_mm2 = double(load) * cols * dq.um2 * 1e-6;
  s.logic_mm2 = s.array_mm2 + s.edge_mm2 + s.units_mm2 + s.own_mm2 + s.dequant_mm2;
  s.clock_mhz = pe.fmax_mhz, s.clock_limit = "PE";
  if (edge.fmax_mhz > 0 && edge.fmax_mhz < s.clock_mhz) s.clock_mhz = edge.fmax_mhz, s.clock_limit = "west edge";
  if (unit.fmax_mhz > 0 && unit.fmax_mhz < s.clock_mhz) s.clock_mhz = unit.fmax_mhz, s.clock_limit = "group unit";
  if (dq.fmax_mhz > 0 && dq.fmax_mhz < s.clock_mhz) s.clock_mhz = dq.fmax_mhz, s.clock_limit = "weight dequantizer";
  if (s.clock_mhz <= 0)
    fail("{}: the area table has no clock for {} (slew violations?): rerun `make area`", d.name,
         pipelined ? d.blocks.pe_p1 : d.blocks.pe);
  return s;
}

SizedDesign fit_design(const Design& d, const AreaTable& t, double budget_mm2, int load, int depth, double clock_mhz) {
  const EngineConfig base = engine_from_options(parse_option_string(d.options));
  bool found = false;
  SizedDesign best{};
  for (const bool pipelined : {false, true}) {
    if (pipelined && d.blocks.pe_p1.empty()) continue;
    bool fits = false;
    SizedDesign arr{};
    for (int r = 2; r <= base.group_size && r <= 128; r *= 2)
      for (int c = 2; c <= 64; ++c) {
        SizedDesign s = size_design(d, t, r, c, load > 0 ? std::min(load, r) : r, depth, pipelined);
        if (clock_mhz > 0) s.clock_mhz = clock_mhz, s.clock_limit = "--clock-mhz";
        if (s.logic_mm2 > budget_mm2) break;
        const long pes = long(r) * c, arr_pes = fits ? long(arr.engine.rows) * arr.engine.cols : 0;
        if (!fits || pes > arr_pes ||
            (pes == arr_pes && std::abs(r - c) < std::abs(arr.engine.rows - arr.engine.cols))) {
          arr = s;
          fits = true;
        }
      }
    // the pipelined PE where its array computes faster
    const auto peak = [](const SizedDesign& s) { return double(s.engine.rows) * s.engine.cols * s.clock_mhz; };
    if (fits && (!found || peak(arr) > peak(best))) best = arr, found = true;
  }
  if (!found) fail("{}: not even a 2 x 2 array fits {:.3f} mm2 of logic: raise --area-mm2", d.name, budget_mm2);
  return best;
}

}  // namespace mixpe
