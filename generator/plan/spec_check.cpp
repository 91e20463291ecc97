#include "plan/spec_check.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "diagnostics/input_error.h"
#include "plan/names.h"

namespace uvgen {
namespace {

// Spec text quoted in a message; InputError keeps the line on one line.
std::string quotedForMessage(const std::string& text) { return "'" + text + "'"; }

// A spec name must not be one the generated code takes from elsewhere.
void refuseReservedName(const std::string& path, const std::string& where, const std::string& what, const std::string& nim) {
  const std::string why = reservedNimNameReason(nim);
  if (!why.empty()) throw InputError(path, where, what + ": " + quotedForMessage(nim) + " is " + why);
}

// Checks one module against the schema; collisions across modules are
// checked by NameRegistry below.
class ModuleChecker {
 public:
  ModuleChecker(const ModuleSpec& spec, const NimTypeNames& names, const Schema& schema, const SpecModule& module,
                const std::set<std::string>& unnamed)
      : spec_(spec), names_(names), schema_(schema), module_(module), unnamed_(unnamed) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(spec_.path, "module " + module_.name, what);
  }

  const RecordLayout& record(const std::string& c) const {
    const RecordLayout* found = schema_.recordNamed(c);
    if (!found) fail("type " + c + " is not in the schema");
    return *found;
  }

  // A name the spec declares: a Nim identifier, and none the generated code
  // takes from elsewhere.
  void requireName(const std::string& what, const std::string& nim) const {
    requireIdentifier(what, nim);
    refuseReservedName(spec_.path, "module " + module_.name, what, nim);
  }

  // A name the spec refers to (the OS modules it imports).
  void requireIdentifier(const std::string& what, const std::string& nim) const {
    if (!isNimIdentifier(nim))
      fail(what + ": " + quotedForMessage(nim) + " is not a Nim identifier" + (isNimKeyword(nim) ? " (a keyword)" : ""));
  }

  void requireType(const std::string& what, const std::string& type) const {
    if (!type.empty() && !isNimTypeExpression(type))
      fail(what + ": type " + quotedForMessage(type) + " is not a Nim type (a name, ptr T, var T or array[N, T])");
  }

  const Enum& enumOf(const std::string& c) const {
    const Enum* found = schema_.enumNamed(c);
    if (!found) fail("enum " + c + " is not in the schema");
    return *found;
  }

  void checkParams(const std::string& what, const std::vector<Param>& c_params,
                   const std::vector<SpecParam>& params) const {
    if (!params.empty() && params.size() != c_params.size())
      fail(what + " has " + std::to_string(c_params.size()) + " parameters in C but " +
           std::to_string(params.size()) + " in the spec");
    std::set<std::string> names;
    for (size_t i = 0; i < c_params.size(); ++i) {
      std::string name = params.empty() ? c_params[i].name : params[i].nim;
      if (name.empty()) fail(what + ": parameter " + std::to_string(i + 1) + " has no name in C; name it under \"params\"");
      if (params.empty() && name.find('_') != std::string::npos)
        fail(what + ": parameter " + name + " needs a Nim name under \"params\"");
      if (isNimKeyword(name)) fail(what + ": parameter " + name + " is a Nim keyword; rename it under \"params\"");
      requireName(what + ": parameter " + std::to_string(i + 1), name);
      if (!params.empty()) requireType(what + ": parameter " + name, params[i].type);
      if (!names.insert(nimIdentKey(name)).second) fail(what + ": two parameters are named " + name);
    }
  }

  void check() const {
    requireName("module name", module_.name);
    if (module_.os_types) {
      requireIdentifier("os_types: posix", module_.os_types->posix_module);
      requireIdentifier("os_types: windows", module_.os_types->windows_module);
      for (const SpecOsType& type : module_.os_types->types) {
        requireName("os type " + type.c, type.nim);
        const RecordLayout* layout = schema_.recordNamed(type.c);
        if (!layout && !schema_.findTypedef(type.c)) fail("os type " + type.c + " is not in the schema");
        if (!type.converts_to.empty() && !layout) fail("os type " + type.c + " converts to another type but is not a record");
        if (layout) checkConversions(type.c, *layout, type.converts_to);
      }
    }
    for (const SpecAlias& alias : module_.aliases) {
      requireName("type " + alias.c, alias.nim);
      const Typedef* t = schema_.findTypedef(alias.c);
      if (!t) fail("type " + alias.c + " is not in the schema");
      if (t->callback || schema_.recordOf(t->type))
        fail("type " + alias.c + " is a callback or a record; export it under \"callbacks\" or \"objects\"");
    }
    for (const SpecEnum& e : module_.enums) checkEnum(e);
    for (const SpecObject& object : module_.objects) checkObject(object);
    for (const SpecCallback& callback : module_.callbacks) {
      requireName("callback " + callback.c, callback.nim);
      const Typedef* t = schema_.findTypedef(callback.c);
      if (!t || !t->callback) fail("callback " + callback.c + " is not in the schema");
      checkParams("callback " + callback.c, t->callback->params, callback.params);
    }
    for (const SpecConstant& constant : module_.constants) checkConstant(constant);
    for (const SpecProc& proc : module_.procs) {
      requireName("function " + proc.c, proc.nim);
      requireType("function " + proc.c + ": result", proc.result);
      const Function* f = schema_.findFunction(proc.c);
      if (!f) fail("function " + proc.c + " is not in the schema");
      if (f->variadic && proc.variadic.empty())
        fail("function " + proc.c + " is variadic; say what it is called with under \"variadic\"");
      if (!f->variadic && !proc.variadic.empty()) fail("function " + proc.c + " is not variadic");
      for (const SpecVariadicParam& extra : proc.variadic) {
        requireName("function " + proc.c + ": variadic parameter", extra.nim);
        if (!variadicArgumentType(extra.c_type))
          fail("function " + proc.c + ": variadic parameter " + extra.nim + ": '" + extra.c_type +
               "' is not int, unsigned int, long, unsigned long or void *");
      }
      checkParams("function " + proc.c, f->params, proc.params);
    }
  }

 private:
  void checkEnum(const SpecEnum& e) const {
    requireName("enum " + e.c, e.nim);
    const Enum& c_enum = enumOf(e.c);
    std::set<std::string> named;
    for (const SpecEnumerator& value : e.enumerators) {
      auto it = std::find_if(c_enum.enumerators.begin(), c_enum.enumerators.end(),
                             [&](const Enumerator& c) { return c.name == value.c; });
      if (it == c_enum.enumerators.end()) fail("enum " + e.c + " has no enumerator " + value.c);
      requireName("enum " + e.c + ": enumerator " + value.c, value.nim);
      for (const std::string& old : value.old_names)
        requireName("enum " + e.c + ": enumerator " + value.c + ": old name", old);
      named.insert(value.c);
    }
    // A value C can hand back must have a name on the Nim side.
    for (const Enumerator& c : c_enum.enumerators)
      if (!named.count(c.name) && !unnamed_.count(c.name)) fail("enum " + e.c + ": enumerator " + c.name + " has no Nim name");
  }

  void checkObject(const SpecObject& object) const {
    requireName("type " + object.c, object.nim);
    const RecordLayout& layout = record(object.c);
    std::set<std::string> names;
    for (const SpecField& field : object.fields) {
      requireName("type " + object.c + ": field " + field.c, field.nim);
      requireType("type " + object.c + ": field " + field.c, field.type);
      if (!names.insert(nimIdentKey(field.nim)).second) fail("type " + object.c + ": two fields are named " + field.nim);
      auto it = std::find_if(layout.fields.begin(), layout.fields.end(),
                             [&](const Field& f) { return f.name == field.c; });
      if (it == layout.fields.end()) fail("type " + object.c + " has no field " + field.c);
      if (it->type.kind == Type::Kind::Record && it->type.anonymous_record)
        checkAnonymousMember(object.c + "." + field.c, *it->type.anonymous_record, field.type);
    }
    checkConversions(object.c, layout, object.converts_to);
  }

  // A member whose type is an anonymous record has the type of a spec object
  // declared for such a member ("c": "uv_interface_address_t.address"), laid
  // out alike: the Nim module copies its bytes to and from that object.
  void checkAnonymousMember(const std::string& member, const RecordLayout& layout, const std::string& nim_type) const {
    const std::string what = "type " + member.substr(0, member.find('.')) + ": field " + member.substr(member.find('.') + 1);
    if (nim_type.empty())
      fail(what + " has an anonymous type; give it the \"type\" of an object declared for it, as \"c\": \"" + member + "\"");
    for (const SpecModule& module : spec_.modules)
      for (const SpecObject& other : module.objects) {
        if (nimIdentKey(other.nim) != nimIdentKey(nim_type)) continue;
        const RecordLayout* declared = other.c.find('.') == std::string::npos ? nullptr : schema_.recordNamed(other.c);
        if (!declared) fail(what + " has an anonymous type, but " + nim_type + " is not declared for an anonymous member");
        if (!declared->sameLayout(layout))
          fail(what + " is not laid out like " + other.c + ", the member " + nim_type + " is declared for");
        return;
      }
    fail(what + " has an anonymous type, but no object is named " + nim_type);
  }

  void checkConversions(const std::string& c, const RecordLayout& layout,
                        const std::vector<SpecConversion>& conversions) const {
    for (const SpecConversion& conversion : conversions) {
      const std::string& base = conversion.c;
      const NimTypeNames::Name* exported = names_.find(base);
      if (!exported || exported->module.empty()) fail("type " + c + " converts to " + base + ", which no module exports");
      const RecordLayout& base_layout = record(base);
      // The conversion is a pointer cast: valid only when the base's fields
      // are the first fields of this record, at the same offsets. Socket
      // addresses share only their first field's type, not its name.
      bool prefix = layout.startsWith(base_layout);
      if (conversion.first_field && !base_layout.fields.empty())
        prefix = !layout.fields.empty() && base_layout.fields[0].offset_bits == layout.fields[0].offset_bits &&
                 base_layout.fields[0].type.spelling == layout.fields[0].type.spelling;
      else if (conversion.first_field)
        prefix = true;  // a base without fields: nothing to disagree with
      if (!prefix) fail("type " + c + " cannot convert to " + base + ": its fields do not start with " + base + "'s");
    }
  }

  void checkConstant(const SpecConstant& constant) const {
    requireType("constant " + constant.c, constant.type);
    if (!constant.strip_prefix.empty()) {
      const Enum& e = enumOf(constant.c);
      for (const Enumerator& value : e.enumerators) {
        if (value.name.rfind(constant.strip_prefix, 0) != 0)
          fail("enum " + constant.c + ": enumerator " + value.name + " does not start with " + constant.strip_prefix);
        requireName("enum " + constant.c + ": enumerator " + value.name, value.name.substr(constant.strip_prefix.size()));
      }
      return;
    }
    requireName("constant " + constant.c, constant.nim);
    if (const Macro* macro = schema_.findMacro(constant.c)) {
      if (std::holds_alternative<std::string>(macro->value) && constant.from_header)
        fail("constant " + constant.c + " is a string; only numbers are imported from the header");
      return;
    }
    if (constant.c == "UV_VERSION_HEX") return;  // derived from the version (LibuvVersion::hex)
    if (size_t dot = constant.c.find('.'); dot != std::string::npos) {
      if (constant.from_header) fail("constant " + constant.c + " is an array's length; only macros and enumerators are imported from the header");
      if (!schema_.arrayLength(constant.c))
        fail("constant " + constant.c + ": " + constant.c.substr(0, dot) + " has no field " + constant.c.substr(dot + 1) +
             " that is an array with a length");
      return;
    }
    if (!schema_.enumOfEnumerator(constant.c)) fail("constant " + constant.c + " is not in the schema");
  }

  const ModuleSpec& spec_;
  const NimTypeNames& names_;
  const Schema& schema_;
  const SpecModule& module_;
  const std::set<std::string>& unnamed_;
};

// Every Nim name the spec declares, to find two that Nim would not tell apart.
class NameRegistry {
 public:
  NameRegistry(const ModuleSpec& spec, const NimTypeNames& names, const Schema& schema)
      : spec_(spec), types_(names, schema) {}

  void add(const SpecModule& module, const std::string& kind, const std::string& nim, const std::string& c) {
    Declaration declaration{module.name, kind, nim, c, ""};
    auto [first, last] = names_.equal_range(nimIdentKey(nim));
    if (first != last) collide(declaration, first->second, "same name");
    names_.emplace(nimIdentKey(nim), declaration);
  }

  // An enumerator of a Nim enum. Enumerators of enums of two modules may
  // share a name: `FSEventFlag.fsStat` and `FSType.fsStat` each name their
  // own value, and a bare `fsStat` where both modules are imported is
  // ambiguous, a compile error, never the other enum's value. Anything else of
  // that name, or two of one module (Nim 1.6 refuses them), collides.
  void addEnumerator(const SpecModule& module, const SpecEnum& e, const SpecEnumerator& value) {
    Declaration declaration{module.name, "enumerator", value.nim, value.c, e.c};
    std::string key = nimIdentKey(value.nim);
    auto [first, last] = names_.equal_range(key);
    for (auto it = first; it != last; ++it)
      if (!it->second.isEnumerator() || it->second.module == module.name)
        collide(declaration, it->second, "same name");
    names_.emplace(key, declaration);
  }

  void addProc(const SpecModule& module, const SpecProc& proc, const Function& function) {
    Declaration declaration{module.name, "proc", proc.nim, proc.c, ""};
    std::string key = nimIdentKey(proc.nim);
    auto other = names_.find(key);
    if (other != names_.end()) collide(declaration, other->second, "same name");
    // Overloads are fine in Nim unless the parameter types are the same.
    key += "(";
    for (size_t i = 0; i < function.params.size(); ++i) {
      std::string type;
      try {
        type = i < proc.params.size() && !proc.params[i].type.empty() ? proc.params[i].type
                                                                       : types_.of(function.params[i].type, TypeUse::Param);
      } catch (const std::runtime_error& e) {
        throw InputError(spec_.path, "module " + module.name,
                         "function " + proc.c + ": parameter " + std::to_string(i + 1) + ": " + e.what());
      }
      key += type + ";";
    }
    for (const SpecVariadicParam& extra : proc.variadic) key += extra.c_type + ";";
    auto [it, added] = procs_.emplace(key, declaration);
    if (!added) collide(declaration, it->second, "same name and parameter types");
  }

 private:
  struct Declaration {
    std::string module, kind, nim, c;
    std::string enum_c;  // an enumerator's enum, else empty
    bool isEnumerator() const { return !enum_c.empty(); }
  };

  [[noreturn]] void collide(const Declaration& a, const Declaration& b, const std::string& why) const {
    throw InputError(spec_.path, "module " + a.module,
                     a.kind + " " + a.nim + " (" + a.c + ") collides with " + b.kind + " " + b.nim + " (" + b.c +
                         ") in module " + b.module + ": " + why);
  }

  const ModuleSpec& spec_;
  NimTypes types_;
  std::multimap<std::string, Declaration> names_;  // several only for enumerators of several modules
  std::map<std::string, Declaration> procs_;
};

}  // namespace

std::string reservedNimNameReason(const std::string& nim) {
  static const std::map<std::string, std::string> reserved = [] {
    std::map<std::string, std::string> names;
    const std::string system_type = "a type of Nim's system module, which the generated modules use";
    for (const char* name : {"cchar", "cschar", "cuchar", "cshort", "cushort", "cint", "cuint", "clong", "culong",
                             "clonglong", "culonglong", "cfloat", "cdouble", "clongdouble", "csize_t", "cstring",
                             "cstringArray", "pointer", "bool", "char", "byte", "int", "int8", "int16", "int32",
                             "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float", "float32", "float64",
                             "string", "void", "auto", "typed", "untyped", "typedesc"})
      names[nimIdentKey(name)] = system_type;
    const std::string system_routine = "a routine of Nim's system module, which the generated modules call";
    for (const char* name : {"sizeof", "alignof", "offsetOf", "copyMem", "defined", "currentSourcePath", "align"})
      names[nimIdentKey(name)] = system_routine;
    const std::string imported = "a module the generated modules import";
    for (const char* name : {"system", "posix", "winlean", kShimNimModule}) names[nimIdentKey(name)] = imported;
    names[nimIdentKey("uvshimHeader")] = "the constant the shim module declares for the other modules";
    return names;
  }();
  auto found = reserved.find(nimIdentKey(nim));
  return found == reserved.end() ? "" : found->second;
}

void checkModuleSpec(const ModuleSpec& spec, const NimTypeNames& names, const Schema& schema,
                     const std::set<std::string>& unnamed) {
  if (!isNimIdentifier(spec.umbrella))
    throw InputError(spec.path, "umbrella", quotedForMessage(spec.umbrella) + " is not a Nim identifier");
  refuseReservedName(spec.path, "umbrella", "the umbrella module", spec.umbrella);
  for (const SpecTypeName& name : spec.type_names) {
    if (!schema.findTypedef(name.c) && !schema.findRecord(name.c) && !schema.findEnum(name.c))
      throw InputError(spec.path, "type_names", "type " + name.c + " is not in the schema");
    if (!isNimTypeExpression(name.nim))
      throw InputError(spec.path, "type_names", "type " + name.c + ": " + quotedForMessage(name.nim) + " is not a Nim type");
  }

  std::set<std::string> module_names;
  std::map<std::string, std::string> exported_types;  // C name -> module
  for (const SpecModule& module : spec.modules) {
    ModuleChecker checker(spec, names, schema, module, unnamed);
    if (!module_names.insert(nimIdentKey(module.name)).second || nimIdentKey(module.name) == nimIdentKey(spec.umbrella))
      checker.fail("a module of this name is already in the spec");
    for (const std::string& reserved : reservedModuleNames())
      if (nimIdentKey(module.name) == nimIdentKey(reserved))
        checker.fail("the name " + reserved + " is reserved for a module the generator writes");
    checker.check();
    auto exportType = [&](const std::string& c) {
      auto [it, added] = exported_types.emplace(c, module.name);
      if (!added) checker.fail("type " + c + " is already exported by module " + it->second);
    };
    if (module.os_types)
      for (const SpecOsType& type : module.os_types->types) exportType(type.c);
    for (const SpecAlias& alias : module.aliases) exportType(alias.c);
    for (const SpecEnum& e : module.enums) exportType(e.c);
    for (const SpecObject& object : module.objects) exportType(object.c);
    for (const SpecCallback& callback : module.callbacks) exportType(callback.c);
  }

  NameRegistry registry(spec, names, schema);
  for (const SpecModule& module : spec.modules) {
    if (module.os_types)
      for (const SpecOsType& type : module.os_types->types) registry.add(module, "type", type.nim, type.c);
    for (const SpecAlias& alias : module.aliases) registry.add(module, "type", alias.nim, alias.c);
    for (const SpecEnum& e : module.enums) {
      registry.add(module, "type", e.nim, e.c);
      for (const SpecEnumerator& value : e.enumerators) {
        if (value.same_value)
          registry.add(module, "constant", value.nim, value.c);
        else
          registry.addEnumerator(module, e, value);
        for (const std::string& old : value.old_names) registry.add(module, "old name", old, value.c);
      }
    }
    for (const SpecObject& object : module.objects) registry.add(module, "type", object.nim, object.c);
    for (const SpecCallback& callback : module.callbacks) registry.add(module, "type", callback.nim, callback.c);
    for (const SpecConstant& constant : module.constants) {
      if (constant.strip_prefix.empty()) {
        registry.add(module, "constant", constant.nim, constant.c);
        continue;
      }
      for (const Enumerator& value : schema.enumNamed(constant.c)->enumerators)
        registry.add(module, "constant", value.name.substr(constant.strip_prefix.size()), value.name);
    }
  }
  for (const SpecModule& module : spec.modules)
    for (const SpecProc& proc : module.procs) registry.addProc(module, proc, *schema.findFunction(proc.c));
}

}  // namespace uvgen
