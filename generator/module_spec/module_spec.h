// The module layout spec (schema/modules.json): which C declarations each Nim
// module exports, under which names, in which order, with which doc comments.
// Hand-written data; its format is described in schema/README.md. Every C
// declaration the spec names is held in a member called `c`. This folder only
// reads the file; plan/ checks it against a schema and resolves it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

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
  // Names this enumerator had before (published ones): each stays usable as a
  // deprecated alias of `nim`.
  std::vector<std::string> old_names;
  // The enum has another enumerator of the same value (UV_OVERLAPPED_PIPE is
  // UV_NONBLOCK_PIPE): a Nim enum holds each value once, so this one is a
  // constant of that enumerator's value.
  bool same_value = false;
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
  // Imported from the C header at compile time rather than written as a
  // value, so that it is right on every platform (libuv's error codes).
  bool from_header = false;
  // Kept for programs written before: the constant is deprecated, and its
  // deprecation message says to use this instead ("cuint(stdioIgnore)").
  std::string replaced_by;
};

// A type the OS's own Nim module declares (posix's SockAddrIn, winlean's on
// Windows): the module imports and re-exports it instead of declaring its own,
// so programs that also import std/posix see one type, not two.
struct SpecOsType {
  std::string c;    // "sockaddr_in", "uv_os_sock_t"
  std::string nim;  // "SockAddrIn"
  std::vector<SpecConversion> converts_to;
};

struct SpecOsTypes {
  std::string posix_module;    // "posix"
  std::string windows_module;  // "winlean"
  std::string doc;
  std::vector<SpecOsType> types;
};

// An argument passed in a variadic function's `...`, with the C builtin type
// it is passed as ("int"): uv_loop_configure's signal number.
struct SpecVariadicParam {
  std::string nim;
  std::string c_type;
};

struct SpecProc {
  std::string c;
  std::string nim;
  std::string doc;
  std::vector<SpecParam> params;  // empty: names from the schema
  std::string result;             // Nim return type; empty: derived from C
  std::vector<SpecVariadicParam> variadic;  // what a variadic function is called with
};

struct SpecModule {
  std::string name;  // "uv_pipe": the Nim module's file name
  std::string doc;
  std::optional<SpecOsTypes> os_types;
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

// The spec's "shim" section: what the stable-ABI shim fixes beyond the modules.
struct SpecShim {
  uint32_t abi_version = 0;
  // Storage size in bytes of each libuv type that gets opaque storage.
  std::map<std::string, uint64_t> storage;
  // Objects libuv allocates and the user only holds pointers to ("uv_dir_t",
  // which uv_fs_opendir makes): an incomplete type in uvshim.h, no storage,
  // fields through accessors.
  std::vector<std::string> referenced_objects;
  // How much larger than libuv's struct (plus the callback trailer) every
  // storage must be on every target, in percent of the struct's size.
  uint32_t storage_headroom_percent = 0;
  // The schemas of the targets the one uvshim.h serves, in the spec's order:
  // a path relative to the spec's folder. Storage sizes, platform types and
  // constants are checked against each; empty: only the schema at hand.
  std::vector<std::string> target_schemas;
  // Typedefs of the OS's own handles, which uvshim.h spells per OS
  // ("uv_os_sock_t": int32_t on Unix, intptr_t, a SOCKET, on Windows).
  struct PlatformType {
    std::string unix_type;
    std::string windows_type;
  };
  std::map<std::string, PlatformType> platform_types;
  std::vector<std::string> writable_fields;   // "data": fields that get a setter
  std::vector<std::string> nullable_params;   // "uv_write2.send_handle": NULL is passed through
  std::vector<std::string> unix_path_params;  // "uv_pipe_bind.name": must fit sun_path
  std::vector<std::string> predicates;        // "uv_is_active": answers 0 ("no") for NULL
  // Callbacks that libuv calls before the function taking them returns, with
  // the caller's `void *` last ("uv_walk_cb"): the shim passes the user's
  // callback and argument through that pointer instead of a trailer slot.
  std::vector<std::string> context_callbacks;
  // Callbacks that belong to no handle and whose types the shim spells as
  // libuv does (uv_malloc_func): the user's function is handed to libuv as it is.
  std::vector<std::string> passthrough_callbacks;
  // Plain data records the shim declares with libuv's layout in fixed-width
  // types ("uv_timeval_t"), checked field by field when uvshim.c is compiled.
  std::vector<std::string> records;
  // Spare members of those records ("uv_statfs_t.f_spare"), which a later
  // libuv may give to new fields: declared, but uvshim.c checks only the
  // record's size and its other members, so it still compiles then.
  std::vector<std::string> spare_members;
  // Records passed in by pointer that the shim declares in its own types and
  // converts field by field on each call ("uv_process_options_t"): they hold
  // callbacks, pointers to storage, arrays of converted records.
  std::vector<std::string> converted_records;
  // An array member of a converted record and the member holding its length:
  // "uv_process_options_t.stdio" -> "stdio_count".
  std::map<std::string, std::string> counted_arrays;
  // A union member of a converted record holding a pointer to storage or
  // another value, and what says which: the pointer when the selector member
  // has one of the flags ("uv_stdio_container_t.data": flags has
  // UV_CREATE_PIPE or UV_INHERIT_STREAM).
  struct SelectedUnion {
    std::string selector;
    std::vector<std::string> pointer_when;
  };
  std::map<std::string, SelectedUnion> selected_unions;
};

// The whole spec file as plain data, read once; plan/ checks it against a schema.
struct ModuleSpec {
  std::string path;      // where it was read from, for messages
  std::string umbrella;  // name of the module that re-exports all others
  std::vector<SpecTypeName> type_names;
  std::vector<SpecModule> modules;
  std::optional<SpecShim> shim;  // absent when the file has no "shim" section

  // Every C name the spec refers to (declarations, fields, enumerators), for
  // the scope of the ABI check.
  std::set<std::string> cNames() const;
};

// Limits on a spec file, so that any input is read with bounded work.
inline constexpr uint32_t kMaxShimAbiVersion = 65535;
inline constexpr uint64_t kMaxShimStorageSize = 1u << 20;
inline constexpr uint64_t kMaxShimHeadroomPercent = 1000;
inline constexpr size_t kMaxSpecNesting = 32;  // real specs nest 6 levels

// Parses the spec. Throws InputError(path, where, what) on bad input: not JSON,
// an unknown key, a missing or mistyped member, a number out of range.
ModuleSpec moduleSpecFromJson(const std::string& text, const std::string& path);
ModuleSpec readModuleSpecFile(const std::string& path);

}  // namespace uvgen
