#include "commands/commands.h"
#include "plan/plan.h"
#include "schema/schema_json.h"

namespace uvgen {

int runShimCommand(const ParsedArgs& args) {
  const Schema schema = readSchemaFile(required(args, "--schema"));
  const Plan plan = buildPlan(schema, required(args, "--spec"));
  const std::string dir = required(args, "-o");
  OutputFiles files;
  for (const Output& output : shimOutputs(dir))
    for (const auto& [name, text] : renderOutput(output, plan)) files.add(dir + "/" + name, text);
  files.commit();
  return kExitOk;
}

}  // namespace uvgen
