// The Nim spelling of a C type under the module layout spec: the spec's names
// for libuv's types, Nim's C types for C's builtins, `ptr`/`var` for pointers.
#pragma once

#include <set>
#include <string>

#include "schema/schema.h"
#include "spec/module_spec.h"

namespace uvgen {

enum class TypeUse {
  Field,
  Param,   // a non-const pointer to a number is an out-parameter: `var T`
  Result,  // void is "" (no return type)
};

class NimTypes {
 public:
  NimTypes(const ModuleSpec& spec, const Schema& schema) : spec_(spec), schema_(schema) {}

  // Throws std::runtime_error("C type <name> has no Nim name ...") for a
  // record, callback or unknown builtin the spec does not name. Adds the
  // modules declaring the types it uses to `modules` when given.
  std::string of(const Type& type, TypeUse use, std::set<std::string>* modules = nullptr) const;

 private:
  bool isNumber(const Type& type) const;
  bool isChar(const Type& type) const;

  const ModuleSpec& spec_;
  const Schema& schema_;
};

}  // namespace uvgen
