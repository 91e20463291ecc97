#pragma once

#include <string>

#include "emit/shim_surface.h"

namespace uvgen {

// uvshim.h: includes only <stddef.h> and <stdint.h>, never uv.h.
std::string emitShimHeader(const ShimSurface& surface);

// "int32_t uvshim_pipe_bind(uvshim_pipe_t *handle, const char *name)"
std::string shimFunctionSignature(const ShimFunction& function);
// The declarator of a callback typedef: "void (*uvshim_read_cb)(uvshim_stream_t *stream, ...)"
std::string shimCallbackDeclarator(const ShimCallback& callback);

}  // namespace uvgen
