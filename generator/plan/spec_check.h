// Checks a module spec against a schema before anything is resolved or
// written: every name the spec uses exists, every Nim name is an identifier
// Nim accepts and tells apart, every C enumerator has a Nim name.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "module_spec/module_spec.h"
#include "plan/nim_modules.h"
#include "plan/nim_types.h"
#include "schema/schema.h"

namespace uvgen {

// Module names the generator writes itself: no spec module may take them.
inline const std::vector<std::string>& reservedModuleNames() {
  static const std::vector<std::string> names = {kShimNimModule};
  return names;
}

// Why a Nim name is one the generated modules use without the spec declaring
// it (a type or routine of Nim's system module, a module they import, the
// shim module's header constant); empty for any other name. A spec name
// equal to one would shadow it in the generated code (an object `cint`).
std::string reservedNimNameReason(const std::string& nim);

// Throws InputError(spec file, "module <m>", what) for the first problem.
// An enumerator of the header that an enum of the spec does not name is one,
// but for those in `unnamed` (a newer libuv's, left without a Nim value).
void checkModuleSpec(const ModuleSpec& spec, const NimTypeNames& names, const Schema& schema,
                     const std::set<std::string>& unnamed = {});

}  // namespace uvgen
