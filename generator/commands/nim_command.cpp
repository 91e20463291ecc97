#include "commands/commands.h"
#include "diagnostics/input_error.h"
#include "plan/plan.h"
#include "schema/schema_json.h"

namespace uvgen {

Flavour nimFlavourArgument(const std::string& name) {
  std::optional<Flavour> flavour = flavourFromName(name);
  if (!flavour) throw UsageError("unknown flavour '" + name + "' (known: shim, direct)");
  return *flavour;
}

std::map<std::string, std::string> renderOutput(const Output& output, const Plan& plan) {
  if (output.needs_shim && !plan.shim)
    throw InputError(plan.spec_path, "", "no \"shim\" section, which the " + output.name + " needs");
  return output.render(plan);
}

int runNimCommand(const ParsedArgs& args) {
  const Flavour flavour = nimFlavourArgument(args.get("--flavour", "shim"));
  const std::string dir = required(args, "-o");
  const Schema schema = readSchemaFile(required(args, "--schema"));
  const Plan plan = buildPlan(schema, required(args, "--spec"));
  OutputFiles files;
  for (const Output& output : nimOutputs(flavour, dir))
    for (const auto& [name, text] : renderOutput(output, plan)) files.add(dir + "/" + name, text);
  files.commit();
  return kExitOk;
}

}  // namespace uvgen
