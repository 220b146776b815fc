#include "cli/design_args.h"

#include "numerics/error.h"

namespace mixpe {

void DesignArgs::add_to(CLI::App& app, unsigned scope) {
  app_ = &app;
  for (const OptionSpec& o : option_schema()) {
    if (!(o.scope & scope)) continue;
    if (o.flag)
      app.add_flag(o.name, flags_[o.name], o.help);
    else
      app.add_option(o.name, values_[o.name], o.help);
  }
}

OptionList DesignArgs::given() const {
  OptionList out;
  for (const OptionSpec& o : option_schema()) {
    if (!app_->get_option_no_throw(o.name) || app_->count(o.name) == 0) continue;
    out.emplace_back(o.name, o.flag ? (flags_.at(o.name) ? "1" : "0") : values_.at(o.name));
  }
  return out;
}

void DesignArgs::refuse(const std::vector<std::string>& ignored, const std::string& context) const {
  for (const auto& [name, value] : given())
    for (const std::string& i : ignored)
      if (name == i) fail("{} ignores {}: drop it (it would change nothing)", context, name);
}

const std::vector<std::string>& DesignArgs::hardware_only() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const OptionSpec& o : option_schema())
      if (o.hardware_only) n.push_back(o.name);
    return n;
  }();
  return names;
}

}  // namespace mixpe
