// Reading inputs and writing outputs safely.
//
// Outputs are written all-or-nothing: each file goes to a temporary file in
// its own folder and is renamed over the target only when everything
// succeeded, so a failed run leaves earlier outputs intact. A file whose
// content would not change is not touched, so builds that depend on it do not
// rebuild.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace uvgen {

// Throws std::runtime_error("<path>: <reason>") when the file cannot be read.
std::string readTextFile(const std::string& path);

// Files to write, by path, in memory until commit().
class OutputFiles {
 public:
  void add(const std::string& path, std::string content);
  // Writes every changed file; returns the paths it wrote. Throws
  // std::runtime_error("<path>: <reason>") and leaves all targets untouched
  // when any file cannot be written.
  std::vector<std::string> commit() const;
  // The paths whose content on disk differs from what commit() would write.
  std::vector<std::string> stale() const;
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  std::map<std::string, std::string> files_;
};

// Writes content to stdout when path is empty or "-", else through OutputFiles.
void writeOutput(const std::string& path, const std::string& content);

}  // namespace uvgen
