#include "schema/schema_json.h"

#include <cstdio>
#include <stdexcept>

#include "cli/files.h"
#include "schema/json_writer.h"

namespace uvgen {
namespace {

const char* kindName(Type::Kind kind) {
  switch (kind) {
    case Type::Kind::Builtin: return "builtin";
    case Type::Kind::Pointer: return "pointer";
    case Type::Kind::Array: return "array";
    case Type::Kind::Record: return "record";
    case Type::Kind::Enum: return "enum";
    case Type::Kind::Typedef: return "typedef";
    case Type::Kind::Function: return "function";
  }
  return "";
}

Type::Kind kindFromName(const std::string& name) {
  static const std::pair<const char*, Type::Kind> kinds[] = {
      {"builtin", Type::Kind::Builtin}, {"pointer", Type::Kind::Pointer},
      {"array", Type::Kind::Array},     {"record", Type::Kind::Record},
      {"enum", Type::Kind::Enum},       {"typedef", Type::Kind::Typedef},
      {"function", Type::Kind::Function}};
  for (const auto& [text, kind] : kinds)
    if (name == text) return kind;
  throw std::runtime_error("unknown type kind '" + name + "'");
}

void writeRecord(JsonWriter& w, const RecordLayout& record, bool top_level);
RecordLayout recordFromJson(const Json& json);

void writeType(JsonWriter& w, const Type& type) {
  w.beginObject();
  w.member("kind", kindName(type.kind));
  w.member("spelling", type.spelling);
  if (type.is_const) w.member("const", true);
  if (type.is_volatile) w.member("volatile", true);
  switch (type.kind) {
    case Type::Kind::Builtin:
    case Type::Kind::Enum:
    case Type::Kind::Typedef:
      w.member("name", type.name);
      break;
    case Type::Kind::Record:
      w.member("tag", type.tag);
      if (type.anonymous_record) {
        w.key("record");
        writeRecord(w, *type.anonymous_record, false);
      } else {
        w.member("name", type.name);
      }
      break;
    case Type::Kind::Pointer:
      w.key("pointee");
      writeType(w, *type.pointee);
      break;
    case Type::Kind::Array:
      w.key("element");
      writeType(w, *type.element);
      if (type.length) w.member("length", *type.length);
      break;
    case Type::Kind::Function:
      w.key("return");
      writeType(w, *type.result);
      w.key("params");
      w.beginArray();
      for (const Type& p : type.params) writeType(w, p);
      w.endArray();
      w.member("variadic", type.variadic);
      break;
  }
  w.endObject();
}

void writeField(JsonWriter& w, const Field& field) {
  w.beginObject();
  w.member("name", field.name);
  w.key("type");
  writeType(w, field.type);
  w.member("offset_bits", field.offset_bits);
  if (field.bit_width) w.member("bit_width", *field.bit_width);
  if (field.is_private) w.member("private", true);
  w.endObject();
}

void writeRecord(JsonWriter& w, const RecordLayout& record, bool top_level) {
  w.beginObject();
  if (top_level) {
    w.member("name", record.name);
    w.member("spelling", record.spelling);
  }
  w.member("kind", record.kind);
  w.member("size", record.size);
  w.member("align", record.align);
  w.key("fields");
  w.beginArray();
  for (const Field& f : record.fields) writeField(w, f);
  w.endArray();
  if (top_level) w.member("libuv", record.is_libuv);
  if (!record.doc.empty()) w.member("doc", record.doc);
  w.endObject();
}

void writeParams(JsonWriter& w, const std::vector<Param>& params) {
  w.key("params");
  w.beginArray();
  for (const Param& p : params) {
    w.beginObject();
    w.member("name", p.name);
    w.key("type");
    writeType(w, p.type);
    w.endObject();
  }
  w.endArray();
}

Type typeFromJson(const Json& j) {
  Type type;
  type.kind = kindFromName(j.at("kind").get<std::string>());
  type.spelling = j.at("spelling").get<std::string>();
  type.is_const = j.value("const", false);
  type.is_volatile = j.value("volatile", false);
  switch (type.kind) {
    case Type::Kind::Builtin:
    case Type::Kind::Enum:
    case Type::Kind::Typedef:
      type.name = j.at("name").get<std::string>();
      break;
    case Type::Kind::Record:
      type.tag = j.at("tag").get<std::string>();
      if (j.contains("record"))
        type.anonymous_record = std::make_shared<RecordLayout>(recordFromJson(j.at("record")));
      else
        type.name = j.at("name").get<std::string>();
      break;
    case Type::Kind::Pointer:
      type.pointee = std::make_shared<Type>(typeFromJson(j.at("pointee")));
      break;
    case Type::Kind::Array:
      type.element = std::make_shared<Type>(typeFromJson(j.at("element")));
      if (j.contains("length")) type.length = j.at("length").get<uint64_t>();
      break;
    case Type::Kind::Function:
      type.result = std::make_shared<Type>(typeFromJson(j.at("return")));
      for (const Json& p : j.at("params")) type.params.push_back(typeFromJson(p));
      type.variadic = j.at("variadic").get<bool>();
      break;
  }
  return type;
}

Field fieldFromJson(const Json& j) {
  Field field;
  field.name = j.at("name").get<std::string>();
  field.type = typeFromJson(j.at("type"));
  field.offset_bits = j.at("offset_bits").get<uint64_t>();
  if (j.contains("bit_width")) field.bit_width = j.at("bit_width").get<uint32_t>();
  field.is_private = j.value("private", false);
  return field;
}

RecordLayout recordFromJson(const Json& j) {
  RecordLayout record;
  record.name = j.value("name", "");
  record.spelling = j.value("spelling", "");
  record.kind = j.at("kind").get<std::string>();
  record.size = j.at("size").get<uint64_t>();
  record.align = j.at("align").get<uint64_t>();
  for (const Json& f : j.at("fields")) record.fields.push_back(fieldFromJson(f));
  record.is_libuv = j.value("libuv", false);
  record.doc = j.value("doc", "");
  return record;
}

std::vector<Param> paramsFromJson(const Json& list) {
  std::vector<Param> params;
  for (const Json& p : list)
    params.push_back(Param{p.at("name").get<std::string>(), typeFromJson(p.at("type"))});
  return params;
}

}  // namespace

std::string schemaToText(const Schema& schema) {
  JsonWriter w;
  w.beginObject();
  w.member("format_version", schema.format_version);
  w.key("target");
  w.beginObject();
  w.member("triple", schema.target.triple);
  w.member("pointer_size", schema.target.pointer_size);
  w.member("clang_version", schema.target.clang_version);
  w.endObject();
  w.key("libuv");
  w.beginObject();
  w.member("major", schema.libuv.major);
  w.member("minor", schema.libuv.minor);
  w.member("patch", schema.libuv.patch);
  w.endObject();

  w.key("records");
  w.beginArray();
  for (const RecordLayout& r : schema.records) writeRecord(w, r, true);
  w.endArray();

  w.key("typedefs");
  w.beginArray();
  for (const Typedef& t : schema.typedefs) {
    w.beginObject();
    w.member("name", t.name);
    w.key("type");
    writeType(w, t.type);
    if (t.callback) {
      w.key("callback");
      w.beginObject();
      w.key("return");
      writeType(w, t.callback->result);
      writeParams(w, t.callback->params);
      w.member("variadic", t.callback->variadic);
      w.endObject();
    }
    w.member("libuv", t.is_libuv);
    if (!t.doc.empty()) w.member("doc", t.doc);
    w.endObject();
  }
  w.endArray();

  w.key("enums");
  w.beginArray();
  for (const Enum& e : schema.enums) {
    w.beginObject();
    w.member("name", e.name);
    w.member("spelling", e.spelling);
    w.key("underlying");
    writeType(w, e.underlying);
    w.key("enumerators");
    w.beginArray();
    for (const Enumerator& en : e.enumerators) {
      w.beginObject();
      w.member("name", en.name);
      w.member("value", en.value);
      w.endObject();
    }
    w.endArray();
    w.member("libuv", e.is_libuv);
    if (!e.doc.empty()) w.member("doc", e.doc);
    w.endObject();
  }
  w.endArray();

  w.key("functions");
  w.beginArray();
  for (const Function& f : schema.functions) {
    w.beginObject();
    w.member("name", f.name);
    w.key("return");
    writeType(w, f.result);
    writeParams(w, f.params);
    w.member("variadic", f.variadic);
    if (!f.doc.empty()) w.member("doc", f.doc);
    w.endObject();
  }
  w.endArray();

  w.key("macros");
  w.beginArray();
  for (const Macro& m : schema.macros) {
    w.beginObject();
    w.member("name", m.name);
    if (const auto* number = std::get_if<int64_t>(&m.value))
      w.member("value", *number);
    else
      w.member("value", std::get<std::string>(m.value));
    w.endObject();
  }
  w.endArray();
  w.endObject();
  return w.text();
}

Schema schemaFromJson(const Json& j) {
  try {
    Schema schema;
    schema.format_version = j.at("format_version").get<int>();
    if (schema.format_version != kSchemaFormatVersion)
      throw std::runtime_error("unsupported format_version " + std::to_string(schema.format_version) +
                               " (this uvgen reads " + std::to_string(kSchemaFormatVersion) + ")");
    const Json& target = j.at("target");
    schema.target.triple = target.at("triple").get<std::string>();
    schema.target.pointer_size = target.at("pointer_size").get<uint32_t>();
    schema.target.clang_version = target.value("clang_version", "");
    const Json& libuv = j.at("libuv");
    schema.libuv = {libuv.at("major").get<int>(), libuv.at("minor").get<int>(),
                    libuv.at("patch").get<int>()};

    for (const Json& r : j.at("records")) schema.records.push_back(recordFromJson(r));
    for (const Json& tj : j.at("typedefs")) {
      Typedef t;
      t.name = tj.at("name").get<std::string>();
      t.type = typeFromJson(tj.at("type"));
      if (tj.contains("callback")) {
        const Json& cj = tj.at("callback");
        t.callback = Callback{typeFromJson(cj.at("return")), paramsFromJson(cj.at("params")),
                              cj.at("variadic").get<bool>()};
      }
      t.is_libuv = tj.value("libuv", false);
      t.doc = tj.value("doc", "");
      schema.typedefs.push_back(std::move(t));
    }
    for (const Json& ej : j.at("enums")) {
      Enum e;
      e.name = ej.at("name").get<std::string>();
      e.spelling = ej.value("spelling", e.name);
      e.underlying = typeFromJson(ej.at("underlying"));
      for (const Json& en : ej.at("enumerators"))
        e.enumerators.push_back({en.at("name").get<std::string>(), en.at("value").get<int64_t>()});
      e.is_libuv = ej.value("libuv", false);
      e.doc = ej.value("doc", "");
      schema.enums.push_back(std::move(e));
    }
    for (const Json& fj : j.at("functions")) {
      Function f;
      f.name = fj.at("name").get<std::string>();
      f.result = typeFromJson(fj.at("return"));
      f.params = paramsFromJson(fj.at("params"));
      f.variadic = fj.at("variadic").get<bool>();
      f.doc = fj.value("doc", "");
      schema.functions.push_back(std::move(f));
    }
    for (const Json& mj : j.at("macros")) {
      Macro m;
      m.name = mj.at("name").get<std::string>();
      const Json& value = mj.at("value");
      if (value.is_string())
        m.value = value.get<std::string>();
      else
        m.value = value.get<int64_t>();
      schema.macros.push_back(std::move(m));
    }
    return schema;
  } catch (const Json::exception& e) {
    // nlohmann's messages start with "[json.exception.type_error.302] "; keep the words.
    std::string what = e.what();
    auto bracket = what.find("] ");
    throw std::runtime_error("not a uvgen schema: " +
                             (bracket == std::string::npos ? what : what.substr(bracket + 2)));
  }
}

Schema readSchemaFile(const std::string& path) {
  std::string text = readTextFile(path);
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded()) throw std::runtime_error(path + ": not valid JSON");
  try {
    return schemaFromJson(json);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace uvgen
