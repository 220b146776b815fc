// `mixpe perf`: LLM (and ViT) inference on the generated engines against FP16, INT8 and
// dequant-first arrays at equal logic area and equal DRAM bandwidth (perf/perf_model.h). Prints
// the MixPE-layout table (time and energy split, normalized to FP16), decode tokens per second
// and energy per token, and writes CSV and JSON (and the data of the batch sweep and the
// roofline, which scripts/perf_plot.py draws).
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/validate.h"
#include "io/output_files.h"
#include "numerics/error.h"
#include "perf/perf_model.h"

namespace mixpe {
namespace {

namespace fs = std::filesystem;

struct PerfArgs {
  std::vector<std::string> models = {"vit-b16", "vit-h14", "opt-6.7b", "llama-2-13b"};
  std::vector<std::string> decode_models = {"opt-6.7b", "llama-2-7b", "llama-2-13b"};
  std::vector<std::string> designs = {"fp16", "w4a16-dqf", "int8", "w4a16", "w4a8", "nf4"};
  std::vector<int> decode_batches = {1, 8, 64};
  int batch = 64, context = 2048, load = 0, depth = 64;
  double area_mm2 = 0, clock_mhz = 0;
  std::string area_file, out_dir = "build/perf", sweep_model = "llama-2-7b";
  MemorySystem mem;
};

ModelShape find_model(const std::string& name) {
  if (name.find('/') != std::string::npos || name.find(".bin") != std::string::npos)
    return model_shape_from_checkpoint(name);
  return model_preset(name);
}

// The workload of the MixPE table: encoders prefill their images, decoders decode one token at
// the context length (weight-bound, as MixPE's and FLUTE's LLM results are)
Workload table_workload(const ModelShape& m, int batch, int context) {
  return m.causal ? make_workload(m, Phase::kDecode, batch, context)
                  : make_workload(m, Phase::kPrefill, batch, m.seq_len);
}

void check_args(const PerfArgs& a) {
  // written so that NaN fails too
  if (!(a.mem.dram_gbps > 0)) fail("--dram-gbps {}: the DRAM bandwidth must be positive", a.mem.dram_gbps);
  if (!(a.mem.attn_gmacs > 0))
    fail("--attn-gmacs {}: the attention unit's throughput must be positive", a.mem.attn_gmacs);
  for (const auto& [name, v] : {std::pair<const char*, double>{"--dram-pj-bit", a.mem.dram_pj_per_bit},
                                {"--sram-pj-bit", a.mem.sram_pj_per_bit},
                                {"--rows-pj-bit", a.mem.rows_pj_per_bit},
                                {"--attn-pj-mac", a.mem.attn_pj_per_mac},
                                {"--leak-w-mm2", a.mem.leak_w_per_mm2},
                                {"--area-mm2", a.area_mm2},
                                {"--clock-mhz", a.clock_mhz},
                                {"--weight-buffer-kib", a.mem.weight_buffer_kib},
                                {"--act-buffer-kib", a.mem.act_buffer_kib}})
    if (!(v >= 0)) fail("{} {}: must be a number, zero or more", name, v);
  if (a.batch < 1 || a.context < 1) fail("--batch and --context must be at least 1");
  if (a.clock_mhz > 0 && a.clock_mhz < 1)
    fail("--clock-mhz {}: 0 (each design's measured clock) or 1 MHz and more", a.clock_mhz);
  if (a.area_mm2 > 0 && a.area_mm2 < 0.01)
    fail("--area-mm2 {}: 0 (the FP16 engine's) or 0.01 mm2 and more", a.area_mm2);
  if (a.load < 0 || (a.load & (a.load - 1))) fail("--load-width {}: a power of two (0: L = R)", a.load);
  if (a.depth < 0 || a.depth == 1 || a.depth > 1024 || (a.depth & (a.depth - 1)))
    fail("--depth {}: a power of two from 2 to 1024 (0: each design's default)", a.depth);
  for (int b : a.decode_batches)
    if (b < 1) fail("--decode-batch {}: must be at least 1", b);
}

// one line per (workload, design) for the CSV and JSON
nlohmann::ordered_json row_json(const std::string& workload, const SizedDesign& s, const PerfResult& p,
                                const PerfResult& base) {
  nlohmann::ordered_json j;
  j["workload"] = workload;
  j["design"] = s.design.name;
  j["engine"] = s.engine.name();
  j["rows"] = s.engine.rows, j["cols"] = s.engine.cols, j["load"] = s.engine.load;
  j["pipeline"] = s.engine.pe.pipeline;
  j["logic_mm2"] = s.logic_mm2, j["clock_mhz"] = s.clock_mhz, j["clock_limit"] = s.clock_limit;
  j["engine_cycles"] = p.engine_cycles, j["linear_s"] = p.linear_s, j["attention_s"] = p.attention_s;
  j["dram_bytes"] = p.dram_bytes, j["kv_bytes"] = p.kv_bytes;
  j["core_j"] = p.linear.core, j["buffer_j"] = p.linear.buffer, j["dram_j"] = p.linear.dram,
  j["static_j"] = p.linear.stat;
  j["attention_j"] = p.attention_j, j["tokens"] = p.tokens;
  j["time_vs_fp16"] = p.linear_s / base.linear_s, j["energy_vs_fp16"] = p.linear.total() / base.linear.total();
  j["tokens_per_s"] = double(p.tokens) / p.total_s(), j["mj_per_token"] = p.total_j() / double(p.tokens) * 1e3;
  return j;
}

std::string csv(const nlohmann::ordered_json& rows) {
  if (rows.empty()) return "";
  std::string out;
  bool first = true;
  for (auto it = rows[0].begin(); it != rows[0].end(); ++it) out += (first ? "" : ",") + it.key(), first = false;
  out += "\n";
  for (const auto& r : rows) {
    first = true;
    for (auto it = r.begin(); it != r.end(); ++it) {
      out += first ? "" : ",";
      first = false;
      out += it->is_string() ? it->get<std::string>() : it->dump();
    }
    out += "\n";
  }
  return out;
}

void run_perf(PerfArgs a) {
  std::string out;  // everything for stdout, printed once the files are written
  check_args(a);
  check_output_dir("--out", a.out_dir);
  // everything read and checked before anything is computed or written
  if (a.area_file.empty())
    fail(
        "perf: no area table found (share/mixpe/area.json beside the binary, docs/measured/area.json): give --area "
        "FILE (make area writes build/reports/area.json)");
  const AreaTable area = load_area_table(a.area_file);
  std::vector<ModelShape> models, decode_models;
  for (const std::string& m : a.models) models.push_back(find_model(m));
  for (const std::string& m : a.decode_models) decode_models.push_back(find_model(m));
  const ModelShape sweep_model = find_model(a.sweep_model);
  std::vector<Design> designs;
  for (const std::string& d : a.designs) designs.push_back(perf_design(d));
  // the budget: the FP16 16 x 16 engine's logic (its PE without a product register)
  const Design& fp16 = perf_design("fp16");
  const double budget =
      a.area_mm2 > 0 ? a.area_mm2 : size_design(fp16, area, 16, 16, a.load > 0 ? std::min(a.load, 16) : 16).logic_mm2;
  // the energy per um2 and cycle: the FP16 design's PE (as it is sized: with a product register
  // where that computes faster) at Horowitz's 45 nm FP16 multiply + FP32 add per MAC
  const bool fp16_p1 = fit_design(fp16, area, budget, a.load, a.depth, a.clock_mhz).engine.pe.pipeline == 1;
  a.mem.core_pj_per_um2_cycle = a.mem.attn_pj_per_mac / area.block(fp16_p1 ? fp16.blocks.pe_p1 : fp16.blocks.pe).um2;
  std::vector<PerfModel> sized;
  for (const Design& d : designs) {
    SizedDesign s = fit_design(d, area, budget, a.load, a.depth, a.clock_mhz);
    // a buffer must hold one tile's weights (double-buffered) and one tile's activations
    const double tile_w =
        2.0 * s.engine.rows * s.engine.cols * std::max(dram_weights(d, s.engine).bits, s.engine.pe.weight_width()) / 8;
    if (a.mem.weight_buffer_kib * 1024 < tile_w)
      fail("--weight-buffer-kib {}: {} needs at least {} bytes (two {} x {} weight tiles)", a.mem.weight_buffer_kib,
           d.name, tile_w, s.engine.rows, s.engine.cols);
    const double tile_a = double(s.engine.depth) * s.engine.rows * s.engine.raw_act_width() / 8;
    if (a.mem.act_buffer_kib * 1024 < tile_a)
      fail("--act-buffer-kib {}: {} needs at least {} bytes (a tile of {} activation rows)", a.mem.act_buffer_kib,
           d.name, tile_a, s.engine.depth);
    sized.emplace_back(s, a.mem);
  }

  const MemorySystem& mem = sized.front().memory();
  out += fmt::format(
      "Memory and energy (docs/perf.md): DRAM {:.1f} GB/s, {:.2f} pJ/bit; buffers: weights {:.0f} KiB, activations "
      "{:.0f} "
      "KiB, {:.3f} pJ/bit;\ngroup-unit rows {:.3f} pJ/bit; core {:.3g} pJ per um2 and cycle ({:.2f} pJ per FP16 PE "
      "area); attention unit {:.1f} GMAC/s, {:.2f} pJ/MAC;\nleakage {:.3g} W/mm2\n",
      mem.dram_gbps, mem.dram_pj_per_bit, mem.weight_buffer_kib, mem.act_buffer_kib, mem.sram_pj_per_bit,
      mem.rows_pj_per_bit, mem.core_pj_per_um2_cycle, mem.attn_pj_per_mac, mem.attn_gmacs, mem.attn_pj_per_mac,
      mem.leak_w_per_mm2);
  out += fmt::format(
      "Designs at equal logic area ({:.3f} mm2: array, west edge, group units' logic, the engine's own logic, a\n"
      "dequant-first design's weight dequantizers; the group units' rows are SRAM) and equal DRAM bandwidth, each PE\n"
      "with a product register (pipeline 1) where its array then computes faster; areas and clocks from {}:\n",
      budget, a.area_file);
  for (const PerfModel& pm : sized) {
    const SizedDesign& s = pm.design();
    out += fmt::format(
        "  {:10} {:3} x {:2}, L = {:3}, pipeline {}: {:.3f} mm2 (array {:.3f}, edge {:.3f}, units {:.3f}, own "
        "{:.3f}{}), {:.0f} MHz ({})\n",
        s.design.name, s.engine.rows, s.engine.cols, s.engine.load, s.engine.pe.pipeline, s.logic_mm2, s.array_mm2,
        s.edge_mm2, s.units_mm2, s.own_mm2,
        s.dequant_mm2 > 0 ? fmt::format(", dequantizers {:.3f}", s.dequant_mm2) : "", s.clock_mhz, s.clock_limit);
  }

  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  const std::string ref = sized.front().design().design.name;
  out += fmt::format(
      "\nThe linear layers at batch {} (LLMs: decode of one token at context {}; ViTs: one image each), G = 128,\n"
      "time and energy normalized to {}'s (energy: core / buffer / DRAM / static shares of {}'s total):\n",
      a.batch, a.context, ref, ref);
  out += fmt::format("{:12} {:10} {:>8} {:>8} {:>6} {:>6} {:>6} {:>6} {:>10} {:>10}\n", "workload", "design", "time",
                     "energy", "core", "buffer", "DRAM", "static", "time ms", "attn ms");
  for (const ModelShape& m : models) {
    const Workload w = table_workload(m, a.batch, a.context);
    std::vector<PerfResult> res;
    for (PerfModel& pm : sized) res.push_back(pm.run(w));
    const PerfResult& base = res[0];
    const double e0 = base.linear.total();
    for (size_t i = 0; i < sized.size(); ++i) {
      const PerfResult& p = res[i];
      out += fmt::format("{:12} {:10} {:8.3f} {:8.3f} {:6.3f} {:6.3f} {:6.3f} {:6.3f} {:10.3f} {:10.3f}\n", m.name,
                         sized[i].design().design.name, p.linear_s / base.linear_s, p.linear.total() / e0,
                         p.linear.core / e0, p.linear.buffer / e0, p.linear.dram / e0, p.linear.stat / e0,
                         p.linear_s * 1e3, p.attention_s * 1e3);
      rows.push_back(row_json(m.name, sized[i].design(), p, base));
    }
  }

  out += fmt::format(
      "\nDecode, one token per sequence at context {}: tokens per second | mJ per token (linear layers and "
      "attention):\n",
      a.context);
  // (the CSV's *_vs_fp16 columns are against the first design, fp16 unless --design says otherwise)
  std::string head = fmt::format("{:12} {:>5}", "model", "batch");
  for (const PerfModel& pm : sized) head += fmt::format(" {:>19}", pm.design().design.name);
  out += fmt::format("{}\n", head);
  for (const ModelShape& m : decode_models)
    for (int b : a.decode_batches) {
      const Workload w = make_workload(m, Phase::kDecode, b, a.context);
      std::string line = fmt::format("{:12} {:5}", m.name, b);
      PerfResult base;
      for (size_t i = 0; i < sized.size(); ++i) {
        const PerfResult p = sized[i].run(w);
        if (i == 0) base = p;
        line +=
            fmt::format(" {:>9.1f} | {:7.2f}", double(p.tokens) / p.total_s(), p.total_j() / double(p.tokens) * 1e3);
        rows.push_back(row_json(fmt::format("{}-decode-b{}", m.name, b), sized[i].design(), p, base));
      }
      out += fmt::format("{}\n", line);
    }

  // the batch sweep (decode) and each layer on the roofline, for scripts/perf_plot.py
  nlohmann::ordered_json sweep = nlohmann::ordered_json::array(), roof = nlohmann::ordered_json::array();
  for (int b = 1; b <= 256; b *= 2) {
    const Workload w = make_workload(sweep_model, Phase::kDecode, b, a.context);
    PerfResult base;
    for (size_t i = 0; i < sized.size(); ++i) {
      const PerfResult p = sized[i].run(w);
      if (i == 0) base = p;
      sweep.push_back({{"model", sweep_model.name},
                       {"batch", b},
                       {"design", sized[i].design().design.name},
                       {"speedup_vs_fp16", base.total_s() / p.total_s()},
                       {"energy_vs_fp16", p.total_j() / base.total_j()},
                       {"tokens_per_s", double(p.tokens) / p.total_s()}});
      if (b == 1 || b == 64)
        for (const LayerResult& l : p.layers)
          roof.push_back({{"model", sweep_model.name},
                          {"batch", b},
                          {"design", sized[i].design().design.name},
                          {"layer", l.name},
                          {"macs_per_byte", l.macs / l.dram_bytes},
                          {"gmacs", l.macs / l.time_s * 1e-9},
                          {"peak_gmacs", double(sized[i].design().engine.rows) * sized[i].design().engine.cols *
                                             sized[i].design().clock_mhz * 1e-3},
                          {"dram_gbps", a.mem.dram_gbps}});
    }
  }
  const fs::path dir(a.out_dir);
  OutputFiles files;
  files.add(dir / "perf.csv", csv(rows));
  files.add(dir / "perf.json", rows.dump(1) + "\n");
  files.add(dir / "perf_sweep.csv", csv(sweep));
  files.add(dir / "perf_roofline.csv", csv(roof));
  files.add(dir / "perf.txt", out);  // the tables as printed: make results gathers them
  files.commit();
  fmt::print(
      "{}\nwritten {}/perf.csv, perf.json, perf_sweep.csv, perf_roofline.csv, perf.txt (scripts/perf_plot.py draws "
      "them)\n",
      out, a.out_dir);
}

}  // namespace

void register_perf_command(CLI::App& app) {
  auto a = std::make_shared<PerfArgs>();
  a->area_file = default_area_table();
  CLI::App* cmd =
      app.add_subcommand("perf", "LLM inference on the engines against FP16, INT8 and dequant-first arrays");
  cmd->add_option("--model", a->models, "workloads of the MixPE table: presets or a llama2.c checkpoint")
      ->capture_default_str();
  cmd->add_option("--decode-model", a->decode_models, "models of the decode table")->capture_default_str();
  cmd->add_option("--design", a->designs, "designs, the first the reference")->capture_default_str();
  cmd->add_option("--batch", a->batch, "batch of the MixPE table")
      ->capture_default_str()
      ->check(integer_in(1, 1 << 20));
  cmd->add_option("--decode-batch", a->decode_batches, "batches of the decode table")
      ->capture_default_str()
      ->check(integer_in(1, 1 << 20));
  cmd->add_option("--context", a->context, "tokens in the KV cache at decode")
      ->capture_default_str()
      ->check(integer_in(1, 1 << 24));
  cmd->add_option("--sweep-model", a->sweep_model, "model of the batch sweep (1 to 256)")->capture_default_str();
  cmd->add_option("--area-mm2", a->area_mm2, "logic area of every design (0: the FP16 16 x 16 engine's)")
      ->capture_default_str()
      ->check(number_in(0, 1e4));
  cmd->add_option("--load-width", a->load, "weight rows loaded per cycle, at most R (0: R, a tile per cycle)")
      ->capture_default_str()
      ->check(integer_in(0, 256));
  cmd->add_option(
         "--depth", a->depth,
         "rows in flight D of every design (0: each design's default; the rows are outside the area budget here)")
      ->capture_default_str()
      ->check(integer_in(0, 1024));
  cmd->add_option("--clock-mhz", a->clock_mhz, "one clock for every design (0: each its measured clock)")
      ->capture_default_str()
      ->check(number_in(0, 1e5));
  cmd->add_option("--area", a->area_file, "area table (make area: build/reports/area.json; default: found at run time)")
      ->capture_default_str();
  cmd->add_option("--dram-gbps", a->mem.dram_gbps, "DRAM bandwidth, GB/s")
      ->capture_default_str()
      ->check(number_in(1e-3, 1e6));
  cmd->add_option("--dram-pj-bit", a->mem.dram_pj_per_bit, "DRAM energy, pJ per bit")
      ->capture_default_str()
      ->check(number_in(0, 1e6));
  cmd->add_option("--sram-pj-bit", a->mem.sram_pj_per_bit, "weight and activation buffers, pJ per bit")
      ->capture_default_str()
      ->check(number_in(0, 1e6));
  cmd->add_option("--weight-buffer-kib", a->mem.weight_buffer_kib,
                  "weight buffer: a layer's weights above it are read once per D rows")
      ->capture_default_str()
      ->check(number_in(0, 1e9));
  cmd->add_option("--act-buffer-kib", a->mem.act_buffer_kib,
                  "activation buffer: a layer's inputs and outputs above it go to DRAM")
      ->capture_default_str()
      ->check(number_in(0, 1e9));
  cmd->add_option("--attn-gmacs", a->mem.attn_gmacs, "the FP16 unit for attention, GMAC/s")
      ->capture_default_str()
      ->check(number_in(1e-3, 1e9));
  cmd->add_option("--attn-pj-mac", a->mem.attn_pj_per_mac, "its energy per MAC, pJ; also calibrates the core energy")
      ->capture_default_str()
      ->check(number_in(1e-6, 1e6));
  cmd->add_option("--rows-pj-bit", a->mem.rows_pj_per_bit, "the group units' rows (small SRAMs), pJ per bit")
      ->capture_default_str()
      ->check(number_in(0, 1e6));
  cmd->add_option("--leak-w-mm2", a->mem.leak_w_per_mm2, "leakage, W per mm2 of logic")
      ->capture_default_str()
      ->check(number_in(0, 1e3));
  cmd->add_option("--out", a->out_dir, "output directory")->capture_default_str();
  cmd->callback([a, cmd] {
    refuse_repeats(*cmd, {"--model", "--decode-model", "--design", "--decode-batch"});
    run_perf(*a);
  });
}

}  // namespace mixpe
