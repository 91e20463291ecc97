#include "commands/commands.h"
#include "schema/schema_json.h"

namespace uvgen {

int runLayoutTestsCommand(const ParsedArgs& args) {
  const std::string include = args.get("--include", "uv.h");
  // It is pasted into `#include <...>`: a header name, nothing that could end the directive.
  if (include.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./+-") !=
      std::string::npos)
    throw UsageError("--include must be a header name (letters, digits, _ . / + -), not '" + include + "'");
  const Schema schema = readSchemaFile(required(args, "--schema"));
  Plan plan;  // layout tests need the schema only
  plan.schema = &schema;
  const Output output = layoutTestsOutput("", "layout_tests.cpp", include);
  writeOutput(args.get("-o"), output.render(plan).at("layout_tests.cpp"));
  return kExitOk;
}

}  // namespace uvgen
