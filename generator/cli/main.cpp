// mixpe: generator and golden model of mixed-precision GEMM hardware.
#include <cstdio>
#include <filesystem>
#include <ios>
#include <new>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/commands.h"
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    fmt::print(stderr, "mixpe: error: {} (see mixpe --help)\n", e.what());
    return 2;
  } catch (const mixpe::Error& e) {
    fmt::print(stderr, "mixpe: error: {}\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "mixpe: error: out of memory: the input is larger than this machine can hold\n");
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    fmt::print(stderr, "mixpe: error: {}\n", e.what());
    return 2;
  } catch (const std::ios_base::failure& e) {
    fmt::print(stderr, "mixpe: error: I/O: {}\n", e.what());
    return 2;
  }
  return 0;
}
