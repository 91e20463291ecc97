// The Nim emitter: renders the plan's Nim modules for one flavour, one file
// per module plus the umbrella module that re-exports them all.
#pragma once

#include <map>
#include <string>

#include "plan/flavour.h"
#include "plan/plan.h"

namespace uvgen {

// File name ("uv_pipe.nim") -> content. The shim flavour needs the plan's
// shim (the caller checks plan.shim) and adds uvshim.nim, which expects
// uvshim.h and uvshim.c next to the modules.
std::map<std::string, std::string> emitNimModules(const Plan& plan, Flavour flavour);

}  // namespace uvgen
