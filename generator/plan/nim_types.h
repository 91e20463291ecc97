// The Nim spelling of a C type under the module layout spec: the spec's names
// for libuv's types, Nim's C types for C's builtins, `ptr`/`var` for pointers.
#pragma once

#include <map>
#include <set>
#include <string>

#include "schema/schema.h"
#include "module_spec/module_spec.h"

namespace uvgen {

// The Nim name of every C type the spec names ("uv_pipe_t" -> Pipe in
// uv_pipe, "size_t" -> csize_t), and the module that declares it ("" for a
// type_names entry).
class NimTypeNames {
 public:
  struct Name {
    std::string nim;
    std::string module;
  };
  explicit NimTypeNames(const ModuleSpec& spec);
  const Name* find(const std::string& c_name) const;  // null when the spec does not name it

 private:
  std::map<std::string, Name> names_;
};

enum class TypeUse {
  Field,
  Param,   // a non-const pointer to a number is an out-parameter: `var T`
  Result,  // void is "" (no return type)
};

class NimTypes {
 public:
  NimTypes(const NimTypeNames& names, const Schema& schema) : names_(names), schema_(schema) {}

  // Throws std::runtime_error("C type <name> has no Nim name ...") for a
  // record, callback or unknown builtin the spec does not name. Adds the
  // modules declaring the types it uses to `modules` when given.
  std::string of(const Type& type, TypeUse use, std::set<std::string>* modules = nullptr) const;

 private:
  bool isNumber(const Type& type) const;
  bool isChar(const Type& type) const;

  const NimTypeNames& names_;
  const Schema& schema_;
};

}  // namespace uvgen
