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
#include "process.h"

namespace fs = std::filesystem;
using uvgen::test::fileExists;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runProcess;
using uvgen::test::runProcessWithStdout;
using uvgen::test::TempDir;
using uvgen::test::writeFile;

namespace {

const std::string kSpec = std::string(UVGEN_SOURCE_DIR) + "/schema/modules.json";

size_t lineCount(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

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

// Every entry that uvgen uses while writing: temporaries and the journal.
std::vector<std::string> litter(const std::string& folder) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(uvgen::kTempPrefix, 0) == 0 || name == uvgen::kJournalName || contains(name, ".tmp"))
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

}  // namespace

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
