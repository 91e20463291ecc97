// Running the Nim compiler on the committed bindings from the tests, under each Nim
// configuration of the build.
#pragma once

#include <string>
#include <vector>

#include "nim_configs.h"  // written by tests/nim/CMakeLists.txt
#include "process.h"

namespace uvgen::test {

// One Nim configuration the tests run under: a name ("nim-1.6", "nim-2.2", "nim-2.2-refc"), the
// compiler, and the flags it gets for every command (the memory management).
struct NimConfig {
  std::string name;
  std::string compiler;
  std::vector<std::string> flags;
};

// The configurations of this build: the system's nim always, Nim 2.2 (ORC and --mm:refc) when
// the build found it (otherwise the test nim.nim_2_2_toolchain_is_available is skipped).
inline const std::vector<NimConfig>& nimConfigs() {
  static const std::vector<NimConfig> configs = UVGEN_NIM_CONFIGS;
  return configs;
}

// The two flavours of the generated modules: shim (the default, in bindings/nim, the Nim
// package) and direct (in bindings/nim-direct).
inline const std::vector<std::string>& nimFlavours() {
  static const std::vector<std::string> flavours = {"shim", "direct"};
  return flavours;
}

inline std::string nimBindingsDir(const std::string& flavour = "shim") {
  return std::string(UVGEN_SOURCE_DIR) + (flavour == "shim" ? "/bindings/nim" : "/bindings/nim-" + flavour);
}

// A test program as the build compiled it for one configuration and flavour (tests/nim/*.nim).
inline std::string nimProgram(const NimConfig& config, const std::string& flavour, const std::string& program) {
  return std::string(NIM_PROGRAM_DIR) + "/" + config.name + "/" + flavour + "/" + program;
}

// Runs `nim <command> <config flags> <args...>` with the configuration's compiler and its cache
// in the build folder (one per configuration and use, so tests running in parallel never share
// one); output is stdout and stderr together.
inline ProcessResult runNim(const NimConfig& config, const std::string& command, const std::string& cache_name,
                            const std::vector<std::string>& args) {
  std::vector<std::string> argv = {config.compiler, command};
  argv.insert(argv.end(), config.flags.begin(), config.flags.end());
  argv.push_back("--colors:off");
  argv.push_back("--nimcache:" + std::string(NIM_CACHE_DIR) + "/" + config.name + "-" + cache_name);
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
