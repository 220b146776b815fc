// A pipeline register inside an emitted datapath: the emitter names the values live across the
// cut; the caller registers them (with whatever travels beside them: valid, control) and renames
// each to its registered copy. An empty cut function means a combinational datapath.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace mixpe {

struct LiveValue {
  std::string label;  // short, unique within the cut: names the register
  std::string name;   // the signal; replaced by its registered copy
  int width;
};
using PipelineCut = std::function<void(std::vector<LiveValue>&)>;

}  // namespace mixpe
