// Runs real processes for the tests and keeps what they printed.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace uvgen::test {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH) with the arguments, optionally in cwd. Not on Windows.
ProcessResult runProcess(const std::vector<std::string>& argv, const std::string& cwd = "");

// Runs like runProcess, with the child's stdout opened on stdout_path (a file,
// or a device such as /dev/full); result.out stays empty.
ProcessResult runProcessWithStdout(const std::vector<std::string>& argv, const std::string& stdout_path);

// A fresh empty folder under the system's temporary folder, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);
bool fileExists(const std::string& path);

// The number of lines of a tool's output (its newline characters).
inline size_t lineCount(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }
inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace uvgen::test
