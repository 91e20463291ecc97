// Writes that must not be redirected: uvgen runs in other projects' builds,
// often as root, on inputs and in folders others can edit. Links below the
// root are refused rather than followed, lock files and journals planted by
// another user are refused, a held lock is waited for a bounded time, the
// dependency file is data (escaped for Make and Ninja, or refused), and target
// schemas are regular files inside the spec's folder, never waited on.
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catch.h"
#include "changed_spec.h"
#include "cli/files.h"
#include "process.h"

namespace fs = std::filesystem;
using uvgen::test::contains;
using uvgen::test::fileExists;
using uvgen::test::lineCount;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runProcess;
using uvgen::test::TempDir;
using uvgen::test::writeFile;

namespace {

const std::string kSpec = std::string(UVGEN_SOURCE_DIR) + "/schema/modules.json";
const std::string kI686 = "baseline/libuv-1.44.2-i686-linux-gnu.json";

// The schema of the system uv.h, written to dir/input/schema.json.
std::string systemSchema(const TempDir& dir) {
  fs::create_directory(dir.file("input"));
  std::string path = dir.file("input/schema.json");
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "-o", path});
  REQUIRE(result.exit_code == 0);
  return path;
}

bool isKind(const std::string& path, mode_t kind) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

std::vector<std::string> entries(const std::string& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename().string());
  return {names.begin(), names.end()};
}

// Every file below folder whose name starts with `prefix`.
std::vector<std::string> filesNamed(const std::string& folder, const std::string& prefix) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) found.push_back(entry.path().string());
  return found;
}

// Every entry uvgen uses only while writing: temporaries, journal, lock.
std::vector<std::string> litter(const std::string& folder) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(uvgen::kTempPrefix, 0) == 0 || name == uvgen::kJournalName || name == uvgen::kLockName)
      found.push_back(entry.path().string());
  }
  return found;
}

ProcessResult generate(const std::string& root, std::vector<std::string> more = {}) {
  std::vector<std::string> argv = {UVGEN_EXE, "generate", "--header", UVGEN_SYSTEM_UV_H, "--root", root};
  if (std::find(more.begin(), more.end(), "--spec") == more.end()) argv.insert(argv.end(), {"--spec", kSpec});
  argv.insert(argv.end(), more.begin(), more.end());
  return runProcess(argv);
}

// The uid and gid of `nobody`, who plays the other user; nullopt (with a
// warning) when the tests do not run as root and cannot become someone else.
struct User {
  uid_t uid;
  gid_t gid;
};
std::optional<User> otherUser() {
  if (::geteuid() != 0) {
    WARN("SKIPPED: needs root to act as another user");
    return std::nullopt;
  }
  const passwd* nobody = ::getpwnam("nobody");
  if (!nobody) {
    WARN("SKIPPED: no user nobody");
    return std::nullopt;
  }
  return User{nobody->pw_uid, nobody->pw_gid};
}

// Runs `work` in a child process that has become `user`; true when the child
// reports success. With `hold`, the child then waits, keeping what it opened,
// until the descriptor returned in *release is closed.
bool asUser(const User& user, const std::function<bool()>& work, int* release = nullptr, pid_t* child = nullptr) {
  int ready[2], held[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(held) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(ready[0]);
    ::close(held[1]);
    bool ok = ::setgroups(0, nullptr) == 0 && ::setgid(user.gid) == 0 && ::setuid(user.uid) == 0 &&
              ::geteuid() == user.uid;
    try {
      ok = ok && work();
    } catch (...) {
      ok = false;
    }
    char byte = ok ? '1' : '0';
    (void)!::write(ready[1], &byte, 1);
    if (release) (void)!::read(held[0], &byte, 1);  // until the parent closes its end
    ::_exit(ok ? 0 : 1);
  }
  ::close(ready[1]);
  ::close(held[0]);
  char byte = '0';
  bool ok = ::read(ready[0], &byte, 1) == 1 && byte == '1';
  ::close(ready[0]);
  if (release) {
    *release = held[1];
    *child = pid;
    return ok;
  }
  ::close(held[1]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void endHolding(int release, pid_t child) {
  ::close(release);
  int status = 0;
  ::waitpid(child, &status, 0);
}

// A folder like /tmp: everyone may write, sticky. Its parent must let others in.
std::string stickySharedFolder(const TempDir& dir) {
  REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
  const std::string shared = dir.file("shared");
  fs::create_directory(shared);
  REQUIRE(::chmod(shared.c_str(), 01777) == 0);
  return shared;
}

// A copy of the repository's spec in folder/, with its baseline copied, and
// `from` replaced by `to` (once).
std::string specCopy(const std::string& folder, const std::string& from = "", const std::string& to = "") {
  std::string text = readFile(kSpec);
  if (!from.empty()) {
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  }
  fs::create_directories(folder);
  writeFile(folder + "/modules.json", text);
  fs::copy(std::string(UVGEN_SOURCE_DIR) + "/schema/baseline", folder + "/baseline", fs::copy_options::recursive);
  return folder + "/modules.json";
}

}  // namespace

// --- lock files and journals others planted ----------------------------------------

TEST_CASE("journal_planted_by_another_user_in_a_sticky_folder_is_refused", "[outputs][links]") {
  std::optional<User> other = otherUser();
  if (!other) return;
  TempDir dir;
  const std::string shared = stickySharedFolder(dir);
  const std::string victim = shared + "/root.conf";
  writeFile(victim, "root's own file\n");
  // The other user's temporary and a journal renaming it over root's file.
  const std::string temp = std::string(uvgen::kTempPrefix) + "evil00";
  REQUIRE(asUser(*other, [&] {
    writeFile(shared + "/" + temp, "the other user's bytes\n");
    writeFile(shared + "/" + uvgen::kJournalName,
              std::string(uvgen::kJournalHeader) + temp + '\0' + "root.conf" + '\0' + uvgen::kJournalEnd + '\0');
    return true;
  }));
  ProcessResult result = runProcess({"timeout", "--foreground", "-s", "KILL", "120", UVGEN_EXE, "schema", "-o", shared + "/uv.json"});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, shared + "/" + uvgen::kJournalName + ": belongs to another user"));
  CHECK(readFile(victim) == "root's own file\n");
  CHECK_FALSE(fileExists(shared + "/uv.json"));
  CHECK(fileExists(shared + "/" + temp));
}

TEST_CASE("lock_file_held_by_another_user_fails_the_run_at_once_instead_of_hanging", "[outputs][links]") {
  std::optional<User> other = otherUser();
  if (!other) return;
  TempDir dir;
  const std::string shared = stickySharedFolder(dir);
  const std::string lock = shared + "/" + uvgen::kLockName;
  int release = -1;
  pid_t child = -1;
  REQUIRE(asUser(
      *other,
      [&] {
        int fd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0644);
        return fd >= 0 && ::flock(fd, LOCK_EX) == 0;  // kept open while the child waits
      },
      &release, &child));
  const auto start = std::chrono::steady_clock::now();
  ProcessResult result = runProcess({"timeout", "--foreground", "-s", "KILL", "120", UVGEN_EXE, "schema", "-o", shared + "/uv.json"});
  const auto waited = std::chrono::steady_clock::now() - start;
  endHolding(release, child);
  CHECK(result.exit_code == 1);  // 124: timeout killed a run that hung
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, lock + ": belongs to another user"));
  CHECK(waited < std::chrono::seconds(60));
  CHECK_FALSE(fileExists(shared + "/uv.json"));
}

TEST_CASE("lock_file_with_another_hard_link_is_refused_and_its_other_name_kept", "[outputs][links]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string out = dir.file("out");
  fs::create_directory(out);
  // A lock file that is also another file of the same user: uvgen removes its lock file at the
  // end of a run, which must not reach a file it did not make.
  const std::string other = dir.file("keep.conf");
  writeFile(other, "kept\n");
  const std::string lock = out + "/" + uvgen::kLockName;
  REQUIRE(::link(other.c_str(), lock.c_str()) == 0);
  ProcessResult result = runProcess({"timeout", "--foreground", "-s", "KILL", "120", UVGEN_EXE, "layout-tests",
                                     "--schema", schema, "-o", out + "/layout.cpp"});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, lock + ": has other hard links"));
  CHECK_FALSE(fileExists(out + "/layout.cpp"));
  CHECK(readFile(other) == "kept\n");
  CHECK(fileExists(lock));
}

TEST_CASE("held_lock_is_waited_for_a_bounded_time_then_the_run_fails_naming_it", "[outputs][links]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string out = dir.file("out");
  fs::create_directory(out);
  const std::string lock = out + "/" + uvgen::kLockName;
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);  // another run of the same user holds it
  ProcessResult result = runProcess({"timeout", "--foreground", "-s", "KILL", "120", "env", std::string(uvgen::kLockWaitVariable) + "=1", UVGEN_EXE,
                                     "layout-tests", "--schema", schema, "-o", out + "/layout.cpp"});
  ProcessResult bad_wait = runProcess({"timeout", "--foreground", "-s", "KILL", "120", "env",
                                       std::string(uvgen::kLockWaitVariable) + "=soon", UVGEN_EXE,
                                       "layout-tests", "--schema", schema, "-o", out + "/layout.cpp"});
  ::close(fd);
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, lock + ": another run has held this lock for 1 s"));
  CHECK(bad_wait.exit_code == 1);
  CHECK(lineCount(bad_wait.err) == 1);
  CHECK(contains(bad_wait.err, std::string(uvgen::kLockWaitVariable) + ": must be a whole number of seconds"));
  CHECK_FALSE(fileExists(out + "/layout.cpp"));
  // Released, the same run goes through.
  ProcessResult after = runProcess({"timeout", "--foreground", "-s", "KILL", "120", UVGEN_EXE, "layout-tests", "--schema", schema, "-o",
                                    out + "/layout.cpp"});
  CHECK(after.exit_code == 0);
  CHECK(fileExists(out + "/layout.cpp"));
}

TEST_CASE("output_folder_others_can_write_that_is_not_sticky_is_refused", "[outputs][links]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string open_folder = dir.file("open");
  fs::create_directory(open_folder);
  REQUIRE(::chmod(open_folder.c_str(), 0777) == 0);
  ProcessResult result =
      runProcess({UVGEN_EXE, "layout-tests", "--schema", schema, "-o", open_folder + "/layout.cpp"});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, open_folder + ": other users can write to this folder and it is not sticky"));
  CHECK(entries(open_folder).empty());
}

TEST_CASE("journal_renaming_through_a_folder_link_is_refused_and_the_file_outside_kept", "[outputs][links]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string root = dir.file("root"), elsewhere = dir.file("elsewhere");
  fs::create_directories(root);
  fs::create_directories(elsewhere);
  writeFile(elsewhere + "/victim.conf", "keep me\n");
  fs::create_directory_symlink(elsewhere, root + "/t");
  const std::string temp = std::string(uvgen::kTempPrefix) + "abcdef";
  writeFile(elsewhere + "/" + temp, "planted\n");
  // Text only, this journal looks like uvgen's own: relative, no "..".
  writeFile(root + "/" + uvgen::kJournalName, std::string(uvgen::kJournalHeader) + "t/" + temp + '\0' +
                                                  "t/victim.conf" + '\0' + uvgen::kJournalEnd + '\0');
  ProcessResult result = runProcess({UVGEN_EXE, "shim", "--schema", schema, "--spec", kSpec, "-o", root});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, root + "/t: is a symbolic link"));
  CHECK(readFile(elsewhere + "/victim.conf") == "keep me\n");
  CHECK_FALSE(fileExists(root + "/uvshim.c"));
}

TEST_CASE("journal_naming_a_temporary_of_another_user_is_refused", "[outputs][links]") {
  std::optional<User> other = otherUser();
  if (!other) return;
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string root = dir.file("root");
  fs::create_directories(root);
  REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
  REQUIRE(::chmod(root.c_str(), 01777) == 0);
  writeFile(root + "/uvshim.map", "root's file\n");
  const std::string temp = std::string(uvgen::kTempPrefix) + "evil01";
  REQUIRE(asUser(*other, [&] {
    writeFile(root + "/" + temp, "the other user's bytes\n");
    return true;
  }));
  // The journal is root's own (say, a copy), but the temporary is not.
  writeFile(root + "/" + uvgen::kJournalName,
            std::string(uvgen::kJournalHeader) + temp + '\0' + "uvshim.map" + '\0' + uvgen::kJournalEnd + '\0');
  ProcessResult result = runProcess({UVGEN_EXE, "shim", "--schema", schema, "--spec", kSpec, "-o", root});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, root + "/" + uvgen::kJournalName + ": names a temporary that uvgen did not make"));
  CHECK(readFile(root + "/uvshim.map") == "root's file\n");
}

// --- links below the root ---------------------------------------------------------

TEST_CASE("output_folder_that_is_a_link_is_refused_and_nothing_written_through_it", "[outputs][links]") {
  TempDir dir;
  const std::string root = dir.file("root"), elsewhere = dir.file("elsewhere");
  fs::create_directories(root);
  fs::create_directories(elsewhere);
  fs::create_directory_symlink(elsewhere, root + "/shim");
  ProcessResult result = generate(root);
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, root + "/shim: is a symbolic link"));
  CHECK(entries(elsewhere).empty());
  CHECK(entries(root) == std::vector<std::string>{"shim"});
}

TEST_CASE("output_folder_made_below_a_link_is_refused", "[outputs][links]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string base = dir.file("base"), elsewhere = dir.file("elsewhere");
  fs::create_directories(base);
  fs::create_directories(elsewhere);
  fs::create_directory_symlink(elsewhere, base + "/link");
  ProcessResult result =
      runProcess({UVGEN_EXE, "shim", "--schema", schema, "--spec", kSpec, "-o", base + "/link/sub"});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, base + "/link: is a symbolic link"));
  CHECK(entries(elsewhere).empty());
}

TEST_CASE("output_folder_swapped_for_a_link_during_runs_is_never_written_through", "[outputs][links]") {
  TempDir dir;
  const std::string root = dir.file("root"), elsewhere = dir.file("elsewhere");
  REQUIRE(generate(root).exit_code == 0);
  fs::create_directories(elsewhere);
  fs::create_directory_symlink(elsewhere, root + "/shim.link");
  // A file of shim/ changes each round, so that every run has something to write there.
  std::atomic<bool> stop{false};
  std::atomic<int> swaps{0};
  std::thread swapper([&] {
    while (!stop) {
      // shim and shim.link trade places atomically.
      if (::renameat2(AT_FDCWD, (root + "/shim").c_str(), AT_FDCWD, (root + "/shim.link").c_str(), RENAME_EXCHANGE) ==
          0)
        ++swaps;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  // The real folder, by descriptor: its name changes under the swaps.
  int real = ::open((root + "/shim").c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(real >= 0);
  std::vector<ProcessResult> results;
  for (int round = 0; round < 6; ++round) {
    int fd = ::openat(real, "uvshim.h", O_WRONLY | O_TRUNC | O_CREAT | O_NOFOLLOW, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, "changed\n", 8) == 8);
    ::close(fd);
    results.push_back(generate(root));
  }
  ::close(real);
  stop = true;
  swapper.join();
  CHECK(swaps > 0);
  for (const ProcessResult& result : results) {
    INFO(result.err);
    CHECK((result.exit_code == 0 || result.exit_code == 1));
    if (result.exit_code == 1) {
      CHECK(lineCount(result.err) == 1);
      CHECK(contains(result.err, root + "/shim"));
    }
  }
  CHECK(entries(elsewhere).empty());
}

TEST_CASE("root_named_through_a_link_and_dotdot_is_resolved_once", "[outputs][links]") {
  TempDir dir;
  const std::string real = dir.file("X"), named = dir.file("R");
  fs::create_directories(real + "/Y");
  fs::create_directories(named);
  fs::create_directory_symlink(real + "/Y", named + "/sub");
  uvgen::test::writeSpecInto(real, readFile(kSpec));
  // R/sub/.. is X for the kernel, and for uvgen: the spec, the outputs and the lock.
  ProcessResult result = runProcess({UVGEN_EXE, "generate", "--header", UVGEN_SYSTEM_UV_H, "--root", named + "/sub/.."});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(readFile(real + "/shim/uvshim.h") == readFile(std::string(UVGEN_SOURCE_DIR) + "/shim/uvshim.h"));
  CHECK(fileExists(real + "/bindings/nim/uv_loop.nim"));
  CHECK(entries(named) == std::vector<std::string>{"sub"});
  CHECK(litter(real).empty());
}

// --- the dependency file --------------------------------------------------------------

TEST_CASE("depfile_paths_are_escaped_so_make_and_ninja_read_them_back_and_run_nothing", "[outputs][depfile]") {
  TempDir dir;
  // Every file the depfile lists has a name Make or Ninja would take as syntax.
  const std::string headers = dir.file("h #1 $(shell touch PWNED) x:y");
  fs::create_directories(headers);
  const std::string evil = headers + "/evil$(shell touch PWNED).h";
  writeFile(evil, "/* included by uv.h */\n");
  writeFile(headers + "/uv.h", "#include \"evil$(shell touch PWNED).h\"\n" + readFile(UVGEN_SYSTEM_UV_H));
  fs::copy(fs::path(UVGEN_SYSTEM_UV_H).parent_path() / "uv", headers + "/uv", fs::copy_options::recursive);
  const std::string spec_folder = dir.file("spec $$(shell touch PWNED) #2");
  const std::string odd_target = "a$(shell touch PWNED) #3.json";
  const std::string spec = specCopy(spec_folder, "\"" + kI686 + "\"", "\"" + odd_target + "\"");
  fs::copy_file(spec_folder + "/" + kI686, spec_folder + "/" + odd_target);

  const std::string root = dir.file("root"), depfile = dir.file("gen.d");
  ProcessResult result = runProcess({UVGEN_EXE, "generate", "--header", headers + "/uv.h", "--spec", spec, "--root",
                                     root, "--depfile", depfile, "--depfile-target", "out"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const std::string text = readFile(depfile);
  INFO(text);
  CHECK(contains(text, "evil$$(shell\\ touch\\ PWNED).h"));

  // Make: every listed file is found as named, a newer one rebuilds, nothing runs.
  const std::string make_dir = dir.file("make");
  fs::create_directories(make_dir);
  fs::copy_file(depfile, make_dir + "/gen.d");
  writeFile(make_dir + "/Makefile", "-include gen.d\nout:\n\ttouch out\n");
  ProcessResult make = runProcess({"make", "-C", make_dir});
  INFO(make.out << make.err);
  CHECK(make.exit_code == 0);
  CHECK(runProcess({"make", "-q", "-C", make_dir}).exit_code == 0);
  auto later = fs::last_write_time(make_dir + "/out");
  for (const std::string& input : {evil, spec, spec_folder + "/" + odd_target}) {
    INFO(input);
    later += std::chrono::hours(1);
    fs::last_write_time(make_dir + "/out", later);
    CHECK(runProcess({"make", "-q", "-C", make_dir}).exit_code == 0);
    fs::last_write_time(input, later + std::chrono::seconds(10));
    CHECK(runProcess({"make", "-q", "-C", make_dir}).exit_code == 1);  // out is now older than this input
  }

  // Ninja: `ninja -t deps` lists the very paths.
  const std::string ninja_dir = dir.file("ninja");
  fs::create_directories(ninja_dir);
  fs::copy_file(depfile, ninja_dir + "/gen.d");
  writeFile(ninja_dir + "/build.ninja",
            "rule gen\n  command = cp gen.d out.d && touch out\n  depfile = out.d\n  deps = gcc\nbuild out: gen\n");
  ProcessResult ninja = runProcess({"ninja", "-C", ninja_dir});
  INFO(ninja.out << ninja.err);
  CHECK(ninja.exit_code == 0);
  ProcessResult deps = runProcess({"ninja", "-C", ninja_dir, "-t", "deps"});
  std::set<std::string> listed;
  size_t at = 0;
  for (size_t end; (end = deps.out.find('\n', at)) != std::string::npos; at = end + 1)
    if (deps.out.compare(at, 4, "    ") == 0) listed.insert(deps.out.substr(at + 4, end - at - 4));
  INFO(deps.out);
  CHECK(listed.count(evil) == 1);
  CHECK(listed.count(headers + "/uv.h") == 1);
  CHECK(listed.count(spec) == 1);
  CHECK(listed.count(spec_folder + "/" + odd_target) == 1);
  CHECK(listed.count(spec_folder + "/baseline/libuv-1.44.2-x86_64-linux-gnu.json") == 1);

  CHECK(filesNamed(dir.path(), "PWNED").empty());
  CHECK_FALSE(fileExists("PWNED"));
}

TEST_CASE("depfile_path_no_depfile_syntax_can_hold_is_refused_and_nothing_written", "[outputs][depfile]") {
  TempDir dir;
  const std::string root = dir.file("root"), depfile = dir.file("gen.d");
  struct Case {
    std::string target;
    std::string named;  // in the error line, escaped as it is printed
  };
  const std::vector<Case> cases = {
      {"out\n\ttouch PWNED", "out\\n\\ttouch PWNED"},
      {"out;touch PWNED", "out;touch PWNED"},
      {"out\\", "out\\"},
      {"%.stamp", "%.stamp"},
  };
  for (const Case& c : cases) {
    INFO(c.named);
    ProcessResult result = generate(root, {"--depfile", depfile, "--depfile-target", c.target});
    CHECK(result.exit_code == 1);
    CHECK(lineCount(result.err) == 1);
    CHECK(contains(result.err, c.named + ": cannot be written to the dependency file"));
    CHECK_FALSE(fileExists(depfile));
    CHECK_FALSE(fileExists(root));
  }
  // A spec in a folder whose name holds a newline: refused the same way.
  const std::string spec = specCopy(dir.file("spec\nfolder"));
  ProcessResult result = generate(root, {"--spec", spec, "--depfile", depfile, "--depfile-target", "out"});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, "spec\\nfolder/modules.json: cannot be written to the dependency file"));
  CHECK_FALSE(fileExists(depfile));
  CHECK_FALSE(fileExists(root));
  CHECK(filesNamed(dir.path(), "PWNED").empty());
}

TEST_CASE("depfile_naming_one_of_the_outputs_is_refused_and_the_output_kept", "[outputs][depfile]") {
  TempDir dir;
  const std::string root = dir.file("root");
  ProcessResult fresh = generate(root, {"--depfile", root + "/shim/uvshim.h", "--depfile-target", "out"});
  CHECK(fresh.exit_code == 1);
  CHECK(lineCount(fresh.err) == 1);
  CHECK(contains(fresh.err, root + "/shim/uvshim.h: is one of generate's outputs"));
  CHECK_FALSE(fileExists(root));

  REQUIRE(generate(root).exit_code == 0);
  const std::string header = readFile(root + "/shim/uvshim.h");
  fs::create_directory_symlink(root + "/shim", dir.file("link"));
  ProcessResult through_link = generate(root, {"--depfile", dir.file("link/uvshim.h"), "--depfile-target", "out"});
  CHECK(through_link.exit_code == 1);
  CHECK(lineCount(through_link.err) == 1);
  CHECK(contains(through_link.err, dir.file("link/uvshim.h") + ": is one of generate's outputs"));
  CHECK(readFile(root + "/shim/uvshim.h") == header);
  CHECK(litter(root).empty());
}

TEST_CASE("depfile_outside_the_root_leaves_the_outputs_lock_at_the_root", "[outputs][depfile]") {
  TempDir dir;
  const std::string root = dir.file("root"), other = dir.file("other");
  fs::create_directories(root);
  // The root's lock, held: a run with a depfile elsewhere must wait on it.
  const std::string lock = root + "/" + uvgen::kLockName;
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  ProcessResult held = runProcess({"timeout", "--foreground", "-s", "KILL", "120", "env",
                                   std::string(uvgen::kLockWaitVariable) + "=1", UVGEN_EXE, "generate",
                                   "--header", UVGEN_SYSTEM_UV_H, "--spec", kSpec, "--root", root, "--depfile",
                                   other + "/gen.d", "--depfile-target", "out"});
  ::close(fd);
  ::unlink(lock.c_str());
  CHECK(held.exit_code == 1);
  CHECK(lineCount(held.err) == 1);
  CHECK(contains(held.err, lock + ": another run has held this lock"));
  CHECK_FALSE(fileExists(other + "/gen.d"));

  ProcessResult result = generate(root, {"--depfile", other + "/gen.d", "--depfile-target", "out"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(contains(readFile(other + "/gen.d"), "out: \\\n  "));
  CHECK(entries(dir.path()) == std::vector<std::string>{"other", "root"});
  CHECK(litter(dir.path()).empty());
}

TEST_CASE("depfile_outside_the_root_works_for_a_user_who_cannot_write_their_common_folder", "[outputs][depfile]") {
  std::optional<User> other = otherUser();
  if (!other) return;
  TempDir dir;
  REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);  // root's, and not writable by the other user
  const std::string root = dir.file("root"), other_folder = dir.file("other");
  for (const std::string& folder : {root, other_folder}) {
    fs::create_directory(folder);
    REQUIRE(::chown(folder.c_str(), other->uid, other->gid) == 0);
  }
  // The other user runs uvgen, as a build would.
  const std::string err = other_folder + "/err";
  bool ok = asUser(*other, [&] {
    pid_t pid = ::fork();
    if (pid == 0) {
      int out = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out, 2);
      ::dup2(out, 1);
      ::execl(UVGEN_EXE, UVGEN_EXE, "generate", "--header", UVGEN_SYSTEM_UV_H, "--spec", kSpec.c_str(), "--root",
              root.c_str(), "--depfile", (other_folder + "/gen.d").c_str(), "--depfile-target", "out", nullptr);
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  });
  INFO(readFile(err));
  CHECK(ok);
  CHECK(fileExists(root + "/shim/uvshim.h"));
  CHECK(fileExists(other_folder + "/gen.d"));
  CHECK(entries(dir.path()) == std::vector<std::string>{"other", "root"});
}

// --- target schemas ------------------------------------------------------------------

TEST_CASE("target_schema_that_is_a_fifo_is_refused_without_waiting", "[inputs][links]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string spec = specCopy(dir.file("spec"), "\"" + kI686 + "\"", "\"fifo.json\"");
  REQUIRE(::mkfifo(dir.file("spec/fifo.json").c_str(), 0600) == 0);
  ProcessResult result = runProcess(
      {"timeout", "--foreground", "-s", "KILL", "120", UVGEN_EXE, "shim", "--schema", schema, "--spec", spec, "-o", dir.file("out")});
  CHECK(result.exit_code == 1);  // 124: timeout killed a run that hung
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("spec/fifo.json") + ": is a FIFO, not a regular file"));
  CHECK_FALSE(fileExists(dir.file("out")));
  CHECK(isKind(dir.file("spec/fifo.json"), S_IFIFO));
}

TEST_CASE("target_schema_through_a_link_is_refused", "[inputs][links]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  const std::string outside = dir.file("outside");
  fs::create_directories(outside);
  fs::copy_file(std::string(UVGEN_SOURCE_DIR) + "/schema/" + kI686, outside + "/i686.json");
  struct Case {
    std::string entry;  // in target_schemas
    std::string link;   // made in the spec's folder, to `outside`
    std::string target;
    std::string refused;
  };
  const std::vector<Case> cases = {
      {"i686.json", "i686.json", outside + "/i686.json", "i686.json"},
      {"elsewhere/i686.json", "elsewhere", outside, "elsewhere"},
  };
  for (const Case& c : cases) {
    INFO(c.entry);
    TempDir spec_dir;
    const std::string spec = specCopy(spec_dir.file("spec"), "\"" + kI686 + "\"", "\"" + c.entry + "\"");
    fs::create_symlink(c.target, spec_dir.file("spec/" + c.link));
    ProcessResult result =
        runProcess({UVGEN_EXE, "shim", "--schema", schema, "--spec", spec, "-o", spec_dir.file("out")});
    CHECK(result.exit_code == 1);
    CHECK(lineCount(result.err) == 1);
    CHECK(contains(result.err, spec_dir.file("spec/" + c.refused) + ": is a symbolic link"));
    CHECK_FALSE(fileExists(spec_dir.file("out")));
  }
}

TEST_CASE("input_fifo_without_a_writer_does_not_hang_and_a_pipe_still_reads", "[inputs][links]") {
  TempDir dir;
  const std::string schema = systemSchema(dir);
  REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
  ProcessResult fifo =
      runProcess({"timeout", "--foreground", "-s", "KILL", "120", UVGEN_EXE, "layout-tests", "--schema", dir.file("fifo"), "-o", dir.file("a.cpp")});
  CHECK(fifo.exit_code == 1);  // empty: not a schema; 124 would be a hang
  CHECK(lineCount(fifo.err) == 1);
  CHECK(contains(fifo.err, dir.file("fifo")));
  // --schema <(...): a pipe whose writer is slow is still read to its end.
  ProcessResult pipe = runProcess({"bash", "-c", "\"$0\" layout-tests --schema <(sleep 1; cat \"$1\")", UVGEN_EXE,
                                   schema});
  ProcessResult direct = runProcess({UVGEN_EXE, "layout-tests", "--schema", schema});
  CHECK(pipe.exit_code == 0);
  CHECK(pipe.err.empty());
  CHECK(pipe.out == direct.out);
}
