// A bundle: named fields packed into one vector, the first field the most significant. The
// field order lives here once; producers pack by name and consumers unpack by name.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mixpe::hdl {

class Bundle {
 public:
  // Appends a field; a width of 0 leaves it out (a field this configuration does not have).
  Bundle& field(std::string name, int width);
  int width() const;
  bool has(const std::string& name) const;
  std::vector<std::string> names() const;
  // {v_first, ..., v_last}: every field's value by name (a missing one is a logic error).
  std::string pack(const std::map<std::string, std::string>& values) const;
  // bus[hi:lo] of the named field.
  std::string unpack(const std::string& bus, const std::string& name) const;

 private:
  std::vector<std::pair<std::string, int>> fields_;
};

}  // namespace mixpe::hdl
