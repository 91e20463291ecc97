#include "plan/plan.h"

#include "plan/spec_check.h"

namespace uvgen {

Plan buildPlan(const Schema& schema, const ModuleSpec& spec, const std::vector<TargetSchema>& targets) {
  const NimTypeNames names(spec);
  checkModuleSpec(spec, names, schema);
  Plan plan;
  plan.schema = &schema;
  plan.spec_path = spec.path;
  if (spec.shim) plan.shim = buildShimSurface(schema, spec, targets);
  // Windows' differences from the Unix targets, for the Nim modules: the
  // first Windows target schema's (the shim checked that all agree).
  const Schema* windows = nullptr;
  for (const TargetSchema& target : targets)
    if (!windows && isWindowsTarget(target.schema.target.triple) && !isWindowsTarget(schema.target.triple))
      windows = &target.schema;
  plan.nim = buildNimPackage(schema, spec, names, plan.shim ? &*plan.shim : nullptr, windows);
  return plan;
}

Plan buildPlan(const Schema& schema, const ModuleSpec& spec) {
  return buildPlan(schema, spec, readTargetSchemas(spec));
}

Plan buildPlan(const Schema& schema, const std::string& spec_path) {
  return buildPlan(schema, readModuleSpecFile(spec_path));
}

}  // namespace uvgen
