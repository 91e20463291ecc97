// What a C type is to compiled code: its size, its alignment, the scalars it
// holds at each offset and how it is passed. Two types alike here are
// interchangeable for code built against either, whatever their names: two
// pointers and a struct of two pointers; char * and const char *; long and
// unsigned long.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "schema/schema.h"

namespace uvgen {

class BinaryLayouts {
 public:
  BinaryLayouts(const Schema& old_schema, const Schema& new_schema) : old_(old_schema), new_(new_schema) {}

  // The size of a type of the old schema in bits; absent when the schema does
  // not say (void, an incomplete record, a function, an unknown builtin).
  std::optional<uint64_t> oldSizeBits(const Type& type) const;
  // Likewise for a type of the new schema.
  std::optional<uint64_t> newSizeBits(const Type& type) const;

  // The same size and alignment, and scalars of the same kind (integer,
  // floating, pointer) and size at the same offsets, whatever an integer's
  // signedness; what the pointers reach is alike too (a pointer to void
  // reaches nothing; qualifiers of a pointee do not count).
  bool sameLayout(const Type& old_type, const Type& new_type) const;

  // sameLayout, and passed and returned the same way: a struct or union
  // stays one, a scalar stays a scalar.
  bool samePassing(const Type& old_type, const Type& new_type) const;

 private:
  enum class Kind { Integer, Floating, Pointer };
  struct Scalar {
    uint64_t offset_bits = 0;
    uint64_t size_bits = 0;
    Kind kind = Kind::Integer;
    const Type* pointee = nullptr;
    bool operator<(const Scalar& other) const {
      if (offset_bits != other.offset_bits) return offset_bits < other.offset_bits;
      if (size_bits != other.size_bits) return size_bits < other.size_bits;
      return kind < other.kind;
    }
  };
  struct Extent {
    uint64_t size_bits = 0;
    uint64_t align_bits = 0;
  };

  std::optional<Extent> extent(const Type& type, const Schema& schema) const;
  bool scalars(const Type& type, const Schema& schema, uint64_t base, std::vector<Scalar>& out) const;
  bool samePointee(const Type& old_type, const Type& new_type) const;
  bool sameCall(const Type& old_type, const Type& new_type) const;
  bool sameNamed(const Type& old_type, const Type& new_type) const;
  const Type& resolved(const Type& type, const Schema& schema) const;
  std::optional<uint64_t> builtinBytes(const std::string& name, const Schema& schema) const;

  const Schema& old_;
  const Schema& new_;
  // Pointee pairs compared or being compared (a pair under comparison counts
  // as alike, which ends the recursion of self-referential structs).
  mutable std::map<std::pair<const Type*, const Type*>, bool> pointees_;
};

// Definitions (header-only: the class is small and used by abi_diff.cpp alone).

namespace binary_layout_detail {

// More scalars than this in one type (a large array) and the layout is not
// compared scalar by scalar: the types then count as different.
inline constexpr size_t kMaxScalars = 4096;

inline bool isFloating(const std::string& name) { return name == "float" || name == "double" || name == "long double"; }

inline bool isVoid(const Type& type) { return type.kind == Type::Kind::Builtin && type.name == "void"; }

inline bool isAggregate(const Type& type) { return type.kind == Type::Kind::Record; }

}  // namespace binary_layout_detail

inline std::optional<uint64_t> BinaryLayouts::builtinBytes(const std::string& name, const Schema& schema) const {
  static const std::map<std::string, uint64_t> fixed = {
      {"char", 1},      {"signed char", 1},        {"unsigned char", 1}, {"_Bool", 1},
      {"bool", 1},      {"short", 2},              {"unsigned short", 2}, {"int", 4},
      {"unsigned int", 4}, {"float", 4},           {"long long", 8},     {"unsigned long long", 8},
      {"double", 8},    {"__int128", 16},          {"unsigned __int128", 16}};
  if (auto found = fixed.find(name); found != fixed.end()) return found->second;
  if (name == "long" || name == "unsigned long") {
    const std::string& triple = schema.target.triple;
    const bool windows = triple.find("windows") != std::string::npos || triple.find("mingw") != std::string::npos;
    return windows ? 4 : schema.target.pointer_size;
  }
  return std::nullopt;  // long double differs between targets: compared by name only
}

inline const Type& BinaryLayouts::resolved(const Type& type, const Schema& schema) const {
  const Type* t = &type;
  for (int depth = 0; depth < 64 && t->kind == Type::Kind::Typedef; ++depth) {
    const Typedef* def = schema.findTypedef(t->name);
    if (!def) break;
    t = &def->type;
  }
  return *t;
}

inline std::optional<BinaryLayouts::Extent> BinaryLayouts::extent(const Type& original, const Schema& schema) const {
  const Type& type = resolved(original, schema);
  switch (type.kind) {
    case Type::Kind::Builtin:
      if (std::optional<uint64_t> bytes = builtinBytes(type.name, schema)) return Extent{*bytes * 8, *bytes * 8};
      return std::nullopt;
    case Type::Kind::Pointer:
      return Extent{schema.target.pointer_size * 8ull, schema.target.pointer_size * 8ull};
    case Type::Kind::Array: {
      std::optional<Extent> element = type.element ? extent(*type.element, schema) : std::nullopt;
      if (!element || !type.length) return std::nullopt;
      return Extent{element->size_bits * *type.length, element->align_bits};
    }
    case Type::Kind::Record: {
      const RecordLayout* record = type.anonymous_record ? type.anonymous_record.get() : schema.findRecord(type.name);
      if (!record || record->size == 0) return std::nullopt;
      return Extent{record->size * 8, record->align * 8};
    }
    case Type::Kind::Enum: {
      const Enum* e = schema.findEnum(type.name);
      return e ? extent(e->underlying, schema) : std::nullopt;
    }
    case Type::Kind::Typedef:  // unknown typedef
    case Type::Kind::Function:
      return std::nullopt;
  }
  return std::nullopt;
}

inline std::optional<uint64_t> BinaryLayouts::oldSizeBits(const Type& type) const {
  std::optional<Extent> e = extent(type, old_);
  return e ? std::optional<uint64_t>(e->size_bits) : std::nullopt;
}

inline std::optional<uint64_t> BinaryLayouts::newSizeBits(const Type& type) const {
  std::optional<Extent> e = extent(type, new_);
  return e ? std::optional<uint64_t>(e->size_bits) : std::nullopt;
}

inline bool BinaryLayouts::scalars(const Type& original, const Schema& schema, uint64_t base, std::vector<Scalar>& out) const {
  if (out.size() > binary_layout_detail::kMaxScalars) return false;
  const Type& type = resolved(original, schema);
  switch (type.kind) {
    case Type::Kind::Builtin:
    case Type::Kind::Enum: {
      std::optional<Extent> e = extent(type, schema);
      if (!e) return false;
      out.push_back({base, e->size_bits, binary_layout_detail::isFloating(type.name) ? Kind::Floating : Kind::Integer, nullptr});
      return true;
    }
    case Type::Kind::Pointer:
      out.push_back({base, schema.target.pointer_size * 8ull, Kind::Pointer, type.pointee.get()});
      return true;
    case Type::Kind::Array: {
      std::optional<Extent> element = type.element ? extent(*type.element, schema) : std::nullopt;
      if (!element || !type.length) return false;
      for (uint64_t i = 0; i < *type.length; ++i)
        if (!scalars(*type.element, schema, base + i * element->size_bits, out)) return false;
      return true;
    }
    case Type::Kind::Record: {
      const RecordLayout* record = type.anonymous_record ? type.anonymous_record.get() : schema.findRecord(type.name);
      if (!record || record->size == 0) return false;
      for (const Field& field : record->fields) {
        if (field.bit_width)
          out.push_back({base + field.offset_bits, *field.bit_width, Kind::Integer, nullptr});
        else if (!scalars(field.type, schema, base + field.offset_bits, out))
          return false;
      }
      return true;
    }
    case Type::Kind::Typedef:
    case Type::Kind::Function:
      return false;
  }
  return false;
}

inline bool BinaryLayouts::sameLayout(const Type& old_type, const Type& new_type) const {
  std::optional<Extent> a = extent(old_type, old_);
  std::optional<Extent> b = extent(new_type, new_);
  if (!a || !b || a->size_bits != b->size_bits || a->align_bits != b->align_bits) return false;
  std::vector<Scalar> sa, sb;
  if (!scalars(old_type, old_, 0, sa) || !scalars(new_type, new_, 0, sb) || sa.size() != sb.size()) return false;
  std::stable_sort(sa.begin(), sa.end());  // a union's members overlap; their order is not layout
  std::stable_sort(sb.begin(), sb.end());
  for (size_t i = 0; i < sa.size(); ++i) {
    if (sa[i].offset_bits != sb[i].offset_bits || sa[i].size_bits != sb[i].size_bits || sa[i].kind != sb[i].kind)
      return false;
    if (sa[i].kind == Kind::Pointer && !samePointee(*sa[i].pointee, *sb[i].pointee)) return false;
  }
  return true;
}

// The same declaration on both sides: its own changes are reported where it is declared.
inline bool BinaryLayouts::sameNamed(const Type& a, const Type& b) const {
  if (a.kind == Type::Kind::Typedef && b.kind == Type::Kind::Typedef && a.name == b.name) return true;
  const Type& ra = resolved(a, old_);
  const Type& rb = resolved(b, new_);
  if (ra.kind != rb.kind || ra.name.empty() || ra.name != rb.name) return false;
  return ra.kind == Type::Kind::Builtin || ra.kind == Type::Kind::Enum ||
         (ra.kind == Type::Kind::Record && !ra.anonymous_record && !rb.anonymous_record);
}

inline bool BinaryLayouts::samePointee(const Type& a, const Type& b) const {
  if (sameNamed(a, b)) return true;
  const Type& ra = resolved(a, old_);
  const Type& rb = resolved(b, new_);
  if (binary_layout_detail::isVoid(ra) || binary_layout_detail::isVoid(rb)) return true;  // reaches nothing
  const auto key = std::make_pair(&a, &b);
  if (auto known = pointees_.find(key); known != pointees_.end()) return known->second;
  pointees_[key] = true;  // under comparison
  const bool alike = ra.kind == Type::Kind::Function || rb.kind == Type::Kind::Function ? sameCall(ra, rb)
                                                                                         : sameLayout(a, b);
  pointees_[key] = alike;
  return alike;
}

inline bool BinaryLayouts::sameCall(const Type& a, const Type& b) const {
  if (a.kind != Type::Kind::Function || b.kind != Type::Kind::Function) return false;
  if (a.variadic != b.variadic || a.params.size() != b.params.size()) return false;
  if (!samePassing(*a.result, *b.result)) return false;
  for (size_t i = 0; i < a.params.size(); ++i)
    if (!samePassing(a.params[i], b.params[i])) return false;
  return true;
}

inline bool BinaryLayouts::samePassing(const Type& old_type, const Type& new_type) const {
  if (sameNamed(old_type, new_type)) return true;
  const Type& ra = resolved(old_type, old_);
  const Type& rb = resolved(new_type, new_);
  if (ra.kind == Type::Kind::Function || rb.kind == Type::Kind::Function) return sameCall(ra, rb);
  return binary_layout_detail::isAggregate(ra) == binary_layout_detail::isAggregate(rb) && sameLayout(old_type, new_type);
}

}  // namespace uvgen
