// The module layout spec (schema/modules.json): which C declarations each Nim
// module exports, under which names, in which order, with which doc comments.
// Hand-written data; its format is described in schema/README.md. Every C
// declaration the spec names is held in a member called `c`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "schema/schema.h"

namespace uvgen {

// A record field exported as an object field.
struct SpecField {
  std::string c;     // the C field name
  std::string nim;   // the Nim field name
  std::string type;  // Nim type; empty: derived from the C field's type
  std::string doc;
};

struct SpecEnumerator {
  std::string c;
  std::string nim;
};

// A parameter of a proc or callback, matched to the C parameter by position.
struct SpecParam {
  std::string nim;
  std::string type;  // Nim type; empty: derived from the C parameter's type
};

// A pointer conversion from an object to its "base" type, checked against the
// schema: by default the base's fields must be this record's first fields, at
// the same offsets; `first_field` checks only that both start with a field of
// the same C type (a socket address's family).
struct SpecConversion {
  std::string c;
  bool first_field = false;
};

// A record (or a typedef of one) exported as an object.
struct SpecObject {
  std::string c;  // "uv_pipe_t", "sockaddr_in"
  std::string nim;
  std::string doc;
  std::vector<SpecField> fields;
  // The types a pointer to this one converts to without a cast.
  std::vector<SpecConversion> converts_to;
};

struct SpecEnum {
  std::string c;
  std::string nim;
  std::string doc;
  std::vector<SpecEnumerator> enumerators;  // every enumerator of the C enum
};

// A typedef of a scalar type exported under a Nim name.
struct SpecAlias {
  std::string c;
  std::string nim;
  std::string doc;
  // Nim's system module already declares `nim` as this same type: re-export
  // it rather than declare a second, ambiguous one.
  bool system = false;
};

// A function-pointer typedef.
struct SpecCallback {
  std::string c;
  std::string nim;
  std::string doc;
  std::vector<SpecParam> params;  // empty: names from the schema
};

// An enumerator or integer macro (`nim` names it), or a whole enum whose every
// enumerator becomes a constant named without `strip_prefix`.
struct SpecConstant {
  std::string c;
  std::string nim;
  std::string strip_prefix;
  std::string type;  // Nim type of the value; empty: from the enum's underlying type
  std::string doc;
};

struct SpecProc {
  std::string c;
  std::string nim;
  std::string doc;
  std::vector<SpecParam> params;  // empty: names from the schema
  std::string result;             // Nim return type; empty: derived from C
};

struct SpecModule {
  std::string name;  // "uv_pipe": the Nim module's file name
  std::string doc;
  std::vector<SpecAlias> aliases;
  std::vector<SpecEnum> enums;
  std::vector<SpecObject> objects;
  std::vector<SpecCallback> callbacks;
  std::vector<SpecConstant> constants;
  std::vector<SpecProc> procs;
};

// A C type that no module exports but that has a Nim name ("size_t" -> "csize_t").
struct SpecTypeName {
  std::string c;
  std::string nim;
};

struct ModuleSpec {
  std::string path;  // where it was read from, for messages
  std::string umbrella;  // name of the module that re-exports all others
  std::vector<SpecTypeName> type_names;
  std::vector<SpecModule> modules;

  // The Nim name of a C type name (typedef, record or enum) and the module
  // that declares it ("" for type_names); null when the spec does not name it.
  struct NimType {
    std::string nim;
    std::string module;
  };
  const NimType* nimTypeOf(const std::string& c_name) const;
  void indexTypes();  // fills the map nimTypeOf reads; called by the reader

 private:
  std::map<std::string, NimType> nim_types_;
};

// Parses the spec; throws std::runtime_error("<path>: <what>") on bad input.
ModuleSpec moduleSpecFromJson(const std::string& text, const std::string& path);
ModuleSpec readModuleSpecFile(const std::string& path);

// Throws std::runtime_error("<path>: module <m>: <what>") when the spec names a
// declaration, field or enumerator the schema lacks, leaves a C enumerator
// without a Nim name, or when two Nim names collide.
void checkModuleSpec(const ModuleSpec& spec, const Schema& schema);

// The enum a C name denotes, directly or through a typedef; null when none.
const Enum* findEnum(const Schema& schema, const std::string& c_name);

// The enum holding an enumerator of that name, or null.
const Enum* enumOfEnumerator(const Schema& schema, const std::string& enumerator);

// Nim identifier equality: the first character exactly, the rest ignoring
// case and underscores ("sizeOfWriteQueue" == "sizeofwrite_queue").
std::string nimIdentKey(const std::string& name);

}  // namespace uvgen
