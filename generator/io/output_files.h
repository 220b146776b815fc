// The one atomic writer of every command that writes files. Destinations are checked before any
// work (check_output_dir / check_output_file: nothing is created then); the files of one command
// are then collected and committed together: each written to a temporary beside its destination,
// every stream checked, and all renamed into place only when all are written. On any failure
// every temporary (and every directory the commit created) is removed and the error names the
// path; what was there before is left as it was.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace mixpe {

// Fails (one line naming `option`) unless `dir` is a directory or could be created as one: its
// nearest existing ancestor a writable directory, nothing in the way that is not a directory.
void check_output_dir(const std::string& option, const std::filesystem::path& dir);
// The same for a file: not a directory itself, its parent directory possible as above.
void check_output_file(const std::string& option, const std::filesystem::path& file);

class OutputFiles {
 public:
  void add(std::filesystem::path path, std::string bytes);
  // Writes every file (creating missing directories) and returns their paths.
  std::vector<std::string> commit();

 private:
  std::vector<std::pair<std::filesystem::path, std::string>> files_;
};

}  // namespace mixpe
