// What the stable-ABI shim exposes, worked out once from the schema and the
// module spec: its storage types, enum constants, callbacks, wrappers and
// accessors, each with its C (libuv) and shim spelling. Part of the plan: the
// shim emitters and the Nim shim flavour all render this, so they agree on
// every name and type.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "module_spec/module_spec.h"
#include "schema/schema.h"

namespace uvgen {

struct ShimStorage {
  // Referenced: an object libuv allocates (uv_dir_t); the user holds a pointer
  // to it, uvshim.h declares an incomplete type, and there is no storage.
  enum class Kind { Loop, Handle, Request, Referenced };
  std::string c_name;     // uv_pipe_t; uv_any_handle (a union without a typedef)
  std::string c_type;     // how C code names it: uv_pipe_t; union uv_any_handle
  std::string shim_name;  // uvshim_pipe_t
  std::string macro;      // UVSHIM_PIPE (…_SIZE, …_ALIGN)
  Kind kind = Kind::Handle;
  uint64_t storage_size = 0;  // 0 for a referenced object
  uint64_t c_size = 0;  // sizeof(uv_pipe_t) on the schema's target
};

struct ShimValue {
  std::string name;
  std::string c_type;     // as libuv spells it: "uv_stream_t *"
  std::string shim_type;  // "uvshim_stream_t *"
  // Expression turning a shim value named `name` into the libuv value, and back.
  std::string to_c;
  std::string to_shim;
  const ShimStorage* storage = nullptr;  // set for a pointer to a storage type
  std::string callback;                  // set for a callback: its libuv typedef
  // A callback parameter of a function: where the wrapper keeps it (the
  // parameter holding its owner, the slot in that owner's trailer) and the
  // trampoline libuv gets instead.
  struct CallbackSlot {
    std::string owner_param;
    ShimStorage::Kind owner_kind = ShimStorage::Kind::Handle;
    int slot = 0;
    std::string trampoline;
  };
  std::optional<CallbackSlot> callback_slot;
  // A context callback parameter: the wrapper keeps the user's callback and
  // the `void *` argument named here in a local context struct, whose address
  // libuv passes to the trampoline instead.
  struct CallbackContext {
    std::string arg_param;
    std::string context_type;  // "struct uvshim__walk_cb_context"
    std::string trampoline;
  };
  std::optional<CallbackContext> callback_context;
  bool replaced_by_context = false;  // the `void *` argument a context carries
  bool passthrough_callback = false;  // a callback handed to libuv as it is (cast)
  bool nullable = false;
  bool unix_path = false;
  // A pointer to uv_buf_t, which Windows lays out as {len, base}: a
  // function's array of them is converted for the call (its length is the
  // parameter `buffer_count`), a callback's one buffer is copied each way.
  bool buffers = false;
  std::string buffer_count;
  // A pointer to a converted record (ShimConvertedRecord::c_type): the
  // wrapper converts it into a local libuv record before the call.
  std::string converted_record;
  // ... and the parameter holding the handle or request whose trailer keeps
  // the record's callbacks ("" when it has none).
  std::string converted_owner;
};

struct ShimCallback {
  std::string c_name;     // uv_read_cb
  std::string shim_name;  // uvshim_read_cb
  std::string trampoline;  // uvshim__read_cb
  ShimStorage::Kind owner = ShimStorage::Kind::Handle;  // whose trailer keeps it
  std::string owner_type;  // the storage type of its first parameter: uv_stream_t
  int slot = 0;
  // Called before the function returns, with a context through its last
  // `void *` (see ShimValue::CallbackContext); no owner, no slot.
  bool context = false;
  std::string context_type;  // "struct uvshim__walk_cb_context"
  // Handed to libuv as the user's function itself: no owner, no trampoline.
  bool passthrough = false;
  ShimValue result;
  std::vector<ShimValue> params;
};

struct ShimFunction {
  std::string c_name;     // uv_pipe_bind
  std::string shim_name;  // uvshim_pipe_bind
  ShimValue result;       // name empty
  bool returns_status_instead_of_void = false;  // a check can fail a void libuv function
  // What the wrapper returns when it refuses a call (a NULL handle, say):
  // nothing, UV_EINVAL (a status), NULL (a pointer) or 0 (a size, a count,
  // or a predicate's "false").
  enum class Refusal { Nothing, Status, Null, Zero };
  Refusal refusal = Refusal::Zero;
  bool is_predicate = false;  // answers non-zero for yes, 0 for no
  std::vector<ShimValue> params;
  std::string doc;
};

struct ShimAccessor {
  const ShimStorage* storage = nullptr;
  std::string field;        // write_queue_size
  std::string getter;       // uvshim_pipe_get_write_queue_size
  // The getter is a wrapped libuv function already (uv_stream_get_write_queue_size).
  bool getter_is_function = false;
  std::string setter;       // uvshim_pipe_set_data; empty when read-only
  // The setter is a wrapped libuv function already (uv_handle_set_data).
  bool setter_is_function = false;
  ShimValue value;          // its type; to_shim/to_c convert the field
};

struct ShimConstant {
  std::string c_name;     // UV_EAGAIN
  std::string shim_name;  // UVSHIM_EAGAIN
  int64_t value = 0;      // on the schema's target and on every other target of its OS family
  // Set when Windows targets give it another value (libuv's own error codes there).
  std::optional<int64_t> windows_value;
};

// A typedef of an OS handle that uvshim.h declares per OS (SpecShim::PlatformType).
struct ShimPlatformType {
  std::string c_name;       // uv_os_sock_t
  std::string shim_name;    // uvshim_os_sock_t
  std::string unix_type;    // int32_t
  std::string windows_type; // intptr_t
};

// A schema of one of the targets the one uvshim.h serves, and its file.
struct TargetSchema {
  std::string path;
  Schema schema;
};

// Whether a target triple names Windows ("x86_64-w64-windows-gnu", "...-mingw32").
bool isWindowsTarget(const std::string& triple);

// The target schemas' files the spec's "shim" section names, each path taken
// relative to the spec's folder (and refused when absolute or climbing out
// with "..").
std::vector<std::string> targetSchemaPaths(const ModuleSpec& spec);
// The spec's folder ("" or ending in '/'), which begins every one of those
// paths; they are read below it without following links.
std::string targetSchemaFolder(const ModuleSpec& spec);
// Reads them.
std::vector<TargetSchema> readTargetSchemas(const ModuleSpec& spec);

// A plain data record the shim declares with libuv's own layout, in
// fixed-width types: a pointer to one is a pointer to libuv's (uvshim.c checks
// every offset when it is compiled).
struct ShimRecord {
  std::string c_type;     // how libuv's is named in C: uv_timeval_t; struct uv_cpu_times_s
  std::string shim_type;  // uvshim_timeval_t; struct uvshim_cpu_times_s
  std::string shim_tag;   // uvshim_timeval_s; uvshim_cpu_times_s
  bool has_typedef = false;
  struct Field {
    std::string name;
    std::string declaration;  // "intptr_t tv_sec", "struct uvshim_cpu_times_s cpu_times"
    bool spare = false;       // a spare member: its offset and size are not asserted
  };
  std::vector<Field> fields;
};

// A record passed in by pointer that the shim declares in its own types and
// converts into libuv's on each call (uv_process_options_t): it holds a
// callback, pointers to storage, an array of other converted records.
struct ShimConvertedRecord {
  std::string c_type;     // uv_process_options_t
  std::string shim_type;  // uvshim_process_options_t
  std::string shim_tag;   // uvshim_process_options_s
  std::string converter;  // uvshim__process_options_to_uv
  std::string release;    // uvshim__process_options_release; empty when nothing is allocated
  struct Field {
    enum class Kind { Value, Callback, Array, SelectedUnion };
    Kind kind = Kind::Value;
    std::string name;
    std::string declaration;  // as uvshim.h declares it: "uvshim_exit_cb exit_cb"
    ShimValue value;          // Value: converts `in->name`
    std::string callback;     // Callback: its libuv typedef
    std::string element;      // Array: the converted record of the elements (its c_type)
    std::string count;        // Array: the member holding the length
    // SelectedUnion: the members, and the flags of `selector` that select the pointer.
    std::string selector;
    std::vector<std::string> pointer_when;
    ShimValue pointer_member;
    ShimValue other_member;
  };
  std::vector<Field> fields;
};

struct ShimSurface {
  uint32_t abi_version = 2;
  std::string libuv_version;  // "1.44.2"
  // What the module spec names that this libuv lacks, left out ("function uv_pipe").
  std::vector<std::string> left_out;
  std::string target;
  // Bytes at the start of every handle and request storage where the shim
  // keeps the user's callbacks; libuv's struct follows it.
  static constexpr uint64_t kTrailerSize = 64;
  static constexpr uint64_t kStorageAlign = 16;
  std::vector<ShimStorage> storages;
  std::vector<ShimRecord> records;  // a record's nested records come before it
  std::vector<ShimConvertedRecord> converted_records;  // an element record before its array's
  std::vector<ShimConstant> constants;
  std::vector<ShimPlatformType> platform_types;
  // How uvshim.h spells each libuv typedef a value crossed as ("uv_uid_t" ->
  // "uint32_t", "ssize_t" -> "intptr_t").
  std::map<std::string, std::string> typedef_spellings;
  // The triples the surface was checked against, in the spec's order.
  std::vector<std::string> checked_targets;
  std::vector<ShimCallback> callbacks;
  std::vector<ShimFunction> functions;
  std::vector<ShimAccessor> accessors;
  // Records the header only names through pointers (struct sockaddr).
  std::vector<std::string> forward_structs;

  const ShimStorage* findStorage(const std::string& c_name) const;
  const ShimRecord* findRecord(const std::string& c_type) const;
  const ShimConvertedRecord* findConvertedRecord(const std::string& c_type) const;
  const ShimFunction* findFunction(const std::string& c_name) const;
  const ShimCallback* findCallback(const std::string& c_name) const;
  // The accessor of a field of a storage type, or null.
  const ShimAccessor* findAccessor(const std::string& c_type, const std::string& field) const;
  // Whether any value crosses through the conversion named (it appears in a to_c or to_shim).
  bool usesConversion(const std::string& call) const;
  // Whether uvshim.h spells the typedef in a type whose width is the
  // platform's (intptr_t, long, a platform type), not a fixed one; true for
  // a typedef no value crosses as.
  bool platformWidth(const std::string& c_typedef) const;
  // Every exported symbol, in header order.
  std::vector<std::string> exportedSymbols() const;
};

// What the spec asks of the shim: every proc of every module gets a wrapper,
// every object with storage in the spec's "shim" section gets it and
// accessors for its fields. Throws InputError(spec file, "shim", what) when the
// spec names what the schema lacks, a type or name the shim cannot express, a
// storage too small (on any target), a callback without its owner, or two
// symbols of one name. The spec must have a "shim" section.
ShimSurface buildShimSurface(const Schema& schema, const ModuleSpec& spec, const std::vector<TargetSchema>& targets);

// What a libuv record is by libuv's own marks: the loop, a handle (its `type`
// field is a uv_handle_type) or a request (a uv_req_type); nullopt for anything
// else. The shim gives these storage, and the Nim modules forbid copying them.
std::optional<ShimStorage::Kind> libuvObjectKind(const std::string& c_name, const RecordLayout& record);

// "uv_pipe_bind" -> "uvshim_pipe_bind"; "uv_pipe_t" -> "uvshim_pipe_t".
std::string shimName(const std::string& c_name);
// The name uvshim.h gives a C type: the shim's own name for libuv's types
// (uv_buf_t, whose field order differs between platforms, is uvshim_buf_t),
// the system's name for the rest (sockaddr).
std::string shimTypeName(const std::string& c_name);

}  // namespace uvgen
