// The plan: everything the generator will write, resolved once from a schema
// and the module spec. The spec is read once, checked once, and every command
// and emitter works from this; emitters only render it.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "module_spec/module_spec.h"
#include "plan/flavour.h"
#include "plan/nim_modules.h"
#include "plan/shim_surface.h"
#include "schema/schema.h"

namespace uvgen {

struct Plan {
  const Schema* schema = nullptr;  // what it was built from; outlives the plan
  std::string spec_path;
  // The shim: present when the spec has a "shim" section.
  std::optional<ShimSurface> shim;
  // The Nim modules, the same for both flavours; the emitter renders them
  // for one flavour.
  NimPackage nim;
};

// Checks the spec against the schema (and the shim against every target
// schema) and resolves it. Throws InputError naming the spec file and the
// entry at fault.
Plan buildPlan(const Schema& schema, const ModuleSpec& spec, const std::vector<TargetSchema>& targets);

// The same, with the target schemas the spec names read first.
Plan buildPlan(const Schema& schema, const ModuleSpec& spec);

// Reads the spec file and builds the plan from it.
Plan buildPlan(const Schema& schema, const std::string& spec_path);

}  // namespace uvgen
