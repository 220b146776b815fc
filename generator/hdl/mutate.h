// Single-point mutants of a module, at the level of its description: the faults a test suite
// must notice (make mutate). Enumerated in a fixed order, so mutant N is the same every time.
//   operator:  + <-> -, & <-> |, ^ -> &, == <-> !=, < <-> >=, > <-> <=, << <-> >>, >>> -> >>
//   constant:  a sized decimal literal plus one (modulo its width)
//   index:     a constant bit or part select one position lower
//   stuck:     a one-bit wire held at 0 or at 1
//   hold:      a register that never loads
#pragma once
#include <string>
#include <vector>

#include "hdl/module.h"

namespace mixpe::hdl {

// One line per mutant: "<kind>: <where>: <what>".
std::vector<std::string> mutation_sites(const Module& m);
// The module with mutant `index` (an index into mutation_sites) applied.
Module mutate(const Module& m, size_t index);

}  // namespace mixpe::hdl
