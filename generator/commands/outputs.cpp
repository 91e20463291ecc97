#include "commands/outputs.h"

#include "emit/layout_tests.h"
#include "emit/nim.h"
#include "emit/shim_header.h"
#include "emit/shim_source.h"
#include "emit/shim_version_script.h"
#include "schema/schema_json.h"

namespace uvgen {

Output nimOutput(Flavour flavour, const std::string& folder) {
  Output output{"Nim " + flavourName(flavour) + " flavour", {folder}, true, flavour == Flavour::Shim, true, nullptr};
  output.render = [flavour](const Plan& plan) { return emitNimModules(plan, flavour); };
  return output;
}

Output shimHeaderOutput(const std::vector<std::string>& folders) {
  Output output{"shim", folders, true, true, true, nullptr};
  output.render = [](const Plan& plan) {
    return std::map<std::string, std::string>{{"uvshim.h", emitShimHeader(*plan.shim)}};
  };
  return output;
}

Output shimSourceOutput(const std::vector<std::string>& folders) {
  Output output{"shim", folders, true, true, true, nullptr};
  output.render = [](const Plan& plan) {
    return std::map<std::string, std::string>{{"uvshim.c", emitShimSource(*plan.shim)}};
  };
  return output;
}

Output shimVersionScriptOutput(const std::string& folder) {
  Output output{"shim", {folder}, true, true, true, nullptr};
  output.render = [](const Plan& plan) {
    return std::map<std::string, std::string>{{"uvshim.map", emitShimVersionScript(*plan.shim)}};
  };
  return output;
}

Output layoutTestsOutput(const std::string& folder, const std::string& file_name, const std::string& include) {
  Output output{"layout tests", {folder}, false, false, false, nullptr};
  output.render = [file_name, include](const Plan& plan) {
    return std::map<std::string, std::string>{{file_name, emitLayoutTests(*plan.schema, include)}};
  };
  return output;
}

Output schemaOutput(const std::string& folder) {
  Output output{"schema", {folder}, false, false, false, nullptr};
  output.render = [](const Plan& plan) {
    return std::map<std::string, std::string>{{"uv.schema.json", schemaToText(*plan.schema)}};
  };
  return output;
}

std::vector<Output> nimOutputs(Flavour flavour, const std::string& folder) {
  std::vector<Output> outputs = {nimOutput(flavour, folder)};
  if (flavour == Flavour::Shim) {
    outputs.push_back(shimHeaderOutput({folder}));
    outputs.push_back(shimSourceOutput({folder}));
  }
  return outputs;
}

std::vector<Output> shimOutputs(const std::string& folder) {
  return {shimHeaderOutput({folder}), shimSourceOutput({folder}), shimVersionScriptOutput(folder)};
}

std::vector<Output> repositoryOutputs(std::optional<Flavour> only) {
  const bool shim_flavour = !only || *only == Flavour::Shim;
  // The shim flavour's copy of the shim's sources is the same text, rendered once.
  std::vector<std::string> shim_folders = {"shim"};
  if (shim_flavour) shim_folders.push_back("bindings/nim");
  std::vector<Output> outputs = {shimHeaderOutput(shim_folders), shimSourceOutput(shim_folders),
                                 shimVersionScriptOutput("shim")};
  if (only) {
    outputs.push_back(nimOutput(*only, "bindings/nim"));
  } else {
    outputs.push_back(nimOutput(Flavour::Shim, "bindings/nim"));
    outputs.push_back(nimOutput(Flavour::Direct, "bindings/nim-direct"));
  }
  outputs.push_back(schemaOutput("generated"));
  return outputs;
}

}  // namespace uvgen
