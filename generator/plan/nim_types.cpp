#include "plan/nim_types.h"

#include <map>
#include <stdexcept>

namespace uvgen {
namespace {

const std::map<std::string, std::string>& builtinNames() {
  static const std::map<std::string, std::string> names = {
      {"char", "char"},
      {"signed char", "int8"},
      {"unsigned char", "uint8"},
      {"short", "cshort"},
      {"unsigned short", "cushort"},
      {"int", "cint"},
      {"unsigned int", "cuint"},
      {"long", "clong"},
      {"unsigned long", "culong"},
      {"long long", "clonglong"},
      {"unsigned long long", "culonglong"},
      {"float", "cfloat"},
      {"double", "cdouble"},
      {"_Bool", "bool"},
  };
  return names;
}

bool isVoid(const Type& type) { return type.kind == Type::Kind::Builtin && type.name == "void"; }

}  // namespace

NimTypeNames::NimTypeNames(const ModuleSpec& spec) {
  for (const SpecTypeName& name : spec.type_names) names_[name.c] = {name.nim, ""};
  for (const SpecModule& module : spec.modules) {
    if (module.os_types)
      for (const SpecOsType& type : module.os_types->types) names_[type.c] = {type.nim, module.name};
    for (const SpecAlias& alias : module.aliases) names_[alias.c] = {alias.nim, module.name};
    for (const SpecEnum& e : module.enums) names_[e.c] = {e.nim, module.name};
    for (const SpecObject& object : module.objects) names_[object.c] = {object.nim, module.name};
    for (const SpecCallback& callback : module.callbacks) names_[callback.c] = {callback.nim, module.name};
  }
}

const NimTypeNames::Name* NimTypeNames::find(const std::string& c_name) const {
  auto it = names_.find(c_name);
  return it == names_.end() ? nullptr : &it->second;
}

bool NimTypes::isChar(const Type& type) const {
  if (type.kind == Type::Kind::Builtin) return type.name == "char";
  if (type.kind == Type::Kind::Typedef && !names_.find(type.name)) {
    const Typedef* t = schema_.findTypedef(type.name);
    return t && isChar(t->type);
  }
  return false;
}

bool NimTypes::isNumber(const Type& type) const {
  switch (type.kind) {
    case Type::Kind::Builtin:
      return !isVoid(type) && type.name != "char";
    case Type::Kind::Enum:
      return true;
    case Type::Kind::Typedef: {
      const Typedef* t = schema_.findTypedef(type.name);
      return t && isNumber(t->type);
    }
    default:
      return false;
  }
}

std::string NimTypes::of(const Type& type, TypeUse use, std::set<std::string>* modules) const {
  switch (type.kind) {
    case Type::Kind::Builtin: {
      if (isVoid(type)) {
        if (use == TypeUse::Result) return "";
        throw std::runtime_error("C type void has no Nim name outside a pointer or a result");
      }
      auto it = builtinNames().find(type.name);
      if (it == builtinNames().end()) throw std::runtime_error("C type " + type.name + " has no Nim name");
      return it->second;
    }
    case Type::Kind::Typedef:
    case Type::Kind::Record:
    case Type::Kind::Enum: {
      if (const NimTypeNames::Name* named = names_.find(type.name)) {
        if (modules && !named->module.empty()) modules->insert(named->module);
        return named->nim;
      }
      if (type.kind == Type::Kind::Typedef) {
        const Typedef* t = schema_.findTypedef(type.name);
        if (t && !t->callback) return of(t->type, use == TypeUse::Result ? use : TypeUse::Field, modules);
      }
      if (type.kind == Type::Kind::Enum) {
        if (const Enum* e = schema_.findEnum(type.name)) return of(e->underlying, TypeUse::Field, modules);
      }
      std::string name = type.name.empty() ? type.spelling : type.name;
      throw std::runtime_error("C type " + name + " has no Nim name (export it from a module or add it to type_names)");
    }
    case Type::Kind::Pointer: {
      const Type& pointee = *type.pointee;
      if (isChar(pointee)) return "cstring";
      if (isVoid(pointee)) return "pointer";
      if (use == TypeUse::Param && !pointee.is_const && isNumber(pointee))
        return "var " + of(pointee, TypeUse::Field, modules);
      return "ptr " + of(pointee, TypeUse::Field, modules);
    }
    case Type::Kind::Array:
      if (!type.length) throw std::runtime_error("C type " + type.spelling + " (an array without a length) has no Nim name");
      return "array[" + std::to_string(*type.length) + ", " + of(*type.element, TypeUse::Field, modules) + "]";
    case Type::Kind::Function:
      break;
  }
  throw std::runtime_error("C type " + type.spelling + " has no Nim name (name the function pointer with a typedef)");
}

}  // namespace uvgen
