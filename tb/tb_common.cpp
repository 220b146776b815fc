#include "tb_common.h"

#include <cstdlib>

#include <CLI/CLI.hpp>

#include "blocks/registry.h"
#include "config/options.h"
#include "numerics/error.h"

namespace mixpe::tb {

void Options::parse(int argc, char** argv, const char* description, const std::function<void(CLI::App&)>& extra) {
  CLI::App app{description};
  app.add_option("--seed", seed, "random seed")->capture_default_str();
  app.add_option("--random", random_cases, "random cases where the space is too large for exhaustion")
      ->capture_default_str();
  app.add_option("--fst", fst, "write an FST waveform to this file");
  app.add_option("--plant-bug", plant_bug, "corrupt the expected value of check N (shows the checker can fail)");
  if (extra) extra(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e) == 0 ? 0 : 2);
  }
}

EngineConfig design_config(const char* options, const char* block, const char* top) {
  const Block& b = find_block(block);
  const OptionList opts = parse_option_string(options);
  EngineConfig c;
  if (b.scope & kEngineScope)
    c = engine_from_options(opts);
  else
    c.pe = pe_from_options(opts);
  if (make_design(b, c).top->name != top)
    fail("the params header of {} does not match the configuration its options describe: regenerate", top);
  return c;
}

}  // namespace mixpe::tb
