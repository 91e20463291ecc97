#include "cli/files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace uvgen {
namespace {

std::runtime_error fileError(const std::string& path, const std::string& what) {
  return std::runtime_error(path + ": " + what);
}

bool sameContent(const std::string& path, const std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream existing;
  existing << in.rdbuf();
  return existing.str() == content;
}

}  // namespace

std::string readTextFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw fileError(path, "is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fileError(path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw fileError(path, "read failed");
  return text.str();
}

void OutputFiles::add(const std::string& path, std::string content) { files_[path] = std::move(content); }

std::vector<std::string> OutputFiles::stale() const {
  std::vector<std::string> paths;
  for (const auto& [path, content] : files_)
    if (!sameContent(path, content)) paths.push_back(path);
  return paths;
}

std::vector<std::string> OutputFiles::commit() const {
  std::vector<std::pair<std::string, std::string>> renames;  // temp -> target
  auto discard = [&] {
    for (const auto& [temp, target] : renames) std::remove(temp.c_str());
  };
  for (const std::string& path : stale()) {
    std::filesystem::path target(path);
    std::error_code ec;
    if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
    std::string temp = path + ".tmp" + std::to_string(::getpid());
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (out) out << files_.at(path);
    out.close();
    if (!out) {
      std::string reason = std::strerror(errno);
      std::remove(temp.c_str());
      discard();
      throw fileError(path, "cannot write: " + reason);
    }
    renames.emplace_back(temp, path);
  }
  std::vector<std::string> written;
  for (const auto& [temp, target] : renames) {
    if (std::rename(temp.c_str(), target.c_str()) != 0) {
      std::string reason = std::strerror(errno);
      discard();
      throw fileError(target, "cannot replace: " + reason);
    }
    written.push_back(target);
  }
  return written;
}

void writeOutput(const std::string& path, const std::string& content) {
  if (path.empty() || path == "-") {
    std::cout << content << std::flush;
    return;
  }
  OutputFiles out;
  out.add(path, content);
  out.commit();
}

}  // namespace uvgen
