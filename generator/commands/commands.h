// One function per uvgen subcommand; main.cpp maps the command line onto them.
#pragma once

#include "cli/args.h"

namespace uvgen {

int runSchemaCommand(const ParsedArgs& args);
int runLayoutTestsCommand(const ParsedArgs& args);
int runGenerateCommand(const ParsedArgs& args);
int runNimCommand(const ParsedArgs& args);
// more commands
int runAbiCheckCommand(const ParsedArgs& args);

// The uv.h found when uvgen was configured.
const char* systemHeader();

}  // namespace uvgen
