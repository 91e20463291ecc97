// What the module spec asks of the stable-ABI shim: every proc of every module
// gets a wrapper, every object with storage gets accessors for its fields, and
// the spec's "shim" section fixes storage sizes and the safety checks.
#pragma once

#include "emit/shim_surface.h"
#include "spec/module_spec.h"

namespace uvgen {

// Reads the "shim" section of the spec file at spec.path. Throws
// std::runtime_error("<path>: shim: <what>") when it is missing or malformed.
ShimRequest shimRequestFromSpec(const ModuleSpec& spec, const Schema& schema);

}  // namespace uvgen
