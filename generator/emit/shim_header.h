#pragma once

#include <string>

#include "plan/shim_surface.h"

namespace uvgen {

// Text made safe inside a C comment: "*/" and "/*" broken, control and
// formatting characters made spaces (commentText).
std::string inertCommentText(const std::string& text);

// uvshim.h: includes only <stddef.h> and <stdint.h>, never uv.h.
std::string emitShimHeader(const ShimSurface& surface);

// "int32_t uvshim_pipe_bind(uvshim_pipe_t *handle, const char *name)"
std::string shimFunctionSignature(const ShimFunction& function);
// The declarator of a callback typedef: "void (*uvshim_read_cb)(uvshim_stream_t *stream, ...)"
std::string shimCallbackDeclarator(const ShimCallback& callback);

}  // namespace uvgen
