#include "module_spec/module_spec.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "cli/files.h"
#include "diagnostics/input_error.h"

namespace uvgen {
namespace {

using Json = nlohmann::ordered_json;

// Reads one JSON object of the spec, refusing unknown keys so that a typo in
// hand-written data is reported instead of silently ignored. `where` names the
// object inside the file ("module uv_pipe: procs[3]"); empty for the top level.
class SpecObjectReader {
 public:
  SpecObjectReader(const Json& json, std::string file, std::string where)
      : json_(json), file_(std::move(file)), where_(std::move(where)) {
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

  // A list of strings, empty when absent.
  std::vector<std::string> texts(const std::string& key) {
    std::vector<std::string> list;
    each(key, [&](const Json& item, const std::string& at) {
      if (!item.is_string()) throw InputError(file_, at, "must be a string");
      list.push_back(item.get<std::string>());
    });
    return list;
  }

  // A whole number from 1 to max.
  uint64_t count(const std::string& key, uint64_t max) {
    seen_.insert(key);
    if (!json_.contains(key)) fail("needs \"" + key + "\"");
    const Json& value = json_[key];
    if (!value.is_number_unsigned() || value.get<uint64_t>() < 1 || value.get<uint64_t>() > max)
      fail("\"" + key + "\" must be a whole number from 1 to " + std::to_string(max));
    return value.get<uint64_t>();
  }

  // Calls read(item, "<where>: <key>[i]") for each item of an optional array.
  template <typename Read>
  void each(const std::string& key, Read read) {
    seen_.insert(key);
    if (!json_.contains(key)) return;
    if (!json_[key].is_array()) fail("\"" + key + "\" must be an array");
    for (size_t i = 0; i < json_[key].size(); ++i) read(json_[key][i], at(key + "[" + std::to_string(i) + "]"));
  }

  // Calls read(key, value, "<where>: <key>.<name>") for each member of an optional object.
  template <typename Read>
  void members(const std::string& key, Read read) {
    seen_.insert(key);
    if (!json_.contains(key)) return;
    if (!json_[key].is_object()) fail("\"" + key + "\" must be an object");
    for (const auto& item : json_[key].items()) read(item.key(), item.value(), at(key + "." + item.key()));
  }

  // The location of a member of this object.
  std::string at(const std::string& member) const { return where_.empty() ? member : where_ + ": " + member; }
  const std::string& file() const { return file_; }
  bool has(const std::string& key) const { return json_.contains(key); }
  const Json& operator[](const std::string& key) const { return json_[key]; }

  // A key read elsewhere, not by this reader.
  void skip(const std::string& key) { seen_.insert(key); }

  void done() const {
    for (const auto& item : json_.items())
      if (!seen_.count(item.key())) fail("unknown key \"" + item.key() + "\"");
  }

  [[noreturn]] void fail(const std::string& what) const { throw InputError(file_, where_, what); }

 private:
  const Json& json_;
  std::string file_;
  std::string where_;
  std::set<std::string> seen_;
};

std::vector<SpecParam> readParams(SpecObjectReader& reader) {
  std::vector<SpecParam> params;
  reader.each("params", [&](const Json& json, const std::string& where) {
    SpecObjectReader r(json, reader.file(), where);
    params.push_back({r.text("nim", true), r.text("type")});
    r.done();
  });
  return params;
}

SpecModule readModule(const Json& json, const std::string& path, const std::string& where) {
  SpecObjectReader r(json, path, where);
  SpecModule module;
  module.name = r.text("name", true);
  module.doc = r.doc();
  // Messages name the module rather than its index: "<path>: module uv_pipe: procs[3]: ...".
  const std::string in = "module " + module.name;
  if (r.has("os_types")) {
    SpecObjectReader o(r["os_types"], path, in + ": os_types");
    SpecOsTypes os{o.text("posix", true), o.text("windows", true), o.doc(), {}};
    o.each("types", [&](const Json& item, const std::string& at) {
      SpecObjectReader t(item, path, at);
      SpecOsType type{t.text("c", true), t.text("nim", true), {}};
      t.each("converts_to", [&](const Json& base, const std::string& base_at) {
        SpecObjectReader b(base, path, base_at);
        type.converts_to.push_back({b.text("c", true), b.flag("first_field")});
        b.done();
      });
      t.done();
      os.types.push_back(std::move(type));
    });
    o.done();
    module.os_types = std::move(os);
  }
  r.skip("os_types");
  r.each("aliases", [&](const Json& item, const std::string& at) {
    SpecObjectReader a(item, path, in + at.substr(where.size()));
    module.aliases.push_back({a.text("c", true), a.text("nim", true), a.doc(), a.flag("system")});
    a.done();
  });
  r.each("enums", [&](const Json& item, const std::string& at) {
    SpecObjectReader e(item, path, in + at.substr(where.size()));
    SpecEnum spec_enum{e.text("c", true), e.text("nim", true), e.doc(), {}};
    e.each("enumerators", [&](const Json& value, const std::string& value_at) {
      SpecObjectReader v(value, path, value_at);
      SpecEnumerator enumerator{v.text("c", true), v.text("nim", true), {}, false};
      enumerator.old_names = v.texts("old_names");
      enumerator.same_value = v.flag("same_value");
      spec_enum.enumerators.push_back(std::move(enumerator));
      v.done();
    });
    e.done();
    module.enums.push_back(std::move(spec_enum));
  });
  r.each("objects", [&](const Json& item, const std::string& at) {
    SpecObjectReader o(item, path, in + at.substr(where.size()));
    SpecObject object{o.text("c", true), o.text("nim", true), o.doc(), {}, {}};
    o.each("fields", [&](const Json& field, const std::string& field_at) {
      SpecObjectReader f(field, path, field_at);
      object.fields.push_back({f.text("c", true), f.text("nim", true), f.text("type"), f.doc()});
      f.done();
    });
    o.each("converts_to", [&](const Json& base, const std::string& base_at) {
      SpecObjectReader b(base, path, base_at);
      object.converts_to.push_back({b.text("c", true), b.flag("first_field")});
      b.done();
    });
    o.done();
    module.objects.push_back(std::move(object));
  });
  r.each("callbacks", [&](const Json& item, const std::string& at) {
    SpecObjectReader c(item, path, in + at.substr(where.size()));
    SpecCallback callback{c.text("c", true), c.text("nim", true), c.doc(), {}};
    callback.params = readParams(c);
    c.done();
    module.callbacks.push_back(std::move(callback));
  });
  r.each("constants", [&](const Json& item, const std::string& at) {
    SpecObjectReader c(item, path, in + at.substr(where.size()));
    SpecConstant constant{c.text("c", true), c.text("nim"),         c.text("strip_prefix"),
                          c.text("type"),      c.doc(),           c.flag("from_header"), c.text("replaced_by")};
    if (constant.nim.empty() == constant.strip_prefix.empty())
      c.fail("needs either \"nim\" (one constant) or \"strip_prefix\" (every enumerator of an enum)");
    if (!constant.replaced_by.empty() && (constant.nim.empty() || constant.from_header))
      c.fail("\"replaced_by\" deprecates one constant written as a value (\"nim\", not \"from_header\")");
    c.done();
    module.constants.push_back(std::move(constant));
  });
  r.each("procs", [&](const Json& item, const std::string& at) {
    SpecObjectReader p(item, path, in + at.substr(where.size()));
    SpecProc proc{p.text("c", true), p.text("nim", true), p.doc(), {}, p.text("result"), {}};
    proc.params = readParams(p);
    p.each("variadic", [&](const Json& value, const std::string& value_at) {
      SpecObjectReader v(value, path, value_at);
      proc.variadic.push_back({v.text("nim", true), v.text("c", true)});
      v.done();
    });
    p.done();
    module.procs.push_back(std::move(proc));
  });
  r.done();
  return module;
}

// How deeply arrays and objects nest in JSON text, counted without recursion
// (strings skipped), so that absurd nesting is refused before it is parsed.
size_t nestingDepth(const std::string& text) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

SpecShim readShim(const Json& json, const std::string& path) {
  SpecObjectReader r(json, path, "shim");
  SpecShim shim;
  r.text("description");
  shim.abi_version = static_cast<uint32_t>(r.count("abi_version", kMaxShimAbiVersion));
  if (!r.has("storage")) r.fail("needs \"storage\"");
  r.members("storage", [&](const std::string& c_name, const Json& size, const std::string& at) {
    if (!size.is_number_unsigned() || size.get<uint64_t>() < 1 || size.get<uint64_t>() > kMaxShimStorageSize)
      throw InputError(path, at, "must be a whole number of bytes from 1 to " + std::to_string(kMaxShimStorageSize));
    shim.storage[c_name] = size.get<uint64_t>();
  });
  if (r.has("storage_headroom_percent"))
    shim.storage_headroom_percent =
        static_cast<uint32_t>(r.count("storage_headroom_percent", kMaxShimHeadroomPercent));
  r.skip("storage_headroom_percent");
  shim.target_schemas = r.texts("target_schemas");
  r.members("platform_types", [&](const std::string& c_name, const Json& value, const std::string& at) {
    SpecObjectReader t(value, path, at);
    SpecShim::PlatformType type;
    type.unix_type = t.text("unix", true);
    type.windows_type = t.text("windows", true);
    t.done();
    shim.platform_types[c_name] = type;
  });
  shim.referenced_objects = r.texts("referenced_objects");
  shim.writable_fields = r.texts("writable_fields");
  shim.nullable_params = r.texts("nullable_params");
  shim.unix_path_params = r.texts("unix_path_params");
  shim.predicates = r.texts("predicates");
  shim.context_callbacks = r.texts("context_callbacks");
  shim.passthrough_callbacks = r.texts("passthrough_callbacks");
  shim.records = r.texts("records");
  shim.spare_members = r.texts("spare_members");
  shim.converted_records = r.texts("converted_records");
  r.members("counted_arrays", [&](const std::string& member, const Json& count, const std::string& at) {
    if (!count.is_string()) throw InputError(path, at, "must be the name of the member holding the array's length");
    shim.counted_arrays[member] = count.get<std::string>();
  });
  r.members("selected_unions", [&](const std::string& member, const Json& value, const std::string& at) {
    SpecObjectReader u(value, path, at);
    SpecShim::SelectedUnion selected;
    selected.selector = u.text("selector", true);
    selected.pointer_when = u.texts("pointer_when");
    u.done();
    shim.selected_unions[member] = selected;
  });
  r.done();
  return shim;
}

}  // namespace

ModuleSpec moduleSpecFromJson(const std::string& text, const std::string& path) {
  if (nestingDepth(text) > kMaxSpecNesting)
    throw InputError(path, "", "nests arrays and objects deeper than " + std::to_string(kMaxSpecNesting) + " levels");
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded()) throw InputError(path, "", "not valid JSON");
  SpecObjectReader r(json, path, "");
  ModuleSpec spec;
  spec.path = path;
  r.text("description");
  if (r.has("shim")) spec.shim = readShim(r["shim"], path);
  r.skip("shim");
  spec.umbrella = r.text("umbrella", true);
  r.each("type_names", [&](const Json& item, const std::string& where) {
    SpecObjectReader t(item, path, where);
    spec.type_names.push_back({t.text("c", true), t.text("nim", true)});
    t.done();
  });
  r.each("modules", [&](const Json& item, const std::string& where) {
    spec.modules.push_back(readModule(item, path, where));
  });
  r.done();
  if (spec.modules.empty()) r.fail("needs a non-empty \"modules\" array");
  return spec;
}

ModuleSpec readModuleSpecFile(const std::string& path) { return moduleSpecFromJson(readTextFile(path), path); }

std::set<std::string> ModuleSpec::cNames() const {
  std::set<std::string> names;
  for (const SpecTypeName& name : type_names) names.insert(name.c);
  for (const SpecModule& module : modules) {
    if (module.os_types)
      for (const SpecOsType& type : module.os_types->types) {
        names.insert(type.c);
        for (const SpecConversion& conversion : type.converts_to) names.insert(conversion.c);
      }
    for (const SpecAlias& alias : module.aliases) names.insert(alias.c);
    for (const SpecEnum& e : module.enums) {
      names.insert(e.c);
      for (const SpecEnumerator& value : e.enumerators) names.insert(value.c);
    }
    for (const SpecObject& object : module.objects) {
      names.insert(object.c);
      for (const SpecField& field : object.fields) names.insert(field.c);
      for (const SpecConversion& conversion : object.converts_to) names.insert(conversion.c);
    }
    for (const SpecCallback& callback : module.callbacks) names.insert(callback.c);
    for (const SpecConstant& constant : module.constants) names.insert(constant.c);
    for (const SpecProc& proc : module.procs) names.insert(proc.c);
  }
  return names;
}

}  // namespace uvgen
