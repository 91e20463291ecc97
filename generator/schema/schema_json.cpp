#include "schema/schema_json.h"

#include <stdexcept>

#include "cli/files.h"

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

Json recordToJson(const RecordLayout& record, bool top_level);
RecordLayout recordFromJson(const Json& json);

Json typeToJson(const Type& type) {
  Json j;
  j["kind"] = kindName(type.kind);
  j["spelling"] = type.spelling;
  if (type.is_const) j["const"] = true;
  if (type.is_volatile) j["volatile"] = true;
  switch (type.kind) {
    case Type::Kind::Builtin:
    case Type::Kind::Enum:
    case Type::Kind::Typedef:
      j["name"] = type.name;
      break;
    case Type::Kind::Record:
      j["tag"] = type.tag;
      if (type.anonymous_record)
        j["record"] = recordToJson(*type.anonymous_record, false);
      else
        j["name"] = type.name;
      break;
    case Type::Kind::Pointer:
      j["pointee"] = typeToJson(*type.pointee);
      break;
    case Type::Kind::Array:
      j["element"] = typeToJson(*type.element);
      if (type.length) j["length"] = *type.length;
      break;
    case Type::Kind::Function: {
      j["return"] = typeToJson(*type.result);
      Json params = Json::array();
      for (const Type& p : type.params) params.push_back(typeToJson(p));
      j["params"] = params;
      j["variadic"] = type.variadic;
      break;
    }
  }
  return j;
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

Json fieldToJson(const Field& field) {
  Json j;
  j["name"] = field.name;
  j["type"] = typeToJson(field.type);
  j["offset_bits"] = field.offset_bits;
  if (field.bit_width) j["bit_width"] = *field.bit_width;
  if (field.is_private) j["private"] = true;
  return j;
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

Json recordToJson(const RecordLayout& record, bool top_level) {
  Json j;
  if (top_level) {
    j["name"] = record.name;
    j["spelling"] = record.spelling;
  }
  j["kind"] = record.kind;
  j["size"] = record.size;
  j["align"] = record.align;
  Json fields = Json::array();
  for (const Field& f : record.fields) fields.push_back(fieldToJson(f));
  j["fields"] = fields;
  if (top_level) j["libuv"] = record.is_libuv;
  if (!record.doc.empty()) j["doc"] = record.doc;
  return j;
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

Json paramsToJson(const std::vector<Param>& params) {
  Json list = Json::array();
  for (const Param& p : params) list.push_back(Json{{"name", p.name}, {"type", typeToJson(p.type)}});
  return list;
}

std::vector<Param> paramsFromJson(const Json& list) {
  std::vector<Param> params;
  for (const Json& p : list)
    params.push_back(Param{p.at("name").get<std::string>(), typeFromJson(p.at("type"))});
  return params;
}

}  // namespace

Json schemaToJson(const Schema& schema) {
  Json j;
  j["format_version"] = schema.format_version;
  j["target"] = Json{{"triple", schema.target.triple},
                     {"pointer_size", schema.target.pointer_size},
                     {"clang_version", schema.target.clang_version}};
  j["libuv"] = Json{{"major", schema.libuv.major},
                    {"minor", schema.libuv.minor},
                    {"patch", schema.libuv.patch}};

  Json records = Json::array();
  for (const RecordLayout& r : schema.records) records.push_back(recordToJson(r, true));
  j["records"] = records;

  Json typedefs = Json::array();
  for (const Typedef& t : schema.typedefs) {
    Json tj;
    tj["name"] = t.name;
    tj["type"] = typeToJson(t.type);
    if (t.callback) {
      tj["callback"] = Json{{"return", typeToJson(t.callback->result)},
                            {"params", paramsToJson(t.callback->params)},
                            {"variadic", t.callback->variadic}};
    }
    tj["libuv"] = t.is_libuv;
    if (!t.doc.empty()) tj["doc"] = t.doc;
    typedefs.push_back(tj);
  }
  j["typedefs"] = typedefs;

  Json enums = Json::array();
  for (const Enum& e : schema.enums) {
    Json ej;
    ej["name"] = e.name;
    ej["spelling"] = e.spelling;
    ej["underlying"] = typeToJson(e.underlying);
    Json enumerators = Json::array();
    for (const Enumerator& en : e.enumerators)
      enumerators.push_back(Json{{"name", en.name}, {"value", en.value}});
    ej["enumerators"] = enumerators;
    ej["libuv"] = e.is_libuv;
    if (!e.doc.empty()) ej["doc"] = e.doc;
    enums.push_back(ej);
  }
  j["enums"] = enums;

  Json functions = Json::array();
  for (const Function& f : schema.functions) {
    Json fj;
    fj["name"] = f.name;
    fj["return"] = typeToJson(f.result);
    fj["params"] = paramsToJson(f.params);
    fj["variadic"] = f.variadic;
    if (!f.doc.empty()) fj["doc"] = f.doc;
    functions.push_back(fj);
  }
  j["functions"] = functions;

  Json macros = Json::array();
  for (const Macro& m : schema.macros) {
    Json mj;
    mj["name"] = m.name;
    if (const auto* number = std::get_if<int64_t>(&m.value))
      mj["value"] = *number;
    else
      mj["value"] = std::get<std::string>(m.value);
    macros.push_back(mj);
  }
  j["macros"] = macros;
  return j;
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

std::string schemaToText(const Schema& schema) { return schemaToJson(schema).dump(2) + "\n"; }

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
