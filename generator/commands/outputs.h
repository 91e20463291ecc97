// Everything uvgen writes, as one table: each output is a set of files
// rendered from the plan into one folder. `generate` and `generate --check`
// iterate the repository's outputs; `nim`, `shim` and `layout-tests` write one
// entry each. A new output, or a new target, is one entry and its renderer.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plan/flavour.h"
#include "plan/plan.h"

namespace uvgen {

struct Output {
  std::string name;    // "nim shim flavour", for messages
  std::string folder;  // under the root, for `generate`: "bindings/nim"
  bool kept = true;    // committed to the repository, compared by --check
  bool needs_shim = false;  // renders plan.shim: the spec needs a "shim" section
  std::function<std::map<std::string, std::string>(const Plan&)> render;  // file name -> text
};

Output nimOutput(Flavour flavour, const std::string& folder);
Output shimOutput(const std::string& folder);
Output layoutTestsOutput(const std::string& folder, const std::string& file_name, const std::string& include);
Output schemaOutput(const std::string& folder);

// What `generate` writes under the root: the shim, the Nim modules of both
// flavours (or of `only`, into bindings/nim), the schema and the layout tests.
std::vector<Output> repositoryOutputs(std::optional<Flavour> only);

}  // namespace uvgen
