#pragma once

#include <string>

#include "plan/shim_surface.h"

namespace uvgen {

// uvshim.c: includes uv.h; static assertions that libuv fits the storage and
// agrees with the shim's buffer and constants; wrappers, accessors and the
// callback trampolines.
std::string emitShimSource(const ShimSurface& surface);

}  // namespace uvgen
