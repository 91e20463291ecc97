#include "cli/files.h"
#include "commands/commands.h"
#include "emit/layout_tests.h"
#include "schema/schema_json.h"

namespace uvgen {

int runLayoutTestsCommand(const ParsedArgs& args) {
  std::string schema_path = required(args, "--schema");
  Schema schema = readSchemaFile(schema_path);
  writeOutput(args.get("-o"), emitLayoutTests(schema, args.get("--include", "uv.h")));
  return kExitOk;
}

}  // namespace uvgen
