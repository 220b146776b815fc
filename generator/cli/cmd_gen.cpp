// `mixpe gen <block>`: generate Verilog, a params header and a JSON manifest.
#include <fmt/core.h>

#include "blocks/engine/engine_emit.h"
#include "blocks/engine/presets.h"
#include "blocks/pe/pe_emit.h"
#include "blocks/pe/pe_sweep.h"
#include "cli/commands.h"
#include "hdl/design_output.h"
#include "numerics/error.h"

namespace mixpe {
namespace {

struct PeArgs {
  std::string out;
  std::string pe = "mixpe";
  int weight_bits = 4;
  bool weight_signed = false;
  std::string act = "fp16";
  std::string accum = "prealign";
  int align_bits = 16;
  int block = 16;
  int pipeline = 0;
  std::string weight_format;  // nf4 | nf3 | nf2 | table: a lut PE of that many bits
  int lut_terms = 0;          // lut: entries of that many signed powers of two (0: a multiplier)
  // arrays and engines
  int rows = 16;
  int cols = 16;
  int group_size = 128;
  int depth = 64;
  std::string preset;  // start from a named configuration; options given override it
};

PeConfig pe_config(const PeArgs& a, const CLI::App& cmd) {
  PeConfig c;
  c.kind = parse_pe_kind(a.pe);
  c.weight_bits = a.weight_bits;
  c.weight_signed = a.weight_signed;
  c.act = parse_act(a.act);
  c.accum.mode = parse_accum(a.accum);
  c.accum.align_bits = a.align_bits;
  c.accum.block = a.block;
  c.pipeline = a.pipeline;
  c.lut_terms = a.lut_terms;
  if (!a.weight_format.empty()) {
    // the table's contents arrive on a port; the format fixes the kind and the index width
    if (a.weight_format == "nf4" || a.weight_format == "nf3" || a.weight_format == "nf2") {
      c.kind = PeKind::kLut;
      c.weight_bits = a.weight_format[2] - '0';
    } else if (a.weight_format == "table") {
      c.kind = PeKind::kLut;
    } else {
      fail("weight format '{}' is not supported: legal values are nf4, nf3, nf2, table", a.weight_format);
    }
  }
  // The baselines fix their formats; unset options take those values.
  if (c.kind == PeKind::kInt8) {
    if (cmd.count("--act") == 0) c.act = ActFormat::kInt8;
    if (cmd.count("--weight-bits") == 0) c.weight_bits = 8;
    if (cmd.count("--weight-signed") == 0) c.weight_signed = true;
    if (cmd.count("--accum") == 0) c.accum.mode = AccumMode::kExact;
  }
  if (c.kind == PeKind::kFma && cmd.count("--accum") == 0) c.accum.mode = AccumMode::kFp32;
  c.validate();
  return c;
}

EngineConfig engine_config(const PeArgs& a, const CLI::App& cmd) {
  if (a.preset.empty()) {
    EngineConfig e;
    PeArgs pa = a;
    pa.block = a.rows;  // a column of the array sums R products
    e.pe = pe_config(pa, cmd);
    e.rows = a.rows, e.cols = a.cols, e.group_size = a.group_size, e.depth = a.depth;
    e.validate();
    return e;
  }
  // a preset, with the options given on the command line overriding its fields
  EngineConfig e = engine_preset(a.preset).config;
  auto given = [&](const char* opt) { return cmd.count(opt) > 0; };
  if (given("--pe")) e.pe.kind = parse_pe_kind(a.pe);
  if (given("--weight-format")) fail("--weight-format does not combine with --preset: give the options instead");
  if (given("--weight-bits")) e.pe.weight_bits = a.weight_bits;
  if (given("--weight-signed")) e.pe.weight_signed = a.weight_signed;
  if (given("--act")) e.pe.act = parse_act(a.act);
  if (given("--accum")) e.pe.accum.mode = parse_accum(a.accum);
  if (given("--align-bits")) e.pe.accum.align_bits = a.align_bits;
  if (given("--pipeline")) e.pe.pipeline = a.pipeline;
  if (given("--rows")) e.rows = a.rows;
  if (given("--cols")) e.cols = a.cols;
  if (given("--group-size")) e.group_size = a.group_size;
  if (given("--depth")) e.depth = a.depth;
  e.pe.accum.block = e.rows;
  e.validate();
  return e;
}

void gen_engine(const PeArgs& a, const CLI::App& cmd) {
  const EngineConfig e = engine_config(a, cmd);
  hdl::Design d;
  d.block = "engine";
  d.modules = engine_modules(e);
  d.latency = {{"last_a_to_y", e.latency()}};
  for (const std::string& path : hdl::write_design(d, a.out)) fmt::print("{}\n", path);
}

void gen_array(const PeArgs& a, const CLI::App& cmd) {
  const EngineConfig e = engine_config(a, cmd);
  hdl::Design d;
  d.block = "array";
  d.modules = {array_module(e)};
  for (hdl::Module& m : pe_modules(e.pe)) d.modules.push_back(std::move(m));
  d.latency = {{"a_to_psum", e.rows + e.pe.pipeline}, {"column_skew", 1}};
  for (const std::string& path : hdl::write_design(d, a.out)) fmt::print("{}\n", path);
}

void gen_edge(const PeArgs& a, const CLI::App& cmd) {
  const EngineConfig e = engine_config(a, cmd);
  hdl::Design d;
  d.block = "edge";
  d.modules = {act_edge_module(e)};
  d.latency = {{"a_to_out", 1}};
  for (const std::string& path : hdl::write_design(d, a.out)) fmt::print("{}\n", path);
}

void add_pe_options(CLI::App* pe, PeArgs* pa, bool block) {
  pe->add_option("-o,--out", pa->out, "output directory")->required();
  pe->add_option("--pe", pa->pe, "PE kind: mixpe, fma, int8")->capture_default_str();
  pe->add_option("--weight-bits", pa->weight_bits, "mixpe weight bits: 2, 3, 4, 8")->capture_default_str();
  pe->add_flag("--weight-signed", pa->weight_signed, "signed weight codes (symmetric quantization)");
  pe->add_option("--weight-format", pa->weight_format, "LUT weights: nf4, nf3, nf2 or table (a lut PE)");
  pe->add_option("--lut-terms", pa->lut_terms, "LUT entries of 1-3 signed powers of two: a shift-add PE (0: multiplier)")
      ->capture_default_str();
  pe->add_option("--act", pa->act, "activation format: fp16, bf16, int8")->capture_default_str();
  pe->add_option("--accum", pa->accum, "accumulation: prealign, exact, fp32")->capture_default_str();
  pe->add_option("--align-bits", pa->align_bits, "prealign: aligned activation width A (8..32)")->capture_default_str();
  if (block)
    pe->add_option("--block", pa->block, "products summed per column: the array's rows (power of two)")
        ->capture_default_str();
  pe->add_option("--pipeline", pa->pipeline, "registers between product and accumulation: 0, 1")->capture_default_str();
}

void add_array_options(CLI::App* cmd, PeArgs* pa) {
  add_pe_options(cmd, pa, false);
  cmd->add_option("--rows", pa->rows, "R: array rows (K per tile), a power of two dividing G")->capture_default_str();
  cmd->add_option("--cols", pa->cols, "C: array columns (N per tile), 2..64")->capture_default_str();
  cmd->add_option("--group-size", pa->group_size, "G: weights per group along K: 32, 64, 128, 256")
      ->capture_default_str();
  cmd->add_option("--depth", pa->depth, "D: the largest M (rows in flight), a power of two")->capture_default_str();
  cmd->add_option("--preset", pa->preset, "start from a named configuration (mixpe list presets); options override");
}

void gen_pe(const PeArgs& a, const CLI::App& cmd) {
  const PeConfig c = pe_config(a, cmd);
  hdl::Design d;
  d.block = "pe";
  d.modules = pe_modules(c);
  d.latency = {{"a_to_psum", c.latency()}, {"psum_to_psum", 1}, {"a_to_a", 1}};
  for (const std::string& path : hdl::write_design(d, a.out)) fmt::print("{}\n", path);
}

}  // namespace

void register_gen_command(CLI::App& app) {
  CLI::App* gen = app.add_subcommand("gen", "generate Verilog for a hardware block");
  gen->require_subcommand(1);
  auto pa = std::make_shared<PeArgs>();
  CLI::App* pe = gen->add_subcommand("pe", "a processing element");
  add_pe_options(pe, pa.get(), true);
  pe->callback([pa, pe] { gen_pe(*pa, *pe); });

  auto aa = std::make_shared<PeArgs>();
  CLI::App* array = gen->add_subcommand("array", "an R x C weight-stationary array of PEs");
  add_array_options(array, aa.get());
  array->callback([aa, array] { gen_array(*aa, *array); });

  auto ga = std::make_shared<PeArgs>();
  CLI::App* edge = gen->add_subcommand("edge", "the activation edge of an engine (alignment, S, flags), alone");
  add_array_options(edge, ga.get());
  edge->callback([ga, edge] { gen_edge(*ga, *edge); });

  auto ea = std::make_shared<PeArgs>();
  CLI::App* engine = gen->add_subcommand("engine", "the mpGEMM engine: array, edges, group dequant, controller");
  add_array_options(engine, ea.get());
  engine->callback([ea, engine] { gen_engine(*ea, *engine); });

  CLI::App* list = app.add_subcommand("list", "list the configurations the test and lint sweeps cover");
  list->add_subcommand("pe", "every PE configuration, as `mixpe gen pe` options with its module name")
      ->callback([] {
        for (const PeConfig& c : pe_sweep()) fmt::print("{} {}\n", c.module_name(), gen_options(c));
      });
  list->add_subcommand("presets", "the named engine configurations")->callback([] {
    for (const EnginePreset& p : engine_presets()) fmt::print("{} {} : {}\n", p.name, p.config.name(), p.description);
  });
  list->add_subcommand("engine", "the engines the lint and regeneration checks cover: every preset")->callback([] {
    for (const EnginePreset& p : engine_presets()) fmt::print("{} --preset {}\n", p.config.name(), p.name);
  });
  list->require_subcommand(1);
}

}  // namespace mixpe
