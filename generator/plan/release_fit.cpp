#include "plan/release_fit.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace uvgen {
namespace {

template <typename T, typename Drop>
void eraseIf(std::vector<T>& items, Drop drop) {
  items.erase(std::remove_if(items.begin(), items.end(), drop), items.end());
}

class SpecFitter {
 public:
  SpecFitter(const ModuleSpec& spec, const Schema& schema) : schema_(schema) {
    fitted_.spec = spec;
    for (const SpecTypeName& name : spec.type_names) named_types_.insert(name.c);
    for (const SpecModule& module : spec.modules) {
      if (module.os_types)
        for (const SpecOsType& type : module.os_types->types) named_types_.insert(type.c);
      for (const SpecAlias& alias : module.aliases) named_types_.insert(alias.c);
      for (const SpecEnum& e : module.enums) named_types_.insert(e.c);
      for (const SpecObject& object : module.objects) named_types_.insert(object.c);
      for (const SpecCallback& callback : module.callbacks) named_types_.insert(callback.c);
    }
  }

  FittedSpec fit() {
    ModuleSpec& spec = fitted_.spec;
    eraseIf(spec.type_names, [&](const SpecTypeName& name) { return dropIfLacking("type", name.c, name.nim); });
    for (SpecModule& module : spec.modules) leaveOutLacking(module);
    // Then what uses a type left out, until nothing more goes: a callback
    // left out may be a function's parameter.
    size_t before = 0;
    do {
      before = users_left_out_;
      for (SpecModule& module : spec.modules) leaveOutUsers(module);
    } while (users_left_out_ != before);
    if (spec.shim) fitShim(*spec.shim);
    for (const SpecModule& module : spec.modules)
      for (const SpecEnum& e : module.enums) findUnnamed(e);
    return std::move(fitted_);
  }

 private:
  // Whether the header declares anything of this name.
  bool declared(const std::string& name) const {
    return schema_.findFunction(name) || schema_.findRecord(name) || schema_.findTypedef(name) ||
           schema_.findEnum(name) || schema_.findMacro(name) || schema_.findEnumerator(name);
  }

  // Whether the header lacks a name the spec uses: it declares nothing of
  // it, or for "<record>.<member>" (an anonymous member's type, an array
  // member's length), the record has no such member.
  bool lacksType(const std::string& c) const {
    const size_t dot = c.find('.');
    if (dot == std::string::npos) return !declared(c);
    return !declared(c.substr(0, dot)) || (schema_.recordNamed(c.substr(0, dot)) && !schema_.memberNamed(c));
  }

  void report(const std::string& kind, const std::string& c, const std::string& uses = "") {
    if (reported_.insert(c).second) fitted_.lacking.push_back({kind, c, uses});
  }

  // Leaves a type out when the header lacks it; true when it did.
  bool dropIfLacking(const std::string& kind, const std::string& c, const std::string& nim) {
    if (!lacksType(c)) return false;
    dropType(kind, c, nim);
    return true;
  }

  void dropType(const std::string& kind, const std::string& c, const std::string& nim, const std::string& uses = "") {
    report(kind, c, uses);
    dropped_types_.insert(c);
    if (!nim.empty()) dropped_nim_[nim] = c;
  }

  void leaveOutLacking(SpecModule& module) {
    if (module.os_types)
      eraseIf(module.os_types->types, [&](const SpecOsType& type) { return dropIfLacking("type", type.c, type.nim); });
    eraseIf(module.aliases, [&](const SpecAlias& alias) { return dropIfLacking("type", alias.c, alias.nim); });
    eraseIf(module.enums, [&](SpecEnum& e) {
      const bool whole = dropIfLacking("enum", e.c, e.nim);
      const size_t before = e.enumerators.size();
      eraseIf(e.enumerators, [&](const SpecEnumerator& value) {
        const bool lacking = !declared(value.c);
        if (lacking) report("enumerator", value.c);
        return lacking;
      });
      if (!whole && e.enumerators.size() != before) keepValuesNamed(e);
      return whole;
    });
    eraseIf(module.objects, [&](SpecObject& object) {
      if (dropIfLacking("type", object.c, object.nim)) return true;
      const RecordLayout* layout = schema_.recordNamed(object.c);
      if (layout)
        eraseIf(object.fields, [&](const SpecField& field) {
          const bool lacking = !layout->findField(field.c);
          if (lacking) report("field", object.c + "." + field.c);
          return lacking;
        });
      return false;
    });
    eraseIf(module.callbacks, [&](const SpecCallback& callback) { return dropIfLacking("callback", callback.c, callback.nim); });
    eraseIf(module.constants, [&](const SpecConstant& constant) {
      if (constant.c == "UV_VERSION_HEX") return false;  // derived from the version
      const bool lacking = lacksType(constant.c);
      if (lacking) report(constant.strip_prefix.empty() ? "constant" : "enum", constant.c);
      return lacking;
    });
    eraseIf(module.procs, [&](const SpecProc& proc) {
      const bool lacking = !declared(proc.c);
      if (lacking) report("function", proc.c);
      return lacking;
    });
  }

  void findUnnamed(const SpecEnum& e) {
    const Enum* c_enum = schema_.enumNamed(e.c);
    if (!c_enum) return;  // the spec check says what is wrong
    for (const Enumerator& value : c_enum->enumerators)
      if (std::none_of(e.enumerators.begin(), e.enumerators.end(), [&](const SpecEnumerator& named) { return named.c == value.name; }))
        fitted_.unnamed.push_back({e.c, value.name});
  }

  // An enumerator the spec makes a constant of another's value
  // (UV_OVERLAPPED_PIPE, of UV_NONBLOCK_PIPE's) becomes an enumerator itself
  // when the header lacks that other one.
  void keepValuesNamed(SpecEnum& e) const {
    const Enum* c_enum = schema_.enumNamed(e.c);
    if (!c_enum) return;  // the spec check says what is wrong
    auto valueOf = [&](const std::string& c) -> std::optional<int64_t> {
      for (const Enumerator& value : c_enum->enumerators)
        if (value.name == c) return value.value;
      return std::nullopt;
    };
    for (SpecEnumerator& alias : e.enumerators) {
      if (!alias.same_value) continue;
      const bool has_other = std::any_of(e.enumerators.begin(), e.enumerators.end(), [&](const SpecEnumerator& other) {
        return !other.same_value && valueOf(other.c) == valueOf(alias.c);
      });
      if (!has_other) alias.same_value = false;
    }
  }

  // The first type left out that a C type uses, seen through the typedefs
  // the spec does not name; empty when it uses none.
  std::string droppedIn(const Type& type, int depth = 0) const {
    if (depth > 64) return "";
    switch (type.kind) {
      case Type::Kind::Pointer: return type.pointee ? droppedIn(*type.pointee, depth + 1) : "";
      case Type::Kind::Array: return type.element ? droppedIn(*type.element, depth + 1) : "";
      case Type::Kind::Function: {
        if (type.result)
          if (std::string found = droppedIn(*type.result, depth + 1); !found.empty()) return found;
        for (const Type& param : type.params)
          if (std::string found = droppedIn(param, depth + 1); !found.empty()) return found;
        return "";
      }
      case Type::Kind::Typedef:
      case Type::Kind::Record:
      case Type::Kind::Enum: {
        if (dropped_types_.count(type.name)) return type.name;
        const Typedef* t = type.kind == Type::Kind::Typedef && !named_types_.count(type.name) ? schema_.findTypedef(type.name) : nullptr;
        if (!t) return "";
        if (t->callback) return droppedInSignature(t->callback->result, t->callback->params, depth + 1);
        return droppedIn(t->type, depth + 1);
      }
      default: return "";
    }
  }

  std::string droppedInSignature(const Type& result, const std::vector<Param>& params, int depth = 0) const {
    if (std::string found = droppedIn(result, depth); !found.empty()) return found;
    for (const Param& param : params)
      if (std::string found = droppedIn(param.type, depth); !found.empty()) return found;
    return "";
  }

  // The first type left out that a spec's Nim type names ("ptr Dir"); empty when none.
  std::string droppedInNim(const std::string& nim_type) const {
    std::string word;
    for (size_t i = 0; i <= nim_type.size(); ++i) {
      const char c = i < nim_type.size() ? nim_type[i] : ' ';
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
        word += c;
        continue;
      }
      if (auto found = dropped_nim_.find(word); found != dropped_nim_.end()) return found->second;
      word.clear();
    }
    return "";
  }

  std::string droppedInParams(const std::vector<SpecParam>& params) const {
    for (const SpecParam& param : params)
      if (std::string found = droppedInNim(param.type); !found.empty()) return found;
    return "";
  }

  // Whether a user of `uses` is left out (it uses one); counts those that are.
  bool leftOut(const std::string& uses) {
    if (!uses.empty()) ++users_left_out_;
    return !uses.empty();
  }

  void leaveOutUsers(SpecModule& module) {
    auto toTypeLeftOut = [&](const SpecConversion& conversion) {
      return leftOut(dropped_types_.count(conversion.c) ? conversion.c : "");
    };
    eraseIf(module.aliases, [&](const SpecAlias& alias) {
      const Typedef* t = schema_.findTypedef(alias.c);
      const std::string uses = t ? droppedIn(t->type) : "";
      if (!uses.empty()) dropType("type", alias.c, alias.nim, uses);
      return leftOut(uses);
    });
    for (SpecObject& object : module.objects) {
      const RecordLayout* layout = schema_.recordNamed(object.c);
      eraseIf(object.fields, [&](const SpecField& field) {
        const Field* c_field = layout ? layout->findField(field.c) : nullptr;
        std::string uses = droppedInNim(field.type);
        if (uses.empty() && c_field) uses = droppedIn(c_field->type);
        if (!uses.empty()) report("field", object.c + "." + field.c, uses);
        return leftOut(uses);
      });
      eraseIf(object.converts_to, toTypeLeftOut);
    }
    if (module.os_types)
      for (SpecOsType& type : module.os_types->types)
        eraseIf(type.converts_to, toTypeLeftOut);
    eraseIf(module.callbacks, [&](const SpecCallback& callback) {
      const Typedef* t = schema_.findTypedef(callback.c);
      std::string uses = droppedInParams(callback.params);
      if (uses.empty() && t && t->callback) uses = droppedInSignature(t->callback->result, t->callback->params);
      if (!uses.empty()) dropType("callback", callback.c, callback.nim, uses);
      return leftOut(uses);
    });
    eraseIf(module.constants, [&](const SpecConstant& constant) {
      const std::string uses = droppedInNim(constant.type);
      if (!uses.empty()) report("constant", constant.c, uses);
      return leftOut(uses);
    });
    eraseIf(module.procs, [&](const SpecProc& proc) {
      const Function* f = schema_.findFunction(proc.c);
      std::string uses = droppedInParams(proc.params);
      if (uses.empty()) uses = droppedInNim(proc.result);
      if (uses.empty() && f) uses = droppedInSignature(f->result, f->params);
      if (!uses.empty()) report("function", proc.c, uses);
      return leftOut(uses);
    });
  }

  // The shim section names types and functions of the modules: those left
  // out go from it too, as do the records the header lacks.
  void fitShim(SpecShim& shim) {
    std::set<std::string> functions, objects;
    for (const SpecModule& module : fitted_.spec.modules) {
      for (const SpecProc& proc : module.procs) functions.insert(proc.c);
      for (const SpecObject& object : module.objects) objects.insert(object.c);
    }
    auto functionOf = [](const std::string& param) { return param.substr(0, param.find('.')); };
    auto recordOf = [](const std::string& member) { return member.substr(0, member.find('.')); };
    for (auto it = shim.storage.begin(); it != shim.storage.end();)
      it = objects.count(it->first) || !dropped_types_.count(it->first) ? std::next(it) : shim.storage.erase(it);
    eraseIf(shim.referenced_objects, [&](const std::string& c) { return dropped_types_.count(c) > 0; });
    for (auto it = shim.platform_types.begin(); it != shim.platform_types.end();)
      it = dropIfLacking("type", it->first, "") ? shim.platform_types.erase(it) : std::next(it);
    for (std::vector<std::string>* records : {&shim.records, &shim.converted_records})
      eraseIf(*records, [&](const std::string& c) { return dropped_types_.count(c) || dropIfLacking("type", c, ""); });
    eraseIf(shim.spare_members, [&](const std::string& member) { return dropped_types_.count(recordOf(member)) > 0; });
    for (auto it = shim.counted_arrays.begin(); it != shim.counted_arrays.end();)
      it = dropped_types_.count(recordOf(it->first)) ? shim.counted_arrays.erase(it) : std::next(it);
    for (auto it = shim.selected_unions.begin(); it != shim.selected_unions.end();)
      it = dropped_types_.count(recordOf(it->first)) ? shim.selected_unions.erase(it) : std::next(it);
    for (std::vector<std::string>* callbacks : {&shim.context_callbacks, &shim.passthrough_callbacks})
      eraseIf(*callbacks, [&](const std::string& c) { return dropped_types_.count(c) > 0; });
    // A function the spec names is in the shim section only by its parameters
    // and predicates; one left out takes them along.
    auto functionLeftOut = [&](const std::string& function) { return !functions.count(function) && isLeftOut(function); };
    for (std::vector<std::string>* params : {&shim.nullable_params, &shim.unix_path_params})
      eraseIf(*params, [&](const std::string& param) { return functionLeftOut(functionOf(param)); });
    eraseIf(shim.predicates, functionLeftOut);
  }

  bool isLeftOut(const std::string& function) const {
    return std::any_of(fitted_.lacking.begin(), fitted_.lacking.end(),
                       [&](const LackingDeclaration& l) { return l.kind == "function" && l.c == function; });
  }

  const Schema& schema_;
  FittedSpec fitted_;
  std::set<std::string> named_types_;    // every C type the spec names
  std::set<std::string> dropped_types_;  // C types left out
  std::map<std::string, std::string> dropped_nim_;  // their Nim names -> C names
  std::set<std::string> reported_;
  size_t users_left_out_ = 0;
};

}  // namespace

std::string describe(const LackingDeclaration& lacking) {
  return lacking.kind + " " + lacking.c + (lacking.uses.empty() ? "" : " (it uses " + lacking.uses + ")");
}

FittedSpec fitSpecToSchema(const ModuleSpec& spec, const Schema& schema) { return SpecFitter(spec, schema).fit(); }

}  // namespace uvgen
