// The Nim modules, resolved: every name, Nim type, value and doc comment the
// Nim emitter writes, worked out once from the schema and the checked spec.
// The emitter only renders these; it looks nothing up.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "module_spec/module_spec.h"
#include "plan/nim_types.h"
#include "plan/shim_surface.h"
#include "schema/schema.h"

namespace uvgen {

// The shim flavour's own module, which builds or links libuvshim: a name no
// spec module may take.
inline constexpr const char* kShimNimModule = "uvshim";

struct NimParam {
  std::string name;
  std::string type;
};

// A type alias; `system`: Nim's system module declares it already, so the
// module re-exports Nim's and checks that it is the C type `type`.
struct NimAlias {
  std::string c;
  std::string nim;
  std::string type;
  std::string doc;
  bool system = false;
  std::string windows_type;  // set when Windows' typedef has another Nim type (a HANDLE: pointer)
  // The shim flavour keeps `type` on Windows too: uvshim.h gives the typedef
  // a fixed width (uv_uid_t: uint32_t everywhere).
  bool shim_fixed = false;
};

struct NimEnum {
  std::string nim;
  std::string doc;
  std::vector<std::pair<std::string, int64_t>> values;  // ascending, each once
  // Values Windows gives otherwise, by Nim name (UV_REQ_TYPE_MAX); ascending there too.
  std::map<std::string, int64_t> windows_values;
  // Other names of values: an enumerator whose value another enumerator has
  // (a constant), and names used before (deprecated). `value` is the Nim name
  // in `values` they stand for.
  struct Alias {
    std::string nim;
    std::string value;
    bool deprecated = false;
  };
  std::vector<Alias> aliases;  // in the spec's order
};

struct NimField {
  std::string c;
  std::string nim;
  std::string type;
  std::string doc;
  // The shim flavour's accessors; the setter is empty for a read-only field.
  std::string shim_getter;
  std::string shim_setter;
  // The C member's type is an anonymous record, which no Nim type can name:
  // the object holds it privately and a getter and setter copy its bytes
  // to and from `type` (an object declared for that member, laid out alike).
  bool copied = false;
  // A char array of a handle or request, read as text: `type` is cstring, and
  // the object holds the array privately as `text_array` (array[1025, char]).
  std::string text_array;
};

struct NimObject {
  std::string nim;
  std::string doc;
  std::string c_name;  // what `importc` names: the typedef, or the record's spelling
  std::string c_spelling;  // the record's C spelling ("struct sockaddr")
  bool is_libuv = true;    // declared by libuv (else a system header)
  // Declared for the anonymous record type of a member (c_name is empty):
  // Nim lays it out, a union when `is_union`, and nothing is imported.
  bool anonymous_member = false;
  bool is_union = false;
  // The shim's opaque storage for it, in the shim flavour; absent for types
  // the shim passes by pointer only (sockaddr).
  struct Storage {
    std::string shim_name;
    uint64_t size = 0;  // 0: an object libuv allocates, which the shim only passes by pointer
  };
  std::optional<Storage> shim_storage;
  std::vector<NimField> fields;
  std::vector<std::string> converts_to;  // Nim names of the types a pointer converts to
  // A handle, a request or the loop: libuv keeps pointers into it, so a copy
  // is a compile error (moves, `addr` and `create` still work).
  bool no_copy = false;
};

// Types the OS's Nim module declares, imported and re-exported.
struct NimOsType {
  std::string nim;
  std::vector<std::string> converts_to;
};

struct NimOsTypes {
  std::string posix_module;
  std::string windows_module;
  std::string doc;
  std::vector<NimOsType> types;
};

struct NimCallback {
  std::string nim;
  std::string doc;
  std::vector<NimParam> params;
  std::string result;  // empty for none
};

struct NimConstant {
  std::string nim;
  std::string type;
  int64_t value = 0;
  std::optional<int64_t> windows_value;  // set when Windows has another value
  std::optional<std::string> text;  // a string constant's value (UV_VERSION_SUFFIX)
  // For a constant imported from the header: its C name in uv.h and in uvshim.h.
  std::string c;
  std::string shim_c;
};

// One spec entry of constants: one constant with its doc comment, or every
// enumerator of an enum under a plain comment.
struct NimConstants {
  bool whole_enum = false;
  bool from_header = false;  // imported at compile time, not written as values
  std::string replaced_by;   // set for a deprecated constant: what to use instead
  std::string doc;
  std::vector<NimConstant> constants;
};

struct NimProc {
  std::string c;
  std::string nim;
  std::string doc;
  std::vector<NimParam> params;
  std::string result;  // empty for none
  // The shim flavour returns the shim's status where libuv returns nothing.
  bool shim_returns_status = false;
};

struct NimModule {
  std::string name;
  std::string doc;
  std::vector<std::string> imports;  // earlier modules whose types it uses
  std::optional<NimOsTypes> os_types;
  std::vector<NimAlias> aliases;
  std::vector<NimEnum> enums;
  std::vector<NimObject> objects;
  std::vector<NimCallback> callbacks;
  std::vector<NimConstants> constants;
  std::vector<NimProc> procs;
};

struct NimPackage {
  std::string libuv_version;  // "1.44.2"
  // What the module spec names that this libuv lacks, left out ("function uv_pipe").
  std::vector<std::string> left_out;
  std::string umbrella;
  std::vector<NimModule> modules;
};

// Resolves every module of a checked spec (checkModuleSpec first). surface:
// the shim's, for the accessor and storage names; null when the spec has no
// shim. Throws InputError(spec file, "module <m>", what) for a C type without a
// Nim name, two enumerators of one value, or a module using a later one.
// windows: a Windows target's schema, for the aliases, enum values and
// constants that differ there (null: none).
NimPackage buildNimPackage(const Schema& schema, const ModuleSpec& spec, const NimTypeNames& names,
                           const ShimSurface* surface, const Schema* windows);

}  // namespace uvgen
