#include "commands/outputs.h"

#include "emit/layout_tests.h"
#include "emit/nim.h"
#include "emit/shim_header.h"
#include "emit/shim_source.h"
#include "emit/shim_version_script.h"
#include "schema/schema_json.h"

namespace uvgen {

Output nimOutput(Flavour flavour, const std::string& folder) {
  Output output{"Nim " + flavourName(flavour) + " flavour", folder, true, flavour == Flavour::Shim, nullptr};
  output.render = [flavour](const Plan& plan) {
    std::map<std::string, std::string> files = emitNimModules(plan, flavour);
    // The shim flavour compiles the shim from the sources next to its modules.
    if (flavour == Flavour::Shim) {
      files["uvshim.h"] = emitShimHeader(*plan.shim);
      files["uvshim.c"] = emitShimSource(*plan.shim);
    }
    return files;
  };
  return output;
}

Output shimOutput(const std::string& folder) {
  Output output{"shim", folder, true, true, nullptr};
  output.render = [](const Plan& plan) {
    return std::map<std::string, std::string>{{"uvshim.h", emitShimHeader(*plan.shim)},
                                              {"uvshim.c", emitShimSource(*plan.shim)},
                                              {"uvshim.map", emitShimVersionScript(*plan.shim)}};
  };
  return output;
}

Output layoutTestsOutput(const std::string& folder, const std::string& file_name, const std::string& include) {
  Output output{"layout tests", folder, false, false, nullptr};
  output.render = [file_name, include](const Plan& plan) {
    return std::map<std::string, std::string>{{file_name, emitLayoutTests(*plan.schema, include)}};
  };
  return output;
}

Output schemaOutput(const std::string& folder) {
  Output output{"schema", folder, false, false, nullptr};
  output.render = [](const Plan& plan) {
    return std::map<std::string, std::string>{{"uv.schema.json", schemaToText(*plan.schema)}};
  };
  return output;
}

std::vector<Output> repositoryOutputs(std::optional<Flavour> only) {
  std::vector<Output> outputs = {shimOutput("shim")};
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
