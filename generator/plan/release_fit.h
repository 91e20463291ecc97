// The module spec fitted to the libuv release a header is of: an older uv.h
// lacks declarations the spec names (uv_pipe came in 1.41). Fitting leaves
// each of them out, and whatever uses one (a function taking a type the
// header lacks), so the plan describes what that release has. A name the
// header declares as something else is left in: the spec check refuses it.
#pragma once

#include <string>
#include <vector>

#include "module_spec/module_spec.h"
#include "schema/schema.h"

namespace uvgen {

// A declaration of the spec that the plan leaves out.
struct LackingDeclaration {
  std::string kind;  // "function", "type", "enum", "enumerator", "field", "callback", "constant"
  std::string c;     // "uv_pipe"; a field as "uv_fs_t.ptr"
  // Empty: the header lacks it. Else it is in the header but uses this
  // declaration, which the header lacks.
  std::string uses;
};

// An enumerator of a newer libuv that the spec does not name (1.52's
// UV_TCP_REUSEPORT): its Nim enum goes without it.
struct UnnamedEnumerator {
  std::string enum_c;
  std::string c;
};

struct FittedSpec {
  ModuleSpec spec;
  std::vector<LackingDeclaration> lacking;  // in the spec's order, each declaration once
  std::vector<UnnamedEnumerator> unnamed;   // in the spec's order of enums, then the header's
};

// "function uv_pipe"; "function uv_x (it uses uv_random_t)".
std::string describe(const LackingDeclaration& lacking);

// The spec without what the schema lacks, and the enumerators of its enums
// that the spec does not name. Nothing lacking: the spec as it is.
FittedSpec fitSpecToSchema(const ModuleSpec& spec, const Schema& schema);

}  // namespace uvgen
