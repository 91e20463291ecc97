#include <stdexcept>

#include "cli/files.h"
#include "commands/commands.h"
#include "emit/nim.h"
#include "schema/schema_json.h"
#include "spec/module_spec.h"

namespace uvgen {

int runNimCommand(const ParsedArgs& args) {
  NimFlavour flavour;
  try {
    flavour = nimFlavourFromName(args.get("--flavour", "shim"));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  std::string dir = required(args, "-o");
  Schema schema = readSchemaFile(required(args, "--schema"));
  ModuleSpec spec = readModuleSpecFile(required(args, "--spec"));
  OutputFiles out;
  for (const auto& [name, text] : emitNimModules(schema, spec, flavour)) out.add(dir + "/" + name, text);
  // The shim flavour compiles the shim from the sources next to its modules.
  if (flavour == NimFlavour::Shim) addShimOutputs(out, dir, schema, spec, false);
  out.commit();
  return kExitOk;
}

}  // namespace uvgen
