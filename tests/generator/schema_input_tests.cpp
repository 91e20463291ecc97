// Schemas are edited by hand, so every command that reads one treats it as
// untrusted input: a changed copy of the real schema gives one line naming the
// file and the JSON path of the bad value, exit status 1, and never a hang, a
// crash or the JSON library's own text. And what `uvgen schema` writes, even
// from a header that is not UTF-8, every command reads back.
#include <algorithm>
#include <filesystem>
#include <functional>

#include "catch.h"
#include "changed_spec.h"
#include "process.h"
#include "schema/json_writer.h"
#include "schema/schema_json.h"

using uvgen::Json;
using uvgen::test::contains;
using uvgen::test::lineCount;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::repositorySpec;
using uvgen::test::runProcess;
using uvgen::test::TempDir;
using uvgen::test::writeFile;

namespace {

// The schema of the system uv.h, made once by the real uvgen.
const std::string& realSchemaText() {
  static const std::string text = [] {
    TempDir dir;
    ProcessResult result = runProcess({UVGEN_EXE, "schema", "-o", dir.file("uv.json")});
    REQUIRE(result.exit_code == 0);
    return readFile(dir.file("uv.json"));
  }();
  return text;
}

// Writes dir/uv.json: the real schema changed by `change`.
std::string writeChangedSchema(const TempDir& dir, const std::function<void(Json&)>& change) {
  Json json = Json::parse(realSchemaText());
  change(json);
  writeFile(dir.file("uv.json"), json.dump(1));
  return dir.file("uv.json");
}

// The real schema with `extra` added to its typedefs; `extra` is JSON text, so
// it may nest deeper than a JSON library would write.
std::string writeSchemaWithTypedef(const TempDir& dir, const std::string& extra) {
  Json json = Json::parse(realSchemaText());
  json["typedefs"].push_back("@extra@");
  std::string text = json.dump();
  text.replace(text.find("\"@extra@\""), 9, extra);
  writeFile(dir.file("uv.json"), text);
  return dir.file("uv.json");
}

// A command that reads the schema, as the user would run it. `timeout` only
// guards against a hang coming back (a typedef cycle once made nim and shim
// loop forever); every run here ends at once.
ProcessResult runReading(const std::string& command, const std::string& schema, const TempDir& dir) {
  std::vector<std::string> argv = {"timeout", "120", UVGEN_EXE, command};
  if (command == "abi-check") {
    writeFile(dir.file("baseline.json"), realSchemaText());
    for (const char* arg : {"--baseline", "BASE", "--schema", "SCHEMA", "--scope", "all"}) argv.push_back(arg);
  } else {
    for (const char* arg : {"--schema", "SCHEMA", "-o", "OUT"}) argv.push_back(arg);
    if (command == "nim" || command == "shim")
      for (const std::string& arg : {std::string("--spec"), repositorySpec()}) argv.push_back(arg);
  }
  for (std::string& arg : argv) {
    if (arg == "BASE") arg = dir.file("baseline.json");
    if (arg == "SCHEMA") arg = schema;
    if (arg == "OUT") arg = dir.file(command == "layout-tests" ? "out.cpp" : "out");
  }
  return runProcess(argv);
}

const char* const kReadingCommands[] = {"layout-tests", "nim", "shim", "abi-check"};

// One line, "uvgen <command>: <file>: <location>: <message>", exit status 1.
void requireOneLineError(const ProcessResult& result, const std::string& command, const std::string& expected_start) {
  INFO(command << ": " << result.err);
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(result.err.rfind("uvgen " + command + ": " + expected_start, 0) == 0);
  CHECK_FALSE(contains(result.err, "json.exception"));
}

std::string typedefText(const std::string& name, const std::string& type_json) {
  return "{\"name\": \"" + name + "\", \"type\": " + type_json + ", \"libuv\": true}";
}

std::string typedefType(const std::string& name) {
  return "{\"kind\": \"typedef\", \"name\": \"" + name + "\", \"spelling\": \"" + name + "\"}";
}

size_t typedefCount() { return Json::parse(realSchemaText()).at("typedefs").size(); }

}  // namespace

TEST_CASE("typedef_naming_itself_is_one_line_naming_it_for_every_command", "[schema-input]") {
  TempDir dir;
  std::string schema = writeSchemaWithTypedef(dir, typedefText("T", typedefType("T")));
  std::string location = "typedefs[" + std::to_string(typedefCount()) + "]";
  for (const char* command : kReadingCommands)
    requireOneLineError(runReading(command, schema, dir), command,
                        schema + ": " + location + ": typedef T refers to itself: T -> T\n");
}

TEST_CASE("two_typedefs_naming_each_other_are_one_line_naming_the_cycle", "[schema-input]") {
  TempDir dir;
  // A names B, and B is a pointer to A: no typedef may be part of its own definition.
  std::string schema = writeSchemaWithTypedef(
      dir, typedefText("A", typedefType("B")) + ", " +
               typedefText("B", "{\"kind\": \"pointer\", \"spelling\": \"A *\", \"pointee\": " + typedefType("A") + "}"));
  std::string location = "typedefs[" + std::to_string(typedefCount()) + "]";
  for (const char* command : kReadingCommands)
    requireOneLineError(runReading(command, schema, dir), command,
                        schema + ": " + location + ": typedef A refers to itself: A -> B -> A\n");
}

TEST_CASE("typedef_chain_longer_than_the_limit_is_an_error", "[schema-input]") {
  TempDir dir;
  // T0 -> T1 -> ... -> T70 -> int: each resolves through the next.
  std::string extra;
  for (int i = 0; i <= 70; ++i) {
    std::string target = i == 70 ? "{\"kind\": \"builtin\", \"name\": \"int\", \"spelling\": \"int\"}"
                                 : typedefType("T" + std::to_string(i + 1));
    extra += (i ? ", " : "") + typedefText("T" + std::to_string(i), target);
  }
  std::string schema = writeSchemaWithTypedef(dir, extra);
  // The search starts at T0 and finds the chain too long first at T6 (T6..T70 are 65).
  std::string location = "typedefs[" + std::to_string(typedefCount() + 6) + "]";
  requireOneLineError(runReading("layout-tests", schema, dir), "layout-tests",
                      schema + ": " + location + ": typedef T6 resolves through more than 64 typedefs in a row\n");
}

TEST_CASE("pointers_nested_50000_deep_are_one_line_with_the_path", "[schema-input]") {
  TempDir dir;
  std::string type;
  for (int i = 0; i < 50000; ++i) type += "{\"kind\": \"pointer\", \"spelling\": \"int *\", \"pointee\": ";
  type += "{\"kind\": \"builtin\", \"name\": \"int\", \"spelling\": \"int\"}" + std::string(50000, '}');
  std::string schema = writeSchemaWithTypedef(dir, typedefText("deep", type));
  // The 65th type down is the first too deep.
  std::string location = "typedefs[" + std::to_string(typedefCount()) + "].type";
  for (int i = 1; i < 65; ++i) location += ".pointee";
  for (const char* command : kReadingCommands)
    requireOneLineError(runReading(command, schema, dir), command,
                        schema + ": " + location + ": types nest more than 64 levels deep\n");
}

TEST_CASE("anonymous_records_nested_50000_deep_are_one_line_with_the_path", "[schema-input]") {
  TempDir dir;
  std::string record;
  for (int i = 0; i < 50000; ++i)
    record += "{\"kind\": \"struct\", \"size\": 4, \"align\": 4, \"fields\": [{\"name\": \"\", \"offset_bits\": 0, "
              "\"type\": {\"kind\": \"record\", \"tag\": \"struct\", \"spelling\": \"struct (anonymous)\", \"record\": ";
  record += "{\"kind\": \"struct\", \"size\": 4, \"align\": 4, \"fields\": []}";
  for (int i = 0; i < 50000; ++i) record += "}}]}";
  std::string schema = writeSchemaWithTypedef(
      dir, typedefText("deep", "{\"kind\": \"record\", \"tag\": \"struct\", \"spelling\": \"s\", \"record\": " + record + "}"));
  // Each type and each anonymous record is one level: typedef type (1), record (2), field type (3), ...
  std::string location = "typedefs[" + std::to_string(typedefCount()) + "].type";
  // so the first too deep is the type at level 65.
  for (int k = 0; k < 32; ++k) location += ".record.fields[0].type";
  requireOneLineError(runReading("layout-tests", schema, dir), "layout-tests",
                      schema + ": " + location + ": types nest more than 64 levels deep\n");
}

TEST_CASE("a_name_declared_twice_is_one_line_naming_both_places", "[schema-input]") {
  // abi-check pairs declarations, members, parameters and enumerators by
  // name; with two of one name a schema once differed from itself.
  struct Case {
    std::function<void(Json&)> change;
    std::string message;
  };
  const Json real = Json::parse(realSchemaText());
  const size_t records = real["records"].size(), enums = real["enums"].size();
  size_t fn = 0;  // the first function with a parameter
  while (real["functions"][fn]["params"].empty()) ++fn;
  const std::string fn_at = "functions[" + std::to_string(fn) + "]";
  const Case cases[] = {
      {[](Json& j) { j["records"].push_back(j["records"][12]); },
       "records[" + std::to_string(records) + "]: record " + real["records"][12]["name"].get<std::string>() +
           " is declared twice (first at records[12])"},
      {[](Json& j) { j["records"][12]["fields"].push_back(j["records"][12]["fields"][0]); },
       "records[12].fields[" + std::to_string(real["records"][12]["fields"].size()) + "]: member " +
           real["records"][12]["fields"][0]["name"].get<std::string>() + " is declared twice (first at records[12].fields[0])"},
      {[fn](Json& j) { j["functions"][fn]["params"].push_back(j["functions"][fn]["params"][0]); },
       fn_at + ".params[" + std::to_string(real["functions"][fn]["params"].size()) + "]: parameter " +
           real["functions"][fn]["params"][0]["name"].get<std::string>() + " is declared twice (first at " + fn_at +
           ".params[0])"},
      {[](Json& j) {
         Json copy = j["enums"][0];
         copy["name"] = "uvgen_other_enum";
         j["enums"].push_back(copy);
       },
       "enums[" + std::to_string(enums) + "].enumerators[0]: enumerator " +
           real["enums"][0]["enumerators"][0]["name"].get<std::string>() + " is declared twice (first at enums[0].enumerators[0])"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    std::string schema = writeChangedSchema(dir, c.change);
    for (const char* command : kReadingCommands)
      requireOneLineError(runReading(command, schema, dir), command, schema + ": " + c.message + "\n");
  }
}

TEST_CASE("members_of_an_anonymous_member_share_the_record_names", "[schema-input]") {
  // struct { int a; union { int a; }; } declares a twice.
  TempDir dir;
  std::string schema = writeChangedSchema(dir, [](Json& j) {
    Json record = j["records"][12];
    record["name"] = "uvgen_twice";
    record["fields"] = Json::array();
    Json int_type = {{"kind", "builtin"}, {"name", "int"}, {"spelling", "int"}};
    record["fields"].push_back({{"name", "a"}, {"offset_bits", 0}, {"type", int_type}});
    Json inner = {{"kind", "union"}, {"size", 4}, {"align", 4}, {"fields", Json::array()}};
    inner["fields"].push_back({{"name", "a"}, {"offset_bits", 0}, {"type", int_type}});
    record["fields"].push_back({{"name", ""}, {"offset_bits", 32},
                                {"type", {{"kind", "record"}, {"tag", "union"}, {"spelling", "union (anonymous)"}, {"record", inner}}}});
    j["records"].push_back(record);
  });
  const std::string at = "records[" + std::to_string(Json::parse(realSchemaText())["records"].size()) + "]";
  requireOneLineError(runReading("abi-check", schema, dir), "abi-check",
                      schema + ": " + at + ".fields[1].type.record.fields[0]: member a is declared twice (first at " + at +
                          ".fields[0])\n");
}

TEST_CASE("a_repeated_typedef_is_written_once", "[schema-input]") {
  // C11 allows `typedef int t; typedef int t;`; the schema holds t once, so
  // every command reads what `uvgen schema` wrote.
  TempDir dir;
  writeFile(dir.file("twice.h"), "#include <uv.h>\ntypedef int uvgen_twice_t;\ntypedef int uvgen_twice_t;\n");
  ProcessResult schema = runProcess({UVGEN_EXE, "schema", "--header", dir.file("twice.h"), "-o", dir.file("twice.json")});
  INFO(schema.err);
  REQUIRE(schema.exit_code == 0);
  const Json written = Json::parse(readFile(dir.file("twice.json")));
  size_t found = 0;
  for (const Json& t : written["typedefs"]) found += t["name"] == "uvgen_twice_t";
  CHECK(found == 1);
  ProcessResult abi = runProcess({UVGEN_EXE, "abi-check", "--baseline", dir.file("twice.json"), "--schema",
                                  dir.file("twice.json"), "--scope", "all"});
  INFO(abi.out << abi.err);
  CHECK(abi.exit_code == 0);
}

TEST_CASE("numbers_out_of_range_are_one_line_with_file_and_json_path", "[schema-input]") {
  struct Case {
    const char* location;
    std::function<void(Json&)> change;
    const char* message;
  };
  const Json real = Json::parse(realSchemaText());
  // The first field whose type is an array with a length, and one with a bit width.
  size_t array_record = 0, array_field = 0;
  for (size_t r = 0; r < real["records"].size() && !array_field; ++r)
    for (size_t f = 0; f < real["records"][r]["fields"].size(); ++f)
      if (real["records"][r]["fields"][f]["type"].contains("length")) {
        array_record = r;
        array_field = f;
        break;
      }
  REQUIRE(array_field != 0);
  const std::string array_at =
      "records[" + std::to_string(array_record) + "].fields[" + std::to_string(array_field) + "]";
  const Case cases[] = {
      {"records[12].size", [](Json& j) { j["records"][12]["size"] = -1; }, "must be an integer from 0 to 4294967295, not -1"},
      {"records[12].size", [](Json& j) { j["records"][12]["size"] = 264.9; }, "must be an integer from 0 to 4294967295, not 264.9"},
      {"records[12].size", [](Json& j) { j["records"][12]["size"] = 4294967296u; }, "must be an integer from 0 to 4294967295, not 4294967296"},
      {"records[12].align", [](Json& j) { j["records"][12]["align"] = 0; }, "must be an integer from 1 to 4294967295, not 0"},
      {"records[12].fields[0].offset_bits", [](Json& j) { j["records"][12]["fields"][0]["offset_bits"] = -64; },
       "must be an integer from 0 to 34359738360, not -64"},
      {"records[12].fields[0].bit_width", [](Json& j) { j["records"][12]["fields"][0]["bit_width"] = 4294967296u; },
       "must be an integer from 0 to 4294967295, not 4294967296"},
      {"target.pointer_size", [](Json& j) { j["target"]["pointer_size"] = -8; }, "must be 4 or 8, not -8"},
      {"libuv.major", [](Json& j) { j["libuv"]["major"] = 1e300; }, "must be an integer from 1 to 2147483647, not 1e+300"},
      {"libuv.minor", [](Json& j) { j["libuv"]["minor"] = 4294967296u; }, "must be an integer from 0 to 2147483647, not 4294967296"},
      {"format_version", [](Json& j) { j["format_version"] = 1.5; }, "unsupported format_version 1.5 (this uvgen reads 1)"},
      {"enums[0].enumerators[0].value", [](Json& j) { j["enums"][0]["enumerators"][0]["value"] = 9223372036854775808u; },
       "must be an integer from -9223372036854775808 to 9223372036854775807, not 9223372036854775808"},
      {"enums[0].enumerators[0].value", [](Json& j) { j["enums"][0]["enumerators"][0]["value"] = 0.5; },
       "must be an integer from -9223372036854775808 to 9223372036854775807, not 0.5"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    std::string schema = writeChangedSchema(dir, c.change);
    requireOneLineError(runReading("layout-tests", schema, dir), "layout-tests",
                        schema + ": " + c.location + ": " + c.message + "\n");
  }
  TempDir dir;
  std::string schema = writeChangedSchema(dir, [&](Json& j) { j["records"][array_record]["fields"][array_field]["type"]["length"] = -1; });
  requireOneLineError(runReading("layout-tests", schema, dir), "layout-tests",
                      schema + ": " + array_at + ".type.length: must be an integer from 0 to 4294967295, not -1\n");
}

TEST_CASE("negative_size_no_longer_wraps_past_the_shim_storage_check", "[schema-input]") {
  TempDir dir;
  const Json real = Json::parse(realSchemaText());
  size_t pipe = 0;
  while (real["records"][pipe]["name"] != "uv_pipe_s") ++pipe;
  std::string schema = writeChangedSchema(dir, [&](Json& j) { j["records"][pipe]["size"] = -1; });
  requireOneLineError(runReading("shim", schema, dir), "shim",
                      schema + ": records[" + std::to_string(pipe) +
                          "].size: must be an integer from 0 to 4294967295, not -1\n");
}

TEST_CASE("negative_enumerator_values_are_read", "[schema-input]") {
  TempDir dir;
  std::string schema = writeChangedSchema(dir, [](Json& j) { j["enums"][0]["enumerators"][0]["value"] = -9223372036854775807 - 1; });
  ProcessResult result = runReading("layout-tests", schema, dir);
  INFO(result.err);
  CHECK(result.exit_code == 0);
}

TEST_CASE("wrong_json_types_are_one_line_without_library_text", "[schema-input]") {
  struct Case {
    std::function<void(Json&)> change;
    std::string expected;
  };
  const Case cases[] = {
      {[](Json& j) { j["typedefs"][0]["name"] = 3; }, "typedefs[0].name: must be a string, not 3"},
      {[](Json& j) { j["typedefs"][0]["type"]["kind"] = "weird\nkind"; }, "typedefs[0].type.kind: unknown type kind \"weird\\nkind\""},
      {[](Json& j) { j["records"][0]["fields"] = "none"; }, "records[0].fields: must be an array, not a string"},
      {[](Json& j) { j["records"][0].erase("size"); }, "records[0].size: missing"},
      {[](Json& j) { j["records"][0]["kind"] = "class"; }, "records[0].kind: must be \"struct\" or \"union\", not \"class\""},
      {[](Json& j) { j["functions"][0]["variadic"] = nullptr; }, "functions[0].variadic: must be true or false, not null"},
      {[](Json& j) { j["macros"][0]["value"] = Json::array(); }, "macros[0].value: must be an integer or a string, not an array"},
      {[](Json& j) { j["target"] = 8; }, "target: must be an object, not 8"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    std::string schema = writeChangedSchema(dir, c.change);
    for (const char* command : {"layout-tests", "abi-check"})
      requireOneLineError(runReading(command, schema, dir), command, schema + ": " + c.expected + "\n");
  }
}

TEST_CASE("invalid_utf8_becomes_u_fffd_in_written_json", "[schema-input]") {
  CHECK(uvgen::validUtf8("caf\xe9") == "caf\xEF\xBF\xBD");
  CHECK(uvgen::validUtf8("\xE2\x82\xAC and \xF0\x9F\x98\x80") == "\xE2\x82\xAC and \xF0\x9F\x98\x80");
  CHECK(uvgen::validUtf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  CHECK(uvgen::validUtf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(uvgen::validUtf8("x\xE2\x82") == "x\xEF\xBF\xBD");  // truncated: one maximal subpart
  CHECK(uvgen::validUtf8("\xF4\x90\x80\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // above U+10FFFF
  uvgen::JsonWriter w;
  w.beginObject();
  w.member("doc", "d\xe9j\xe0 \xff");
  w.endObject();
  Json parsed = Json::parse(w.text(), nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  CHECK(parsed["doc"] == "d\xEF\xBF\xBDj\xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST_CASE("latin1_header_gives_a_schema_every_command_reads", "[schema-input]") {
  // A copy of the system uv.h and its uv/ folder, with Latin-1 bytes in a
  // comment kept as a doc and in UV_VERSION_SUFFIX.
  TempDir dir;
  std::filesystem::path system_header(UVGEN_SYSTEM_UV_H);
  std::filesystem::copy(system_header, dir.file("uv.h"));
  std::filesystem::copy(system_header.parent_path() / "uv", dir.file("uv"), std::filesystem::copy_options::recursive);
  auto replaceIn = [](const std::string& path, const std::string& from, const std::string& to) {
    std::string text = readFile(path);
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    std::filesystem::remove(path);  // the copy may be read-only
    writeFile(path, text);
  };
  replaceIn(dir.file("uv.h"), "/* Handle types. */", "/* Handle types, d\xe9j\xe0 vu. */");
  replaceIn(dir.file("uv/version.h"), "#define UV_VERSION_SUFFIX \"\"", "#define UV_VERSION_SUFFIX \"caf\xe9\"");

  ProcessResult schema = runProcess({UVGEN_EXE, "schema", "--header", dir.file("uv.h"), "-o", dir.file("latin1.json")});
  INFO(schema.err);
  REQUIRE(schema.exit_code == 0);
  // Strict parsing also checks UTF-8.
  Json json = Json::parse(readFile(dir.file("latin1.json")), nullptr, false);
  REQUIRE_FALSE(json.is_discarded());
  bool doc_found = false;
  for (const char* section : {"records", "typedefs", "enums", "functions"})
    for (const Json& declaration : json[section])
      doc_found = doc_found || declaration.value("doc", "") == "Handle types, d\xEF\xBF\xBDj\xEF\xBF\xBD vu.";
  CHECK(doc_found);
  bool suffix_found = false;
  for (const Json& m : json["macros"])
    suffix_found = suffix_found || (m["name"] == "UV_VERSION_SUFFIX" && m["value"] == "caf\xEF\xBF\xBD");
  CHECK(suffix_found);

  ProcessResult validate = runProcess({UVGEN_TEST_PYTHON, UVGEN_TEST_VALIDATOR, std::string(UVGEN_SOURCE_DIR) + "/schema/uvgen-schema.json",
                                       dir.file("latin1.json")});
  INFO(validate.out << validate.err);
  CHECK(validate.exit_code == 0);

  ProcessResult layout = runProcess({UVGEN_EXE, "layout-tests", "--schema", dir.file("latin1.json"), "-o", dir.file("t.cpp")});
  INFO(layout.err);
  CHECK(layout.exit_code == 0);
  ProcessResult abi = runProcess({UVGEN_EXE, "abi-check", "--baseline", dir.file("latin1.json"), "--schema",
                                  dir.file("latin1.json"), "--scope", "all"});
  INFO(abi.out << abi.err);
  CHECK(abi.exit_code == 0);
  CHECK(abi.err.empty());
  CHECK_FALSE(contains(abi.out, "json.exception"));
}

TEST_CASE("schema_refuses_a_header_beyond_the_schema_limits", "[schema-input]") {
  // What uvgen would refuse to read it must not write.
  TempDir dir;
  writeFile(dir.file("deep.h"), "#include <uv.h>\ntypedef int " + std::string(70, '*') + "uvgen_deep_t;\n");
  ProcessResult deep = runProcess({UVGEN_EXE, "schema", "--header", dir.file("deep.h"), "-o", dir.file("out.json")});
  CHECK(deep.exit_code == 1);
  CHECK(lineCount(deep.err) == 1);
  CHECK(contains(deep.err, "uvgen schema: " + dir.file("deep.h") + ": typedefs["));
  CHECK(contains(deep.err, ": types nest more than 64 levels deep\n"));
  CHECK_FALSE(uvgen::test::fileExists(dir.file("out.json")));

  writeFile(dir.file("big.h"), "#include <uv.h>\ntypedef char uvgen_big_t[5000000000];\n");
  ProcessResult big = runProcess({UVGEN_EXE, "schema", "--header", dir.file("big.h"), "-o", dir.file("out.json")});
  CHECK(big.exit_code == 1);
  CHECK(lineCount(big.err) == 1);
  CHECK(contains(big.err, ".type.length: must be an integer from 0 to 4294967295, not 5000000000\n"));
  CHECK_FALSE(uvgen::test::fileExists(dir.file("out.json")));
}
