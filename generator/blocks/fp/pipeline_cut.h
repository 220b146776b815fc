// A pipeline register inside an emitted datapath: the emitter names the values live across the
// cut; the caller registers them (with whatever travels beside them: valid, control) and renames
// each to its registered copy. An empty cut function means a combinational datapath.
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mixpe {

struct LiveValue {
  std::string label;  // short, unique within the cut: names the register
  std::string name;   // the signal; replaced by its registered copy
  int width;
};
using PipelineCut = std::function<void(std::vector<LiveValue>&)>;

// The (registered) name of the value labelled `label` in a cut's list.
inline const std::string& live_name(const std::vector<LiveValue>& live, const std::string& label) {
  for (const LiveValue& v : live)
    if (v.label == label) return v.name;
  throw std::logic_error("pipeline cut: no value " + label);
}

}  // namespace mixpe
