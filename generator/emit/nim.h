// The Nim emitter: from the schema and the module layout spec, one Nim module
// per spec module plus the umbrella module that re-exports them all.
#pragma once

#include <map>
#include <string>

#include "schema/schema.h"
#include "spec/module_spec.h"

namespace uvgen {

// How the generated modules reach libuv; names and signatures are the same in
// both. `Shim` (the default) imports the stable-ABI shim's uvshim.h: objects
// are its fixed-size storage and fields are reached through accessors.
// `Direct` imports uv.h's own declarations.
enum class NimFlavour { Shim, Direct };

// Throws std::invalid_argument naming the accepted flavours for an unknown name.
NimFlavour nimFlavourFromName(const std::string& name);
std::string nimFlavourName(NimFlavour flavour);

// File name ("uv_pipe.nim") -> content. The shim flavour adds uvshim.nim, the
// module that builds or links libuvshim; it expects uvshim.h and uvshim.c next
// to the modules. Throws std::runtime_error with a
// message naming the spec file and module when the spec does not fit the
// schema (checkModuleSpec runs first).
std::map<std::string, std::string> emitNimModules(const Schema& schema, const ModuleSpec& spec, NimFlavour flavour);

}  // namespace uvgen
