#include "plan/plan.h"

#include <algorithm>
#include <iterator>

#include "plan/spec_check.h"

namespace uvgen {

Plan buildPlan(const Schema& schema, const ModuleSpec& full_spec, const std::vector<TargetSchema>& all_targets,
               LackingDeclarations lacking) {
  Plan plan;
  plan.schema = &schema;
  plan.spec_path = full_spec.path;
  std::optional<FittedSpec> fitted;
  std::vector<TargetSchema> same_release;  // copied only when some are skipped
  if (lacking == LackingDeclarations::LeftOut) {
    fitted = fitSpecToSchema(full_spec, schema);
    plan.lacking = fitted->lacking;
    plan.unnamed_enumerators = fitted->unnamed;
    // A release series (1.44.x) keeps its layouts; a target schema of
    // another one says nothing about this header's.
    auto sameRelease = [&](const TargetSchema& target) {
      return target.schema.libuv.major == schema.libuv.major && target.schema.libuv.minor == schema.libuv.minor;
    };
    for (const TargetSchema& target : all_targets)
      if (!sameRelease(target)) plan.skipped_targets.push_back({target.path, target.schema.libuv.text()});
    if (!plan.skipped_targets.empty())
      std::copy_if(all_targets.begin(), all_targets.end(), std::back_inserter(same_release), sameRelease);
  }
  const ModuleSpec& spec = fitted ? fitted->spec : full_spec;
  const std::vector<TargetSchema>& targets = plan.skipped_targets.empty() ? all_targets : same_release;
  const NimTypeNames names(spec);
  std::set<std::string> unnamed;
  for (const UnnamedEnumerator& value : plan.unnamed_enumerators) unnamed.insert(value.c);
  checkModuleSpec(spec, names, schema, unnamed);
  if (spec.shim) plan.shim = buildShimSurface(schema, spec, targets);
  // Windows' differences from the Unix targets, for the Nim modules: the
  // first Windows target schema's (the shim checked that all agree).
  const Schema* windows = nullptr;
  for (const TargetSchema& target : targets)
    if (!windows && isWindowsTarget(target.schema.target.triple) && !isWindowsTarget(schema.target.triple))
      windows = &target.schema;
  plan.nim = buildNimPackage(schema, spec, names, plan.shim ? &*plan.shim : nullptr, windows);
  for (const LackingDeclaration& left_out : plan.lacking) plan.nim.left_out.push_back(describe(left_out));
  if (plan.shim) plan.shim->left_out = plan.nim.left_out;
  return plan;
}

Plan buildPlan(const Schema& schema, const ModuleSpec& spec) {
  return buildPlan(schema, spec, readTargetSchemas(spec));
}

Plan buildPlan(const Schema& schema, const std::string& spec_path) {
  return buildPlan(schema, readModuleSpecFile(spec_path));
}

}  // namespace uvgen
