// Two schemas, the baseline and the current one, separated by a NUL byte (or
// one schema, compared with itself): when both read, abiDiff must finish
// without a crash or undefined behaviour, in both directions and both scopes,
// and a schema compared with itself must show no change.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "abi/abi_diff.h"
#include "diagnostics/input_error.h"
#include "schema/schema_json.h"

namespace {

// The module spec scope: a few of the baseline's names, as a spec would name them.
uvgen::AbiScope specScope(const uvgen::Schema& schema) {
  uvgen::AbiScope scope;
  scope.whole_header = false;
  for (size_t i = 0; i < schema.functions.size() && i < 3; ++i) scope.spec_names.insert(schema.functions[i].name);
  for (size_t i = 0; i < schema.records.size() && i < 3; ++i) scope.spec_names.insert(schema.records[i].name);
  for (size_t i = 0; i < schema.typedefs.size() && i < 3; ++i) scope.spec_names.insert(schema.typedefs[i].name);
  return scope;
}

void diff(const uvgen::Schema& baseline, const uvgen::Schema& current) {
  const std::vector<uvgen::Flavour> both = {uvgen::Flavour::Direct, uvgen::Flavour::Shim};
  for (const uvgen::AbiScope& scope : {uvgen::AbiScope{}, specScope(baseline)})
    uvgen::abiExitStatus(uvgen::abiDiff(baseline, current, scope), both);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\0');
  uvgen::Schema baseline, current;
  try {
    baseline = uvgen::schemaFromText(input.substr(0, split), "baseline.json");
    current = split == std::string::npos ? baseline : uvgen::schemaFromText(input.substr(split + 1), "current.json");
  } catch (const uvgen::InputError&) {
    return 0;  // the reader's own target checks its errors
  }
  diff(baseline, current);
  diff(current, baseline);
  // The reader refuses a name used twice, so abiDiff's pairing by name is
  // exact and a schema never differs from itself.
  if (!uvgen::abiDiff(baseline, baseline, uvgen::AbiScope{}).empty()) std::abort();
  return 0;
}
