#include "schema/schema_json.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "cli/files.h"
#include "diagnostics/input_error.h"
#include "schema/json_writer.h"
#include "schema/schema_check.h"

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

void writeRecord(JsonWriter& w, const RecordLayout& record, bool top_level);

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

// Reads the schema from a parsed JSON document, checking every value it takes
// against the format (schema/uvgen-schema.json): right JSON type, numbers
// integers in range, types nested at most kMaxTypeNesting levels (checked on
// the way down, so hostile nesting cannot exhaust the stack). Every error is
// an InputError naming the JSON path of the bad value.
//
// It reads nlohmann::json, not Json (ordered_json): ordered_json copies a whole
// subtree when inserting a member makes an object grow, recursively, so a
// deeply nested document exhausts the stack while being parsed; nlohmann::json's
// std::map never copies. Member order does not matter to the reader.
using ReadJson = nlohmann::json;

class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  Schema schema(const ReadJson& j) {
    JsonPath root;
    if (!j.is_object()) fail(root, "not a uvgen schema: not a JSON object");
    // A document without the top-level members is not a schema at all.
    for (const char* key : {"format_version", "target", "libuv", "records", "typedefs", "enums", "functions", "macros"})
      if (!j.contains(key)) fail(root, std::string("not a uvgen schema: no member \"") + key + "\"");
    Schema schema;
    JsonPath version_at = root.member("format_version");
    const ReadJson& version = j.at("format_version");
    if (!version.is_number_integer() || version != kSchemaFormatVersion)
      fail(version_at, "unsupported format_version " + describe(version) + " (this uvgen reads " +
                           std::to_string(kSchemaFormatVersion) + ")");
    schema.format_version = kSchemaFormatVersion;

    JsonPath target_at = root.member("target");
    const ReadJson& target = object(j.at("target"), target_at);
    schema.target.triple = text(target, "triple", target_at);
    const ReadJson& pointer_size = required(target, "pointer_size", target_at);
    if (!pointer_size.is_number_unsigned() || (pointer_size != 4 && pointer_size != 8))
      fail(target_at.member("pointer_size"), "must be 4 or 8, not " + describe(pointer_size));
    schema.target.pointer_size = pointer_size.get<uint32_t>();
    schema.target.clang_version = optionalText(target, "clang_version", target_at);

    JsonPath libuv_at = root.member("libuv");
    const ReadJson& libuv = object(j.at("libuv"), libuv_at);
    schema.libuv.major = static_cast<int>(number(libuv, "major", libuv_at, 1, INT32_MAX));
    schema.libuv.minor = static_cast<int>(number(libuv, "minor", libuv_at, 0, INT32_MAX));
    schema.libuv.patch = static_cast<int>(number(libuv, "patch", libuv_at, 0, INT32_MAX));

    JsonPath records_at = root.member("records");
    const ReadJson& records = array(j.at("records"), records_at);
    schema.records.reserve(records.size());
    for (size_t i = 0; i < records.size(); ++i) schema.records.push_back(record(records[i], records_at.at(i), 0, true));

    JsonPath typedefs_at = root.member("typedefs");
    const ReadJson& typedefs = array(j.at("typedefs"), typedefs_at);
    for (size_t i = 0; i < typedefs.size(); ++i) {
      JsonPath at = typedefs_at.at(i);
      const ReadJson& tj = object(typedefs[i], at);
      Typedef t;
      t.name = text(tj, "name", at);
      t.type = type(required(tj, "type", at), at.member("type"), 1);
      if (const ReadJson* cj = optional(tj, "callback")) {
        JsonPath callback_at = at.member("callback");
        object(*cj, callback_at);
        t.callback = Callback{type(required(*cj, "return", callback_at), callback_at.member("return"), 1),
                              params(*cj, callback_at), flag(*cj, "variadic", callback_at)};
      }
      t.is_libuv = optionalFlag(tj, "libuv", at);
      t.doc = optionalText(tj, "doc", at);
      schema.typedefs.push_back(std::move(t));
    }

    JsonPath enums_at = root.member("enums");
    const ReadJson& enums = array(j.at("enums"), enums_at);
    for (size_t i = 0; i < enums.size(); ++i) {
      JsonPath at = enums_at.at(i);
      const ReadJson& ej = object(enums[i], at);
      Enum e;
      e.name = text(ej, "name", at);
      e.spelling = optional(ej, "spelling") ? text(ej, "spelling", at) : e.name;
      e.underlying = type(required(ej, "underlying", at), at.member("underlying"), 1);
      JsonPath enumerators_at = at.member("enumerators");
      const ReadJson& enumerators = array(required(ej, "enumerators", at), enumerators_at);
      for (size_t k = 0; k < enumerators.size(); ++k) {
        JsonPath en_at = enumerators_at.at(k);
        const ReadJson& en = object(enumerators[k], en_at);
        e.enumerators.push_back({text(en, "name", en_at), integer(required(en, "value", en_at), en_at.member("value"))});
      }
      e.is_libuv = optionalFlag(ej, "libuv", at);
      e.doc = optionalText(ej, "doc", at);
      schema.enums.push_back(std::move(e));
    }

    JsonPath functions_at = root.member("functions");
    const ReadJson& functions = array(j.at("functions"), functions_at);
    for (size_t i = 0; i < functions.size(); ++i) {
      JsonPath at = functions_at.at(i);
      const ReadJson& fj = object(functions[i], at);
      Function f;
      f.name = text(fj, "name", at);
      f.result = type(required(fj, "return", at), at.member("return"), 1);
      f.params = params(fj, at);
      f.variadic = flag(fj, "variadic", at);
      f.doc = optionalText(fj, "doc", at);
      schema.functions.push_back(std::move(f));
    }

    JsonPath macros_at = root.member("macros");
    const ReadJson& macros = array(j.at("macros"), macros_at);
    for (size_t i = 0; i < macros.size(); ++i) {
      JsonPath at = macros_at.at(i);
      const ReadJson& mj = object(macros[i], at);
      Macro m;
      m.name = text(mj, "name", at);
      const ReadJson& value = required(mj, "value", at);
      if (value.is_string())
        m.value = value.get<std::string>();
      else if (value.is_number_integer())
        m.value = integer(value, at.member("value"));
      else
        fail(at.member("value"), "must be an integer or a string, not " + describe(value));
      schema.macros.push_back(std::move(m));
    }
    return schema;
  }

 private:
  [[noreturn]] void fail(const JsonPath& at, const std::string& message) const {
    throw InputError(file_, at.str(), message);
  }

  // A value as a message shows it: numbers as written, anything else by its JSON type.
  static std::string describe(const ReadJson& value) {
    if (value.is_number()) return value.dump();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_null()) return "null";
    return std::string("a") + (value.is_object() || value.is_array() ? "n " : " ") + value.type_name();
  }

  const ReadJson& object(const ReadJson& value, const JsonPath& at) const {
    if (!value.is_object()) fail(at, "must be an object, not " + describe(value));
    return value;
  }
  const ReadJson& array(const ReadJson& value, const JsonPath& at) const {
    if (!value.is_array()) fail(at, "must be an array, not " + describe(value));
    return value;
  }
  static const ReadJson* optional(const ReadJson& object, const char* key) {
    auto found = object.find(key);
    return found == object.end() ? nullptr : &*found;
  }
  const ReadJson& required(const ReadJson& object, const char* key, const JsonPath& at) const {
    if (const ReadJson* value = optional(object, key)) return *value;
    fail(at.member(key), "missing");
  }

  std::string text(const ReadJson& object, const char* key, const JsonPath& at) const {
    const ReadJson& value = required(object, key, at);
    if (!value.is_string()) fail(at.member(key), "must be a string, not " + describe(value));
    return value.get<std::string>();
  }
  std::string optionalText(const ReadJson& object, const char* key, const JsonPath& at) const {
    return optional(object, key) ? text(object, key, at) : "";
  }
  bool flag(const ReadJson& object, const char* key, const JsonPath& at) const {
    const ReadJson& value = required(object, key, at);
    if (!value.is_boolean()) fail(at.member(key), "must be true or false, not " + describe(value));
    return value.get<bool>();
  }
  bool optionalFlag(const ReadJson& object, const char* key, const JsonPath& at) const {
    return optional(object, key) ? flag(object, key, at) : false;
  }

  // A whole number from min to max. The JSON parser keeps non-negative
  // integers as unsigned, negative ones as signed and everything else
  // (264.9, 1e300, integers beyond 64 bits) as floating point.
  uint64_t count(const ReadJson& value, const JsonPath& at, uint64_t min, uint64_t max) const {
    if (!value.is_number_unsigned() || value.get<uint64_t>() < min || value.get<uint64_t>() > max)
      fail(at, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", not " +
                   describe(value));
    return value.get<uint64_t>();
  }
  uint64_t number(const ReadJson& object, const char* key, const JsonPath& at, uint64_t min, uint64_t max) const {
    return count(required(object, key, at), at.member(key), min, max);
  }
  // A signed 64-bit integer: enumerator and macro values.
  int64_t integer(const ReadJson& value, const JsonPath& at) const {
    if (value.is_number_unsigned() && value.get<uint64_t>() <= uint64_t(INT64_MAX))
      return static_cast<int64_t>(value.get<uint64_t>());
    if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<int64_t>();
    fail(at, "must be an integer from " + std::to_string(INT64_MIN) + " to " + std::to_string(INT64_MAX) +
                 ", not " + describe(value));
  }

  std::string kindOf(const ReadJson& object, const char* key, const JsonPath& at, const char* first, const char* second) const {
    std::string value = text(object, key, at);
    if (value != first && value != second)
      fail(at.member(key), std::string("must be \"") + first + "\" or \"" + second + "\", not \"" + value + "\"");
    return value;
  }

  // depth: the nesting level of this type, 1 for a declaration's own type.
  Type type(const ReadJson& j, const JsonPath& at, int depth) const {
    if (depth > kMaxTypeNesting) fail(at, "types nest more than " + std::to_string(kMaxTypeNesting) + " levels deep");
    object(j, at);
    Type type;
    type.kind = kindFromName(text(j, "kind", at), at.member("kind"));
    type.spelling = text(j, "spelling", at);
    type.is_const = optionalFlag(j, "const", at);
    type.is_volatile = optionalFlag(j, "volatile", at);
    switch (type.kind) {
      case Type::Kind::Builtin:
      case Type::Kind::Enum:
      case Type::Kind::Typedef:
        type.name = text(j, "name", at);
        break;
      case Type::Kind::Record:
        type.tag = kindOf(j, "tag", at, "struct", "union");
        if (const ReadJson* r = optional(j, "record"))
          type.anonymous_record = std::make_shared<RecordLayout>(record(*r, at.member("record"), depth + 1, false));
        else
          type.name = text(j, "name", at);
        break;
      case Type::Kind::Pointer:
        type.pointee = std::make_shared<Type>(this->type(required(j, "pointee", at), at.member("pointee"), depth + 1));
        break;
      case Type::Kind::Array:
        type.element = std::make_shared<Type>(this->type(required(j, "element", at), at.member("element"), depth + 1));
        if (optional(j, "length")) type.length = number(j, "length", at, 0, kMaxByteCount);
        break;
      case Type::Kind::Function: {
        type.result = std::make_shared<Type>(this->type(required(j, "return", at), at.member("return"), depth + 1));
        JsonPath params_at = at.member("params");
        const ReadJson& list = array(required(j, "params", at), params_at);
        for (size_t i = 0; i < list.size(); ++i) type.params.push_back(this->type(list[i], params_at.at(i), depth + 1));
        type.variadic = flag(j, "variadic", at);
        break;
      }
    }
    return type;
  }

  Type::Kind kindFromName(const std::string& name, const JsonPath& at) const {
    static const std::pair<const char*, Type::Kind> kinds[] = {
        {"builtin", Type::Kind::Builtin}, {"pointer", Type::Kind::Pointer},
        {"array", Type::Kind::Array},     {"record", Type::Kind::Record},
        {"enum", Type::Kind::Enum},       {"typedef", Type::Kind::Typedef},
        {"function", Type::Kind::Function}};
    for (const auto& [text, kind] : kinds)
      if (name == text) return kind;
    fail(at, "unknown type kind \"" + name + "\"");
  }

  // depth: the record's nesting level; 0 for a top-level record.
  RecordLayout record(const ReadJson& j, const JsonPath& at, int depth, bool top_level) const {
    if (depth > kMaxTypeNesting) fail(at, "types nest more than " + std::to_string(kMaxTypeNesting) + " levels deep");
    object(j, at);
    RecordLayout record;
    if (top_level) {
      record.name = text(j, "name", at);
      record.spelling = text(j, "spelling", at);
      record.is_libuv = optionalFlag(j, "libuv", at);
    }
    record.kind = kindOf(j, "kind", at, "struct", "union");
    record.size = number(j, "size", at, 0, kMaxByteCount);
    record.align = number(j, "align", at, 1, kMaxByteCount);
    JsonPath fields_at = at.member("fields");
    const ReadJson& fields = array(required(j, "fields", at), fields_at);
    record.fields.reserve(fields.size());
    for (size_t i = 0; i < fields.size(); ++i) {
      JsonPath field_at = fields_at.at(i);
      const ReadJson& fj = object(fields[i], field_at);
      Field field;
      field.name = text(fj, "name", field_at);
      field.type = type(required(fj, "type", field_at), field_at.member("type"), depth + 1);
      field.offset_bits = number(fj, "offset_bits", field_at, 0, kMaxOffsetBits);
      if (optional(fj, "bit_width"))
        field.bit_width = static_cast<uint32_t>(number(fj, "bit_width", field_at, 0, UINT32_MAX));
      field.is_private = optionalFlag(fj, "private", field_at);
      record.fields.push_back(std::move(field));
    }
    record.doc = optionalText(j, "doc", at);
    return record;
  }

  std::vector<Param> params(const ReadJson& owner, const JsonPath& owner_at) const {
    JsonPath at = owner_at.member("params");
    const ReadJson& list = array(required(owner, "params", owner_at), at);
    std::vector<Param> params;
    for (size_t i = 0; i < list.size(); ++i) {
      JsonPath param_at = at.at(i);
      const ReadJson& p = object(list[i], param_at);
      params.push_back(Param{text(p, "name", param_at), type(required(p, "type", param_at), param_at.member("type"), 1)});
    }
    return params;
  }

  const std::string& file_;
};

// The reader, then the checks that need the whole schema.
Schema readSchema(const ReadJson& json, const std::string& file) {
  Schema schema;
  try {
    schema = Reader(file).schema(json);
  } catch (const ReadJson::exception&) {
    // Every value is checked before it is taken, so this is not expected;
    // should it happen, the user still gets one line and no library text.
    throw InputError(file, "", "not a uvgen schema");
  }
  checkSchema(schema, file);
  return schema;
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

Schema schemaFromJson(const Json& json, const std::string& file) {
  // Through text, so the reader is compiled once, for nlohmann::json (strings
  // a caller put in that are not UTF-8 become U+FFFD, as the writer does).
  return schemaFromText(json.dump(-1, ' ', false, Json::error_handler_t::replace), file);
}

Schema schemaFromText(const std::string& text, const std::string& file) {
  // The parser checks UTF-8 too. Its own message is not shown: it quotes the
  // bytes it read last, which may be invalid UTF-8 themselves.
  const ReadJson json = ReadJson::parse(text, nullptr, false);
  if (json.is_discarded()) throw InputError(file, "", "not valid JSON");
  return readSchema(json, file);
}

Schema readSchemaFile(const std::string& path) { return schemaFromText(readTextFile(path), path); }

Schema readTargetSchemaFile(const std::string& folder, const std::string& path) {
  if (path.compare(0, folder.size(), folder) != 0) throw InputError(path, "", "is not inside " + folder);
  // Opened below the folder without following links, and never waited on.
  return targetSchemaFromText(readFileBelow(folder, path.substr(folder.size())), path);
}

namespace {

// A target schema's text with the values a target schema's reader skips cut
// out: the top-level "functions" and "macros" and each record's "fields"
// become [] (two thirds of a schema, which nlohmann's parser then need not
// read). The whole text is checked to be JSON on the way, as nlohmann's
// parser checks it (strings with valid escapes and UTF-8, numbers that are
// finite doubles, literals, nesting kept on a stack, nothing after the
// value; like nlohmann, a NUL byte where a token may start ends the text), so
// text it would refuse is refused here too.
class UnreadValueCutter {
 public:
  explicit UnreadValueCutter(std::string_view text) : text_(text) {}

  // The text with the values cut out; nullopt when it is not JSON.
  std::optional<std::string> cut() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // nlohmann skips a byte order mark
    enum class Expect { Value, ValueOrEnd, Key, KeyOrEnd, Colon, CommaOrEnd, Nothing } expect = Expect::Value;
    while (true) {
      skipWhitespace();
      if (pos_ == text_.size() || text_[pos_] == '\0') break;  // nlohmann reads a NUL as the end
      const char c = text_[pos_];
      switch (expect) {
        case Expect::ValueOrEnd:
        case Expect::Value:
          if (expect == Expect::ValueOrEnd && c == ']') {
            if (!close(']')) return std::nullopt;
          } else if (c == '{' || c == '[') {
            startValue();
            open_.push_back(c);
            ++pos_;
            expect = c == '{' ? Expect::KeyOrEnd : Expect::ValueOrEnd;
            continue;
          } else {
            startValue();
            if (!scalar()) return std::nullopt;
            endValue();
          }
          expect = open_.empty() ? Expect::Nothing : Expect::CommaOrEnd;
          break;
        case Expect::KeyOrEnd:
        case Expect::Key:
          if (expect == Expect::KeyOrEnd && c == '}') {
            if (!close('}')) return std::nullopt;
            expect = open_.empty() ? Expect::Nothing : Expect::CommaOrEnd;
          } else {
            const size_t key_start = pos_ + 1;
            if (c != '"' || !string()) return std::nullopt;
            chooseSkip(text_.substr(key_start, pos_ - 1 - key_start));
            expect = Expect::Colon;
          }
          break;
        case Expect::Colon:
          if (c != ':') return std::nullopt;
          ++pos_;
          expect = Expect::Value;
          break;
        case Expect::CommaOrEnd:
          if (c == ',') {
            ++pos_;
            expect = open_.back() == '{' ? Expect::Key : Expect::Value;
          } else {
            if (!close(c)) return std::nullopt;
            expect = open_.empty() ? Expect::Nothing : Expect::CommaOrEnd;
          }
          break;
        case Expect::Nothing:
          return std::nullopt;  // text after the value
      }
    }
    if (expect != Expect::Nothing) return std::nullopt;  // empty, or cut short
    out_.append(text_, copied_, std::string_view::npos);
    return std::move(out_);
  }

 private:
  void skipWhitespace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }

  // After a member's key: whether its value is cut out. Keys are compared as
  // written; one spelled with escapes is simply read.
  void chooseSkip(std::string_view key) {
    if (skip_depth_) return;  // inside a value being cut out
    if (open_.size() == 1) {
      top_key_ = key;
      if (key == "functions" || key == "macros") skip_depth_ = open_.size();
    } else if (open_.size() == 3 && top_key_ == "records" && open_[1] == '[' && key == "fields") {
      skip_depth_ = open_.size();
    }
  }
  void startValue() {
    if (skip_depth_ && open_.size() == skip_depth_) skip_start_ = pos_;
  }
  void endValue() {
    if (!skip_depth_ || open_.size() != skip_depth_) return;
    out_.append(text_, copied_, skip_start_ - copied_);
    out_ += "[]";
    copied_ = pos_;
    skip_depth_ = 0;
  }
  bool close(char c) {
    if (open_.empty() || c != (open_.back() == '{' ? '}' : ']')) return false;
    open_.pop_back();
    ++pos_;
    endValue();
    return true;
  }

  bool scalar() {
    const char c = text_[pos_];
    if (c == '"') return string();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    for (std::string_view literal : {"true", "false", "null"}) {
      if (text_.substr(pos_, literal.size()) == literal) {
        pos_ += literal.size();
        return true;
      }
    }
    return false;
  }

  // At the opening quote; ends after the closing one.
  bool string() {
    ++pos_;
    while (pos_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (!escape()) return false;
      } else if (c >= 0x80) {
        const int length = utf8SequenceAt(text_, pos_);
        if (length < 0) return false;
        pos_ += static_cast<size_t>(length);
      } else {
        ++pos_;
      }
    }
    return false;
  }
  bool escape() {
    if (pos_ + 1 >= text_.size()) return false;
    const char c = text_[pos_ + 1];
    if (std::string_view("\"\\/bfnrt").find(c) != std::string_view::npos) {
      pos_ += 2;
      return true;
    }
    if (c != 'u') return false;
    std::optional<unsigned> code = hex4(pos_ + 2);
    if (!code || (*code >= 0xDC00 && *code <= 0xDFFF)) return false;  // a low surrogate first
    pos_ += 6;
    if (*code < 0xD800 || *code > 0xDBFF) return true;
    // A high surrogate must be followed by a low one.
    if (text_.substr(pos_, 2) != "\\u") return false;
    std::optional<unsigned> low = hex4(pos_ + 2);
    if (!low || *low < 0xDC00 || *low > 0xDFFF) return false;
    pos_ += 6;
    return true;
  }
  std::optional<unsigned> hex4(size_t at) const {
    if (at + 4 > text_.size()) return std::nullopt;
    unsigned code = 0;
    for (size_t i = at; i < at + 4; ++i) {
      const char c = text_[i];
      const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) return std::nullopt;
      code = code * 16 + static_cast<unsigned>(digit);
    }
    return code;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, and finite as a double
  // (nlohmann reads a number too large for 64 bits as one, and refuses infinity).
  bool number() {
    const size_t start = pos_;
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') ++pos_;
    else if (digits() == 0) return false;
    bool plain_integer = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return false;
      plain_integer = false;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return false;
      plain_integer = false;
    }
    if (plain_integer && pos_ - start <= 18) return true;
    const std::string number(text_.substr(start, pos_ - start));
    return std::isfinite(std::strtod(number.c_str(), nullptr));
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::vector<char> open_;  // the containers open, innermost last: '{' or '['
  std::string_view top_key_;  // the top-level member being read
  size_t skip_depth_ = 0;     // while cutting out a value: open_.size() at its key
  size_t skip_start_ = 0;     // where that value begins
  std::string out_;
  size_t copied_ = 0;  // text before this is in out_ (or cut out)
};

}  // namespace

Schema targetSchemaFromText(const std::string& text, const std::string& path) {
  // The top level's functions and macros and every record's fields are
  // checked but not kept: most of a schema, and what a check of sizes,
  // typedefs and enumerators never reads. Each is read as an empty array, so
  // the reader still checks everything else.
  UnreadValueCutter cutter(text);
  const std::optional<std::string> kept = cutter.cut();
  if (!kept) throw InputError(path, "", "not valid JSON");
  ReadJson json = ReadJson::parse(*kept, nullptr, false);
  if (json.is_discarded()) throw InputError(path, "", "not valid JSON");
  // A record without its fields in the file stays without them: refused.
  return readSchema(json, path);
}

}  // namespace uvgen
