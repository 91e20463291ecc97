// Everything uvgen writes, as one table: each output is a set of files
// rendered once from the plan and written into one or more folders (the shim's
// sources go to shim/ and, for the Nim shim flavour, to bindings/nim/ too).
// `generate` and `generate --check` iterate the repository's outputs; `nim`,
// `shim` and `layout-tests` write their own entries into one folder. A new
// output, or a new target, is one entry and its renderer.
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
  std::vector<std::string> folders;  // under the root, for `generate`: "bindings/nim"
  bool kept = true;    // committed to the repository, compared by --check
  bool needs_shim = false;  // renders plan.shim: the spec needs a "shim" section
  bool needs_plan = true;   // false: renders plan.schema only
  std::function<std::map<std::string, std::string>(const Plan&)> render;  // file name -> text
};

// The Nim modules of a flavour (the shim flavour also needs the shim's header
// and source beside them: its modules compile uvshim.c).
Output nimOutput(Flavour flavour, const std::string& folder);
// uvshim.h, and uvshim.c (two outputs, so that two threads can share them).
Output shimHeaderOutput(const std::vector<std::string>& folders);
Output shimSourceOutput(const std::vector<std::string>& folders);
// uvshim.map, the linker version script of the shared library.
Output shimVersionScriptOutput(const std::string& folder);
Output layoutTestsOutput(const std::string& folder, const std::string& file_name, const std::string& include);
Output schemaOutput(const std::string& folder);

// What `nim` writes into a folder: the flavour's modules, and for the shim
// flavour the shim's sources.
std::vector<Output> nimOutputs(Flavour flavour, const std::string& folder);
// What `shim` writes into a folder: the shim's sources and version script.
std::vector<Output> shimOutputs(const std::string& folder);
// What `generate` writes under the root: the shim, the Nim modules of both
// flavours (or of `only`, into bindings/nim) and the schema.
std::vector<Output> repositoryOutputs(std::optional<Flavour> only);

}  // namespace uvgen
