#pragma once

#include <string>

#include "plan/shim_surface.h"

namespace uvgen {

// uvshim.map: the linker version script exporting exactly the uvshim_* symbols.
std::string emitShimVersionScript(const ShimSurface& surface);

}  // namespace uvgen
