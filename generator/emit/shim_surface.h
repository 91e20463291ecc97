// What the stable-ABI shim exposes, worked out once from the schema and the
// module spec: its storage types, enum constants, callbacks, wrappers and
// accessors, each with its C (libuv) and shim spelling. The shim emitters and
// the Nim shim flavour all read this, so they agree on every name and type.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "schema/schema.h"

namespace uvgen {

// What the module spec asks of the shim.
struct ShimRequest {
  int abi_version = 1;
  std::vector<std::string> functions;  // libuv functions to wrap, in order
  // libuv types that get storage, with the public fields that get accessors.
  struct TypeRequest {
    std::string c_name;  // "uv_pipe_t"
    uint64_t storage_size = 0;  // bytes, fixed across platforms and libuv versions
    std::vector<std::string> fields;
    std::vector<std::string> writable_fields;
  };
  std::vector<TypeRequest> types;
  std::vector<std::string> enums;  // libuv enums whose values become UVSHIM_* constants
  std::vector<std::string> nullable_params;  // "uv_write2.send_handle": NULL is passed through
  std::vector<std::string> unix_path_params;  // "uv_pipe_bind.name": must fit sun_path
  std::string source;  // the spec file, for error messages
};

struct ShimStorage {
  enum class Kind { Loop, Handle, Request };
  std::string c_name;     // uv_pipe_t
  std::string shim_name;  // uvshim_pipe_t
  std::string macro;      // UVSHIM_PIPE (…_SIZE, …_ALIGN)
  Kind kind = Kind::Handle;
  uint64_t storage_size = 0;
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
  bool nullable = false;
  bool unix_path = false;
};

struct ShimCallback {
  std::string c_name;     // uv_read_cb
  std::string shim_name;  // uvshim_read_cb
  std::string trampoline;  // uvshim__read_cb
  ShimStorage::Kind owner = ShimStorage::Kind::Handle;  // whose trailer keeps it
  int slot = 0;
  ShimValue result;
  std::vector<ShimValue> params;
};

struct ShimFunction {
  std::string c_name;     // uv_pipe_bind
  std::string shim_name;  // uvshim_pipe_bind
  ShimValue result;       // name empty
  bool returns_status_instead_of_void = false;  // a check can fail a void libuv function
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
  ShimValue value;          // its type; to_shim/to_c convert the field
};

struct ShimConstant {
  std::string c_name;     // UV_EAGAIN
  std::string shim_name;  // UVSHIM_EAGAIN
  int64_t value = 0;
};

struct ShimSurface {
  int abi_version = 1;
  std::string libuv_version;  // "1.44.2"
  std::string target;
  // Bytes at the start of every handle and request storage where the shim
  // keeps the user's callbacks; libuv's struct follows it.
  static constexpr uint64_t kTrailerSize = 64;
  static constexpr uint64_t kStorageAlign = 16;
  std::vector<ShimStorage> storages;
  std::vector<ShimConstant> constants;
  std::vector<ShimCallback> callbacks;
  std::vector<ShimFunction> functions;
  std::vector<ShimAccessor> accessors;
  // Records the header only names through pointers (struct sockaddr).
  std::vector<std::string> forward_structs;

  const ShimStorage* findStorage(const std::string& c_name) const;
  // Every exported symbol, in header order.
  std::vector<std::string> exportedSymbols() const;
};

// Throws std::runtime_error("<spec>: <what>") when the request names what the
// schema lacks, a type the shim cannot express, or a storage too small.
ShimSurface shimSurface(const Schema& schema, const ShimRequest& request);

// "uv_pipe_bind" -> "uvshim_pipe_bind"; "uv_pipe_t" -> "uvshim_pipe_t".
std::string shimName(const std::string& c_name);

}  // namespace uvgen
