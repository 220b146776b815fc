// `mixpe gen <block>` (one subcommand per block of the registry: Verilog, a params header and a
// JSON manifest) and `mixpe list` (the registry, the option schema and the design points).
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "blocks/registry.h"
#include "cli/commands.h"
#include "cli/design_args.h"
#include "cli/validate.h"
#include "config/design_points.h"
#include "config/presets.h"
#include "io/output_files.h"
#include "numerics/error.h"
#include "perf/hardware.h"

namespace mixpe {
namespace {

struct GenArgs {
  DesignArgs design;
  std::string out;
  bool print_top = false;
};

void run_gen(const Block& b, const GenArgs& a) {
  EngineConfig c;
  if (b.scope & kEngineScope)
    c = a.design.engine();
  else
    c.pe = a.design.pe();
  if (!a.print_top && a.out.empty()) fail("gen {}: give the output directory with -o DIR", b.name);
  if (!a.print_top) check_output_dir("-o", a.out);
  const hdl::Design d = make_design(b, c);
  if (a.print_top) {
    fmt::print("{}\n", d.top->name);
    return;
  }
  for (const std::string& path : hdl::write_design(d, a.out)) fmt::print("{}\n", path);
}

// The MACs per cycle a block serves when its engine streams: one for a PE, a column's R for a group
// unit or a weight dequantizer (per column), R x C for the array, the edge and the engine.
int macs_per_cycle(const std::string& block, const EngineConfig& e) {
  return block == "pe" ? 1 : (block == "group-unit" || block == "weight-dequant") ? e.rows : e.rows * e.cols;
}

nlohmann::ordered_json point_json(const DesignPoint& p) {
  const EngineConfig e = engine_from_options(parse_option_string(p.options));
  const WeightQuantConfig w = e.weight_quant();
  return {{"name", p.name},
          {"family", p.family},
          {"block", p.block},
          {"options", p.options},
          {"numeric_options", option_string(numeric_options(parse_option_string(p.options)))},
          // every option that decides the numbers, canonical: equal for points that compute alike
          {"numbers", option_string(numeric_options(e.to_options()))},
          {"pe_options", option_string(e.pe.to_options())},
          {"top", p.block == "pe" ? e.pe.module_name() : make_design(find_block(p.block), e).top->name},
          {"macs_per_cycle", macs_per_cycle(p.block, e)},
          {"weight_bits", w.bits},
          {"scheme", std::string(scheme_name(w.scheme))},
          {"lut_terms", e.pe.lut_terms},
          {"act", std::string(act_name(e.pe.act))},
          {"group_size", e.group_size},
          {"what", p.what}};
}

void list_points(CLI::App* list, const char* name, const char* what, const std::vector<DesignPoint>& (*points)()) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = list->add_subcommand(name, what);
  cmd->add_flag("--json", *json, "one JSON object per line, with the resolved configuration");
  cmd->callback([json, points] {
    for (const DesignPoint& p : points()) {
      if (*json)
        fmt::print("{}\n", point_json(p).dump());
      else
        fmt::print("{} | {} {}\n", p.name, p.block, p.options);
    }
  });
}

void register_list(CLI::App& app) {
  CLI::App* list = app.add_subcommand("list", "the blocks, the options and the design points of the sweeps");
  list->require_subcommand(1);
  // --markdown: the same as a Markdown table, which the documentation embeds (tests/check_docs.py
  // checks that the embedded copy equals this output)
  auto md = [](std::string s) {
    std::string out;
    for (char ch : s) out += ch == '|' || ch == '*' ? std::string("\\") + ch : std::string(1, ch);
    return out;
  };
  auto blocks_md = std::make_shared<bool>(false);
  CLI::App* blocks = list->add_subcommand("blocks", "every block `mixpe gen` makes, with the tests that verify it");
  blocks->add_flag("--markdown", *blocks_md, "a Markdown table: block, what, options, verified by");
  blocks->callback([blocks_md, md] {
    auto scope = [](const Block& b) { return b.scope & kEngineScope ? "PE and engine" : b.scope ? "PE" : "none"; };
    if (*blocks_md) fmt::print("| block | what | options | verified by |\n| --- | --- | --- | --- |\n");
    for (const Block& b : block_registry()) {
      if (*blocks_md)
        fmt::print("| `{}` | {} | {} | {} |\n", b.name, md(b.description), scope(b), md(b.tests));
      else
        fmt::print("{:<11} {}\n{:<11} options: {}; verified by: {}\n", b.name, b.description, "", scope(b), b.tests);
    }
  });
  auto options_md = std::make_shared<bool>(false);
  CLI::App* options = list->add_subcommand("options", "the option schema: option, make variable, scope, help");
  options->add_flag("--markdown", *options_md, "a Markdown table: option, make variable, scope, help");
  options->callback([options_md, md] {
    if (*options_md) fmt::print("| option | make variable | applies to | what |\n| --- | --- | --- | --- |\n");
    for (const OptionSpec& o : option_schema()) {
      const char* scope = o.scope & kPeScope ? "all" : "engine";
      if (*options_md)
        fmt::print("| `{}` | `{}` | {} | {} |\n", o.name, o.make_var, scope, md(o.help));
      else
        fmt::print("{:<17} {:<8} {:<6} {}\n", o.name, o.make_var, scope, o.help);
    }
  });
  list->add_subcommand("pe", "every PE configuration the lint and simulation sweeps cover: module, options")
      ->callback([] {
        for (const PeConfig& c : pe_sweep()) fmt::print("{} {}\n", c.module_name(), option_string(c.to_options()));
      });
  auto presets_md = std::make_shared<bool>(false);
  CLI::App* presets = list->add_subcommand("presets", "the named engine configurations");
  presets->add_flag("--markdown", *presets_md,
                    "a Markdown table with each engine's clock (its slowest block: PE, edge, group unit, and the "
                    "controller where the engine was synthesized whole, W4A16) and its PE's area against fma's, "
                    "timing run, from the measured area table (docs/measured/area.json)");
  presets->callback([presets_md, md] {
    if (!*presets_md) {
      for (const EnginePreset& p : engine_presets())
        fmt::print("{} {} : {}\n", p.name, engine_from_options({{"--preset", p.name}}).name(), p.description);
      return;
    }
    const std::string path = default_area_table();
    if (path.empty()) fail("list presets --markdown: no area table found (docs/measured/area.json): run `make area`");
    const AreaTable t = load_area_table(path);
    // the engine's clock: its slowest block (PE, west edge, group unit; the controller where the
    // engine was synthesized whole), as `make area` reports it
    std::string out =
        "| preset | what | clock, slowest block (timing run) | PE area vs `fma` (timing run) |\n| --- | --- | ---: | "
        "---: "
        "|\n";
    const double fma_um2 = t.block("fma").um2;
    for (const EnginePreset& p : engine_presets()) {
      const Design* d = nullptr;
      for (const Design& x : perf_designs())
        if (x.options == "--preset " + p.name && !x.dequant_first) d = &x;
      if (!d) fail("list presets --markdown: no measured blocks for preset '{}' (perf/hardware.cpp)", p.name);
      const BlockFigures pe = t.block(d->blocks.pe);
      double mhz = pe.fmax_mhz;
      for (const std::string& b : {d->blocks.edge, d->blocks.unit})
        if (t.block(b).fmax_mhz > 0) mhz = std::min(mhz, t.block(b).fmax_mhz);
      for (const auto& [name, own] : t.own_logic_mhz)
        if (name == p.name + "_engine_c2") mhz = std::min(mhz, own);
      const double ratio = fma_um2 / pe.um2;
      out += fmt::format("| `{}` | {} | {:.0f} MHz | {} |\n", p.name, md(p.description), mhz,
                         p.name == "fma" ? std::string("1") : fmt::format("{:.1f}x smaller", ratio));
    }
    fmt::print("{}", out);
  });
  list->add_subcommand("engine", "the engines the lint and regeneration checks cover: every preset")->callback([] {
    for (const EnginePreset& p : engine_presets())
      fmt::print("{} --preset {}\n", engine_from_options({{"--preset", p.name}}).name(), p.name);
  });
  list->add_subcommand("array", "the arrays the lint covers (each also at another size by parameter override)")
      ->callback([] {
        for (const std::string& opts : array_lint_points()) {
          const EngineConfig e = engine_from_options(parse_option_string(opts));
          fmt::print("{} {}\n", make_design(find_block("array"), e).top->name, opts);
        }
      });
  list->add_subcommand("weight-dequant", "the weight dequantizers the lint covers: every integer weight format")
      ->callback([] {
        for (const std::string& opts : weight_dequant_points()) {
          const EngineConfig e = engine_from_options(parse_option_string(opts));
          fmt::print("{} {}\n", make_design(find_block("weight-dequant"), e).top->name, opts);
        }
      });
  auto rnd = std::make_shared<std::tuple<int, uint64_t, int, int>>(20, 1, 32, 16);
  CLI::App* random = list->add_subcommand("random", "random legal engine configurations (make fuzz-configs)");
  random->add_option("--count", std::get<0>(*rnd), "how many")->capture_default_str()->check(integer_in(1, 1000000));
  random->add_option("--seed", std::get<1>(*rnd), "random seed")->capture_default_str()->check(seed_value());
  random->add_option("--max-rows", std::get<2>(*rnd), "largest array rows")
      ->capture_default_str()
      ->check(integer_in(2, 256));
  random->add_option("--max-cols", std::get<3>(*rnd), "largest array columns")
      ->capture_default_str()
      ->check(integer_in(2, 64));
  random->callback([rnd] {
    const auto [count, seed, rows, cols] = *rnd;
    if (count < 1 || rows < 2 || cols < 2) fail("list random: --count >= 1, --max-rows and --max-cols >= 2");
    for (const std::string& o : random_engine_options(count, seed, rows, cols))
      fmt::print("{} {}\n", engine_from_options(parse_option_string(o)).name(), o);
  });
  list_points(list, "area", "the designs of the synthesis report (make area)", area_points);
  list_points(list, "power", "the engines of the gate-level power flow (make power)", power_points);
  list_points(list, "dse", "the points of the design-space exploration (make dse)", dse_points);
  list_points(list, "eval", "the configurations `mixpe eval` scores", eval_points);
}

}  // namespace

void register_gen_command(CLI::App& app) {
  CLI::App* gen = app.add_subcommand("gen", "generate Verilog for a hardware block (mixpe list blocks)");
  gen->require_subcommand(1);
  for (const Block& b : block_registry()) {
    auto args = std::make_shared<GenArgs>();
    CLI::App* cmd = gen->add_subcommand(b.name, b.description);
    cmd->add_option("-o,--out", args->out, "output directory");
    cmd->add_flag("--print-top", args->print_top, "print the top module's name, write nothing");
    args->design.add_to(*cmd, b.scope);
    cmd->callback([&b, args] { run_gen(b, *args); });
  }
  register_list(app);
}

}  // namespace mixpe
