#include "process.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#ifndef _WIN32
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#ifndef _WIN32
extern char** environ;
#endif

namespace uvgen::test {

#ifndef _WIN32
namespace {

// stdout_path: where the child's stdout goes; empty: a file read back into out.
ProcessResult run(const std::vector<std::string>& argv, const std::string& cwd, const std::string& stdout_path) {
  // Output goes to files, not pipes, so a chatty child can never block on a full pipe.
  TempDir capture;
  std::string out_path = stdout_path.empty() ? capture.file("out") : stdout_path, err_path = capture.file("err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> command = argv;
  if (!cwd.empty()) {
    // posix_spawn_file_actions_addchdir_np needs glibc 2.29; a shell is portable.
    command = {"/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", cwd};
    command.insert(command.end(), argv.begin(), argv.end());
  }
  std::vector<char*> c_argv;
  for (std::string& arg : command) c_argv.push_back(arg.data());
  c_argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ProcessResult result;
  if (rc != 0) {
    result.err = std::string("cannot start ") + argv[0] + ": " + std::strerror(rc);
    return result;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (stdout_path.empty()) result.out = readFile(out_path);
  result.err = readFile(err_path);
  return result;
}

}  // namespace

ProcessResult runProcess(const std::vector<std::string>& argv, const std::string& cwd) { return run(argv, cwd, ""); }

ProcessResult runProcessWithStdout(const std::vector<std::string>& argv, const std::string& stdout_path) {
  return run(argv, "", stdout_path);
}
#endif

TempDir::TempDir() {
#ifdef _WIN32
  // No mkdtemp: try random names until creating one succeeds (creation is the atomic step).
  std::random_device random;
  for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
    std::filesystem::path candidate = std::filesystem::temp_directory_path() / ("uvgen-test-" + std::to_string(random()));
    if (std::filesystem::create_directory(candidate)) path_ = candidate.string();
  }
  if (path_.empty()) throw std::runtime_error("cannot create a temporary folder");
#else
  std::string pattern = (std::filesystem::temp_directory_path() / "uvgen-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
#endif
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

bool fileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace uvgen::test
