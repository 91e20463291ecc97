#include "plan/nim_modules.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "diagnostics/input_error.h"
#include "plan/names.h"

namespace uvgen {
namespace {

const std::string& docOr(const std::string& spec_doc, const std::string& header_doc) {
  return spec_doc.empty() ? header_doc : spec_doc;
}

// Resolves one module; records which other modules' types it uses.
class ModuleResolver {
 public:
  ModuleResolver(const Schema& schema, const ModuleSpec& spec, const NimTypeNames& names, const ShimSurface* surface,
                 const Schema* windows, const SpecModule& module)
      : schema_(schema), spec_(spec), names_(names), surface_(surface), windows_(windows), module_(module),
        types_(names, schema) {}

  NimModule resolve() {
    NimModule out;
    out.name = module_.name;
    out.doc = module_.doc;
    if (module_.os_types) out.os_types = osTypesOf(*module_.os_types);
    for (const SpecAlias& alias : module_.aliases) out.aliases.push_back(aliasOf(alias));
    for (const SpecEnum& e : module_.enums) out.enums.push_back(enumOf(e));
    for (const SpecObject& object : module_.objects) out.objects.push_back(objectOf(object));
    for (const SpecCallback& callback : module_.callbacks) out.callbacks.push_back(callbackOf(callback));
    for (const SpecConstant& constant : module_.constants) out.constants.push_back(constantsOf(constant));
    for (const SpecProc& proc : module_.procs) out.procs.push_back(procOf(proc));
    out.imports = imports();
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw InputError(spec_.path, "module " + module_.name, what); }

  std::string nimType(const Type& type, TypeUse use, const std::string& what) {
    try {
      return types_.of(type, use, &used_modules_);
    } catch (const std::runtime_error& e) {
      fail(what + ": " + e.what());
    }
  }

  // Other spec modules come first, so modules import only earlier ones and
  // never form a cycle, which Nim rejects.
  std::vector<std::string> imports() const {
    std::vector<std::string> list;
    bool before = true;
    for (const SpecModule& other : spec_.modules) {
      if (other.name == module_.name) {
        before = false;
        continue;
      }
      if (!used_modules_.count(other.name)) continue;
      if (!before)
        fail("uses a type of module " + other.name +
             ", which comes after it in the spec; list modules so that each uses only earlier ones");
      list.push_back(other.name);
    }
    return list;
  }

  NimOsTypes osTypesOf(const SpecOsTypes& os) {
    NimOsTypes out{os.posix_module, os.windows_module, os.doc, {}};
    for (const SpecOsType& type : os.types) {
      NimOsType resolved{type.nim, {}};
      for (const SpecConversion& conversion : type.converts_to) {
        const NimTypeNames::Name& target = *names_.find(conversion.c);
        used_modules_.insert(target.module);
        resolved.converts_to.push_back(target.nim);
      }
      out.types.push_back(std::move(resolved));
    }
    return out;
  }

  NimAlias aliasOf(const SpecAlias& alias) {
    const Typedef& t = *schema_.findTypedef(alias.c);
    NimAlias out{alias.c, alias.nim, nimType(t.type, TypeUse::Field, "type " + alias.c), alias.doc, alias.system, "", false};
    if (!alias.system) out.doc = docOr(alias.doc, t.doc);
    if (const Typedef* there = windows_ ? windows_->findTypedef(alias.c) : nullptr) {
      std::string type;
      try {
        type = NimTypes(names_, *windows_).of(there->type, TypeUse::Field, nullptr);
      } catch (const std::runtime_error& e) {
        fail("type " + alias.c + " on " + windows_->target.triple + ": " + e.what());
      }
      if (type != out.type) {
        if (alias.system) fail("type " + alias.c + " is " + type + " on " + windows_->target.triple + ", not Nim's " + alias.nim);
        out.windows_type = type;
        out.shim_fixed = surface_ && !surface_->platformWidth(alias.c);
      }
    }
    return out;
  }

  // The value an enumerator has on Windows, when it differs from this schema's.
  std::optional<int64_t> windowsValue(const std::string& enumerator, int64_t value) const {
    const Enumerator* there = windows_ ? windows_->findEnumerator(enumerator) : nullptr;
    if (windows_ && !there) fail(enumerator + " is not in the schema of " + windows_->target.triple);
    if (!there || there->value == value) return std::nullopt;
    return there->value;
  }

  NimEnum enumOf(const SpecEnum& e) {
    const Enum& c_enum = *schema_.enumNamed(e.c);
    NimEnum out{e.nim, docOr(e.doc, c_enum.doc), {}, {}, {}};
    auto valueOf = [&](const SpecEnumerator& value) {
      for (const Enumerator& c : c_enum.enumerators)
        if (c.name == value.c) return c.value;
      fail("enum " + e.c + " has no enumerator " + value.c);
    };
    for (const SpecEnumerator& value : e.enumerators) {
      if (value.same_value) continue;
      out.values.emplace_back(value.nim, valueOf(value));
      if (std::optional<int64_t> there = windowsValue(value.c, valueOf(value))) out.windows_values[value.nim] = *there;
    }
    // The enumerator an alias stands for: the one of the same value on every target.
    auto enumeratorOfValue = [&](const SpecEnumerator& alias) {
      const SpecEnumerator* found = nullptr;
      for (const SpecEnumerator& value : e.enumerators)
        if (!value.same_value && valueOf(value) == valueOf(alias)) found = &value;
      if (!found)
        fail("enum " + e.c + ": enumerator " + alias.c + " is \"same_value\" but no other enumerator has its value");
      if (windowsValue(found->c, valueOf(*found)) != windowsValue(alias.c, valueOf(alias)))
        fail("enum " + e.c + ": enumerator " + alias.c + " and " + found->c + " have different values on Windows");
      return found->nim;
    };
    for (const SpecEnumerator& value : e.enumerators) {
      std::string target = value.same_value ? enumeratorOfValue(value) : value.nim;
      if (value.same_value) out.aliases.push_back({value.nim, target, false});
      for (const std::string& old : value.old_names) out.aliases.push_back({old, target, true});
    }
    // Nim enums list their values in ascending order, each once.
    std::stable_sort(out.values.begin(), out.values.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    for (size_t i = 1; i < out.values.size(); ++i)
      if (out.values[i].second == out.values[i - 1].second)
        fail("enum " + e.c + ": " + out.values[i - 1].first + " and " + out.values[i].first +
             " have the same value, which a Nim enum cannot express");
    auto onWindows = [&](const std::pair<std::string, int64_t>& v) {
      auto there = out.windows_values.find(v.first);
      return there == out.windows_values.end() ? v.second : there->second;
    };
    for (size_t i = 1; i < out.values.size(); ++i)
      if (onWindows(out.values[i]) <= onWindows(out.values[i - 1]))
        fail("enum " + e.c + ": " + out.values[i - 1].first + " and " + out.values[i].first +
             " are not in ascending order on Windows, which a Nim enum cannot express");
    return out;
  }

  NimObject objectOf(const SpecObject& object) {
    const RecordLayout& layout = *schema_.recordNamed(object.c);
    NimObject out;
    out.nim = object.nim;
    out.doc = docOr(object.doc, layout.doc);
    out.anonymous_member = object.c.find('.') != std::string::npos;
    out.is_union = layout.kind == "union";
    if (!out.anonymous_member) {
      out.c_name = schema_.findTypedef(object.c) ? object.c : layout.spelling;
      out.c_spelling = layout.spelling;
      out.is_libuv = layout.is_libuv;
    }
    out.no_copy = libuvObjectKind(object.c, layout).has_value();
    const ShimStorage* storage = surface_ ? surface_->findStorage(object.c) : nullptr;
    if (storage) out.shim_storage = NimObject::Storage{storage->shim_name, storage->storage_size};
    for (const SpecField& field : object.fields) {
      NimField f{field.c, field.nim, field.type, field.doc, "", "", false, ""};
      const Type& c_type = layout.findField(field.c)->type;
      f.copied = c_type.kind == Type::Kind::Record && c_type.anonymous_record;
      if (out.no_copy && isCharArray(c_type) && f.type.empty()) {
        f.text_array = nimType(c_type, TypeUse::Field, "type " + object.c + ": field " + field.c);
        f.type = "cstring";
      }
      if (f.type.empty()) f.type = nimType(c_type, TypeUse::Field, "type " + object.c + ": field " + field.c);
      if (storage) {
        const ShimAccessor* accessor = surface_->findAccessor(object.c, field.c);
        if (!accessor) fail("type " + object.c + ": field " + field.c + " has no accessor in the shim");
        f.shim_getter = accessor->getter;
        f.shim_setter = accessor->setter;
      }
      out.fields.push_back(std::move(f));
    }
    for (const SpecConversion& conversion : object.converts_to) {
      const NimTypeNames::Name& target = *names_.find(conversion.c);
      used_modules_.insert(target.module);
      out.converts_to.push_back(target.nim);
    }
    return out;
  }

  std::vector<NimParam> paramsOf(const std::vector<Param>& c_params, const std::vector<SpecParam>& params,
                                 const std::string& what) {
    std::vector<NimParam> out;
    for (size_t i = 0; i < c_params.size(); ++i) {
      std::string name = params.empty() ? c_params[i].name : params[i].nim;
      std::string type = !params.empty() && !params[i].type.empty()
                             ? params[i].type
                             : nimType(c_params[i].type, TypeUse::Param, what + ": parameter " + name);
      out.push_back({name, type});
    }
    return out;
  }

  NimCallback callbackOf(const SpecCallback& callback) {
    const Typedef& t = *schema_.findTypedef(callback.c);
    const std::string what = "callback " + callback.c;
    NimCallback out{callback.nim, docOr(callback.doc, t.doc), {}, nimType(t.callback->result, TypeUse::Result, what)};
    out.params = paramsOf(t.callback->params, callback.params, what);
    return out;
  }

  // The shim's name for a libuv constant; "" without a shim.
  std::string shimConstant(const std::string& c_name) const {
    if (!surface_) return "";
    for (const ShimConstant& constant : surface_->constants)
      if (constant.c_name == c_name) return constant.shim_name;
    fail("constant " + c_name + " is imported from the header, but uvshim.h has no constant for it");
  }

  NimConstants constantsOf(const SpecConstant& constant) {
    NimConstants out;
    out.doc = constant.doc;
    out.from_header = constant.from_header;
    out.replaced_by = constant.replaced_by;
    if (!constant.strip_prefix.empty()) {
      const Enum& e = *schema_.enumNamed(constant.c);
      out.whole_enum = true;
      std::string type = constant.type.empty() ? nimType(e.underlying, TypeUse::Field, "enum " + constant.c) : constant.type;
      for (const Enumerator& value : e.enumerators)
        out.constants.push_back({value.name.substr(constant.strip_prefix.size()), type, value.value,
                                 windowsValue(value.name, value.value), std::nullopt, value.name,
                                 constant.from_header ? shimConstant(value.name) : ""});
      return out;
    }
    if (const Macro* macro = schema_.findMacro(constant.c)) {
      if (const auto* text = std::get_if<std::string>(&macro->value)) {
        out.constants.push_back(
            {constant.nim, constant.type.empty() ? "cstring" : constant.type, 0, std::nullopt, *text, constant.c, ""});
        return out;
      }
      out.constants.push_back({constant.nim, constant.type.empty() ? "cint" : constant.type,
                               std::get<int64_t>(macro->value), std::nullopt, std::nullopt, constant.c,
                               constant.from_header ? shimConstant(constant.c) : ""});
      return out;
    }
    if (std::optional<uint64_t> length = schema_.arrayLength(constant.c)) {
      out.constants.push_back({constant.nim, constant.type.empty() ? "cint" : constant.type, static_cast<int64_t>(*length),
                               std::nullopt, std::nullopt, constant.c, ""});
      return out;
    }
    if (constant.c == "UV_VERSION_HEX") {
      out.constants.push_back({constant.nim, constant.type.empty() ? "cuint" : constant.type, schema_.libuv.hex(),
                               std::nullopt, std::nullopt, constant.c, ""});
      return out;
    }
    const Enum& e = *schema_.enumOfEnumerator(constant.c);
    std::string type = constant.type.empty() ? nimType(e.underlying, TypeUse::Field, "constant " + constant.c) : constant.type;
    const int64_t value = schema_.findEnumerator(constant.c)->value;
    out.constants.push_back({constant.nim, type, value, windowsValue(constant.c, value), std::nullopt, constant.c,
                             constant.from_header ? shimConstant(constant.c) : ""});
    return out;
  }

  NimProc procOf(const SpecProc& proc) {
    const Function& f = *schema_.findFunction(proc.c);
    const std::string what = "function " + proc.c;
    NimProc out{proc.c, proc.nim, docOr(proc.doc, f.doc), {}, "", false};
    out.result = proc.result.empty() ? nimType(f.result, TypeUse::Result, what) : proc.result;
    out.params = paramsOf(f.params, proc.params, what);
    for (const SpecVariadicParam& extra : proc.variadic)
      out.params.push_back({extra.nim, nimType(*variadicArgumentType(extra.c_type), TypeUse::Param, what)});
    if (surface_)
      if (const ShimFunction* wrapper = surface_->findFunction(proc.c))
        out.shim_returns_status = out.result.empty() && wrapper->returns_status_instead_of_void;
    return out;
  }

  const Schema& schema_;
  const ModuleSpec& spec_;
  const NimTypeNames& names_;
  const ShimSurface* surface_;
  const Schema* windows_;
  const SpecModule& module_;
  NimTypes types_;
  std::set<std::string> used_modules_;
};

}  // namespace

NimPackage buildNimPackage(const Schema& schema, const ModuleSpec& spec, const NimTypeNames& names,
                           const ShimSurface* surface, const Schema* windows) {
  NimPackage package;
  package.libuv_version = schema.libuv.text();
  package.umbrella = spec.umbrella;
  for (const SpecModule& module : spec.modules)
    package.modules.push_back(ModuleResolver(schema, spec, names, surface, windows, module).resolve());
  return package;
}

}  // namespace uvgen
