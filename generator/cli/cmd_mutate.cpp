// `mixpe mutate BLOCK`: the single-point mutants of a generated design (hdl/mutate.h), listed or
// written one at a time, for make mutate.
#include <cstdint>
#include <filesystem>

#include <fmt/core.h>

#include "blocks/registry.h"
#include "cli/commands.h"
#include "cli/design_args.h"
#include "cli/validate.h"
#include "hdl/design_output.h"
#include "hdl/mutate.h"
#include "io/output_files.h"
#include "numerics/error.h"

namespace mixpe {
namespace {

struct MutateArgs {
  DesignArgs design;
  std::string out;
  int64_t mutant = -1;  // (not long: 32 bits on some systems, and there may be 2^40)
  bool list = false;
};

// The testbench that sees a module first (the fast one of its own block), as `block options`:
// the PE's, the edge's and the group unit's own testbenches where they cover the configuration,
// else the engine's. make mutate runs the engine's too when the first one misses a mutant.
std::string first_testbench(const hdl::Module& m, const EngineConfig& c) {
  const std::string engine = "engine " + option_string(c.to_options());
  if (m.name == c.pe.module_name()) return "pe " + option_string(c.pe.to_options());
  const bool fixed_unit = !c.float_accum();
  if (m.name.starts_with("mixpe_act_edge_")) return "edge " + option_string(c.to_options());
  if (m.name == "mixpe_fp32_add") {  // the suite runs it in every FP32-accumulating PE first
    PeConfig fp = c.pe;
    fp.kind = PeKind::kMixpe, fp.act = ActFormat::kFp16, fp.accum.mode = AccumMode::kFp32, fp.pipeline = 0;
    fp.weight_bits = 4, fp.weight_signed = false;
    return "pe " + option_string(fp.to_options());
  }
  if (m.name.starts_with("mixpe_group_unit_") && fixed_unit) return "group-unit " + option_string(c.to_options());
  return engine;
}

void run_mutate(const Block& b, const MutateArgs& a) {
  EngineConfig c;
  if (b.scope & kEngineScope)
    c = a.design.engine();
  else
    c.pe = a.design.pe();
  const hdl::Design d = make_design(b, c);
  int64_t n = 0;
  for (const hdl::ModulePtr& m : d.modules()) {
    const std::vector<std::string> sites = hdl::mutation_sites(*m);
    if (a.list)
      for (const std::string& s : sites) fmt::print("{} {} | {} | {}\n", n++, m->name, first_testbench(*m, c), s);
    else if (a.mutant >= n && a.mutant < n + int64_t(sites.size())) {
      // the design's files with this module's mutant in its place, written together
      OutputFiles out;
      for (auto& [name, text] : hdl::design_files(d))
        out.add(std::filesystem::path(a.out) / name,
                name == m->name + ".v" ? hdl::emit_verilog(hdl::mutate(*m, size_t(a.mutant - n))) : std::move(text));
      out.commit();
      fmt::print("{} {}\n", m->name, sites[size_t(a.mutant - n)]);
      return;
    } else {
      n += int64_t(sites.size());
    }
  }
  if (!a.list) fail("mutate {}: --mutant {} is not legal: this design has mutants 0 to {}", b.name, a.mutant, n - 1);
}

}  // namespace

void register_mutate_command(CLI::App& app) {
  CLI::App* mut = app.add_subcommand("mutate", "single-point mutants of a generated design (make mutate)");
  mut->require_subcommand(1);
  for (const Block& b : block_registry()) {
    auto args = std::make_shared<MutateArgs>();
    CLI::App* cmd = mut->add_subcommand(b.name, b.description);
    cmd->add_flag("--list", args->list, "list every mutant: number, module | first testbench | what it changes");
    CLI::Option* mutant = cmd->add_option("--mutant", args->mutant, "write the design with this mutant applied")
                              ->check(integer_in(0, int64_t{1} << 40));
    CLI::Option* out = cmd->add_option("-o,--out", args->out, "output directory");
    args->design.add_to(*cmd, b.scope);
    // (not CLI11's excludes: it counts --list=0, which means no listing, as given)
    cmd->callback([&b, args, mutant, out] {
      if (args->list && (mutant->count() || out->count()))
        fail("mutate {}: --list lists the mutants, --mutant N with -o DIR writes one: give one or the other", b.name);
      if (!args->list) {
        if (args->mutant < 0 || args->out.empty()) fail("mutate {}: give --list, or --mutant N with -o DIR", b.name);
        check_output_dir("-o", args->out);
      }
      run_mutate(b, *args);
    });
  }
}

}  // namespace mixpe
