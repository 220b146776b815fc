// The atomic writer (io/output_files.h) and the rule for users' text (numerics/user_text.h).
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "io/output_files.h"
#include "numerics/error.h"
#include "numerics/user_text.h"

using namespace mixpe;
namespace fs = std::filesystem;

namespace {

// A fresh, empty directory for one test.
fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("mixpe_test_output_files." + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) out.insert(fs::relative(e.path(), dir).string());
  return out;
}

std::string read(const fs::path& p) {
  std::stringstream s;
  s << std::ifstream(p).rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

// Fails the second rename it is asked for, as a full disk or a vanished directory would.
int calls = 0;
int fail_second(const char* from, const char* to) {
  if (++calls == 2) return errno = EIO, -1;
  return std::rename(from, to);
}

std::string error_of(OutputFiles& f) {
  try {
    f.commit();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(OutputFiles, WritesReplacesAndLeavesNoTemporaries) {
  const fs::path d = scratch("writes");
  write(d / "a.txt", "old a");
  write(d / ".b.txt.tmp", "the user's own");  // the name the writer's temporaries once had
  OutputFiles f;
  f.add(d / "a.txt", "new a");
  f.add(d / "b.txt", "new b");
  f.add(d / "sub" / "c.txt", "new c");
  EXPECT_EQ(f.commit().size(), 3u);
  EXPECT_EQ(read(d / "a.txt"), "new a");
  EXPECT_EQ(read(d / "b.txt"), "new b");
  EXPECT_EQ(read(d / "sub" / "c.txt"), "new c");
  EXPECT_EQ(read(d / ".b.txt.tmp"), "the user's own");
  EXPECT_EQ(listing(d), (std::set<std::string>{"a.txt", "b.txt", ".b.txt.tmp", "sub", "sub/c.txt"}));
  fs::remove_all(d);
}

// A rename that fails halfway: the files already placed are put back as they were.
TEST(OutputFiles, RenameFailureRollsBack) {
  const fs::path d = scratch("rollback");
  write(d / "a.txt", "old a");
  calls = 0;
  OutputFiles f(fail_second);
  f.add(d / "a.txt", "new a");
  f.add(d / "b.txt", "new b");
  f.add(d / "new" / "c.txt", "new c");
  const std::string e = error_of(f);
  EXPECT_NE(e.find("b.txt"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  EXPECT_EQ(read(d / "a.txt"), "old a");
  EXPECT_EQ(listing(d), std::set<std::string>{"a.txt"});  // no b, no temporaries, backups or new/
  fs::remove_all(d);
}

// A destination that is a directory: refused before anything is written.
TEST(OutputFiles, DirectoryDestinationRefusedFirst) {
  const fs::path d = scratch("dirdest");
  fs::create_directories(d / "b.txt" / "inside");
  OutputFiles f;
  f.add(d / "a.txt", "a");
  f.add(d / "b.txt", "b");
  const std::string e = error_of(f);
  EXPECT_NE(e.find("is a directory"), std::string::npos) << e;
  EXPECT_EQ(listing(d), (std::set<std::string>{"b.txt", "b.txt/inside"}));
  fs::remove_all(d);
}

TEST(OutputFiles, PathsCheckedUpFront) {
  const fs::path d = scratch("paths");
  EXPECT_THROW(check_output_dir("-o", ""), Error);
  EXPECT_THROW(check_output_file("--csv", ""), Error);
  EXPECT_THROW(check_output_file("--csv", d), Error);
  EXPECT_THROW(check_output_file("--csv", "/dev/null"), Error);  // a device, not a file to replace
  try {
    check_output_file("--csv", d / std::string(256, 'x'));
    FAIL() << "a 256-character name accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("limit"), std::string::npos) << e.what();
    EXPECT_LT(std::string(e.what()).size(), 400u) << e.what();
  }
  // the longest name the file system takes: written, its temporary's name shortened
  OutputFiles f;
  f.add(d / std::string(255, 'y'), "y");
  check_output_file("--csv", d / std::string(255, 'y'));
  f.commit();
  EXPECT_EQ(listing(d), std::set<std::string>{std::string(255, 'y')});
  fs::remove_all(d);
}

TEST(UserText, ShortenEscapesAndElides) {
  EXPECT_EQ(shorten("fp16"), "fp16");
  EXPECT_EQ(shorten("a\nb\tc\x01"), "a\\nb\\tc\\x01");
  const std::string s = shorten(std::string(1000, '\n'));
  EXPECT_EQ(s.find('\n'), std::string::npos);
  EXPECT_NE(s.find("(1000 characters)"), std::string::npos) << s;
  EXPECT_LT(s.size(), 100u);
}

TEST(UserText, DecimalOnly) {
  EXPECT_EQ(parse_decimal("0"), 0);
  EXPECT_EQ(parse_decimal("-12"), -12);
  EXPECT_EQ(parse_decimal("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_decimal("-9223372036854775808"), INT64_MIN);
  for (const char* bad : {"", "-", "+1", "010", "08", "0x10", " 1", "1 ", "1e3", "9223372036854775808", "00"})
    EXPECT_FALSE(parse_decimal(bad).has_value()) << bad;
  EXPECT_EQ(parse_unsigned_decimal("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_unsigned_decimal("18446744073709551616").has_value());
  EXPECT_FALSE(parse_unsigned_decimal("-1").has_value());
}
