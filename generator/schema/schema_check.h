// The limits every schema must keep, whoever wrote it. Schemas are edited by
// hand, so the reader treats them as untrusted input; the extractor checks
// what it produced against the same limits, so uvgen never writes a schema
// it would then refuse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "schema/schema.h"

namespace uvgen {

// Types nest (a pointer's pointee, an array's element, a function's
// parameters, an anonymous record's fields' types), and everything
// downstream walks them recursively. The schema of libuv 1.44's uv.h nests 5
// levels deep (in `uv_handle_s`); 64 leaves room for any real header and
// keeps recursion shallow.
// Each type object and each anonymous record counts as one level.
inline constexpr int kMaxTypeNesting = 64;
// Typedefs are resolved recursively too: a typedef's type may name a typedef,
// whose type names another, at most this many in a row (uv.h: 3).
inline constexpr int kMaxTypedefChain = 64;
// Sizes, alignments and array lengths in bytes or elements: a 32-bit range
// keeps sums and products of them (`size + 64`, `length * size`, offsets in
// bits) far from overflowing 64 bits.
inline constexpr uint64_t kMaxByteCount = 0xffffffffu;
inline constexpr uint64_t kMaxOffsetBits = kMaxByteCount * 8;

// A JSON path built on the stack while descending ("records[12].size"),
// turned into text only for an error message.
// A step refers to its parent, which must outlive it: name each step of a
// path kept in a variable (`JsonPath fields = at.member("fields");`).
struct JsonPath {
  const JsonPath* parent = nullptr;  // null at the document's root
  const char* key = nullptr;         // a member name, or null for an array index
  size_t index = 0;

  JsonPath member(const char* name) const { return JsonPath{this, name, 0}; }
  JsonPath at(size_t i) const { return JsonPath{this, nullptr, i}; }
  std::string str() const;
};

// Whether a name is a plain C identifier, [A-Za-z_][A-Za-z0-9_]*. Clang also
// accepts `$` and non-ASCII letters (`uv_café`), but every generated file
// pastes the schema's names into C and Nim code, so the schema holds plain
// identifiers only.
bool isPlainCIdentifier(std::string_view name);

// Checks a whole schema: every name of a declaration, member, parameter,
// enumerator, macro or named type is a plain C identifier (unnamed items are
// empty), the numbers are in range, types nest at most kMaxTypeNesting
// levels, no typedef refers to itself or resolves through more than
// kMaxTypedefChain typedefs, and no name is declared twice (a declaration, a
// member of a record, a parameter, an enumerator). Throws InputError(file,
// JSON path, message) for the first problem.
void checkSchema(const Schema& schema, const std::string& file);

}  // namespace uvgen
