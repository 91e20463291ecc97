#include "spec/module_spec.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "cli/files.h"
#include "spec/nim_types.h"

namespace uvgen {
namespace {

using Json = nlohmann::ordered_json;

// Reads one JSON object of the spec, refusing unknown keys so that a typo in
// hand-written data is reported instead of silently ignored.
class SpecObjectReader {
 public:
  SpecObjectReader(const Json& json, std::string where) : json_(json), where_(std::move(where)) {
    if (!json_.is_object()) fail("must be a JSON object");
  }

  std::string text(const std::string& key, bool required = false) {
    seen_.insert(key);
    if (!json_.contains(key)) {
      if (required) fail("needs \"" + key + "\"");
      return "";
    }
    if (!json_[key].is_string() || (required && json_[key].get<std::string>().empty()))
      fail("\"" + key + "\" must be a non-empty string");
    return json_[key].get<std::string>();
  }

  // A doc comment: a string, or an array of paragraphs joined by blank lines.
  std::string doc() {
    seen_.insert("doc");
    if (!json_.contains("doc")) return "";
    const Json& doc = json_["doc"];
    if (doc.is_string()) return doc.get<std::string>();
    if (!doc.is_array()) fail("\"doc\" must be a string or an array of strings");
    std::string joined;
    for (const Json& paragraph : doc) {
      if (!paragraph.is_string()) fail("\"doc\" must be a string or an array of strings");
      joined += (joined.empty() ? "" : "\n\n") + paragraph.get<std::string>();
    }
    return joined;
  }

  bool flag(const std::string& key) {
    seen_.insert(key);
    if (!json_.contains(key)) return false;
    if (!json_[key].is_boolean()) fail("\"" + key + "\" must be true or false");
    return json_[key].get<bool>();
  }

  // Calls read(item, "<where>: <key>[i]") for each item of an optional array.
  template <typename Read>
  void each(const std::string& key, Read read) {
    seen_.insert(key);
    if (!json_.contains(key)) return;
    if (!json_[key].is_array()) fail("\"" + key + "\" must be an array");
    for (size_t i = 0; i < json_[key].size(); ++i)
      read(json_[key][i], where_ + ": " + key + "[" + std::to_string(i) + "]");
  }

  // A key read elsewhere, not by this reader.
  void skip(const std::string& key) { seen_.insert(key); }

  void done() const {
    for (const auto& item : json_.items())
      if (!seen_.count(item.key())) fail("unknown key \"" + item.key() + "\"");
  }

  [[noreturn]] void fail(const std::string& what) const { throw std::runtime_error(where_ + ": " + what); }

 private:
  const Json& json_;
  std::string where_;
  std::set<std::string> seen_;
};

std::vector<SpecParam> readParams(SpecObjectReader& reader) {
  std::vector<SpecParam> params;
  reader.each("params", [&](const Json& json, const std::string& where) {
    SpecObjectReader r(json, where);
    params.push_back({r.text("nim", true), r.text("type")});
    r.done();
  });
  return params;
}

SpecModule readModule(const Json& json, const std::string& path, const std::string& where) {
  SpecObjectReader r(json, where);
  SpecModule module;
  module.name = r.text("name", true);
  module.doc = r.doc();
  // Messages name the module rather than its index: "<path>: module uv_pipe: procs[3]: ...".
  const std::string in = path + ": module " + module.name;
  r.each("aliases", [&](const Json& item, const std::string& at) {
    SpecObjectReader a(item, in + at.substr(where.size()));
    module.aliases.push_back({a.text("c", true), a.text("nim", true), a.doc(), a.flag("system")});
    a.done();
  });
  r.each("enums", [&](const Json& item, const std::string& at) {
    SpecObjectReader e(item, in + at.substr(where.size()));
    SpecEnum spec_enum{e.text("c", true), e.text("nim", true), e.doc(), {}};
    e.each("enumerators", [&](const Json& value, const std::string& value_at) {
      SpecObjectReader v(value, value_at);
      spec_enum.enumerators.push_back({v.text("c", true), v.text("nim", true)});
      v.done();
    });
    e.done();
    module.enums.push_back(std::move(spec_enum));
  });
  r.each("objects", [&](const Json& item, const std::string& at) {
    SpecObjectReader o(item, in + at.substr(where.size()));
    SpecObject object{o.text("c", true), o.text("nim", true), o.doc(), {}, {}};
    o.each("fields", [&](const Json& field, const std::string& field_at) {
      SpecObjectReader f(field, field_at);
      object.fields.push_back({f.text("c", true), f.text("nim", true), f.text("type"), f.doc()});
      f.done();
    });
    o.each("converts_to", [&](const Json& base, const std::string& base_at) {
      SpecObjectReader b(base, base_at);
      object.converts_to.push_back({b.text("c", true), b.flag("first_field")});
      b.done();
    });
    o.done();
    module.objects.push_back(std::move(object));
  });
  r.each("callbacks", [&](const Json& item, const std::string& at) {
    SpecObjectReader c(item, in + at.substr(where.size()));
    SpecCallback callback{c.text("c", true), c.text("nim", true), c.doc(), {}};
    callback.params = readParams(c);
    c.done();
    module.callbacks.push_back(std::move(callback));
  });
  r.each("constants", [&](const Json& item, const std::string& at) {
    SpecObjectReader c(item, in + at.substr(where.size()));
    SpecConstant constant{c.text("c", true), c.text("nim"), c.text("strip_prefix"), c.text("type"), c.doc()};
    if (constant.nim.empty() == constant.strip_prefix.empty())
      c.fail("needs either \"nim\" (one constant) or \"strip_prefix\" (every enumerator of an enum)");
    c.done();
    module.constants.push_back(std::move(constant));
  });
  r.each("procs", [&](const Json& item, const std::string& at) {
    SpecObjectReader p(item, in + at.substr(where.size()));
    SpecProc proc{p.text("c", true), p.text("nim", true), p.doc(), {}, p.text("result")};
    proc.params = readParams(p);
    p.done();
    module.procs.push_back(std::move(proc));
  });
  r.done();
  return module;
}

}  // namespace

std::string nimIdentKey(const std::string& name) {
  std::string key;
  for (size_t i = 0; i < name.size(); ++i) {
    if (i > 0 && name[i] == '_') continue;
    key += i == 0 ? name[i] : static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  }
  return key;
}

const ModuleSpec::NimType* ModuleSpec::nimTypeOf(const std::string& c_name) const {
  auto it = nim_types_.find(c_name);
  return it == nim_types_.end() ? nullptr : &it->second;
}

void ModuleSpec::indexTypes() {
  nim_types_.clear();
  for (const SpecTypeName& name : type_names) nim_types_[name.c] = {name.nim, ""};
  for (const SpecModule& module : modules) {
    for (const SpecAlias& alias : module.aliases) nim_types_[alias.c] = {alias.nim, module.name};
    for (const SpecEnum& e : module.enums) nim_types_[e.c] = {e.nim, module.name};
    for (const SpecObject& object : module.objects) nim_types_[object.c] = {object.nim, module.name};
    for (const SpecCallback& callback : module.callbacks) nim_types_[callback.c] = {callback.nim, module.name};
  }
}

ModuleSpec moduleSpecFromJson(const std::string& text, const std::string& path) {
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    throw std::runtime_error(path + ": not valid JSON: " + what.substr(what.find(']') + 2));
  }
  SpecObjectReader r(json, path);
  ModuleSpec spec;
  spec.path = path;
  r.text("description");
  r.skip("shim");  // the stable-ABI shim's own settings: spec/shim_request.cpp reads them
  spec.umbrella = r.text("umbrella", true);
  r.each("type_names", [&](const Json& item, const std::string& where) {
    SpecObjectReader t(item, where);
    spec.type_names.push_back({t.text("c", true), t.text("nim", true)});
    t.done();
  });
  r.each("modules", [&](const Json& item, const std::string& where) {
    spec.modules.push_back(readModule(item, path, where));
  });
  r.done();
  if (spec.modules.empty()) r.fail("needs a non-empty \"modules\" array");
  spec.indexTypes();
  return spec;
}

ModuleSpec readModuleSpecFile(const std::string& path) { return moduleSpecFromJson(readTextFile(path), path); }

const Enum* findEnum(const Schema& schema, const std::string& c_name) {
  if (const Typedef* t = schema.findTypedef(c_name); t && t->type.kind == Type::Kind::Enum)
    return schema.findEnum(t->type.name);
  return schema.findEnum(c_name);
}

const Enum* enumOfEnumerator(const Schema& schema, const std::string& enumerator) {
  for (const Enum& e : schema.enums)
    for (const Enumerator& value : e.enumerators)
      if (value.name == enumerator) return &e;
  return nullptr;
}

namespace {

bool isNimKeyword(const std::string& name) {
  static const std::set<std::string> keywords = {
      "addr", "and", "as", "asm", "bind", "block", "break", "case", "cast", "concept", "const", "continue",
      "converter", "defer", "discard", "distinct", "div", "do", "elif", "else", "end", "enum", "except",
      "export", "finally", "for", "from", "func", "if", "import", "in", "include", "interface", "is",
      "isnot", "iterator", "let", "macro", "method", "mixin", "mod", "nil", "not", "notin", "object", "of",
      "or", "out", "proc", "ptr", "raise", "ref", "return", "shl", "shr", "static", "template", "try",
      "tuple", "type", "using", "var", "when", "while", "xor", "yield"};
  return keywords.count(nimIdentKey(name)) != 0;
}

// Checks one module against the schema; collisions across modules are
// checked by NameRegistry below.
class ModuleChecker {
 public:
  ModuleChecker(const ModuleSpec& spec, const Schema& schema, const SpecModule& module)
      : spec_(spec), schema_(schema), module_(module) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(spec_.path + ": module " + module_.name + ": " + what);
  }

  const RecordLayout& record(const std::string& c) const {
    const RecordLayout* found = schema_.findRecord(c);
    if (const Typedef* t = schema_.findTypedef(c)) found = schema_.recordOf(t->type);
    if (!found) fail("type " + c + " is not in the schema");
    return *found;
  }

  const Enum& enumOf(const std::string& c) const {
    const Enum* found = findEnum(schema_, c);
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
      if (!names.insert(nimIdentKey(name)).second) fail(what + ": two parameters are named " + name);
    }
  }

  void check() const {
    for (const SpecAlias& alias : module_.aliases) {
      const Typedef* t = schema_.findTypedef(alias.c);
      if (!t) fail("type " + alias.c + " is not in the schema");
      if (t->callback || schema_.recordOf(t->type))
        fail("type " + alias.c + " is a callback or a record; export it under \"callbacks\" or \"objects\"");
    }
    for (const SpecEnum& e : module_.enums) checkEnum(e);
    for (const SpecObject& object : module_.objects) checkObject(object);
    for (const SpecCallback& callback : module_.callbacks) {
      const Typedef* t = schema_.findTypedef(callback.c);
      if (!t || !t->callback) fail("callback " + callback.c + " is not in the schema");
      checkParams("callback " + callback.c, t->callback->params, callback.params);
    }
    for (const SpecConstant& constant : module_.constants) checkConstant(constant);
    for (const SpecProc& proc : module_.procs) {
      const Function* f = schema_.findFunction(proc.c);
      if (!f) fail("function " + proc.c + " is not in the schema");
      if (f->variadic) fail("function " + proc.c + " is variadic; Nim bindings cannot import it");
      checkParams("function " + proc.c, f->params, proc.params);
    }
  }

 private:
  void checkEnum(const SpecEnum& e) const {
    const Enum& c_enum = enumOf(e.c);
    std::set<std::string> named;
    for (const SpecEnumerator& value : e.enumerators) {
      auto it = std::find_if(c_enum.enumerators.begin(), c_enum.enumerators.end(),
                             [&](const Enumerator& c) { return c.name == value.c; });
      if (it == c_enum.enumerators.end()) fail("enum " + e.c + " has no enumerator " + value.c);
      named.insert(value.c);
    }
    // A value C can hand back must have a name on the Nim side.
    for (const Enumerator& c : c_enum.enumerators)
      if (!named.count(c.name)) fail("enum " + e.c + ": enumerator " + c.name + " has no Nim name");
  }

  void checkObject(const SpecObject& object) const {
    const RecordLayout& layout = record(object.c);
    std::set<std::string> names;
    for (const SpecField& field : object.fields) {
      if (!names.insert(nimIdentKey(field.nim)).second) fail("type " + object.c + ": two fields are named " + field.nim);
      auto it = std::find_if(layout.fields.begin(), layout.fields.end(),
                             [&](const Field& f) { return f.name == field.c; });
      if (it == layout.fields.end()) fail("type " + object.c + " has no field " + field.c);
    }
    for (const SpecConversion& conversion : object.converts_to) {
      const std::string& base = conversion.c;
      const ModuleSpec::NimType* exported = spec_.nimTypeOf(base);
      if (!exported || exported->module.empty()) fail("type " + object.c + " converts to " + base + ", which no module exports");
      const RecordLayout& base_layout = record(base);
      // The conversion is a pointer cast: valid only when the base's fields
      // are the first fields of this record, at the same offsets.
      size_t count = conversion.first_field ? std::min<size_t>(1, base_layout.fields.size()) : base_layout.fields.size();
      bool prefix = count <= layout.fields.size();
      for (size_t i = 0; prefix && i < count; ++i) {
        const Field& a = base_layout.fields[i];
        const Field& b = layout.fields[i];
        prefix = a.offset_bits == b.offset_bits &&
                 (conversion.first_field ? a.type.spelling == b.type.spelling : a.name == b.name);
      }
      if (!prefix) fail("type " + object.c + " cannot convert to " + base + ": its fields do not start with " + base + "'s");
    }
  }

  void checkConstant(const SpecConstant& constant) const {
    if (!constant.strip_prefix.empty()) {
      const Enum& e = enumOf(constant.c);
      for (const Enumerator& value : e.enumerators)
        if (value.name.rfind(constant.strip_prefix, 0) != 0)
          fail("enum " + constant.c + ": enumerator " + value.name + " does not start with " + constant.strip_prefix);
      return;
    }
    if (const Macro* macro = schema_.findMacro(constant.c)) {
      if (!std::holds_alternative<int64_t>(macro->value)) fail("constant " + constant.c + " is not an integer");
      return;
    }
    if (!enumOfEnumerator(schema_, constant.c)) fail("constant " + constant.c + " is not in the schema");
  }

  const ModuleSpec& spec_;
  const Schema& schema_;
  const SpecModule& module_;
};

// Every Nim name the spec declares, to find two that Nim would not tell apart.
class NameRegistry {
 public:
  NameRegistry(const ModuleSpec& spec, const Schema& schema) : spec_(spec), types_(spec, schema) {}

  void add(const SpecModule& module, const std::string& kind, const std::string& nim, const std::string& c) {
    Declaration declaration{module.name, kind, nim, c};
    auto [it, added] = names_.emplace(nimIdentKey(nim), declaration);
    if (!added) collide(declaration, it->second, "same name");
  }

  void addProc(const SpecModule& module, const SpecProc& proc, const Function& function) {
    Declaration declaration{module.name, "proc", proc.nim, proc.c};
    std::string key = nimIdentKey(proc.nim);
    auto other = names_.find(key);
    if (other != names_.end()) collide(declaration, other->second, "same name");
    // Overloads are fine in Nim unless the parameter types are the same.
    key += "(";
    for (size_t i = 0; i < function.params.size(); ++i) {
      std::string type = i < proc.params.size() && !proc.params[i].type.empty()
                             ? proc.params[i].type
                             : types_.of(function.params[i].type, TypeUse::Param);
      key += type + ";";
    }
    auto [it, added] = procs_.emplace(key, declaration);
    if (!added) collide(declaration, it->second, "same name and parameter types");
  }

 private:
  struct Declaration {
    std::string module, kind, nim, c;
  };

  [[noreturn]] void collide(const Declaration& a, const Declaration& b, const std::string& why) const {
    throw std::runtime_error(spec_.path + ": module " + a.module + ": " + a.kind + " " + a.nim + " (" + a.c +
                             ") collides with " + b.kind + " " + b.nim + " (" + b.c + ") in module " + b.module +
                             ": " + why);
  }

  const ModuleSpec& spec_;
  NimTypes types_;
  std::map<std::string, Declaration> names_;
  std::map<std::string, Declaration> procs_;
};

}  // namespace

void checkModuleSpec(const ModuleSpec& spec, const Schema& schema) {
  for (const SpecTypeName& name : spec.type_names)
    if (!schema.findTypedef(name.c) && !schema.findRecord(name.c) && !schema.findEnum(name.c))
      throw std::runtime_error(spec.path + ": type_names: type " + name.c + " is not in the schema");

  std::set<std::string> module_names;
  std::map<std::string, std::string> exported_types;  // C name -> module
  for (const SpecModule& module : spec.modules) {
    ModuleChecker checker(spec, schema, module);
    if (!module_names.insert(module.name).second || module.name == spec.umbrella)
      checker.fail("a module of this name is already in the spec");
    checker.check();
    auto exportType = [&](const std::string& c) {
      auto [it, added] = exported_types.emplace(c, module.name);
      if (!added) checker.fail("type " + c + " is already exported by module " + it->second);
    };
    for (const SpecAlias& alias : module.aliases) exportType(alias.c);
    for (const SpecEnum& e : module.enums) exportType(e.c);
    for (const SpecObject& object : module.objects) exportType(object.c);
    for (const SpecCallback& callback : module.callbacks) exportType(callback.c);
  }

  NameRegistry registry(spec, schema);
  for (const SpecModule& module : spec.modules) {
    for (const SpecAlias& alias : module.aliases) registry.add(module, "type", alias.nim, alias.c);
    for (const SpecEnum& e : module.enums) {
      registry.add(module, "type", e.nim, e.c);
      for (const SpecEnumerator& value : e.enumerators) registry.add(module, "enumerator", value.nim, value.c);
    }
    for (const SpecObject& object : module.objects) registry.add(module, "type", object.nim, object.c);
    for (const SpecCallback& callback : module.callbacks) registry.add(module, "type", callback.nim, callback.c);
    for (const SpecConstant& constant : module.constants) {
      if (constant.strip_prefix.empty()) {
        registry.add(module, "constant", constant.nim, constant.c);
        continue;
      }
      for (const Enumerator& value : findEnum(schema, constant.c)->enumerators)
        registry.add(module, "constant", value.name.substr(constant.strip_prefix.size()), value.name);
    }
  }
  for (const SpecModule& module : spec.modules)
    for (const SpecProc& proc : module.procs) registry.addProc(module, proc, *schema.findFunction(proc.c));
}

}  // namespace uvgen
