#include "plan/shim_surface.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "diagnostics/input_error.h"
#include "schema/schema_json.h"
#include "plan/names.h"

namespace uvgen {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "uv_pipe_t" -> "pipe"
std::string stem(const std::string& c_name) {
  std::string s = c_name.rfind("uv_", 0) == 0 ? c_name.substr(3) : c_name;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, "_t") == 0) s.resize(s.size() - 2);
  return s;
}

// How uvshim.h spells C's builtin types: fixed-width types, but for `long`,
// which libuv's public records (uv_timespec_t, uv_passwd_t) use and whose
// width is the platform's (LP64 Unix: 8 bytes; ILP32, LLP64 Windows: 4), so
// the shim's records keep libuv's layout on every target.
const std::map<std::string, std::string>& fixedWidthBuiltins() {
  static const std::map<std::string, std::string> names = {
      {"void", "void"},          {"char", "char"},
      {"signed char", "int8_t"}, {"unsigned char", "uint8_t"},
      {"short", "int16_t"},      {"unsigned short", "uint16_t"},
      {"int", "int32_t"},        {"unsigned int", "uint32_t"},
      {"long", "long"},          {"unsigned long", "unsigned long"},
      {"long long", "int64_t"},  {"unsigned long long", "uint64_t"},
      {"double", "double"},      {"_Bool", "uint8_t"}};
  return names;
}

// The size in bytes of a scalar type on a schema's target: a builtin, a
// pointer, an enum or a typedef of one; nullopt for anything else.
std::optional<uint64_t> scalarSize(const Schema& schema, const Type& type, int depth = 0) {
  const uint64_t pointer = schema.target.pointer_size;
  switch (type.kind) {
    case Type::Kind::Pointer: return pointer;
    case Type::Kind::Enum: return 4;
    case Type::Kind::Typedef: {
      const Typedef* t = schema.findTypedef(type.name);
      if (!t || depth > 64) return std::nullopt;
      return scalarSize(schema, t->type, depth + 1);
    }
    case Type::Kind::Builtin: {
      static const std::map<std::string, uint64_t> sizes = {
          {"char", 1},      {"signed char", 1},        {"unsigned char", 1}, {"_Bool", 1},
          {"short", 2},     {"unsigned short", 2},     {"int", 4},           {"unsigned int", 4},
          {"long long", 8}, {"unsigned long long", 8}, {"float", 4},         {"double", 8}};
      if (type.name == "long" || type.name == "unsigned long") return isWindowsTarget(schema.target.triple) ? 4 : pointer;
      auto found = sizes.find(type.name);
      if (found == sizes.end()) return std::nullopt;
      return found->second;
    }
    default: return std::nullopt;
  }
}

// The size of a type uvshim.h may give a platform type, on a target.
std::optional<uint64_t> platformTypeSize(const std::string& spelling, uint64_t pointer_size) {
  if (spelling == "int32_t" || spelling == "uint32_t") return 4;
  if (spelling == "int64_t" || spelling == "uint64_t") return 8;
  if (spelling == "intptr_t" || spelling == "uintptr_t" || spelling == "void *") return pointer_size;
  return std::nullopt;
}

// Typedefs whose name already says their width; kept as they are.
bool isStandardWidthTypedef(const std::string& name) {
  static const std::vector<std::string> names = {"size_t",  "intptr_t", "uintptr_t", "int8_t",  "uint8_t",
                                                 "int16_t", "uint16_t", "int32_t",   "uint32_t", "int64_t",
                                                 "uint64_t"};
  return contains(names, name);
}

// A value that crosses between the shim and libuv through a C cast each way.
void convertByCast(ShimValue& value, const std::string& c_type) {
  value.to_c = "(" + c_type + ")(" + value.name + ")";
  value.to_shim = "(" + value.shim_type + ")(" + value.name + ")";
}

void addOnce(std::vector<std::string>& list, const std::string& item) {
  if (!contains(list, item)) list.push_back(item);
}

// What the module spec asks of the shim, in the spec's order.
struct ShimRequest {
  std::vector<std::string> functions;  // libuv functions to wrap
  std::map<std::string, std::vector<SpecVariadicParam>> variadic;  // what variadic ones are called with
  // libuv types that get storage, with the public fields that get accessors.
  struct TypeRequest {
    std::string c_name;  // "uv_pipe_t"
    uint64_t storage_size = 0;  // bytes, fixed across platforms and libuv versions
    bool referenced = false;    // libuv allocates it: no storage (SpecShim::referenced_objects)
    std::vector<std::string> fields;
    std::vector<std::string> writable_fields;
  };
  std::vector<TypeRequest> types;
  std::vector<std::string> enums;  // libuv enums whose values become UVSHIM_* constants
};

ShimRequest requestOf(const Schema& schema, const ModuleSpec& spec) {
  const SpecShim& shim = *spec.shim;
  std::map<std::string, uint64_t> storage = shim.storage;
  ShimRequest request;
  for (const SpecModule& module : spec.modules) {
    for (const SpecProc& proc : module.procs) {
      addOnce(request.functions, proc.c);
      if (!proc.variadic.empty()) request.variadic[proc.c] = proc.variadic;
    }
    for (const SpecEnum& e : module.enums)
      if (const Enum* found = schema.enumNamed(e.c)) addOnce(request.enums, found->name);
    for (const SpecConstant& constant : module.constants)
      if (!constant.strip_prefix.empty())
        if (const Enum* found = schema.enumNamed(constant.c)) addOnce(request.enums, found->name);
    for (const SpecObject& object : module.objects) {
      auto size = storage.find(object.c);
      const bool referenced = contains(shim.referenced_objects, object.c);
      if (size == storage.end() && !referenced) continue;
      if (size != storage.end() && referenced)
        throw InputError(spec.path, "shim", object.c + " has storage and is a referenced object; it is one or the other");
      ShimRequest::TypeRequest type;
      type.c_name = object.c;
      type.referenced = referenced;
      if (!referenced) type.storage_size = size->second;
      for (const SpecField& field : object.fields) {
        type.fields.push_back(field.c);
        if (contains(shim.writable_fields, field.c)) type.writable_fields.push_back(field.c);
      }
      request.types.push_back(std::move(type));
      if (!referenced) storage.erase(size);
    }
  }
  if (!storage.empty())
    throw InputError(spec.path, "shim", "storage for " + storage.begin()->first + ", which no module exports as an object");
  for (const std::string& name : shim.referenced_objects)
    if (std::none_of(request.types.begin(), request.types.end(), [&](const auto& t) { return t.c_name == name; }))
      throw InputError(spec.path, "shim", "referenced object " + name + ", which no module exports as an object");
  return request;
}

class SurfaceBuilder {
 public:
  SurfaceBuilder(const Schema& schema, const ModuleSpec& spec, const std::vector<TargetSchema>& targets)
      : schema_(schema), spec_(spec), shim_(*spec.shim), request_(requestOf(schema, spec)) {
    // The schema at hand first, then every target's: each storage, platform
    // type and constant must hold on all of them.
    schemas_.push_back({&schema, schema.target.triple, isWindowsTarget(schema.target.triple)});
    for (const TargetSchema& target : targets) {
      const std::string& triple = target.schema.target.triple;
      // Another target's layout says something about this shim only for the
      // same libuv: a release series (1.44.x) keeps its layouts, other
      // releases move private fields (the ABI check judges those).
      const LibuvVersion& of = target.schema.libuv;
      if (of.major != schema.libuv.major || of.minor != schema.libuv.minor)
        throw InputError(target.path, "libuv",
                         "the schema of libuv " + of.text() + " on " + triple + " cannot check a shim of libuv " +
                             schema.libuv.text() + "; write it again from libuv " + schema.libuv.text() +
                             "'s uv.h with `uvgen schema --target " + triple + "`");
      schemas_.push_back({&target.schema, triple + " (" + target.path + ")", isWindowsTarget(triple)});
      surface_.checked_targets.push_back(target.schema.target.triple);
    }
  }

  ShimSurface build() {
    surface_.abi_version = shim_.abi_version;
    surface_.libuv_version = schema_.libuv.text();
    surface_.target = schema_.target.triple;
    for (const auto& [c_name, type] : shim_.platform_types) addPlatformType(c_name, type);
    // Storages first: values point into surface_.storages, so it must not grow later.
    surface_.storages.reserve(request_.types.size());
    for (const auto& type : request_.types) addStorage(type);
    for (const std::string& name : shim_.records) addRecord(name, "records", 0);
    for (const std::string& member : shim_.spare_members) requireSpareMember(member);
    for (const std::string& name : request_.enums) addConstants(name);
    // Converted records are built where a function first uses one, so that
    // their callbacks take trailer slots after the functions' own.
    for (const std::string& name : request_.functions) addFunction(name);
    for (const std::string& name : shim_.converted_records) convertedRecord(name);
    for (const auto& [member, count] : shim_.counted_arrays) requireConvertedMember(member, "counted array");
    for (const auto& [member, selected] : shim_.selected_unions) requireConvertedMember(member, "selected union");
    for (const auto& type : request_.types) addAccessors(type);
    for (const std::string& param : shim_.nullable_params) requireParam(param, "nullable");
    for (const std::string& param : shim_.unix_path_params) requireParam(param, "unix path");
    for (const std::string& name : shim_.predicates)
      if (!surface_.findFunction(name)) fail("predicate " + name + " is not a wrapped function");
    std::set<std::string> symbols;
    for (const std::string& symbol : surface_.exportedSymbols())
      if (!symbols.insert(symbol).second) fail("two functions would be exported as " + symbol);
    return std::move(surface_);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw InputError(spec_.path, "shim", what); }

  // Every name and type spelling pasted into the shim's C code passes here.
  const std::string& cName(const std::string& name, const std::string& where) const {
    if (!isCIdentifier(name)) fail(where + ": '" + name + "' is not a C identifier");
    return name;
  }
  // The parameter names of a wrapper or a trampoline, pasted into its C code
  // beside the shim's own names: each must be unique, and neither the shim's
  // nor libuv's nor the C library's, which the code around it uses (a
  // parameter named UV_EINVAL would make `return UV_EINVAL;` return it).
  void checkParamNames(const std::vector<ShimValue>& params, const std::string& where) const {
    static const std::set<std::string> used_by_the_shim = {
        "result", "owner", "bool", "true", "false", "errno", "offsetof", "alignof", "alignas", "static_assert",
        "size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t", "int8_t", "int16_t", "int32_t", "int64_t",
        "uint8_t", "uint16_t", "uint32_t", "uint64_t", "memset", "memcpy", "free", "malloc", "calloc", "realloc",
        "strlen"};
    static const std::vector<std::string> derived_suffixes = {"_shim", "_small", "_uv", "_heap", "_status", "_context"};
    std::set<std::string> names;
    for (const ShimValue& p : params) names.insert(p.name);
    if (names.size() != params.size()) {
      for (size_t i = 0; i < params.size(); ++i)
        for (size_t j = i + 1; j < params.size(); ++j)
          if (params[i].name == params[j].name) fail(where + ": two parameters are named " + params[i].name);
    }
    for (const std::string& name : names) {
      auto refuse = [&](const std::string& why) { fail(where + ": parameter " + name + " " + why); };
      const bool libuv_prefix = name.size() >= 2 && (name[0] == 'u' || name[0] == 'U') && (name[1] == 'v' || name[1] == 'V');
      if (libuv_prefix) refuse("takes libuv's prefix uv, which the shim's own names use");
      if (name[0] == '_') refuse("starts with an underscore, which C reserves");
      if (std::none_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        refuse("has no lower-case letter: a macro's name in C (EINVAL, NULL)");
      if (schema_.findMacro(name)) refuse("is a macro of the header");
      if (used_by_the_shim.count(name)) refuse("is a name the shim's code uses");
      for (const std::string& suffix : derived_suffixes)
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
            names.count(name.substr(0, name.size() - suffix.size())))
          refuse("is the name the shim gives a local of parameter " + name.substr(0, name.size() - suffix.size()));
    }
  }

  const std::string& cType(const std::string& spelling, const std::string& where) const {
    if (!isCTypeSpelling(spelling)) fail(where + ": the type '" + spelling + "' is not a plain C type name");
    return spelling;
  }

  // What a storage type is: the loop, a handle or a request (by its `type`
  // field), or a union of handles or of requests (uv_any_handle).
  std::optional<ShimStorage::Kind> kindOf(const std::string& c_name, const RecordLayout& record, int depth = 0) const {
    if (std::optional<ShimStorage::Kind> kind = libuvObjectKind(c_name, record)) return kind;
    if (record.kind != "union" || record.fields.empty() || depth > 0) return std::nullopt;
    std::optional<ShimStorage::Kind> common;
    for (const Field& member : record.fields) {
      const RecordLayout* inner = schema_.recordOf(member.type);
      std::optional<ShimStorage::Kind> kind = inner ? kindOf(member.type.name, *inner, depth + 1) : std::nullopt;
      if (!kind || (common && *common != *kind) || *kind == ShimStorage::Kind::Loop) return std::nullopt;
      common = kind;
    }
    return common;
  }

  void addStorage(const ShimRequest::TypeRequest& request) {
    const Typedef* t = schema_.findTypedef(cName(request.c_name, "storage"));
    const RecordLayout* found = t ? schema_.recordOf(t->type) : schema_.findRecord(request.c_name);
    if (!found) fail("type " + request.c_name + " is not a struct or union in the schema");
    const RecordLayout& record = *found;
    ShimStorage storage;
    storage.c_name = request.c_name;
    storage.c_type = cType(t ? request.c_name : record.spelling, "storage");
    storage.shim_name = "uvshim_" + stem(request.c_name) + "_t";
    storage.macro = "UVSHIM_" + upper(stem(request.c_name));
    storage.c_size = record.size;
    storage.storage_size = request.storage_size;
    if (request.referenced) {
      if (!t || record.kind != "struct" || libuvObjectKind(request.c_name, record))
        fail("referenced object " + request.c_name + " is not a typedef of a struct other than the loop, a handle or a request");
      storage.kind = ShimStorage::Kind::Referenced;
      surface_.storages.push_back(storage);
      return;
    }
    std::optional<ShimStorage::Kind> kind = kindOf(request.c_name, record);
    if (!kind) fail(request.c_name + " is neither the loop, a handle, a request nor a union of handles or requests");
    storage.kind = *kind;
    if (storage.storage_size % ShimSurface::kStorageAlign != 0)
      fail("storage of " + request.c_name + " is " + std::to_string(storage.storage_size) +
           " bytes, not a multiple of " + std::to_string(ShimSurface::kStorageAlign));
    for (const SchemaOnTarget& target : schemas_) checkStorageFits(storage, *target.schema, target.name);
    surface_.storages.push_back(storage);
  }

  // libuv's struct, the spec's headroom in percent of it and the trailer fit
  // the storage on a target, aligned.
  void checkStorageFits(const ShimStorage& storage, const Schema& target, const std::string& target_name) const {
    const RecordLayout* record = target.recordNamed(storage.c_name);
    if (!record) fail(storage.c_name + " is not a struct or union in the schema of " + target_name);
    // Sizes are bounded when read (the schema's limits), so none of this wraps.
    const uint64_t headroom = (record->size * shim_.storage_headroom_percent + 99) / 100;
    const uint64_t trailer = storage.kind == ShimStorage::Kind::Loop ? 0 : ShimSurface::kTrailerSize;
    const uint64_t needed = record->size + headroom + trailer;
    if (storage.storage_size < needed)
      fail("storage of " + storage.c_name + " is " + std::to_string(storage.storage_size) + " bytes; on " +
           target_name + " it needs " + std::to_string(needed) + ": libuv's " + std::to_string(record->size) + ", " +
           std::to_string(shim_.storage_headroom_percent) + "% headroom (" + std::to_string(headroom) + ") and a " +
           std::to_string(trailer) + "-byte trailer");
    if (record->align > ShimSurface::kStorageAlign)
      fail(storage.c_name + " needs an alignment of " + std::to_string(record->align) + " on " + target_name +
           ", more than the storage's " + std::to_string(ShimSurface::kStorageAlign));
  }

  // A typedef of an OS handle, declared per OS: each target's typedef must
  // have the size of the type its OS gets.
  void addPlatformType(const std::string& c_name, const SpecShim::PlatformType& type) {
    const std::string where = "platform_types." + cName(c_name, "platform_types");
    ShimPlatformType out{c_name, "uvshim_" + stem(c_name) + "_t", type.unix_type, type.windows_type};
    for (const SchemaOnTarget& target : schemas_) {
      const std::string& spelling = target.windows ? type.windows_type : type.unix_type;
      std::optional<uint64_t> declared = platformTypeSize(spelling, target.schema->target.pointer_size);
      if (!declared) fail(where + ": '" + spelling + "' is not one of int32_t, uint32_t, int64_t, uint64_t, intptr_t, uintptr_t, void *");
      const Typedef* t = target.schema->findTypedef(c_name);
      std::optional<uint64_t> size = t ? scalarSize(*target.schema, t->type) : std::nullopt;
      if (!size) fail(where + ": " + c_name + " is not a typedef of a scalar type in the schema of " + target.name);
      if (*size != *declared)
        fail(where + ": " + c_name + " is " + std::to_string(*size) + " bytes on " + target.name + ", but " + spelling +
             " is " + std::to_string(*declared));
    }
    surface_.platform_types.push_back(out);
  }

  // A data record with libuv's layout (and, first, the records it holds).
  // `name` is a typedef ("uv_timeval_t") or a record's tag ("uv_cpu_times_s").
  const ShimRecord& addRecord(const std::string& name, const std::string& where, int depth) {
    const Typedef* t = schema_.findTypedef(cName(name, where));
    const std::string c_type = t ? name : "struct " + name;
    if (const ShimRecord* done = surface_.findRecord(c_type)) return *done;
    const RecordLayout* layout = t ? schema_.recordOf(t->type) : schema_.findRecord(name);
    if (!layout || layout->kind != "struct") fail(where + ": " + name + " is not a struct in the schema");
    if (depth > 8) fail(where + ": records nest deeper than 8 levels");
    ShimRecord record;
    record.c_type = c_type;
    std::string base = stem(name);  // "timeval", "cpu_times_s"
    if (base.size() > 2 && base.compare(base.size() - 2, 2, "_s") == 0) base.resize(base.size() - 2);
    record.shim_tag = "uvshim_" + base + "_s";
    record.has_typedef = t != nullptr;
    record.shim_type = t ? "uvshim_" + base + "_t" : "struct " + record.shim_tag;
    for (const Field& field : layout->fields) {
      const std::string at = name + "." + field.name;
      if (field.name.empty() || field.bit_width) fail(at + ": the shim mirrors named, whole fields only");
      if (field.type.kind == Type::Kind::Record && field.type.anonymous_record) {
        // A member of an anonymous type (uv_interface_address_t's socket
        // address unions): bytes with its size and alignment, which the Nim
        // modules copy to and from the object declared for the member.
        const RecordLayout& member = *field.type.anonymous_record;
        record.fields.push_back({cName(field.name, at), "UVSHIM_ALIGNAS(" + std::to_string(member.align) +
                                                             ") unsigned char " + field.name + "[" +
                                                             std::to_string(member.size) + "]"});
        continue;
      }
      const Type* type = &field.type;
      std::string suffix;
      if (type->kind == Type::Kind::Array) {
        if (!type->length) fail(at + ": an array without a length");
        suffix = "[" + std::to_string(*type->length) + "]";
        type = type->element.get();
      }
      std::string shim_type;
      if (schema_.recordOf(*type) && !type->anonymous_record && type->kind != Type::Kind::Pointer)
        shim_type = addRecord(type->name, at, depth + 1).shim_type;
      else
        shim_type = valueOf(*type, field.name, at).shim_type;
      record.fields.push_back(
          {cName(field.name, at), cDeclaration(shim_type, field.name) + suffix, contains(shim_.spare_members, at)});
    }
    surface_.records.push_back(std::move(record));
    return surface_.records.back();
  }

  // A record the shim converts on each call. Its members are values in
  // fixed-width types, callbacks (kept in the trailer of the handle the
  // function takes), arrays of converted records with a length member
  // (counted_arrays) or a union of a pointer to storage and another value
  // (selected_unions).
  const ShimConvertedRecord& convertedRecord(const std::string& name) {
    if (const ShimConvertedRecord* done = surface_.findConvertedRecord(name)) return *done;
    if (std::count(shim_.converted_records.begin(), shim_.converted_records.end(), name) > 1)
      fail("converted_records: " + name + " is listed twice");
    if (contains(building_, name)) fail("converted_records: " + name + " holds an array of itself");
    building_.push_back(name);
    addConvertedRecord(name);
    building_.pop_back();
    return surface_.converted_records.back();
  }

  void addConvertedRecord(const std::string& name) {
    const Typedef* t = schema_.findTypedef(cName(name, "converted_records"));
    const RecordLayout* layout = t ? schema_.recordOf(t->type) : nullptr;
    if (!layout || layout->kind != "struct") fail("converted_records: " + name + " is not a typedef of a struct in the schema");
    ShimConvertedRecord record;
    record.c_type = name;
    const std::string base = stem(name);
    record.shim_type = "uvshim_" + base + "_t";
    record.shim_tag = "uvshim_" + base + "_s";
    record.converter = "uvshim__" + base + "_to_uv";
    for (const Field& field : layout->fields) {
      const std::string at = name + "." + field.name;
      if (field.name.empty() || field.bit_width) fail(at + ": the shim converts named, whole members only");
      const std::string member = cName(field.name, at);
      ShimConvertedRecord::Field out;
      out.name = member;
      if (auto count = shim_.counted_arrays.find(at); count != shim_.counted_arrays.end()) {
        const Type& type = field.type;
        const Type* element = type.kind == Type::Kind::Pointer ? type.pointee.get() : nullptr;
        const ShimConvertedRecord* converted =
            element && element->kind == Type::Kind::Typedef && contains(shim_.converted_records, element->name)
                ? &convertedRecord(element->name)
                : nullptr;
        if (!converted) fail(at + ": a counted array must point to a converted record");
        if (!converted->release.empty()) fail(at + ": its elements hold arrays themselves, which the shim does not convert");
        if (!layout->findField(count->second)) fail(at + ": " + name + " has no member " + count->second + " for its length");
        out.kind = ShimConvertedRecord::Field::Kind::Array;
        out.element = converted->c_type;
        out.count = cName(count->second, at);
        out.declaration = converted->shim_type + " *" + member;
        record.release = "uvshim__" + base + "_release";
      } else if (auto selected = shim_.selected_unions.find(at); selected != shim_.selected_unions.end()) {
        const RecordLayout* members = field.type.kind == Type::Kind::Record ? field.type.anonymous_record.get() : nullptr;
        if (!members || members->kind != "union" || members->fields.size() != 2)
          fail(at + ": a selected union has two members, a pointer to storage and another value");
        out.kind = ShimConvertedRecord::Field::Kind::SelectedUnion;
        for (const Field& m : members->fields) {
          ShimValue v = valueOf(m.type, "in->" + member + "." + cName(m.name, at), at + "." + m.name);
          v.name = m.name;
          (v.storage ? out.pointer_member : out.other_member) = v;
        }
        if (!out.pointer_member.storage || out.other_member.storage)
          fail(at + ": a selected union has two members, a pointer to storage and another value");
        const Field* selector = layout->findField(selected->second.selector);
        if (!selector) fail(at + ": " + name + " has no member " + selected->second.selector + " to select with");
        out.selector = cName(selected->second.selector, at);
        for (const std::string& flag : selected->second.pointer_when) {
          if (!schema_.findEnumerator(flag)) fail(at + ": " + flag + " is not an enumerator in the schema");
          out.pointer_when.push_back(cName(flag, at));
        }
        if (out.pointer_when.empty()) fail(at + ": pointer_when names no flag");
        out.declaration = "union { " + cDeclaration(out.pointer_member.shim_type, out.pointer_member.name) + "; " +
                          cDeclaration(out.other_member.shim_type, out.other_member.name) + "; } " + member;
      } else {
        if (field.type.kind == Type::Kind::Record && field.type.anonymous_record)
          fail(at + ": a member of an anonymous type is converted as a selected union (selected_unions)");
        ShimValue v = valueOf(field.type, "in->" + member, at);
        if (v.buffers) fail(at + ": the shim does not convert buffers inside a record");
        if (!v.callback.empty()) {
          out.kind = ShimConvertedRecord::Field::Kind::Callback;
          out.callback = v.callback;
        } else if (!v.converted_record.empty()) {
          fail(at + ": a pointer to one converted record needs a length (counted_arrays)");
        }
        out.declaration = cDeclaration(v.shim_type, member);
        out.value = v;
      }
      record.fields.push_back(std::move(out));
    }
    surface_.converted_records.push_back(std::move(record));
  }

  void requireSpareMember(const std::string& member) const {
    const auto dot = member.find('.');
    const ShimRecord* record = dot == std::string::npos ? nullptr : surface_.findRecord(member.substr(0, dot));
    const bool found = record && std::any_of(record->fields.begin(), record->fields.end(), [&](const ShimRecord::Field& f) {
                         return f.name == member.substr(dot + 1);
                       });
    if (!found) fail("spare member " + member + " is not a member of a record in \"records\"");
  }

  void requireConvertedMember(const std::string& member, const std::string& what) const {
    const std::string record = member.substr(0, member.find('.'));
    if (member.find('.') == std::string::npos || !surface_.findConvertedRecord(record))
      fail(what + " " + member + " is not a member of a converted record");
  }

  void addConstants(const std::string& enum_name) {
    const Enum* e = schema_.findEnum(enum_name);
    if (!e) fail("enum " + enum_name + " is not in the schema");
    for (const Enumerator& enumerator : e->enumerators) {
      cName(enumerator.name, "enum " + enum_name);
      std::string name = enumerator.name.rfind("UV_", 0) == 0 ? enumerator.name.substr(3) : enumerator.name;
      ShimConstant constant{enumerator.name, "UVSHIM_" + name, enumerator.value, std::nullopt};
      // One value per OS family: every target of a family must agree.
      std::optional<int64_t> unix_value, windows_value;
      std::string unix_from, windows_from;
      for (const SchemaOnTarget& target : schemas_) {
        const Enumerator* there = target.schema->findEnumerator(enumerator.name);
        if (!there) fail("enum " + enum_name + ": " + enumerator.name + " is not in the schema of " + target.name);
        std::optional<int64_t>& value = target.windows ? windows_value : unix_value;
        std::string& from = target.windows ? windows_from : unix_from;
        if (value && *value != there->value)
          fail("enum " + enum_name + ": " + enumerator.name + " is " + std::to_string(*value) + " on " + from + " and " +
               std::to_string(there->value) + " on " + target.name + "; uvshim.h has one value per OS");
        if (!value) value = there->value, from = target.name;
      }
      constant.value = unix_value ? *unix_value : *windows_value;
      if (unix_value && windows_value && *windows_value != *unix_value) constant.windows_value = windows_value;
      surface_.constants.push_back(constant);
    }
  }

  // The shim spelling of a type, and how values convert between the two sides.
  ShimValue valueOf(const Type& type, const std::string& name, const std::string& where) {
    ShimValue value;
    value.name = name;
    value.c_type = cType(type.spelling, where);
    value.to_c = name;
    value.to_shim = name;
    std::string qualifier = type.is_const ? "const " : "";
    switch (type.kind) {
      case Type::Kind::Builtin: {
        auto found = fixedWidthBuiltins().find(type.name);
        if (found == fixedWidthBuiltins().end()) fail(where + ": no fixed-width type for " + type.spelling);
        value.shim_type = qualifier + found->second;
        break;
      }
      case Type::Kind::Enum:
        value.shim_type = qualifier + "int32_t";
        convertByCast(value, type.spelling);
        break;
      case Type::Kind::Typedef:
        return typedefValue(type, name, where);
      case Type::Kind::Pointer:
        return pointerValue(type, name, where);
      default:
        fail(where + ": the shim cannot pass " + type.spelling + " by value");
    }
    if (value.shim_type != type.spelling && value.shim_type != "void") convertByCast(value, type.spelling);
    return value;
  }

  ShimValue typedefValue(const Type& type, const std::string& name, const std::string& where) {
    ShimValue value = resolveTypedefValue(type, name, where);
    std::string spelling = value.shim_type;
    if (spelling.rfind("const ", 0) == 0) spelling.erase(0, 6);
    surface_.typedef_spellings.emplace(type.name, spelling);
    return value;
  }

  // typedefValue's work: the shim spelling of a typedef and its conversions.
  ShimValue resolveTypedefValue(const Type& type, const std::string& name, const std::string& where) {
    const Typedef* t = schema_.findTypedef(type.name);
    if (!t) fail(where + ": typedef " + type.name + " is not in the schema");
    ShimValue value;
    value.name = name;
    value.c_type = cType(type.spelling, where);
    value.to_c = name;
    value.to_shim = name;
    std::string qualifier = type.is_const ? "const " : "";
    if (auto platform = std::find_if(surface_.platform_types.begin(), surface_.platform_types.end(),
                                     [&](const ShimPlatformType& p) { return p.c_name == type.name; });
        platform != surface_.platform_types.end()) {
      value.shim_type = qualifier + platform->shim_name;
      convertByCast(value, type.spelling);
      return value;
    }
    if (t->callback) {
      addCallback(cName(type.name, where), where);
      value.shim_type = shimName(type.name);
      value.callback = type.name;
      return value;
    }
    if (type.name == "uv_buf_t") {
      value.shim_type = qualifier + shimTypeName(type.name);
      value.to_c = "uvshim__buf_to_uv(" + name + ")";
      value.to_shim = "uvshim__buf_from_uv(" + name + ")";
      return value;
    }
    if (isStandardWidthTypedef(type.name)) {
      value.shim_type = qualifier + type.name;
      return value;
    }
    if (type.name == "ssize_t") {
      value.shim_type = qualifier + "intptr_t";
      convertByCast(value, type.spelling);
      return value;
    }
    // Any other typedef: whatever it stands for (uv_file -> int -> int32_t).
    Type underlying = t->type;
    underlying.is_const = underlying.is_const || type.is_const;
    ShimValue resolved = valueOf(underlying, name, where);
    resolved.c_type = type.spelling;
    if (resolved.shim_type != type.spelling) convertByCast(resolved, type.spelling);
    return resolved;
  }

  ShimValue pointerValue(const Type& type, const std::string& name, const std::string& where) {
    const Type& pointee = *type.pointee;
    std::string qualifier = pointee.is_const ? "const " : "";
    ShimValue value;
    value.name = name;
    value.c_type = cType(type.spelling, where);
    if (pointee.kind == Type::Kind::Typedef) {
      if (const ShimStorage* storage = surface_.findStorage(pointee.name)) {
        value.storage = storage;
        value.shim_type = qualifier + storage->shim_name + " *";
        if (storage->kind == ShimStorage::Kind::Loop || storage->kind == ShimStorage::Kind::Referenced) {
          convertByCast(value, type.spelling);
        } else {
          value.to_c = "UVSHIM__TO_UV(" + type.spelling + ", " + name + ")";
          value.to_shim = "UVSHIM__FROM_UV(" + value.shim_type + ", " + name + ")";
        }
        return value;
      }
      if (pointee.name == "uv_buf_t") {
        value.shim_type = qualifier + shimTypeName(pointee.name) + " *";
        value.buffers = true;
        return value;
      }
      if (contains(shim_.converted_records, pointee.name)) {
        const ShimConvertedRecord& converted = convertedRecord(pointee.name);
        value.shim_type = qualifier + converted.shim_type + " *";
        value.converted_record = converted.c_type;
        return value;
      }
      if (const ShimRecord* record = surface_.findRecord(pointee.name)) {
        value.shim_type = qualifier + record->shim_type + " *";
        convertByCast(value, type.spelling);
        return value;
      }
      const Typedef* t = schema_.findTypedef(pointee.name);
      if (t && schema_.recordOf(t->type) && t->is_libuv)
        fail(where + ": uses " + pointee.name + ", which has no shim storage or record in the spec");
      // A system typedef of a struct (FILE): uvshim.h includes no system
      // header to name it, so it crosses as void * and is cast back.
      if (t && t->type.kind == Type::Kind::Record) {
        value.shim_type = qualifier + "void *";
        convertByCast(value, type.spelling);
        return value;
      }
    }
    if (pointee.kind == Type::Kind::Record && !pointee.anonymous_record) {
      cName(pointee.name, where);
      if (pointee.tag != "struct" && pointee.tag != "union") fail(where + ": '" + pointee.tag + "' is not struct or union");
      if (!contains(surface_.forward_structs, pointee.name)) surface_.forward_structs.push_back(pointee.name);
      value.shim_type = qualifier + pointee.tag + " " + pointee.name + " *";
      value.to_c = name;
      value.to_shim = name;
      return value;
    }
    if (pointee.kind == Type::Kind::Function) fail(where + ": a function pointer without a typedef");
    ShimValue inner = valueOf(pointee, "x", where);
    value.shim_type = inner.shim_type + (inner.shim_type.back() == '*' ? "*" : " *");
    value.to_c = name;
    value.to_shim = name;
    if (value.shim_type != type.spelling) convertByCast(value, type.spelling);
    return value;
  }

  // Whether one storage type's struct starts with the other's fields (uv_handle_t
  // and uv_pipe_t; uv_stream_t and uv_tcp_t): a value of the longer one is
  // also one of the shorter, so both kinds of callback can sit in its trailer.
  bool related(const std::string& a, const std::string& b) const {
    if (a == b) return true;
    const RecordLayout* ra = schema_.recordNamed(a);
    const RecordLayout* rb = schema_.recordNamed(b);
    if (!ra || !rb) return true;  // unknown: assume they may share a handle
    return ra->startsWith(*rb) || rb->startsWith(*ra);
  }

  void addCallback(const std::string& c_name, const std::string& where) {
    for (const ShimCallback& existing : surface_.callbacks)
      if (existing.c_name == c_name) return;
    const Typedef* t = schema_.findTypedef(c_name);
    if (!t || !t->callback) fail(where + ": " + c_name + " is not a callback in the schema");
    const Callback& signature = *t->callback;
    ShimCallback callback;
    callback.c_name = c_name;
    callback.shim_name = shimName(c_name);
    callback.trampoline = "uvshim__" + stem(c_name);
    if (signature.params.empty()) fail(where + ": callback " + c_name + " has no handle or request to belong to");
    int index = 0;
    for (const Param& p : signature.params) {
      std::string param_name = p.name.empty() ? "arg" + std::to_string(index) : cName(p.name, c_name);
      callback.params.push_back(valueOf(p.type, param_name, c_name));
      ++index;
    }
    checkParamNames(callback.params, "callback " + c_name);
    callback.result = valueOf(signature.result, "result", c_name);
    if (contains(shim_.passthrough_callbacks, c_name)) {
      // Only where every value crosses unchanged, so the two function types agree.
      bool same = callback.result.to_c == callback.result.name;
      for (const ShimValue& p : callback.params) same = same && p.to_c == p.name && !p.storage && !p.buffers;
      if (!same) fail(where + ": callback " + c_name + " converts its values between libuv and the shim; it cannot pass through");
      callback.passthrough = true;
      surface_.callbacks.push_back(std::move(callback));
      return;
    }
    if (contains(shim_.context_callbacks, c_name)) {
      const Type& last = signature.params.back().type;
      if (last.kind != Type::Kind::Pointer || last.pointee->kind != Type::Kind::Builtin || last.pointee->name != "void")
        fail(where + ": context callback " + c_name + " does not take a void * last");
      callback.context = true;
      callback.context_type = "struct uvshim__" + stem(c_name) + "_context";
      surface_.callbacks.push_back(std::move(callback));
      return;
    }
    const ShimValue& first = callback.params.front();
    if (!first.storage || first.storage->kind == ShimStorage::Kind::Loop ||
        first.storage->kind == ShimStorage::Kind::Referenced)
      fail(where + ": callback " + c_name + " does not take a handle or request first");
    callback.owner = first.storage->kind;
    callback.owner_type = first.storage->c_name;
    // The lowest slot no callback that could sit in the same handle or
    // request uses: a timer's callback shares a slot number with a pipe's
    // read callback, never with close's, which every handle may hold.
    std::set<int> taken;
    for (const ShimCallback& existing : surface_.callbacks)
      if (!existing.context && !existing.passthrough && existing.owner == callback.owner &&
          related(existing.owner_type, callback.owner_type))
        taken.insert(existing.slot);
    while (taken.count(callback.slot)) ++callback.slot;
    if (static_cast<uint64_t>(callback.slot + 1) * 8 > ShimSurface::kTrailerSize)
      fail("more callbacks than the trailer of " + std::to_string(ShimSurface::kTrailerSize) + " bytes holds");
    surface_.callbacks.push_back(std::move(callback));
  }

  void addFunction(const std::string& c_name) {
    const Function* f = schema_.findFunction(cName(c_name, "function"));
    if (!f) fail("function " + c_name + " is not in the schema");
    auto variadic = request_.variadic.find(c_name);
    if (f->variadic && variadic == request_.variadic.end())
      fail("function " + c_name + " is variadic; the shim cannot wrap it");
    ShimFunction function;
    function.c_name = c_name;
    function.shim_name = shimName(c_name);
    function.doc = f->doc;
    int index = 0;
    for (const Param& p : f->params) {
      std::string name = p.name.empty() ? "arg" + std::to_string(index) : cName(p.name, c_name);
      ShimValue value = valueOf(p.type, name, c_name);
      value.nullable = contains(shim_.nullable_params, c_name + "." + name);
      value.unix_path = contains(shim_.unix_path_params, c_name + "." + name);
      function.params.push_back(std::move(value));
      ++index;
    }
    // A variadic function's wrapper takes what the spec says it is called with.
    if (variadic != request_.variadic.end())
      for (const SpecVariadicParam& extra : variadic->second)
        function.params.push_back(valueOf(*variadicArgumentType(extra.c_type), cName(extra.nim, c_name), c_name));
    checkParamNames(function.params, "function " + c_name);
    function.result = valueOf(f->result, "result", c_name);
    bool has_unix_path = std::any_of(function.params.begin(), function.params.end(),
                                     [](const ShimValue& v) { return v.unix_path; });
    if (has_unix_path && function.result.shim_type == "void") {
      function.returns_status_instead_of_void = true;
      function.result.shim_type = "int32_t";
    }
    function.is_predicate = contains(shim_.predicates, c_name);
    function.refusal = refusalOf(function);
    for (size_t i = 0; i < function.params.size(); ++i) {
      ShimValue& p = function.params[i];
      if (!p.buffers) continue;
      // libuv's `const uv_buf_t bufs[], unsigned int nbufs`.
      if (i + 1 == function.params.size() || function.params[i + 1].shim_type != "uint32_t")
        fail("function " + c_name + " takes buffers " + p.name + " without an unsigned int length after them");
      if (function.refusal != ShimFunction::Refusal::Status)
        fail("function " + c_name + " takes buffers but returns no status to report a conversion that fails");
      p.buffer_count = function.params[i + 1].name;
    }
    const bool takes_buffers = std::any_of(function.params.begin(), function.params.end(), [](const ShimValue& v) { return v.buffers; });
    const bool takes_converted = std::any_of(function.params.begin(), function.params.end(),
                                             [](const ShimValue& v) { return !v.converted_record.empty(); });
    if (takes_buffers && takes_converted)
      fail("function " + c_name + " takes buffers and a converted record; the shim converts one or the other");
    for (ShimValue& p : function.params) {
      if (p.converted_record.empty()) continue;
      if (function.refusal != ShimFunction::Refusal::Status)
        fail("function " + c_name + " takes converted record " + p.converted_record +
             " but returns no status to report a conversion that fails");
      for (const ShimConvertedRecord::Field& field : surface_.findConvertedRecord(p.converted_record)->fields) {
        if (field.kind != ShimConvertedRecord::Field::Kind::Callback) continue;
        const ShimCallback& callback = *surface_.findCallback(field.callback);
        auto owner = std::find_if(function.params.begin(), function.params.end(), [&](const ShimValue& v) {
          return v.storage && v.storage->kind == callback.owner && related(v.storage->c_name, callback.owner_type);
        });
        if (owner == function.params.end() || callback.context || callback.passthrough)
          fail("function " + c_name + " takes " + p.converted_record + ", whose callback " + field.callback +
               " belongs to a handle or request the function does not take");
        p.converted_owner = owner->name;
      }
    }
    // The wrapper keeps each callback in the trailer of the handle or request
    // it belongs to, so it must take one of that kind.
    for (size_t i = 0; i < function.params.size(); ++i) {
      ShimValue& p = function.params[i];
      if (p.callback.empty()) continue;
      const ShimCallback& callback = *surface_.findCallback(p.callback);
      if (callback.passthrough) {
        p.passthrough_callback = true;
        convertByCast(p, p.c_type);
        continue;
      }
      if (callback.context) {
        // The user's argument: the first `void *` after the callback.
        auto arg = std::find_if(function.params.begin() + static_cast<std::ptrdiff_t>(i) + 1, function.params.end(),
                                [](const ShimValue& v) { return v.c_type == "void *"; });
        if (arg == function.params.end())
          fail("function " + c_name + " takes context callback " + p.callback + " but no void * argument after it");
        arg->replaced_by_context = true;
        p.callback_context = ShimValue::CallbackContext{arg->name, callback.context_type, callback.trampoline};
        continue;
      }
      auto owner = std::find_if(function.params.begin(), function.params.end(), [&](const ShimValue& v) {
        return v.storage && v.storage->kind == callback.owner;
      });
      if (owner != function.params.end()) {
        p.callback_slot = ShimValue::CallbackSlot{owner->name, callback.owner, callback.slot, callback.trampoline};
        continue;
      }
      fail("function " + c_name + " takes callback " + p.callback + " but not the " +
             (callback.owner == ShimStorage::Kind::Request ? "request" : "handle") +
             " it belongs to, where the shim would keep it");
    }
    surface_.functions.push_back(std::move(function));
  }

  // A predicate answers "no" for a NULL object; a status is UV_EINVAL.
  ShimFunction::Refusal refusalOf(const ShimFunction& function) const {
    const std::string& type = function.result.shim_type;
    if (type == "void") return ShimFunction::Refusal::Nothing;
    if (contains(shim_.predicates, function.c_name)) {
      if (type != "int32_t") fail("predicate " + function.c_name + " does not return an int");
      return ShimFunction::Refusal::Zero;
    }
    if (type == "int32_t" && (function.returns_status_instead_of_void || function.result.c_type == "int"))
      return ShimFunction::Refusal::Status;
    if (type.back() == '*') return ShimFunction::Refusal::Null;
    return ShimFunction::Refusal::Zero;
  }

  void addAccessors(const ShimRequest::TypeRequest& request) {
    const ShimStorage* storage = surface_.findStorage(request.c_name);
    const RecordLayout& record = *schema_.recordNamed(request.c_name);  // addStorage found it
    for (const std::string& name : request.fields) {
      const Field* f = record.findField(cName(name, request.c_name));
      if (!f) fail("field " + name + " of " + request.c_name + " is not in the schema");
      ShimAccessor accessor;
      accessor.storage = storage;
      accessor.field = name;
      accessor.getter = "uvshim_" + stem(request.c_name) + "_get_" + name;
      accessor.getter_is_function = std::any_of(surface_.functions.begin(), surface_.functions.end(),
                                                [&](const ShimFunction& f) { return f.shim_name == accessor.getter; });
      if (contains(request.writable_fields, name)) {
        accessor.setter = "uvshim_" + stem(request.c_name) + "_set_" + name;
        accessor.setter_is_function = surface_.findFunction("uv_" + stem(request.c_name) + "_set_" + name) != nullptr;
      }
      if (isCharArray(f->type)) {
        // Text in a char array (uv_getnameinfo_t's host): the getter gives a
        // pointer to it, valid as long as the object.
        if (!accessor.setter.empty()) fail("field " + name + " of " + request.c_name + " is a char array; it cannot be writable");
        accessor.value.name = "value";
        accessor.value.c_type = accessor.value.shim_type = "const char *";
        accessor.value.to_c = accessor.value.to_shim = "value";
      } else {
        accessor.value = valueOf(f->type, "value", request.c_name + "." + name);
        if (accessor.value.buffers) fail("field " + name + " of " + request.c_name + " holds buffers, which the shim does not convert");
      }
      surface_.accessors.push_back(std::move(accessor));
    }
    for (const std::string& name : request.writable_fields)
      if (!contains(request.fields, name)) fail("writable field " + name + " of " + request.c_name + " is not listed in its fields");
  }

  void requireParam(const std::string& param, const std::string& what) {
    auto dot = param.find('.');
    std::string function = param.substr(0, dot);
    std::string name = dot == std::string::npos ? "" : param.substr(dot + 1);
    for (const ShimFunction& f : surface_.functions) {
      if (f.c_name != function) continue;
      for (const ShimValue& v : f.params)
        if (v.name == name) return;
    }
    fail(what + " parameter " + param + " names no parameter of a wrapped function");
  }

  // A schema the surface must hold on, how messages name it, and its OS family.
  struct SchemaOnTarget {
    const Schema* schema;
    std::string name;
    bool windows;
  };

  const Schema& schema_;
  const ModuleSpec& spec_;
  const SpecShim& shim_;
  std::vector<SchemaOnTarget> schemas_;
  ShimRequest request_;
  ShimSurface surface_;
  std::vector<std::string> building_;  // converted records being built, to refuse a cycle
};

}  // namespace

std::optional<ShimStorage::Kind> libuvObjectKind(const std::string& c_name, const RecordLayout& record) {
  if (c_name == "uv_loop_t") return ShimStorage::Kind::Loop;
  const Field* type_field = record.findField("type");
  if (type_field && type_field->type.name == "uv_handle_type") return ShimStorage::Kind::Handle;
  if (type_field && type_field->type.name == "uv_req_type") return ShimStorage::Kind::Request;
  return std::nullopt;
}

std::string shimName(const std::string& c_name) {
  return "uvshim_" + (c_name.rfind("uv_", 0) == 0 ? c_name.substr(3) : c_name);
}

std::string shimTypeName(const std::string& c_name) {
  if (c_name == "uv_buf_t") return "uvshim_buf_t";
  // "struct uv_cpu_times_s" -> "struct uvshim_cpu_times_s"
  for (const std::string keyword : {"struct", "union"})
    if (c_name.rfind(keyword + " uv_", 0) == 0) return keyword + " uvshim_" + c_name.substr(keyword.size() + 4);
  return c_name.rfind("uv_", 0) == 0 ? shimName(c_name) : c_name;
}

// The first item whose `key` member is `value`, or null.
template <typename T>
const T* findBy(const std::vector<T>& items, std::string T::*key, const std::string& value) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.*key == value; });
  return it == items.end() ? nullptr : &*it;
}

const ShimStorage* ShimSurface::findStorage(const std::string& c_name) const {
  return findBy(storages, &ShimStorage::c_name, c_name);
}

const ShimRecord* ShimSurface::findRecord(const std::string& c_type) const {
  return findBy(records, &ShimRecord::c_type, c_type);
}

const ShimConvertedRecord* ShimSurface::findConvertedRecord(const std::string& c_type) const {
  return findBy(converted_records, &ShimConvertedRecord::c_type, c_type);
}

const ShimFunction* ShimSurface::findFunction(const std::string& c_name) const {
  return findBy(functions, &ShimFunction::c_name, c_name);
}

const ShimCallback* ShimSurface::findCallback(const std::string& c_name) const {
  return findBy(callbacks, &ShimCallback::c_name, c_name);
}

const ShimAccessor* ShimSurface::findAccessor(const std::string& c_type, const std::string& field) const {
  for (const ShimAccessor& accessor : accessors)
    if (accessor.storage->c_name == c_type && accessor.field == field) return &accessor;
  return nullptr;
}

bool ShimSurface::platformWidth(const std::string& c_typedef) const {
  auto found = typedef_spellings.find(c_typedef);
  if (found == typedef_spellings.end()) return true;
  static const std::vector<std::string> platform = {"intptr_t", "uintptr_t", "size_t", "long", "unsigned long"};
  return contains(platform, found->second) ||
         std::any_of(platform_types.begin(), platform_types.end(),
                     [&](const ShimPlatformType& p) { return p.shim_name == found->second; });
}

bool ShimSurface::usesConversion(const std::string& call) const {
  // Each value converts one way only: what the shim passes to libuv through
  // to_c, what libuv hands back through to_shim.
  auto toC = [&](const ShimValue& v) { return v.to_c.find(call) != std::string::npos; };
  auto toShim = [&](const ShimValue& v) { return v.to_shim.find(call) != std::string::npos; };
  for (const ShimFunction& f : functions)
    if (toShim(f.result) || std::any_of(f.params.begin(), f.params.end(), toC)) return true;
  for (const ShimCallback& c : callbacks)
    if (toC(c.result) || std::any_of(c.params.begin(), c.params.end(), toShim)) return true;
  for (const ShimAccessor& a : accessors)
    if ((!a.getter_is_function && toShim(a.value)) || (!a.setter.empty() && !a.setter_is_function && toC(a.value)))
      return true;
  return false;
}

std::vector<std::string> ShimSurface::exportedSymbols() const {
  std::vector<std::string> symbols = {"uvshim_abi_version"};
  for (const ShimFunction& f : functions) symbols.push_back(f.shim_name);
  for (const ShimAccessor& a : accessors) {
    if (!a.getter_is_function) symbols.push_back(a.getter);
    if (!a.setter.empty() && !a.setter_is_function) symbols.push_back(a.setter);
  }
  return symbols;
}

ShimSurface buildShimSurface(const Schema& schema, const ModuleSpec& spec, const std::vector<TargetSchema>& targets) {
  if (!spec.shim) throw InputError(spec.path, "", "no \"shim\" section");
  return SurfaceBuilder(schema, spec, targets).build();
}

bool isWindowsTarget(const std::string& triple) {
  return triple.find("windows") != std::string::npos || triple.find("mingw") != std::string::npos ||
         triple.find("win32") != std::string::npos;
}

std::string targetSchemaFolder(const ModuleSpec& spec) {
  const std::string::size_type slash = spec.path.rfind('/');
  return slash == std::string::npos ? "" : spec.path.substr(0, slash + 1);
}

std::vector<std::string> targetSchemaPaths(const ModuleSpec& spec) {
  std::vector<std::string> paths;
  if (!spec.shim) return paths;
  const std::string folder = targetSchemaFolder(spec);
  for (size_t i = 0; i < spec.shim->target_schemas.size(); ++i) {
    const std::string& relative = spec.shim->target_schemas[i];
    const std::string at = "shim: target_schemas[" + std::to_string(i) + "]";
    if (relative.empty() || relative.front() == '/' || ("/" + relative + "/").find("/../") != std::string::npos)
      throw InputError(spec.path, at, "'" + oneLine(relative) + "' must be a relative path inside the spec's folder");
    paths.push_back(folder + relative);
  }
  return paths;
}

std::vector<TargetSchema> readTargetSchemas(const ModuleSpec& spec) {
  std::vector<TargetSchema> targets;
  for (const std::string& path : targetSchemaPaths(spec))
    targets.push_back({path, readTargetSchemaFile(targetSchemaFolder(spec), path)});
  return targets;
}

}  // namespace uvgen
