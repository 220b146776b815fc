#include "io/output_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <set>
#include <system_error>

#include <fmt/format.h>

#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

namespace fs = std::filesystem;

namespace {

// Every call below takes an error_code: a file-system failure must reach undo and a one-line
// message, never escape as an exception halfway through a commit.

// A path in a message: shortened, though less than other values, so that its file name usually shows.
std::string quoted(const fs::path& p, size_t max = 160) { return fmt::format("'{}'", shorten(p.string(), max)); }

// The longest file name the file system holding `dir` (or its nearest existing ancestor) takes.
size_t name_max(const fs::path& dir) {
  std::error_code ec;
  fs::path a = fs::absolute(dir.empty() ? fs::path(".") : dir, ec);
  while (a.has_parent_path() && a.parent_path() != a && !fs::exists(a, ec)) a = a.parent_path();
  const long n = ::pathconf(a.c_str(), _PC_NAME_MAX);
  return n > 0 ? size_t(n) : 255;
}

// Names and paths the system can take: found here, not as a late and misleading failure to
// create a temporary.
void check_lengths(const std::string& what, const fs::path& p) {
  const size_t max = name_max(p.parent_path());
  for (const fs::path& part : p)
    if (part.native().size() > max)
      fail("{} {}: the name {} has {} characters, above the file system's limit of {}: give a shorter name", what,
           quoted(p), quoted(part, 60), part.native().size(), max);
  std::error_code ec;
  const size_t length = fs::absolute(p, ec).native().size();
  if (length >= PATH_MAX - 64)  // (room for a temporary's name beside it)
    fail("{} {}: the path has {} characters, above the system's limit of {}: give a shorter path", what, quoted(p),
         length, PATH_MAX - 64);
}

// Fails unless `dir` is a directory or could be made one: the nearest existing ancestor a
// writable directory.
void check_dir_possible(const std::string& what, const fs::path& dir) {
  std::error_code ec;
  const fs::path p = dir.empty() ? fs::path(".") : dir;
  if (fs::exists(p, ec) && !fs::is_directory(p, ec)) fail("{} {}: it exists and is not a directory", what, quoted(dir));
  fs::path a = fs::absolute(p, ec);
  while (!a.empty() && !fs::exists(a, ec) && a.has_parent_path() && a.parent_path() != a) a = a.parent_path();
  if (!fs::is_directory(a, ec)) fail("{} {}: {} is in the way and is not a directory", what, quoted(dir), quoted(a));
  if (::access(a.c_str(), W_OK | X_OK) != 0) fail("{} {}: {} is not writable", what, quoted(dir), quoted(a));
}

// Fails if `file` exists as anything but a regular file: renaming over a directory fails, and
// over a device (--logits /dev/null) would replace the device node.
void check_replaceable(const std::string& what, const fs::path& file) {
  std::error_code ec;
  const fs::file_status st = fs::status(file, ec);
  if (fs::is_directory(st)) fail("{} {}: it is a directory; remove it or give another name", what, quoted(file));
  if (fs::exists(st) && !fs::is_regular_file(st))
    fail("{} {}: it exists and is not a regular file; give another name", what, quoted(file));
}

fs::path dir_of(const fs::path& file) { return file.parent_path().empty() ? fs::path(".") : file.parent_path(); }

// A new, empty file beside `dest` with a unique name (mkstemp: no race with another run, no
// clobbering of a user's file), so that renaming it over `dest` is atomic. The name keeps a
// prefix of dest's so that a leftover is recognizable, short enough for any destination.
fs::path unique_beside(const fs::path& dest, const char* kind, int& fd) {
  const std::string name = dest.filename().string();
  const size_t room = name_max(dir_of(dest)) - 16;
  std::string tmpl =
      (dir_of(dest) / fmt::format(".{}.{}.XXXXXX", name.substr(0, std::min(name.size(), room)), kind)).string();
  fd = ::mkstemp(tmpl.data());
  if (fd < 0) fail("cannot create a temporary beside {}: {}", quoted(dest), std::strerror(errno));
  return tmpl;
}

// Writes all of `bytes` to `fd` with the permissions a new file gets (mkstemp makes it 0600).
bool write_all(int fd, const std::string& bytes) {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  bool ok = ::fchmod(fd, 0666 & ~mask) == 0;
  for (size_t done = 0; ok && done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += size_t(n);
  }
  return ::close(fd) == 0 && ok;
}

// A second name for the existing `dest` (a hard link; a copy where links are not supported),
// which the rollback renames back over it.
fs::path backup_of(const fs::path& dest) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    int fd = -1;
    const fs::path b = unique_beside(dest, "old", fd);
    ::close(fd);
    std::error_code ec;
    fs::remove(b, ec);
    if (::link(dest.c_str(), b.c_str()) == 0) return b;
    if (errno == EEXIST) continue;  // another process took the name in between
    if (fs::copy_file(dest, b, fs::copy_options::overwrite_existing, ec)) return b;
    fs::remove(b, ec);
    fail("cannot keep a copy of {} to restore on failure: {}", quoted(dest), ec.message());
  }
  fail("cannot keep a copy of {} to restore on failure: no free name beside it", quoted(dest));
}

}  // namespace

void check_output_dir(const std::string& option, const fs::path& dir) {
  if (dir.empty()) fail("{} '': an empty path; give a directory (. for the current one)", option);
  check_lengths(option, dir);
  check_dir_possible(option, dir);
}

void check_output_file(const std::string& option, const fs::path& file) {
  if (file.empty() || !file.has_filename()) fail("{} {}: give a file name", option, quoted(file));
  check_lengths(option, file);
  check_replaceable(option, file);
  check_dir_possible(option, dir_of(file));
}

OutputFiles::OutputFiles(RenameFn rename) : rename_(rename) {}

void OutputFiles::add(fs::path path, std::string bytes) { files_.emplace_back(std::move(path), std::move(bytes)); }

// Every destination before anything is created: a directory in a file's place, or a file in a
// directory's, would otherwise fail the rename phase after other files were placed.
void OutputFiles::check() const {
  std::set<fs::path> seen;
  std::error_code ec;
  for (const auto& [path, bytes] : files_) {
    if (!seen.insert(fs::absolute(path, ec).lexically_normal()).second)
      fail("internal: {} is written twice", quoted(path));
    check_lengths("cannot write", path);
    check_replaceable("cannot write", path);
    check_dir_possible("cannot write", dir_of(path));
  }
}

std::vector<std::string> OutputFiles::commit() {
  check();
  struct Staged {
    fs::path dest, temp, backup;
    bool placed = false;
  };
  std::vector<Staged> staged;
  std::vector<fs::path> created;
  // restores what was there before: placed files back to their backups (or removed), every
  // temporary, backup and directory of this commit removed; says what it could not restore
  auto undo = [&]() noexcept {
    std::string lost;
    std::error_code ec;
    for (auto it = staged.rbegin(); it != staged.rend(); ++it) {
      if (it->placed && !it->backup.empty()) {
        if (::rename(it->backup.c_str(), it->dest.c_str()) != 0)
          lost = fmt::format(" ({} could not be restored: its old contents are in {})", quoted(it->dest),
                             quoted(it->backup));
        else
          it->backup.clear();
      } else if (it->placed) {
        fs::remove(it->dest, ec);
      }
      if (!it->temp.empty() && !it->placed) fs::remove(it->temp, ec);
      if (!it->backup.empty() && lost.empty()) fs::remove(it->backup, ec);
    }
    for (auto it = created.rbegin(); it != created.rend(); ++it) fs::remove(*it, ec);  // only if still empty
    return lost;
  };
  std::vector<std::string> written;
  try {
    for (const auto& [path, bytes] : files_) {
      // the directories this commit creates, outermost first, so that a failure can remove them
      std::error_code ec;
      std::vector<fs::path> missing;
      for (fs::path d = fs::absolute(dir_of(path), ec); !d.empty() && !fs::exists(d, ec) && d.parent_path() != d;
           d = d.parent_path())
        missing.insert(missing.begin(), d);
      for (const fs::path& d : missing) {
        if (!fs::create_directory(d, ec) && !fs::is_directory(d, ec))
          fail("cannot create the directory {}: {}", quoted(d), ec ? ec.message() : "something is in the way");
        created.push_back(d);
      }
      int fd = -1;
      staged.push_back({path, unique_beside(path, "tmp", fd), {}});
      if (!write_all(fd, bytes))
        fail("cannot write {} (disk full or not writable?): nothing was written", quoted(path));
    }
    // a second name for every file about to be replaced, so that the renames can be undone
    for (Staged& s : staged) {
      std::error_code ec;
      if (fs::exists(fs::symlink_status(s.dest, ec))) s.backup = backup_of(s.dest);
    }
    for (Staged& s : staged) {
      if (rename_(s.temp.c_str(), s.dest.c_str()) != 0) {
        const int why = errno;
        fail("cannot move a temporary into place as {}: {}: nothing was changed", quoted(s.dest), std::strerror(why));
      }
      s.placed = true;
      written.push_back(s.dest.string());
    }
  } catch (const Error& e) {
    throw Error(e.what() + undo());
  } catch (...) {
    undo();
    throw;
  }
  std::error_code ec;
  for (const Staged& s : staged)
    if (!s.backup.empty()) fs::remove(s.backup, ec);
  return written;
}

}  // namespace mixpe
