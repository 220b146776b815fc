// `mixpe cycles`: the engine's cycle model (golden/engine_cycles.h) for GEMM shapes: cycles from
// the command to the last output beat with streams never idle, utilization of the array, the
// max(M, R / L) bound, and the weight bytes the engine takes per cycle. Exact: the engine testbench
// checks the model against the RTL cycle for cycle.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/design_args.h"
#include "cli/validate.h"
#include "golden/engine_cycles.h"
#include "numerics/error.h"

namespace mixpe {
namespace {

struct CyclesArgs {
  std::vector<std::string> shapes;
  DesignArgs design;
};

struct Shape {
  int m, k, n;
};

Shape parse_shape(const std::string& s) {
  static const std::regex re(R"((\d{1,9})x(\d{1,9})x(\d{1,9}))");
  std::smatch mt;
  if (!std::regex_match(s, mt, re)) fail("--shape {}: expected MxKxN, e.g. 1x4096x4096", shorten(s));
  const Shape sh{std::stoi(mt[1]), std::stoi(mt[2]), std::stoi(mt[3])};
  if (sh.m < 1 || sh.k < 1 || sh.n < 1) fail("--shape {}: M, K and N must be at least 1", s);
  return sh;
}

void run_cycles(const CyclesArgs& a) {
  const EngineConfig e = a.design.engine();
  std::vector<Shape> shapes;
  for (const std::string& s : a.shapes) shapes.push_back(parse_shape(s));
  // the model steps cycle by cycle (about 30 ns each): shapes beyond 2^24 cycles (about half a
  // second) are refused before any work; cycles grow linearly with K / R x N / C tiles
  constexpr double kMaxCycles = double(1 << 24);
  for (const Shape& s : shapes) {
    if (s.m > e.depth) fail("--shape {}x{}x{}: M is above the engine's depth {} (use --depth)", s.m, s.k, s.n, e.depth);
    const double tiles = std::ceil(double(s.k) / e.rows) * std::ceil(double(s.n) / e.cols);
    const double per_tile = std::max({s.m, e.beats_per_tile(), e.row_gap()});
    if (tiles * per_tile > kMaxCycles)
      fail(
          "--shape {}x{}x{}: about {:.3g} cycles, above the model's limit of 2^24 (it steps each cycle): give a "
          "smaller "
          "K or N (cycles grow linearly with the tiles)",
          s.m, s.k, s.n, tiles * per_tile);
  }
  const int R = e.rows, C = e.cols;
  std::vector<EngineCycles> counts;  // all first: a bad shape fails before anything is printed
  for (const Shape& s : shapes) counts.push_back(engine_cycles_mkn(e, s.m, s.k, s.n));
  fmt::print("{} ({} x {}, L = {}, G = {}): cycles from the command to the last output row, streams never idle\n",
             e.name(), R, C, e.load, e.group_size);
  fmt::print("{:>18} {:>12} {:>12} {:>11} {:>11} {:>16}\n", "M x K x N", "cycles", "MACs", "utilization", "bound",
             "weight B/cycle");
  for (size_t i = 0; i < shapes.size(); ++i) {
    const Shape& s = shapes[i];
    const EngineCycles& n = counts[i];
    const double macs = double(s.m) * s.k * s.n, util = macs / (double(R) * C * double(n.cycles));
    const double bound = double(s.m) / std::max(s.m, e.beats_per_tile());
    const double wbytes = double(n.w_beats) * e.load * C * e.pe.weight_width() / 8.0;
    fmt::print("{:>18} {:>12} {:>12.4g} {:>11.3f} {:>11.3f} {:>16.2f}\n", fmt::format("{}x{}x{}", s.m, s.k, s.n),
               n.cycles, macs, util, bound, wbytes / double(n.cycles));
  }
}

}  // namespace

void register_cycles_command(CLI::App& app) {
  auto ca = std::make_shared<CyclesArgs>();
  CLI::App* cmd = app.add_subcommand("cycles", "the engine's cycle model for GEMM shapes (exact against the RTL)");
  cmd->add_option("--shape", ca->shapes, "MxKxN, repeatable")->required();
  ca->design.add_to(*cmd, kPeScope | kEngineScope);
  cmd->callback([ca] { run_cycles(*ca); });
}

}  // namespace mixpe
