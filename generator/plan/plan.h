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
#include "plan/release_fit.h"
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
  // What the spec names that the header lacks, left out (LackingDeclarations::LeftOut).
  std::vector<LackingDeclaration> lacking;
  // Enumerators of a newer libuv that the spec does not name (LeftOut only).
  std::vector<UnnamedEnumerator> unnamed_enumerators;
  // Target schemas of another libuv release than the header's, which say
  // nothing about its layouts: not checked against (LeftOut only).
  struct SkippedTarget {
    std::string path;
    std::string libuv_version;  // "1.44.2"
  };
  std::vector<SkippedTarget> skipped_targets;
};

// What a plan does with a declaration the spec names and the header lacks:
// refuses it (the spec check's error), or leaves it out, and what uses it,
// for a header of an older libuv; then target schemas of another libuv release
// are skipped rather than refused.
enum class LackingDeclarations { Refused, LeftOut };

// Checks the spec against the schema (and the shim against every target
// schema) and resolves it. Throws InputError naming the spec file and the
// entry at fault.
Plan buildPlan(const Schema& schema, const ModuleSpec& spec, const std::vector<TargetSchema>& targets,
               LackingDeclarations lacking = LackingDeclarations::Refused);

// The same, with the target schemas the spec names read first.
Plan buildPlan(const Schema& schema, const ModuleSpec& spec);

// Reads the spec file and builds the plan from it.
Plan buildPlan(const Schema& schema, const std::string& spec_path);

}  // namespace uvgen
