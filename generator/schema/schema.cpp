#include "schema/schema.h"

#include <algorithm>

namespace uvgen {
namespace {

template <typename T>
const T* findByName(const std::vector<T>& items, const std::string& name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

bool isCharArray(const Type& type) {
  return type.kind == Type::Kind::Array && type.length && type.element && type.element->kind == Type::Kind::Builtin &&
         type.element->name == "char";
}

const RecordLayout* Schema::findRecord(const std::string& name) const { return findByName(records, name); }
const Typedef* Schema::findTypedef(const std::string& name) const { return findByName(typedefs, name); }
const Enum* Schema::findEnum(const std::string& name) const { return findByName(enums, name); }
const Function* Schema::findFunction(const std::string& name) const { return findByName(functions, name); }
const Macro* Schema::findMacro(const std::string& name) const { return findByName(macros, name); }

const Field* RecordLayout::findField(const std::string& field_name) const { return findByName(fields, field_name); }

bool RecordLayout::sameLayout(const RecordLayout& other) const {
  if (kind != other.kind || size != other.size || align != other.align || fields.size() != other.fields.size())
    return false;
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& a = fields[i];
    const Field& b = other.fields[i];
    if (a.offset_bits != b.offset_bits || a.bit_width != b.bit_width ||
        a.type.spelling != b.type.spelling)
      return false;
  }
  return true;
}

bool RecordLayout::startsWith(const RecordLayout& base) const {
  if (base.fields.size() > fields.size()) return false;
  for (size_t i = 0; i < base.fields.size(); ++i)
    if (base.fields[i].name != fields[i].name || base.fields[i].offset_bits != fields[i].offset_bits) return false;
  return true;
}

std::string LibuvVersion::text() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

const RecordLayout* Schema::recordNamed(const std::string& c_name) const {
  if (c_name.find('.') != std::string::npos) {
    const Field* member = memberNamed(c_name);
    return member && member->type.kind == Type::Kind::Record ? member->type.anonymous_record.get() : nullptr;
  }
  if (const Typedef* t = findTypedef(c_name)) return recordOf(t->type);
  return findRecord(c_name);
}

const Field* Schema::memberNamed(const std::string& member) const {
  const size_t dot = member.find('.');
  if (dot == std::string::npos) return nullptr;
  const RecordLayout* owner = recordNamed(member.substr(0, dot));
  return owner ? owner->findField(member.substr(dot + 1)) : nullptr;
}

std::optional<uint64_t> Schema::arrayLength(const std::string& member) const {
  const Field* field = memberNamed(member);
  if (!field || field->type.kind != Type::Kind::Array) return std::nullopt;
  return field->type.length;
}

const Enum* Schema::enumNamed(const std::string& c_name) const {
  if (const Typedef* t = findTypedef(c_name); t && t->type.kind == Type::Kind::Enum) return findEnum(t->type.name);
  return findEnum(c_name);
}

const Enum* Schema::enumOfEnumerator(const std::string& enumerator) const {
  for (const Enum& e : enums)
    if (findByName(e.enumerators, enumerator)) return &e;
  return nullptr;
}

const Enumerator* Schema::findEnumerator(const std::string& enumerator) const {
  const Enum* e = enumOfEnumerator(enumerator);
  return e ? findByName(e->enumerators, enumerator) : nullptr;
}

const RecordLayout* Schema::recordOf(const Type& type) const {
  if (type.kind == Type::Kind::Record)
    return type.anonymous_record ? type.anonymous_record.get() : findRecord(type.name);
  if (type.kind == Type::Kind::Typedef) {
    const Typedef* t = findTypedef(type.name);
    return t ? recordOf(t->type) : nullptr;
  }
  return nullptr;
}

}  // namespace uvgen
