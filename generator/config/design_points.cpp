#include "config/design_points.h"

#include <random>

#include <fmt/format.h>

#include "config/options.h"

#include "numerics/error.h"

namespace mixpe {
namespace {

bool legal(const PeConfig& c) {
  try {
    c.validate();
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

std::vector<PeConfig> pe_sweep() {
  std::vector<PeConfig> out;
  auto add = [&](const PeConfig& c) {
    if (legal(c)) out.push_back(c);
  };
  for (AccumMode mode : {AccumMode::kPrealign, AccumMode::kExact, AccumMode::kFp32})
    for (ActFormat act : {ActFormat::kFp16, ActFormat::kBf16, ActFormat::kInt8})
      for (int bits : {2, 3, 4, 8})
        for (bool sign : {false, true}) {
          PeConfig c;
          c.accum.mode = mode, c.act = act, c.weight_bits = bits, c.weight_signed = sign;
          add(c);
        }
  PeConfig fma;
  fma.kind = PeKind::kFma, fma.accum.mode = AccumMode::kFp32;
  add(fma);
  PeConfig int8;
  int8.kind = PeKind::kInt8, int8.act = ActFormat::kInt8, int8.weight_bits = 8, int8.weight_signed = true;
  int8.accum.mode = AccumMode::kExact;
  add(int8);
  PeConfig int8_col = int8;
  int8_col.int8_column_psum = true;  // partial sums sized to the column, as the mixpe PEs'
  add(int8_col);
  // LUT weights (NF2, NF3, NF4 or any table on the port), FP16 and BF16 activations
  for (int bits : {2, 3, 4})
    for (ActFormat act : {ActFormat::kFp16, ActFormat::kBf16}) {
      PeConfig c;
      c.kind = PeKind::kLut, c.weight_bits = bits, c.act = act;
      add(c);
    }
  for (int terms : {1, 2, 3}) {  // shift-add products: tables of few signed powers of two
    PeConfig c;
    c.kind = PeKind::kLut, c.lut_terms = terms;
    add(c);
  }
  for (int terms : {0, 1, 2, 3})  // decoded once per column bus (the PE holds the entry), 3-bit shifts
    for (int shift : {3, 4}) {
      if (terms == 0 ? shift == 3 : terms != 2 && shift == 4) continue;  // t0: 16-bit entries; t1, t3: s3
      PeConfig c;
      c.kind = PeKind::kLut, c.lut_terms = terms, c.lut_shift_bits = shift, c.lut_decode_column = true;
      add(c);
    }
  PeConfig lut_s3;  // 3-bit shifts, decoded in the PE
  lut_s3.kind = PeKind::kLut, lut_s3.lut_terms = 2, lut_s3.lut_shift_bits = 3;
  add(lut_s3);
  PeConfig lut_p1;
  lut_p1.kind = PeKind::kLut, lut_p1.pipeline = 1;
  add(lut_p1);
  for (int a : {8, 12, 24}) {  // LUT PEs take A-bit prealigned activations too
    PeConfig c;
    c.kind = PeKind::kLut, c.accum.align_bits = a, c.lut_terms = a == 12 ? 2 : 0;
    add(c);
  }
  // Booth-recoded weights (radix 4): every width and signedness, A = 12, pipelined
  for (int bits : {2, 3, 4, 8})
    for (bool sgn : {false, true}) {
      PeConfig c;
      c.booth = true, c.weight_bits = bits, c.weight_signed = sgn;
      add(c);
    }
  for (int p : {0, 1}) {
    PeConfig c;
    c.booth = true, c.accum.align_bits = 12 + 4 * p, c.pipeline = p, c.act = p ? ActFormat::kBf16 : ActFormat::kFp16;
    add(c);
  }
  // Variations around the default W4A16 PE.
  for (int a : {8, 12, 24, 32}) {
    PeConfig c;
    c.accum.align_bits = a;
    add(c);
  }
  for (AccumMode mode : {AccumMode::kPrealign, AccumMode::kExact})
    for (int b : {1, 4, 64, 256}) {
      PeConfig c;
      c.accum.mode = mode, c.accum.block = b;  // the rows of the array the PE sits in
      add(c);
    }
  for (PeConfig c : {PeConfig{}, fma, int8, int8_col}) {
    c.pipeline = 1;
    add(c);
  }
  for (AccumMode mode : {AccumMode::kExact, AccumMode::kFp32}) {
    PeConfig c;
    c.accum.mode = mode, c.pipeline = 1, c.weight_signed = true;
    add(c);
  }
  return out;
}

namespace {

// Appends a PE point (one MAC per cycle) to `out`.
void add_point(std::vector<DesignPoint>& out, std::string name, std::string family, std::string options) {
  out.push_back({std::move(name), "pe", std::move(options), std::move(family), ""});
}

}  // namespace

const std::vector<DesignPoint>& area_points() {
  static const std::vector<DesignPoint> points = [] {
    std::vector<DesignPoint> points = {
        {"mixpe_w4a16", "pe", "--weight-bits 4 --act fp16 --align-bits 16", "pe",
         "MixPE W4A16: FP16 prealigned to 16 bits (the default)"},
        {"mixpe_w4a16_a12", "pe", "--weight-bits 4 --act fp16 --align-bits 12", "pe",
         "MixPE W4A16, prealigned to 12 bits"},
        {"mixpe_w4a16_r4", "pe", "--weight-bits 4 --booth --act fp16 --align-bits 16", "pe",
         "MixPE W4A16, weights recoded to radix-4 (Booth) digits: 2 partial products"},
        {"mixpe_w4a16_r4_a12", "pe", "--weight-bits 4 --booth --act fp16 --align-bits 12", "pe",
         "MixPE W4A16, Booth digits, prealigned to 12 bits"},
        {"mixpe_w4a16_r4_p1", "pe", "--weight-bits 4 --booth --act fp16 --align-bits 16 --pipeline 1", "pe",
         "MixPE W4A16, Booth digits, a register between product and accumulation"},
        {"mixpe_w8a16_r4", "pe", "--weight-bits 8 --booth --act fp16 --align-bits 16", "pe",
         "MixPE W8A16, Booth digits: 4 partial products"},
        {"mixpe_w4a16_exact", "pe", "--weight-bits 4 --act fp16 --accum exact", "pe",
         "MixPE W4A16, exact fixed point in the PE (Kulisch-like)"},
        {"mixpe_w4a16_fp32", "pe", "--weight-bits 4 --act fp16 --accum fp32", "pe",
         "MixPE W4A16, FP32 accumulation in the PE"},
        {"mixpe_w4a8", "pe", "--weight-bits 4 --act int8", "pe", "MixPE W4A8: INT8 x u4"},
        {"mixpe_w4a8_p1", "pe", "--weight-bits 4 --act int8 --pipeline 1", "pe",
         "MixPE W4A8 with a register between product and accumulation"},
        {"mixpe_w8a16", "pe", "--weight-bits 8 --act fp16 --align-bits 16", "pe", "MixPE W8A16"},
        {"mixpe_w2a16", "pe", "--weight-bits 2 --act fp16 --align-bits 16", "pe", "MixPE W2A16"},
        {"lut_nf4", "pe", "--weight-format nf4 --act fp16 --align-bits 16", "pe",
         "LUT PE: 4-bit index into a 16-entry table (NF4), 16 x 16-bit multiply"},
        {"lut_nf3", "pe", "--weight-format nf3 --act fp16 --align-bits 16", "pe", "LUT PE: NF3"},
        {"lut_nf4_t1", "pe", "--weight-format nf4 --lut-terms 1 --act fp16 --align-bits 16", "pe",
         "LUT PE, entries of one signed power of two: a shifter"},
        {"lut_nf4_t2", "pe", "--weight-format nf4 --lut-terms 2 --act fp16 --align-bits 16", "pe",
         "LUT PE, entries of two signed powers of two: shift-add of 2 terms"},
        {"lut_nf4_c", "pe", "--weight-format nf4 --lut-decode column --act fp16 --align-bits 16", "pe",
         "LUT PE holding its 16-bit entry, decoded once per column at weight load: a multiplier"},
        {"lut_nf4_t2_c", "pe", "--weight-format nf4 --lut-terms 2 --lut-decode column --act fp16 --align-bits 16", "pe",
         "LUT PE, 2 terms, decoded once per column at weight load (the PE holds the term codes)"},
        {"lut_nf4_t2_s3", "pe", "--weight-format nf4 --lut-terms 2 --lut-shift-bits 3 --act fp16 --align-bits 16", "pe",
         "LUT PE, 2 terms of 3-bit shifts (2^-6 .. 2^1), decoded in the PE"},
        {"lut_nf4_t2_s3_p1", "pe",
         "--weight-format nf4 --lut-terms 2 --lut-shift-bits 3 --act fp16 --align-bits 16 --pipeline 1", "pe",
         "lut_nf4_t2_s3 with a register between product and accumulation"},
        {"lut_nf4_t1_s3c", "pe",
         "--weight-format nf4 --lut-terms 1 --lut-shift-bits 3 --lut-decode column --act fp16 --align-bits 16", "pe",
         "LUT PE, 1 term of a 3-bit shift, decoded once per column"},
        {"lut_nf4_t2_s3c", "pe",
         "--weight-format nf4 --lut-terms 2 --lut-shift-bits 3 --lut-decode column --act fp16 --align-bits 16", "pe",
         "LUT PE, 2 terms of 3-bit shifts, decoded once per column: the PE is a shift-add of its 2 terms"},
        {"lut_nf4_t3_s3c", "pe",
         "--weight-format nf4 --lut-terms 3 --lut-shift-bits 3 --lut-decode column --act fp16 --align-bits 16", "pe",
         "LUT PE, 3 terms of 3-bit shifts, decoded once per column"},
        {"lut_nf4_t3", "pe", "--weight-format nf4 --lut-terms 3 --act fp16 --align-bits 16", "pe",
         "LUT PE, entries of three signed powers of two: shift-add of 3 terms"},
        {"mixpe_w4a16_p1", "pe", "--weight-bits 4 --act fp16 --align-bits 16 --pipeline 1", "pe",
         "MixPE W4A16 with a register between product and accumulation"},
        {"fma", "pe", "--pe fma", "pe", "baseline: FP16 x FP16 (dequantized weight), FP32 accumulate, single cycle"},
        {"fma_p1", "pe", "--pe fma --pipeline 1", "pe", "baseline fma with a register between product and FP32 add"},
        {"int8", "pe", "--pe int8", "pe", "baseline: INT8 x INT8, INT32 accumulate"},
        {"int8_p1", "pe", "--pe int8 --pipeline 1", "pe", "baseline int8 with a register between product and add"},
        {"int8_col", "pe", "--pe int8 --int8-psum column", "pe",
         "baseline int8 with partial sums sized to the column (20 bits at R = 16), the mixpe PEs' rule"},
        {"int8_col_p1", "pe", "--pe int8 --int8-psum column --pipeline 1", "pe", "int8_col with a product register"},
        {"array_mixpe_w4a16_2x2", "array", "--rows 2 --cols 2 --group-size 32", "array",
         "2 x 2 array of the default PE"},
        {"array_mixpe_w4a16_4x4", "array", "--rows 4 --cols 4 --group-size 32", "array",
         "4 x 4 array of the default PE"},
        {"array_fma_2x2", "array", "--pe fma --rows 2 --cols 2 --group-size 32", "array", "2 x 2 array of the fma PE"},
        {"array_fma_4x4", "array", "--pe fma --rows 4 --cols 4 --group-size 32", "array", "4 x 4 array of the fma PE"},
        {"fma_weight_dequant", "weight-dequant", "--preset fma", "engine block",
         "the dequant-first design's weight dequantizer (4-bit code, zero point, FP16 scale to FP16): one per weight "
         "loaded per cycle"},
        // a 2-column W4A16 engine: the controller and the paths between blocks, timed with them
        {"w4a16_engine_c2", "engine", "--preset w4a16 --cols 2", "engine block",
         "W4A16 engine cut to 2 columns: controller, weight stager, edge, skews, 16 x 2 array, 2 group units"},
    };
    // the W4A16 engine's own logic (controller, weight stager and its skews, side band, outputs) at
    // load widths 1, 4, 16: synthesized with the array, edge and group units as black boxes
    for (int l : {1, 4, 16})
      points.push_back({fmt::format("w4a16_top_l{}", l), "engine", fmt::format("--preset w4a16 --load {}", l),
                        "engine top", fmt::format("W4A16 16 x 16 engine, L = {}: its own logic, blocks excluded", l)});
    // each default engine's west edge and group unit, timed alone (the engine's clock is the slowest
    // block), and its group unit with 2 rows (its logic: the difference to the default depth is the
    // rows' storage) and with 64 (the storage of the former default depth beside the new one)
    // the W4A16 edge at A = 12: the PE's share of it at the narrower alignment
    points.push_back({"w4a16_a12_edge", "edge", "--preset w4a16 --align-bits 12", "engine block",
                      "w4a16 engine at A = 12: the west edge"});
    for (const char* preset : {"w4a16", "w4a8", "int8", "fma"}) {
      const std::string o = fmt::format("--preset {}", preset);
      points.push_back(
          {fmt::format("{}_edge", preset), "edge", o, "engine block", fmt::format("{} engine: the west edge", preset)});
      points.push_back(
          {fmt::format("{}_group_unit", preset), "group-unit", o, "engine block",
           fmt::format("{} engine: one column's group unit, its rows (default depth) clock-gated", preset)});
      points.push_back({fmt::format("{}_group_unit_d64", preset), "group-unit", o + " --depth 64", "engine block",
                        fmt::format("{} engine: one column's group unit with 64 rows", preset)});
      points.push_back({fmt::format("{}_group_unit_d2", preset), "group-unit", o + " --depth 2", "engine block",
                        fmt::format("{} engine: one column's group unit with 2 rows", preset)});
    }
    return points;
  }();
  return points;
}

const std::vector<DesignPoint>& power_points() {
  // 4 x 4 engines (16 rows of depth): small enough to simulate at gate level
  static const std::vector<DesignPoint> points = {
      {"w4a16", "engine", "--preset w4a16 --rows 4 --cols 4 --depth 16", "power", "MixPE W4A16 engine, 4 x 4"},
      {"w4a8", "engine", "--preset w4a8 --rows 4 --cols 4 --depth 16", "power", "MixPE W4A8 engine, 4 x 4"},
      {"int8", "engine", "--preset int8 --rows 4 --cols 4 --depth 16", "power", "INT8 baseline engine, 4 x 4"},
      {"fma", "engine", "--preset fma --rows 4 --cols 4 --depth 16", "power", "FP16 (fma) baseline engine, 4 x 4"},
      {"nf4", "engine", "--pe lut --weight-format nf4 --lut-terms 2 --rows 4 --cols 4 --depth 16", "power",
       "LUT engine (NF4, two-term tables), 4 x 4"},
  };
  return points;
}

const std::vector<DesignPoint>& dse_points() {
  static const std::vector<DesignPoint> points = [] {
    std::vector<DesignPoint> out;
    auto add = [&](std::string name, std::string family, std::string options) {
      add_point(out, std::move(name), std::move(family), std::move(options));
    };
    for (int bits : {2, 3, 4, 8}) {
      for (const char* act : {"fp16", "bf16"})
        for (int g : {32, 64, 128}) {
          for (int a : {10, 12, 16, 20})
            add(fmt::format("W{}A16 {} G{} A{}", bits, act, g, a), "mixpe prealign",
                fmt::format("--weight-bits {} --act {} --group-size {} --accum prealign --align-bits {}", bits, act, g,
                            a));
          add(fmt::format("W{}A16 {} G{} fp32-acc", bits, act, g), "mixpe fp32",
              fmt::format("--weight-bits {} --act {} --group-size {} --accum fp32", bits, act, g));
        }
      for (int g : {32, 128}) {
        add(fmt::format("W{}A16 G{} exact", bits, g), "mixpe exact",
            fmt::format("--weight-bits {} --act fp16 --group-size {} --accum exact", bits, g));
        add(fmt::format("W{}A8 G{}", bits, g), "mixpe W*A8",
            fmt::format("--weight-bits {} --act int8 --group-size {}", bits, g));
      }
    }
    for (int bits : {3, 4, 8})  // Booth-recoded weights: the same numbers, a smaller PE
      for (const char* act : {"fp16", "bf16"})
        for (int g : {32, 128})
          for (int a : {12, 16})
            add(fmt::format("W{}A16 {} G{} A{} booth", bits, act, g, a), "mixpe booth",
                fmt::format("--weight-bits {} --booth --act {} --group-size {} --accum prealign --align-bits {}", bits,
                            act, g, a));
    for (int bits : {2, 3, 4})  // lookup-table (NormalFloat) weights
      for (const char* act : {"fp16", "bf16"})
        for (int g : {32, 64, 128})
          add(fmt::format("NF{}A16 {} G{}", bits, act, g), "lut (NF)",
              fmt::format("--weight-format nf{} --act {} --group-size {} --align-bits 16", bits, act, g));
    for (int terms : {1, 2, 3})  // NF4 tables restricted to signed powers of two: shift-add LUT PEs
      for (int g : {32, 64})
        add(fmt::format("NF4 {}-term G{}", terms, g), "lut (NF)",
            fmt::format("--weight-format nf4 --lut-terms {} --act fp16 --group-size {} --align-bits 16", terms, g));
    for (int terms : {1, 2, 3})  // ... with 3-bit shifts, decoded once per column: the small LUT PEs
      for (int g : {32, 64})
        add(fmt::format("NF4 {}-term s3 column G{}", terms, g), "lut (NF)",
            fmt::format("--weight-format nf4 --lut-terms {} --lut-shift-bits 3 --lut-decode column --act fp16 "
                        "--group-size {} --align-bits 16",
                        terms, g));
    for (int r : {8, 32})  // the array's rows: the alignment block and the column sum width
      add(fmt::format("W4A16 fp16 G128 A16 R{}", r), "mixpe prealign",
          fmt::format("--weight-bits 4 --act fp16 --group-size 128 --align-bits 16 --rows {}", r));
    for (int bits : {4, 8})
      for (int g : {32, 128})
        add(fmt::format("fma W{} G{}", bits, g), "baseline fma",
            fmt::format("--pe fma --weight-bits {} --group-size {} --pipeline 1", bits, g));
    add("int8 W8A8 G128", "baseline int8", "--pe int8 --group-size 128 --pipeline 1");
    return out;
  }();
  return points;
}

const std::vector<DesignPoint>& eval_points() {
  static const std::vector<DesignPoint> points = [] {
    std::vector<DesignPoint> out;
    auto add = [&](std::string name, std::string family, std::string options) {
      add_point(out, std::move(name), std::move(family), std::move(options));
    };
    for (int g : {32, 64})
      for (const char* act : {"fp16", "bf16"})
        for (int bits : {8, 4, 3, 2})
          add(fmt::format("W{}A16 {} G{}", bits, act, g), "golden-prealign16",
              fmt::format("--weight-bits {} --act {} --group-size {}", bits, act, g));
    for (int g : {32, 64})
      add(fmt::format("W4A16 fp16 G{} software kernel", g), "software",
          fmt::format("--weight-bits 4 --group-size {}", g));
    for (int a : {8, 10, 12, 14})  // the alignment width A below the default 16
      add(fmt::format("W4A16 fp16 G32 A{}", a), "golden-prealign",
          fmt::format("--weight-bits 4 --group-size 32 --align-bits {}", a));
    // lookup-table weights (NormalFloat, group absmax scale) against INT4 at the same group size
    for (int g : {32, 64})
      for (int bits : {4, 3, 2})
        add(fmt::format("NF{}A16 fp16 G{}", bits, g), "golden-prealign16",
            fmt::format("--weight-format nf{} --group-size {}", bits, g));
    // NF4 tables restricted to 1, 2, 3 signed powers of two per entry (shift-add LUT PEs)
    for (int g : {32, 64})
      for (int t : {1, 2, 3})
        add(fmt::format("NF4A16 fp16 G{} {}-term", g, t), "golden-prealign16",
            fmt::format("--weight-format nf4 --lut-terms {} --group-size {}", t, g));
    for (int g : {32, 64})  // ... with 3-bit shifts (2^-6 .. 2^1)
      for (int t : {1, 2, 3})
        add(fmt::format("NF4A16 fp16 G{} {}-term s3", g, t), "golden-prealign16",
            fmt::format("--weight-format nf4 --lut-terms {} --lut-shift-bits 3 --group-size {}", t, g));
    return out;
  }();
  return points;
}

std::vector<std::string> random_engine_options(int count, uint64_t seed, int max_rows, int max_cols) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::initializer_list<const char*> v) { return std::string(*(v.begin() + rng() % v.size())); };
  auto pow2 = [&](int lo, int hi) {  // a power of two in [lo, hi]
    std::vector<int> p;
    for (int v = lo; v <= hi; v *= 2) p.push_back(v);
    return p[rng() % p.size()];
  };
  std::vector<std::string> out;
  while (int(out.size()) < count) {
    std::string o;
    const std::string kind = pick({"mixpe", "mixpe", "mixpe", "lut", "fma", "int8"});
    o += "--pe " + kind;
    if (kind == "lut") o += fmt::format(" --weight-bits {} --lut-terms {}", 2 + rng() % 3, rng() % 4);
    if (kind == "mixpe" || kind == "fma") {
      o += " --weight-bits " + pick({"2", "3", "4", "8"});
      if (rng() % 2) o += " --weight-signed";
    }
    if (kind == "mixpe" || kind == "lut") o += " --act " + pick({"fp16", "bf16", "int8"});
    // (drawn without the generator, so that every earlier seed still gives the same configurations)
    if (kind == "int8" && out.size() % 2) o += " --int8-psum column";
    if (kind == "mixpe") o += " --accum " + pick({"prealign", "prealign", "exact", "fp32"});
    // A and F only where the datapath is prealigned (decided below); drawn always, so that every
    // earlier seed still gives the same configurations
    // (the pipeline first: the order in which GCC drew the two as arguments of one call)
    const uint64_t pipeline = rng() % 2;
    std::string prealign_only = fmt::format(" --align-bits {}", 8 + rng() % 25);
    o += fmt::format(" --pipeline {}", pipeline);
    const int g = pow2(32, 256), rows = pow2(2, std::min(g, max_rows));
    o += fmt::format(" --group-size {} --rows {} --cols {} --depth {}", g, rows, 2 + rng() % uint64_t(max_cols - 1),
                     pow2(2, 1024));
    // the load width from a generator of its own, so that earlier seeds keep their draws
    std::mt19937_64 load_rng(seed * 1000003 + out.size());
    std::vector<int> loads;
    for (int l = 1; l <= rows; l *= 2) loads.push_back(l);
    o += fmt::format(" --load {}", loads[load_rng() % loads.size()]);
    if (rng() % 4 == 0) prealign_only += fmt::format(" --edge-frac-bits {}", rng() % 40);
    if (kind == "mixpe" && o.find("--accum prealign") != std::string::npos) {  // Booth digits, the same way
      std::mt19937_64 booth_rng(seed * 104729 + out.size());
      if (booth_rng() % 3 == 0) o += " --booth";
    }
    if (kind == "lut") {  // the LUT's shift width and decode place, also from a generator of their own
      std::mt19937_64 lut_rng(seed * 7919 + out.size());
      if (lut_rng() % 2 && o.find("--lut-terms 0") == std::string::npos) o += " --lut-shift-bits 3";
      if (lut_rng() % 2) o += " --lut-decode column";
    }
    try {
      if (engine_from_options(parse_option_string(o)).pe.accum.mode == AccumMode::kPrealign) o += prealign_only;
      engine_from_options(parse_option_string(o));
      out.push_back(o);
    } catch (const Error&) {
      // an illegal combination: draw again
    }
  }
  return out;
}

const std::vector<std::string>& weight_dequant_points() {
  static const std::vector<std::string> points = [] {
    std::vector<std::string> out;
    for (int bits : {2, 3, 4, 8})
      for (const char* sign : {"", " --weight-signed"})
        out.push_back(fmt::format("--pe fma --weight-bits {}{}", bits, sign));
    return out;
  }();
  return points;
}

const std::vector<std::string>& array_lint_points() {
  static const std::vector<std::string> points = {
      "--rows 4 --cols 3 --group-size 32", "--pe fma --rows 2 --cols 2 --group-size 32",
      "--weight-format nf4 --lut-terms 2 --rows 8 --cols 4 --group-size 32",
      "--weight-format nf4 --lut-terms 2 --lut-shift-bits 3 --lut-decode column --rows 8 --cols 4 --group-size 32",
      "--accum fp32 --act bf16 --rows 4 --cols 2 --group-size 32"};
  return points;
}

}  // namespace mixpe
