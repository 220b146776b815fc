#include "hdl/bundle.h"

#include <stdexcept>

#include "hdl/module.h"

namespace mixpe::hdl {

Bundle& Bundle::field(std::string name, int width) {
  if (width > 0) fields_.emplace_back(std::move(name), width);
  return *this;
}

int Bundle::width() const {
  int w = 0;
  for (const auto& f : fields_) w += f.second;
  return w;
}

bool Bundle::has(const std::string& name) const {
  for (const auto& f : fields_)
    if (f.first == name) return true;
  return false;
}

std::vector<std::string> Bundle::names() const {
  std::vector<std::string> out;
  for (const auto& f : fields_) out.push_back(f.first);
  return out;
}

std::string Bundle::pack(const std::map<std::string, std::string>& values) const {
  std::vector<std::string> parts;
  for (const auto& [name, w] : fields_) {
    const auto it = values.find(name);
    if (it == values.end()) throw std::logic_error("bundle field " + name + " has no value");
    parts.push_back(it->second);
  }
  if (values.size() != fields_.size()) throw std::logic_error("a value names no field of the bundle");
  return parts.size() == 1 ? parts[0] : cat(parts);
}

std::string Bundle::unpack(const std::string& bus, const std::string& name) const {
  int hi = width() - 1;
  for (const auto& [n, w] : fields_) {
    if (n == name) return slice(bus, hi, hi - w + 1);
    hi -= w;
  }
  throw std::logic_error("bundle has no field " + name);
}

}  // namespace mixpe::hdl
