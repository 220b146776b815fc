// One exception type for every invalid input (parameter, file, data): the CLI prints its
// one-line message and exits with status 2.
#pragma once
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace mixpe {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws Error with a formatted one-line message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) {
  throw Error(fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace mixpe
