// One function per uvgen subcommand; main.cpp maps the command line onto them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/files.h"
#include "commands/outputs.h"
#include "plan/flavour.h"

namespace uvgen {

int runSchemaCommand(const ParsedArgs& args);
int runLayoutTestsCommand(const ParsedArgs& args);
int runGenerateCommand(const ParsedArgs& args);
int runShimCommand(const ParsedArgs& args);
int runNimCommand(const ParsedArgs& args);
int runAbiCheckCommand(const ParsedArgs& args);

// The uv.h found when uvgen was configured.
const char* systemHeader();

// A Nim flavour named on the command line; throws UsageError naming the known ones.
Flavour nimFlavourArgument(const std::string& name);

// A new T that is never destroyed: a command that exits right after its
// work leaves what it built allocated, as Clang leaves its AST. The pointer
// stays reachable, so LeakSanitizer does not count it as a leak.
template <typename T>
T& keptUntilExit() {
  static std::vector<std::shared_ptr<void>>* kept = new std::vector<std::shared_ptr<void>>;
  auto object = std::make_shared<T>();
  kept->push_back(object);
  return *object;
}

// The output's files rendered from the plan (file name -> text). Throws
// InputError when the output needs the shim and the spec has none.
std::map<std::string, std::string> renderOutput(const Output& output, const Plan& plan);

}  // namespace uvgen
