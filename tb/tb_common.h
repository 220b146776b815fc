// Shared by the Verilator testbenches: options, the pass/fail tally and its closing line.
#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include <fmt/core.h>

#include "config/engine_config.h"

namespace CLI {
class App;
}

namespace mixpe::tb {

struct Options {
  uint64_t seed = 1;
  long random_cases = 1'000'000;
  std::string fst;       // waveform file; empty: no tracing
  long plant_bug = -1;   // corrupt the expected value of this check: the harness must fail
  int max_reports = 20;  // mismatches printed in full

  // Parses the command line; on --help or a bad option prints and exits. `extra` adds a
  // testbench's own options.
  void parse(int argc, char** argv, const char* description, const std::function<void(CLI::App&)>& extra = nullptr);
};

// The configuration a design was generated for, rebuilt from the canonical options its params
// header carries (kOptions); fails unless the registry's block `block` of it is named `top`.
EngineConfig design_config(const char* options, const char* block, const char* top);

class Tally {
 public:
  explicit Tally(const Options& o, std::FILE* out = stdout) : opt_(o), out_(out) {}
  // Compares one output; prints the first mismatches with their context.
  template <typename Describe>
  void check(uint64_t got, uint64_t want, Describe&& describe) {
    if (long(checks_) == opt_.plant_bug) want ^= 1;
    ++checks_;
    if (got == want) {
      ++passed_;
      return;
    }
    if (++failed_ <= uint64_t(opt_.max_reports))
      fmt::print(out_, "MISMATCH got 0x{:x} expected 0x{:x}: {}\n", got, want, describe());
  }
  uint64_t failed() const { return failed_; }
  // The closing line; returns the process exit status.
  int finish() const {
    fmt::print(out_, "{} passed, {} failed\n", passed_, failed_);
    std::fflush(out_);
    return failed_ ? 1 : 0;
  }

 private:
  const Options& opt_;
  std::FILE* out_;
  uint64_t checks_ = 0, passed_ = 0, failed_ = 0;
};

}  // namespace mixpe::tb
