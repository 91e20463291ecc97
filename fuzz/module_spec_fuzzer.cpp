// A module spec, read with its checks and resolved against the schema of the
// system uv.h, then rendered into every output: any input either gives files
// or one InputError line; nothing else may escape, and nothing may crash.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "commands/outputs.h"
#include "diagnostics/input_error.h"
#include "module_spec/module_spec.h"
#include "plan/plan.h"
#include "schema/schema_json.h"

namespace {

const uvgen::Schema* schema = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The real schema, written by fuzz/make-seeds before the targets run.
  static const uvgen::Schema real = uvgen::readSchemaFile(UVGEN_FUZZ_SCHEMA);
  schema = &real;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const uvgen::ModuleSpec spec = uvgen::moduleSpecFromJson(text, "spec.json");
    const uvgen::Plan plan = uvgen::buildPlan(*schema, spec, {});  // no files read
    for (const uvgen::Output& output : uvgen::repositoryOutputs(std::nullopt))
      if (!output.needs_shim || plan.shim) output.render(plan);
  } catch (const uvgen::InputError& e) {
    if (std::string(e.what()).find('\n') != std::string::npos) std::abort();  // one line, always
  }
  return 0;
}
