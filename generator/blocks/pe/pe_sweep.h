// Every legal PE configuration the test and lint sweeps cover: each kind, weight width,
// signedness, activation format and accumulation at the default A and B, plus variations of
// A, B and the pipeline.
#pragma once
#include <string>
#include <vector>

#include "blocks/pe/pe_config.h"

namespace mixpe {

std::vector<PeConfig> pe_sweep();
// The `mixpe gen pe` options that produce this configuration.
std::string gen_options(const PeConfig& c);

}  // namespace mixpe
