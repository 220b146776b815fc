// Each subcommand registers itself on the app; its callback runs when it is parsed.
#pragma once
#include <CLI/CLI.hpp>

namespace mixpe {

void register_error_command(CLI::App& app);
void register_gen_command(CLI::App& app);
void register_llm_commands(CLI::App& app);
void register_fidelity_command(CLI::App& app);
void register_mutate_command(CLI::App& app);
void register_cycles_command(CLI::App& app);
void register_perf_command(CLI::App& app);

}  // namespace mixpe
