// The one atomic writer of every command that writes files. Destinations are checked before any
// work (check_output_dir / check_output_file: nothing is created then); the files of one command
// are then collected and committed together: every destination checked again, each file written
// to a uniquely named temporary beside its destination, every write checked, and all renamed
// into place only when all are written. Any failure, the renames included, rolls back: files
// already replaced get their old contents back (kept under a second name until the commit is
// done), every temporary and every directory the commit created is removed, and the one-line
// error names the path.
#pragma once
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace mixpe {

// Fails (one line naming `option`) unless `dir` is a directory or could be created as one: not
// empty, names within the file system's limits, its nearest existing ancestor a writable
// directory, nothing in the way that is not a directory.
void check_output_dir(const std::string& option, const std::filesystem::path& dir);
// The same for a file: a regular file if it exists, its parent directory possible as above.
void check_output_file(const std::string& option, const std::filesystem::path& file);

class OutputFiles {
 public:
  using RenameFn = int (*)(const char* from, const char* to);
  // `rename` moves each temporary into place (a test passes one that fails).
  explicit OutputFiles(RenameFn rename = ::rename);
  void add(std::filesystem::path path, std::string bytes);
  // Writes every file (creating missing directories) and returns their paths.
  std::vector<std::string> commit();

 private:
  void check() const;
  RenameFn rename_;
  std::vector<std::pair<std::filesystem::path, std::string>> files_;
};

}  // namespace mixpe
