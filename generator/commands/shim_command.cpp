#include "cli/files.h"
#include "commands/commands.h"
#include "emit/shim_header.h"
#include "emit/shim_source.h"
#include "emit/shim_version_script.h"
#include "schema/schema_json.h"
#include "spec/module_spec.h"
#include "spec/shim_request.h"

namespace uvgen {

void addShimOutputs(OutputFiles& outputs, const std::string& dir, const Schema& schema, const ModuleSpec& spec,
                    bool with_version_script) {
  ShimSurface surface = shimSurface(schema, shimRequestFromSpec(spec, schema));
  outputs.add(dir + "/uvshim.h", emitShimHeader(surface));
  outputs.add(dir + "/uvshim.c", emitShimSource(surface));
  if (with_version_script) outputs.add(dir + "/uvshim.map", emitShimVersionScript(surface));
}

int runShimCommand(const ParsedArgs& args) {
  Schema schema = readSchemaFile(required(args, "--schema"));
  ModuleSpec spec = readModuleSpecFile(required(args, "--spec"));
  checkModuleSpec(spec, schema);
  OutputFiles outputs;
  addShimOutputs(outputs, required(args, "-o"), schema, spec);
  outputs.commit();
  return kExitOk;
}

}  // namespace uvgen
