// The Nim emitter: from the schema and the module layout spec, one Nim module
// per spec module plus the umbrella module that re-exports them all.
#pragma once

#include <map>
#include <string>

#include "schema/schema.h"
#include "spec/module_spec.h"

namespace uvgen {

// How the generated modules reach libuv. Only `Direct` exists so far: it
// imports uv.h's own declarations. The stable-ABI shim adds a second flavour
// that imports the shim's header instead; names and signatures stay the same.
enum class NimFlavour { Direct };

// Throws std::invalid_argument naming the accepted flavours for an unknown name.
NimFlavour nimFlavourFromName(const std::string& name);
std::string nimFlavourName(NimFlavour flavour);

// File name ("uv_pipe.nim") -> content. Throws std::runtime_error with a
// message naming the spec file and module when the spec does not fit the
// schema (checkModuleSpec runs first).
std::map<std::string, std::string> emitNimModules(const Schema& schema, const ModuleSpec& spec, NimFlavour flavour);

}  // namespace uvgen
