// mixpe: generator and golden model of mixed-precision GEMM hardware.
#include <cstdio>
#include <filesystem>
#include <ios>
#include <new>
#include <string>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/validate.h"
#include "numerics/error.h"

int main(int argc, char** argv) {
  CLI::App app{"mixpe: generator of mixed-precision GEMM hardware and its golden model"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "mixpe " MIXPE_VERSION);
  mixpe::register_gen_command(app);
  mixpe::register_error_command(app);
  mixpe::register_llm_commands(app);
  mixpe::register_fidelity_command(app);
  mixpe::register_mutate_command(app);
  mixpe::register_cycles_command(app);
  mixpe::register_perf_command(app);
  mixpe::check_flags(app);
  // a first word that is neither an option nor a command: name it (CLI11 would only say that a
  // subcommand is required)
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known = known || sub->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      fmt::print(stderr, "mixpe: error: unknown command '{}': use one of {}\n", mixpe::shorten(argv[1]), names);
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    fmt::print(stderr, "mixpe: error: {} (see mixpe --help)\n", mixpe::shorten(e.what(), 300));
    return 2;
  } catch (const mixpe::Error& e) {
    fmt::print(stderr, "mixpe: error: {}\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "mixpe: error: out of memory: the input is larger than this machine can hold\n");
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    fmt::print(stderr, "mixpe: error: {}\n", mixpe::shorten(e.what(), 300));
    return 2;
  } catch (const std::ios_base::failure& e) {
    fmt::print(stderr, "mixpe: error: I/O: {}\n", mixpe::shorten(e.what(), 300));
    return 2;
  } catch (const std::exception& e) {
    // the last line of defence: every input is validated first, so this is a bug
    fmt::print(stderr, "mixpe: internal error (a bug, not your input; please report the command line): {}\n",
               mixpe::shorten(e.what(), 300));
    return 3;
  }
  return 0;
}
