// Running the Nim compiler on the committed bindings from the tests.
#pragma once

#include <string>
#include <vector>

#include "process.h"

namespace uvgen::test {

// The two flavours of the generated modules: shim (the default, in bindings/nim, the Nim
// package) and direct (in bindings/nim-direct).
inline const std::vector<std::string>& nimFlavours() {
  static const std::vector<std::string> flavours = {"shim", "direct"};
  return flavours;
}

inline std::string nimBindingsDir(const std::string& flavour = "shim") {
  return std::string(UVGEN_SOURCE_DIR) + (flavour == "shim" ? "/bindings/nim" : "/bindings/nim-" + flavour);
}

// Runs `nim <command> <args...>` with its cache in the build folder (one per use, so
// tests running in parallel never share one); output is stdout and stderr together.
inline ProcessResult runNim(const std::string& command, const std::string& cache_name,
                            const std::vector<std::string>& args) {
  std::vector<std::string> argv = {UVGEN_NIM, command, "--colors:off",
                                   "--nimcache:" + std::string(NIM_CACHE_DIR) + "/" + cache_name};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessResult result = runProcess(argv);
  result.out += result.err;
  return result;
}

// What the compiler printed besides its progress dots: empty when it had nothing to say.
inline std::string diagnostics(const std::string& output) {
  std::string kept;
  for (char c : output)
    if (c != '.' && c != '\n') kept += c;
  return kept.empty() ? "" : output;
}

}  // namespace uvgen::test
