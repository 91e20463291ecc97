// The schema of a C header: the one model every part of uvgen shares.
// The extractor fills it from Clang's AST; emitters and the ABI check read it.
// Member names are the JSON keys (see schema/uvgen-schema.json).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace uvgen {

inline constexpr int kSchemaFormatVersion = 1;

struct RecordLayout;

// A C type as structured data. Which members are meaningful depends on kind.
struct Type {
  enum class Kind { Builtin, Pointer, Array, Record, Enum, Typedef, Function };

  Kind kind = Kind::Builtin;
  std::string spelling;  // the C spelling, for humans
  bool is_const = false;
  bool is_volatile = false;
  // Builtin, Record, Enum, Typedef: the C name ("int", "sockaddr_in", "uv_pipe_t").
  std::string name;
  // Record: "struct" or "union".
  std::string tag;
  // Pointer: the pointee. Array: the element type.
  std::shared_ptr<const Type> pointee;
  std::shared_ptr<const Type> element;
  std::optional<uint64_t> length;  // Array: absent for `T x[]`
  // Function prototype.
  std::shared_ptr<const Type> result;
  std::vector<Type> params;
  bool variadic = false;
  // Record without a name (an anonymous struct/union member): its layout inline.
  std::shared_ptr<const RecordLayout> anonymous_record;
};

// Whether a type is an array of plain `char` with a length: text in a record
// (uv_getnameinfo_t's host).
bool isCharArray(const Type& type);

struct Field {
  std::string name;  // empty for an anonymous struct/union member
  Type type;
  uint64_t offset_bits = 0;
  std::optional<uint32_t> bit_width;
  // Declared by one of libuv's *_PRIVATE_FIELDS macros or marked private in
  // the header; not part of libuv's documented API.
  bool is_private = false;
};

struct RecordLayout {
  std::string name;  // tag name, or the typedef name of an unnamed record
  std::string kind;  // "struct" | "union"
  std::string spelling;  // how C code names it: "struct uv_pipe_s", "uv_lib_t"
  uint64_t size = 0;  // bytes
  uint64_t align = 0;  // bytes
  std::vector<Field> fields;
  bool is_libuv = false;  // declared in libuv's headers (else a system header)
  std::string doc;

  // The field of that name, or null (members of anonymous members are not searched).
  const Field* findField(const std::string& field_name) const;
  // Whether this record's first fields are all of base's, by name and offset:
  // a pointer to this one is then a pointer to base (uv_pipe_t starts with
  // uv_stream_t's fields).
  bool startsWith(const RecordLayout& base) const;
  // Whether both have the same kind, size, alignment and fields (offsets, bit
  // widths and type spellings; names may differ), so that one's bytes are
  // the other's: uv_interface_address_t's address union (address4,
  // address6) and netmask union (netmask4, netmask6).
  bool sameLayout(const RecordLayout& other) const;
};

struct Param {
  std::string name;
  Type type;
};

// The signature behind a typedef of a pointer to a function (a callback),
// with its parameter names.
struct Callback {
  Type result;
  std::vector<Param> params;
  bool variadic = false;
};

struct Typedef {
  std::string name;
  Type type;
  std::optional<Callback> callback;
  bool is_libuv = false;
  std::string doc;
};

struct Function {
  std::string name;
  Type result;
  std::vector<Param> params;
  bool variadic = false;
  std::string doc;
};

struct Enumerator {
  std::string name;
  int64_t value = 0;
};

struct Enum {
  std::string name;  // tag name, or the typedef name of an unnamed enum
  std::string spelling;  // "enum uv_tcp_flags", "uv_run_mode"
  Type underlying;
  std::vector<Enumerator> enumerators;
  bool is_libuv = false;
  std::string doc;
};

struct Macro {
  std::string name;
  std::variant<int64_t, std::string> value;
};

struct Target {
  std::string triple;
  uint32_t pointer_size = 0;  // bytes
  std::string clang_version;
};

struct LibuvVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;

  std::string text() const;  // "1.44.2"
  // UV_VERSION_HEX, which uv.h computes from the three numbers (an expression
  // macro, so not among the schema's literal macros).
  int64_t hex() const { return (int64_t{major} << 16) | (int64_t{minor} << 8) | patch; }
};

struct Schema {
  int format_version = kSchemaFormatVersion;
  Target target;
  LibuvVersion libuv;
  std::vector<RecordLayout> records;
  std::vector<Typedef> typedefs;
  std::vector<Enum> enums;
  std::vector<Function> functions;
  std::vector<Macro> macros;

  const RecordLayout* findRecord(const std::string& name) const;
  const Typedef* findTypedef(const std::string& name) const;
  const Enum* findEnum(const std::string& name) const;
  const Function* findFunction(const std::string& name) const;
  const Macro* findMacro(const std::string& name) const;
  // The record a type names, seen through typedefs; null when it is not a record.
  const RecordLayout* recordOf(const Type& type) const;
  // The record a C name denotes: a record's name, a typedef of one
  // ("uv_pipe_t", "sockaddr_in"), or "<record>.<member>" for the anonymous
  // record a member has as its type ("uv_interface_address_t.address");
  // null when it denotes none.
  const RecordLayout* recordNamed(const std::string& c_name) const;
  // The member "<record>.<member>" ("uv_getnameinfo_t.host"), the record
  // named as recordNamed names it; null when there is none.
  const Field* memberNamed(const std::string& member) const;
  // The length of the array member "<record>.<member>" ("uv_getnameinfo_t.host":
  // NI_MAXHOST on this target); empty when it is not an array with a length.
  std::optional<uint64_t> arrayLength(const std::string& member) const;
  // The enum a C name denotes: an enum's name, or a typedef of one
  // ("uv_handle_type", "uv_errno_t"); null when it denotes none.
  const Enum* enumNamed(const std::string& c_name) const;
  // The enum declaring an enumerator of that name, or null.
  const Enum* enumOfEnumerator(const std::string& enumerator) const;
  // The enumerator of that name in any enum, or null.
  const Enumerator* findEnumerator(const std::string& enumerator) const;
};

}  // namespace uvgen
