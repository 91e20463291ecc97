// One function per uvgen subcommand; main.cpp maps the command line onto them.
#pragma once

#include "cli/args.h"
#include "cli/files.h"
#include "schema/schema.h"

namespace uvgen {

int runSchemaCommand(const ParsedArgs& args);
int runLayoutTestsCommand(const ParsedArgs& args);
int runGenerateCommand(const ParsedArgs& args);
int runShimCommand(const ParsedArgs& args);
int runNimCommand(const ParsedArgs& args);
// more commands
int runAbiCheckCommand(const ParsedArgs& args);

struct ModuleSpec;
// Adds uvshim.h, uvshim.c and (unless told not to) uvshim.map under dir to outputs.
void addShimOutputs(OutputFiles& outputs, const std::string& dir, const Schema& schema, const ModuleSpec& spec,
                    bool with_version_script = true);

// The uv.h found when uvgen was configured.
const char* systemHeader();

}  // namespace uvgen
