// One function per uvgen subcommand; main.cpp maps the command line onto them.
#pragma once

#include <string>

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

// The output's files rendered from the plan (file name -> text). Throws
// InputError when the output needs the shim and the spec has none.
std::map<std::string, std::string> renderOutput(const Output& output, const Plan& plan);

}  // namespace uvgen
