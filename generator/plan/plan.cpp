#include "plan/plan.h"

#include "plan/spec_check.h"

namespace uvgen {

Plan buildPlan(const Schema& schema, const ModuleSpec& spec) {
  const NimTypeNames names(spec);
  checkModuleSpec(spec, names, schema);
  Plan plan;
  plan.schema = &schema;
  plan.spec_path = spec.path;
  if (spec.shim) plan.shim = buildShimSurface(schema, spec);
  plan.nim = buildNimPackage(schema, spec, names, plan.shim ? &*plan.shim : nullptr);
  return plan;
}

Plan buildPlan(const Schema& schema, const std::string& spec_path) {
  return buildPlan(schema, readModuleSpecFile(spec_path));
}

}  // namespace uvgen
