// Untrusted paths and outputs: uvgen runs in other projects' builds, often as
// root. Paths are data (no shell), outputs are replaced only when they are
// regular files, output sets are all or nothing even across concurrent or
// killed runs, failed writes to stdout fail the run, and inputs are bounded.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "catch.h"
#include "cli/files.h"
#include "cli/text_diff.h"
#include "diagnostics/input_error.h"
#include "changed_spec.h"
#include "process.h"

namespace fs = std::filesystem;
using uvgen::unifiedDiff;
using uvgen::test::contains;
using uvgen::test::lineCount;
using uvgen::test::fileExists;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runProcess;
using uvgen::test::runProcessWithStdout;
using uvgen::test::TempDir;
using uvgen::test::writeFile;

namespace {

const std::string kSpec = std::string(UVGEN_SOURCE_DIR) + "/schema/modules.json";


size_t occurrences(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// The schema of the system uv.h, written to dir/input/schema.json (writing it
// leaves the lock file in dir/input, away from the outputs the tests look at).
std::string systemSchema(const TempDir& dir) {
  fs::create_directory(dir.file("input"));
  std::string path = dir.file("input/schema.json");
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "-o", path});
  REQUIRE(result.exit_code == 0);
  return path;
}

// Names in a folder, sorted.
std::vector<std::string> entries(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Regular files in a folder (not below it): name -> content.
std::map<std::string, std::string> regularFiles(const std::string& folder) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file()) files[entry.path().filename().string()] = readFile(entry.path().string());
  return files;
}

// Every entry that uvgen uses only while writing: temporaries, journal, lock.
std::vector<std::string> litter(const std::string& folder) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(uvgen::kTempPrefix, 0) == 0 || name == uvgen::kJournalName || name == uvgen::kLockName ||
        contains(name, ".tmp"))
      found.push_back(entry.path().string());
  }
  return found;
}

// Every file of `expected` is in `folder` with that content.
bool holdsAll(const std::string& folder, const std::map<std::string, std::string>& expected) {
  for (const auto& [name, content] : expected) {
    std::string path = folder + "/" + name;
    if (!fileExists(path) || readFile(path) != content) return false;
  }
  return true;
}

// A character device like /dev/null (1, 3) at path; false when mknod is not allowed.
bool makeNullDevice(const std::string& path) {
  if (::mknod(path.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) return true;
  WARN("SKIPPED: mknod " << path << " failed: " << std::strerror(errno) << " (needs root)");
  return false;
}

bool isNullDevice(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

bool isKind(const std::string& path, mode_t kind) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

// --- unifiedDiff ------------------------------------------------------------

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

// "a,b" or "a" (a count of 1) of a hunk header.
std::pair<long, long> parseRange(const std::string& text) {
  size_t comma = text.find(',');
  if (comma == std::string::npos) return {std::stol(text), 1};
  return {std::stol(text.substr(0, comma)), std::stol(text.substr(comma + 1))};
}

// Applies a unified diff to old_text, checking every context and removed line
// and every hunk's counts; returns the new text.
std::string applyDiff(const std::string& old_text, const std::string& diff) {
  std::vector<std::string> old_lines = linesOf(old_text), diff_lines = linesOf(diff);
  REQUIRE(diff_lines.size() >= 2);
  REQUIRE(diff_lines[0].rfind("--- ", 0) == 0);
  REQUIRE(diff_lines[1].rfind("+++ ", 0) == 0);
  std::string out;
  size_t old_at = 0;
  size_t i = 2;
  while (i < diff_lines.size()) {
    const std::string& header = diff_lines[i];
    REQUIRE(header.rfind("@@ -", 0) == 0);
    REQUIRE(header.size() > 7);
    REQUIRE(header.compare(header.size() - 4, 4, " @@\n") == 0);
    std::string ranges = header.substr(3, header.size() - 7);  // "-a,b +c,d"
    size_t space = ranges.find(' ');
    REQUIRE(space != std::string::npos);
    auto [a, b] = parseRange(ranges.substr(1, space - 1));
    auto [c, d] = parseRange(ranges.substr(space + 2));
    REQUIRE(ranges[space + 1] == '+');
    size_t start = static_cast<size_t>(b == 0 ? a : a - 1);
    REQUIRE(start >= old_at);
    REQUIRE(start <= old_lines.size());
    for (; old_at < start; ++old_at) out += old_lines[old_at];
    CHECK((d == 0 ? c : c - 1) == static_cast<long>(linesOf(out).size()));
    long old_count = 0, new_count = 0;
    for (++i; i < diff_lines.size() && diff_lines[i].rfind("@@", 0) != 0; ++i) {
      char mark = diff_lines[i][0];
      std::string line = diff_lines[i].substr(1);
      if (i + 1 < diff_lines.size() && diff_lines[i + 1] == "\\ No newline at end of file\n") {
        line.pop_back();
        ++i;
      }
      if (mark == ' ' || mark == '-') {
        REQUIRE(old_at < old_lines.size());
        REQUIRE(old_lines[old_at] == line);
        ++old_at;
        ++old_count;
      }
      if (mark == ' ' || mark == '+') {
        out += line;
        ++new_count;
      }
      REQUIRE((mark == ' ' || mark == '-' || mark == '+'));
    }
    CHECK(old_count == b);
    CHECK(new_count == d);
  }
  for (; old_at < old_lines.size(); ++old_at) out += old_lines[old_at];
  return out;
}

// Lines removed plus lines added by a diff.
size_t editCount(const std::string& diff) {
  size_t count = 0;
  std::vector<std::string> lines = linesOf(diff);
  for (size_t i = 2; i < lines.size(); ++i)
    if (lines[i][0] == '-' || lines[i][0] == '+') ++count;
  return count;
}

// The fewest lines removed plus added to turn one text into the other.
size_t shortestEdit(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<size_t>> lcs(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  return a.size() + b.size() - 2 * lcs[0][0];
}

// Copies what `uvgen generate --check` compares into root.
void copyCheckedTree(const std::string& root) {
  uvgen::test::writeSpecInto(root, readFile(kSpec));
  for (const char* part : {"bindings", "shim"})
    fs::copy(std::string(UVGEN_SOURCE_DIR) + "/" + part, root + "/" + part, fs::copy_options::recursive);
}

}  // namespace

TEST_CASE("unified_diff_of_equal_texts_is_empty", "[diff]") {
  CHECK(unifiedDiff("a", "", "b", "").empty());
  CHECK(unifiedDiff("a", "x\ny\n", "b", "x\ny\n").empty());
}

TEST_CASE("unified_diff_shows_a_changed_line_with_three_lines_of_context", "[diff]") {
  std::string old_text, new_text;
  for (int i = 1; i <= 10; ++i) {
    old_text += std::to_string(i) + "\n";
    new_text += (i == 5 ? std::string("five") : std::to_string(i)) + "\n";
  }
  CHECK(unifiedDiff("old", old_text, "new", new_text) ==
        "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST_CASE("unified_diff_keeps_changes_far_apart_in_separate_hunks", "[diff]") {
  std::string old_text, new_text;
  for (int i = 1; i <= 20; ++i) {
    old_text += std::to_string(i) + "\n";
    if (i != 2 && i != 18) new_text += std::to_string(i) + "\n";
  }
  CHECK(unifiedDiff("old", old_text, "new", new_text) ==
        "--- old\n+++ new\n@@ -1,5 +1,4 @@\n 1\n-2\n 3\n 4\n 5\n@@ -15,6 +14,5 @@\n 15\n 16\n 17\n-18\n 19\n 20\n");
}

TEST_CASE("unified_diff_marks_a_last_line_without_newline", "[diff]") {
  CHECK(unifiedDiff("old", "a\nb", "new", "a\nc\n") ==
        "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n");
  CHECK(unifiedDiff("old", "a\n", "new", "a") ==
        "--- old\n+++ new\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n");
}

TEST_CASE("unified_diff_of_an_empty_text_names_line_zero", "[diff]") {
  CHECK(unifiedDiff("old", "", "new", "x\ny\n") == "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  CHECK(unifiedDiff("old", "x\n", "new", "") == "--- old\n+++ new\n@@ -1 +0,0 @@\n-x\n");
}

TEST_CASE("unified_diff_is_a_shortest_edit_that_rebuilds_the_new_text", "[diff]") {
  // Few distinct lines, so that many edits of the same length compete.
  const std::vector<std::string> pool = {"a\n", "b\n", "c\n", "a\n", "{\n", "}\n", "b"};
  uint32_t seed = 12345;
  auto next = [&seed] { return (seed = seed * 1103515245u + 12345u) >> 16; };
  for (int round = 0; round < 400; ++round) {
    std::vector<std::string> a, b;
    size_t n = next() % 40;
    for (size_t i = 0; i < n; ++i) a.push_back(pool[next() % (pool.size() - 1)]);
    // The new text: a copy of the old one with some lines dropped and some added.
    for (const std::string& line : a) {
      uint32_t roll = next() % 6;
      if (roll == 0) continue;
      if (roll == 1) b.push_back(pool[next() % (pool.size() - 1)]);
      b.push_back(line);
    }
    for (size_t extra = next() % 4; extra > 0; --extra) b.push_back(pool[next() % (pool.size() - 1)]);
    if (next() % 5 == 0) b.push_back(pool.back());  // no newline at the end
    std::string old_text, new_text;
    for (const std::string& line : a) old_text += line;
    for (const std::string& line : b) new_text += line;
    INFO("old:\n" << old_text << "\nnew:\n" << new_text);
    std::string diff = unifiedDiff("old", old_text, "new", new_text);
    if (old_text == new_text) {
      CHECK(diff.empty());
      continue;
    }
    INFO("diff:\n" << diff);
    CHECK(applyDiff(old_text, diff) == new_text);
    CHECK(editCount(diff) == shortestEdit(linesOf(old_text), linesOf(new_text)));
  }
}

TEST_CASE("unified_diff_of_thousand_line_files_differing_a_lot_is_exact", "[diff]") {
  std::string old_text, new_text;
  for (int i = 0; i < 1000; ++i) {
    old_text += "line " + std::to_string(i) + "\n";
    new_text += (i % 2 ? "changed " : "line ") + std::to_string(i) + "\n";
  }
  std::string diff = unifiedDiff("old", old_text, "new", new_text);
  CHECK(applyDiff(old_text, diff) == new_text);
  CHECK(editCount(diff) == 1000);  // 500 lines changed: each removed and added
}

TEST_CASE("unified_diff_of_100k_lines_all_different_is_one_hunk_of_every_line", "[diff]") {
  std::string old_text, new_text;
  for (int i = 0; i < 100000; ++i) {
    old_text += "old " + std::to_string(i) + "\n";
    new_text += "new " + std::to_string(i) + "\n";
  }
  std::string diff = unifiedDiff("old", old_text, "new", new_text);
  CHECK(occurrences(diff, "\n@@ ") == 1);
  CHECK(contains(diff, "\n@@ -1,100000 +1,100000 @@\n"));
  CHECK(applyDiff(old_text, diff) == new_text);
}

// --- generate --check: no shell ----------------------------------------------

TEST_CASE("generate_check_runs_no_shell_for_a_root_with_quotes_and_dollar", "[outputs]") {
  TempDir dir;
  const std::string root = dir.file("q'$(touch PWNED)'x \"$(touch PWNED)\" `touch PWNED`\nnext line");
  copyCheckedTree(root);
  std::string header = readFile(root + "/shim/uvshim.h");
  size_t first_line = header.find('\n');
  REQUIRE(first_line != std::string::npos);
  writeFile(root + "/shim/uvshim.h", "/* changed by hand */" + header.substr(first_line));

  ProcessResult result = runProcess({UVGEN_EXE, "generate", "--root", root, "--check"}, dir.path());
  CHECK(result.exit_code == 1);
  const std::string label = uvgen::oneLine(root + "/shim/uvshim.h");
  CHECK(contains(result.out, "--- " + label + " (committed)\n+++ " + label + " (generated)\n@@ -1,4 +1,4 @@\n"));
  CHECK(contains(result.out, "\n-/* changed by hand */\n+" + header.substr(0, first_line) + "\n"));
  CHECK(occurrences(result.out, "\n+++ ") == 1);  // only the changed file
  CHECK(contains(result.err, "1 generated file(s) out of date"));
  for (const auto& entry : fs::recursive_directory_iterator(dir.path()))
    CHECK(entry.path().filename() != "PWNED");
  CHECK_FALSE(fileExists("PWNED"));
}

TEST_CASE("generate_check_reports_a_fifo_at_a_kept_path_without_opening_it", "[outputs]") {
  TempDir dir;
  const std::string root = dir.file("root");
  copyCheckedTree(root);
  const std::string map = root + "/shim/uvshim.map";
  fs::remove(map);
  REQUIRE(::mkfifo(map.c_str(), 0600) == 0);
  ProcessResult result = runProcess({UVGEN_EXE, "generate", "--root", root, "--check"});
  CHECK(result.exit_code == 1);
  CHECK(contains(result.out, map + ": is a FIFO, not a regular file\n"));
  CHECK(isKind(map, S_IFIFO));
}

TEST_CASE("generate_check_reports_a_missing_kept_file", "[outputs]") {
  TempDir dir;
  const std::string root = dir.file("root");
  copyCheckedTree(root);
  fs::remove(root + "/bindings/nim/uv_tcp.nim");
  ProcessResult result = runProcess({UVGEN_EXE, "generate", "--root", root, "--check"});
  CHECK(result.exit_code == 1);
  CHECK(result.out == "missing: " + root + "/bindings/nim/uv_tcp.nim\n");
  CHECK_FALSE(fileExists(root + "/bindings/nim/uv_tcp.nim"));
}

// --- outputs that are not regular files ----------------------------------------

TEST_CASE("output_onto_a_device_node_is_refused_and_left_a_device", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string device = dir.file("device");
  if (!makeNullDevice(device)) return;
  ProcessResult result = runProcess({UVGEN_EXE, "layout-tests", "--schema", schema, "-o", device});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, device + ": is a device, not a regular file"));
  CHECK(isNullDevice(device));
  CHECK(entries(dir.path()) == std::vector<std::string>{"device", "input"});
}

TEST_CASE("output_onto_a_fifo_is_refused_without_reading_it", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string fifo = dir.file("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Hold both ends, with bytes waiting: a reader would take them.
  int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "sentinel", 8) == 8);
  ProcessResult result = runProcess({UVGEN_EXE, "layout-tests", "--schema", schema, "-o", fifo});
  char buffer[16] = {};
  ssize_t got = ::read(fd, buffer, sizeof buffer);
  ::close(fd);
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, fifo + ": is a FIFO, not a regular file"));
  CHECK(got == 8);
  CHECK(std::string(buffer) == "sentinel");
  CHECK(isKind(fifo, S_IFIFO));
}

TEST_CASE("output_onto_a_socket_is_refused_and_left_a_socket", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string path = dir.file("socket");
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  REQUIRE(path.size() < sizeof address.sun_path);
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  ProcessResult result = runProcess({UVGEN_EXE, "layout-tests", "--schema", schema, "-o", path});
  ::close(fd);
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, path + ": is a socket, not a regular file"));
  CHECK(isKind(path, S_IFSOCK));
}

TEST_CASE("output_onto_a_symlink_is_refused_and_the_link_and_its_file_kept", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  writeFile(dir.file("elsewhere"), "not uvgen's\n");
  fs::create_symlink(dir.file("elsewhere"), dir.file("link"));
  ProcessResult result = runProcess({UVGEN_EXE, "layout-tests", "--schema", schema, "-o", dir.file("link")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("link") + ": is a symbolic link"));
  CHECK(isKind(dir.file("link"), S_IFLNK));
  CHECK(readFile(dir.file("elsewhere")) == "not uvgen's\n");
}

TEST_CASE("output_onto_a_folder_is_refused_and_the_folder_kept", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  fs::create_directory(dir.file("folder"));
  ProcessResult result = runProcess({UVGEN_EXE, "layout-tests", "--schema", schema, "-o", dir.file("folder")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("folder") + ": is a folder, not a file"));
  CHECK(fs::is_directory(dir.file("folder")));
  CHECK(entries(dir.file("folder")).empty());
  CHECK(entries(dir.path()) == std::vector<std::string>{"folder", "input"});
}

TEST_CASE("output_folder_that_is_a_file_is_refused_and_nothing_written", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  writeFile(dir.file("file"), "a file\n");
  ProcessResult result = runProcess({UVGEN_EXE, "nim", "--schema", schema, "--spec", kSpec, "-o", dir.file("file")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, ": " + dir.file("file") + ": is not a folder"));
  CHECK(readFile(dir.file("file")) == "a file\n");
  CHECK(entries(dir.path()) == std::vector<std::string>{"file", "input"});
}

TEST_CASE("output_set_with_a_fifo_among_its_targets_writes_none_of_them", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string out = dir.file("out");
  fs::create_directory(out);
  REQUIRE(::mkfifo((out + "/uv_loop.nim").c_str(), 0600) == 0);
  ProcessResult result = runProcess({UVGEN_EXE, "nim", "--schema", schema, "--spec", kSpec, "-o", out});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, out + "/uv_loop.nim: is a FIFO"));
  CHECK(entries(out) == std::vector<std::string>{"uv_loop.nim"});
  CHECK(isKind(out + "/uv_loop.nim", S_IFIFO));
}

// --- options -------------------------------------------------------------------

TEST_CASE("empty_option_value_is_a_usage_error_naming_the_option", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  struct Case {
    std::vector<std::string> args;
    std::string option;
  };
  const std::vector<Case> cases = {
      {{"layout-tests", "--schema", schema, "-o", ""}, "'-o'"},
      {{"layout-tests", "--schema", schema, "--output="}, "'--output'"},
      {{"layout-tests", "--schema", ""}, "'--schema'"},
      {{"generate", "--check", "--root", ""}, "'--root'"},
      {{"schema", "-I", "", "-o", dir.file("out.json")}, "'-I'"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {UVGEN_EXE};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    ProcessResult result = runProcess(argv, dir.path());
    INFO(c.option);
    CHECK(result.exit_code == 2);
    CHECK(lineCount(result.err) == 1);
    CHECK(contains(result.err, "option " + c.option + " needs a non-empty"));
    CHECK(result.out.empty());
  }
  CHECK(entries(dir.path()) == std::vector<std::string>{"input"});
}

// --- all-or-nothing sets ---------------------------------------------------------

TEST_CASE("output_set_with_a_folder_at_one_target_leaves_the_others_byte_identical", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string out = dir.file("shim");
  fs::create_directories(out + "/uvshim.map");
  writeFile(out + "/uvshim.c", "old uvshim.c\n");
  writeFile(out + "/uvshim.h", "old uvshim.h\n");
  ProcessResult result = runProcess({UVGEN_EXE, "shim", "--schema", schema, "--spec", kSpec, "-o", out});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, out + "/uvshim.map: is a folder"));
  CHECK(readFile(out + "/uvshim.c") == "old uvshim.c\n");
  CHECK(readFile(out + "/uvshim.h") == "old uvshim.h\n");
  CHECK(entries(out) == std::vector<std::string>{"uvshim.c", "uvshim.h", "uvshim.map"});
  CHECK(entries(out + "/uvshim.map").empty());
}

TEST_CASE("output_with_a_250_character_name_is_written", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string name = std::string(246, 'n') + ".cpp";
  ProcessResult result = runProcess({UVGEN_EXE, "layout-tests", "--schema", schema, "-o", dir.file(name)});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  ProcessResult to_stdout = runProcess({UVGEN_EXE, "layout-tests", "--schema", schema});
  REQUIRE(to_stdout.exit_code == 0);
  CHECK(readFile(dir.file(name)) == to_stdout.out);
  CHECK(litter(dir.path()).empty());
}

TEST_CASE("concurrent_generate_runs_on_one_root_end_with_one_runs_complete_output", "[outputs]") {
  TempDir dir;
  // What each flavour's run writes into bindings/nim; every module differs between them.
  std::map<std::string, std::map<std::string, std::string>> expected;
  for (const char* flavour : {"shim", "direct"}) {
    std::string alone = dir.file(std::string("alone-") + flavour);
    ProcessResult result = runProcess({UVGEN_EXE, "generate", "--header", UVGEN_SYSTEM_UV_H, "--spec", kSpec,
                                       "--root", alone, "--flavour", flavour});
    REQUIRE(result.exit_code == 0);
    expected[flavour] = regularFiles(alone + "/bindings/nim");
  }
  REQUIRE(expected["shim"].at("uv_loop.nim") != expected["direct"].at("uv_loop.nim"));

  const std::string root = dir.file("root");
  const std::vector<std::string> flavours = {"shim", "direct", "shim", "direct"};
  for (int round = 0; round < 20; ++round) {
    std::vector<ProcessResult> results(flavours.size());
    std::vector<std::thread> runs;
    for (size_t i = 0; i < flavours.size(); ++i) {
      runs.emplace_back([&, i] {
        results[i] = runProcess({UVGEN_EXE, "generate", "--header", UVGEN_SYSTEM_UV_H, "--spec", kSpec, "--root",
                                 root, "--flavour", flavours[i]});
      });
    }
    for (std::thread& run : runs) run.join();
    INFO("round " << round);
    for (const ProcessResult& result : results) {
      INFO("stderr: " << result.err);
      CHECK(result.exit_code == 0);
      CHECK(result.err.empty());
    }
    const std::string nim = root + "/bindings/nim";
    CHECK((holdsAll(nim, expected["shim"]) || holdsAll(nim, expected["direct"])));
    CHECK(litter(root).empty());
  }
}

TEST_CASE("killed_run_is_rolled_forward_by_the_next_run_and_leaves_no_litter", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string out = dir.file("out"), direct = dir.file("direct");
  REQUIRE(runProcess({UVGEN_EXE, "nim", "--schema", schema, "--spec", kSpec, "-o", out}).exit_code == 0);
  REQUIRE(runProcess({UVGEN_EXE, "nim", "--schema", schema, "--spec", kSpec, "--flavour", "direct", "-o", direct})
              .exit_code == 0);
  const std::map<std::string, std::string> killed_run = regularFiles(direct);
  REQUIRE(killed_run.size() >= 4);

  // What a `uvgen nim --flavour direct -o out` killed part way through its
  // renames leaves: its journal, some targets replaced, the others still as
  // temporaries; and a temporary of a run killed before its journal.
  std::string journal = uvgen::kJournalHeader;
  size_t index = 0;
  for (const auto& [name, content] : killed_run) {
    std::string temp = std::string(uvgen::kTempPrefix) + "k" + std::to_string(100000 + index);
    if (index++ < killed_run.size() / 2)
      writeFile(out + "/" + name, content);  // renamed before the kill
    else
      writeFile(out + "/" + temp, content);
    journal += temp + '\0' + name + '\0';
  }
  journal += std::string(uvgen::kJournalEnd) + '\0';
  writeFile(out + "/" + uvgen::kJournalName, journal);
  writeFile(out + "/" + uvgen::kTempPrefix + "stray0", "a run killed before its journal\n");
  REQUIRE_FALSE(holdsAll(out, killed_run));

  // The next run writes other files into the same folder.
  ProcessResult result = runProcess({UVGEN_EXE, "shim", "--schema", schema, "--spec", kSpec, "-o", out});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(holdsAll(out, killed_run));
  CHECK(fileExists(out + "/uvshim.map"));
  CHECK(litter(out).empty());
}

TEST_CASE("journal_naming_a_path_outside_its_folder_is_refused", "[outputs]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string out = dir.file("out");
  fs::create_directory(out);
  writeFile(dir.file("victim"), "keep me\n");
  writeFile(out + "/" + uvgen::kTempPrefix + "abcdef", "planted\n");
  writeFile(out + "/" + uvgen::kJournalName, std::string(uvgen::kJournalHeader) + uvgen::kTempPrefix + "abcdef" +
                                                 '\0' + "../victim" + '\0' + uvgen::kJournalEnd + '\0');
  ProcessResult result = runProcess({UVGEN_EXE, "shim", "--schema", schema, "--spec", kSpec, "-o", out});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, out + "/" + uvgen::kJournalName + ": names an unexpected rename"));
  CHECK(readFile(dir.file("victim")) == "keep me\n");
  CHECK_FALSE(fileExists(out + "/uvshim.c"));
}

// --- stdout ------------------------------------------------------------------------

TEST_CASE("schema_to_a_full_stdout_fails_with_one_line", "[outputs]") {
  ProcessResult result = runProcessWithStdout({UVGEN_EXE, "schema"}, "/dev/full");
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, "stdout: " + std::string(std::strerror(ENOSPC))));
}

// --- inputs --------------------------------------------------------------------------

TEST_CASE("input_that_is_a_device_or_a_folder_is_refused_in_one_line", "[inputs]") {
  TempDir dir;
  for (const std::string& input : {std::string("/dev/zero"), dir.path()}) {
    ProcessResult result =
        runProcess({UVGEN_EXE, "nim", "--schema", input, "--spec", kSpec, "-o", dir.file("out")});
    INFO(input);
    CHECK(result.exit_code == 1);
    CHECK(lineCount(result.err) == 1);
    CHECK(contains(result.err, input + (input == dir.path() ? ": is a folder" : ": is a device")));
  }
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("input_larger_than_the_limit_is_refused_naming_the_file", "[inputs]") {
  TempDir dir;
  const std::string big = dir.file("big.json");
  writeFile(big, "");
  fs::resize_file(big, uvgen::kMaxInputBytes + 1);  // sparse: no disk used
  ProcessResult result = runProcess({UVGEN_EXE, "nim", "--schema", big, "--spec", kSpec, "-o", dir.file("out")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, big + ": larger than uvgen's input limit of 512 MiB"));
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("input_of_87_megabytes_is_read_whole", "[inputs]") {
  TempDir dir;
  const std::string path = dir.file("large.json");
  std::string text(87u << 20, ' ');
  text.front() = '{';
  text.back() = '}';
  writeFile(path, text);
  CHECK(uvgen::readTextFile(path) == text);
}
