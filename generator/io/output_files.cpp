#include "io/output_files.h"

#include <unistd.h>

#include <fstream>
#include <system_error>

#include "numerics/error.h"

namespace mixpe {

namespace fs = std::filesystem;

void check_output_dir(const std::string& option, const fs::path& dir) {
  std::error_code ec;
  fs::path p = dir.empty() ? fs::path(".") : dir;
  if (fs::exists(p, ec) && !fs::is_directory(p, ec)) fail("{} {}: it exists and is not a directory", option, dir.string());
  // the nearest existing ancestor must be a writable directory
  fs::path a = fs::absolute(p, ec);
  while (!a.empty() && !fs::exists(a, ec) && a.has_parent_path() && a.parent_path() != a) a = a.parent_path();
  if (!fs::is_directory(a, ec)) fail("{} {}: '{}' is in the way and is not a directory", option, dir.string(), a.string());
  if (::access(a.c_str(), W_OK | X_OK) != 0) fail("{} {}: '{}' is not writable", option, dir.string(), a.string());
}

void check_output_file(const std::string& option, const fs::path& file) {
  std::error_code ec;
  if (file.empty() || !file.has_filename()) fail("{} '{}': give a file name", option, file.string());
  if (fs::is_directory(file, ec)) fail("{} {}: it is a directory; give a file name", option, file.string());
  check_output_dir(option, file.parent_path());
}

void OutputFiles::add(fs::path path, std::string bytes) { files_.emplace_back(std::move(path), std::move(bytes)); }

std::vector<std::string> OutputFiles::commit() {
  std::error_code ec;
  std::vector<fs::path> temps, created;
  auto undo = [&] {
    for (const fs::path& t : temps) fs::remove(t, ec);
    for (auto it = created.rbegin(); it != created.rend(); ++it) fs::remove(*it, ec);  // only if still empty
  };
  for (const auto& [path, bytes] : files_) {
    const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    // the directories this commit creates, outermost first, so that a failure can remove them
    std::vector<fs::path> missing;
    for (fs::path d = fs::absolute(dir, ec); !d.empty() && !fs::exists(d, ec) && d.parent_path() != d; d = d.parent_path())
      missing.insert(missing.begin(), d);
    for (const fs::path& d : missing) {
      if (!fs::create_directory(d, ec) && !fs::is_directory(d)) {
        undo();
        fail("cannot create the directory '{}': {}", d.string(), ec.message());
      }
      created.push_back(d);
    }
    const fs::path tmp = dir / ("." + path.filename().string() + ".tmp");
    temps.push_back(tmp);
    std::ofstream f(tmp, std::ios::binary);
    f.write(bytes.data(), std::streamsize(bytes.size()));
    f.close();
    if (!f) {
      undo();
      fail("cannot write '{}' (disk full or not writable?): nothing was written", path.string());
    }
  }
  std::vector<std::string> written;
  for (size_t i = 0; i < files_.size(); ++i) {
    fs::rename(temps[i], files_[i].first, ec);
    if (ec) {
      const std::string why = ec.message();
      for (size_t j = i; j < temps.size(); ++j) fs::remove(temps[j], ec);
      fail("cannot move '{}' into place as '{}': {}", temps[i].string(), files_[i].first.string(), why);
    }
    written.push_back(files_[i].first.string());
  }
  return written;
}

}  // namespace mixpe
