// uv.h is other people's file too: `uvgen schema` on a changed copy of the
// system uv.h never blocks on a FIFO or device it includes, stops macro and
// include blow-ups at a documented limit, writes no value it cannot hold
// exactly, and never writes a name that another command would refuse. Each
// refusal is exit status 1, one line naming the file and what is wrong, and
// no schema written.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "catch.h"
#include "process.h"
#include "schema/schema_json.h"

using uvgen::Json;
using uvgen::test::contains;
using uvgen::test::fileExists;
using uvgen::test::lineCount;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runProcess;
using uvgen::test::TempDir;
using uvgen::test::writeFile;

namespace {

// dir/uv.h: the system uv.h with `appended` after it, and its uv/ folder.
std::string writeChangedHeader(const TempDir& dir, const std::string& appended) {
  const std::filesystem::path system_header(UVGEN_SYSTEM_UV_H);
  writeFile(dir.file("uv.h"), readFile(system_header.string()) + "\n" + appended);
  std::filesystem::copy(system_header.parent_path() / "uv", dir.file("uv"), std::filesystem::copy_options::recursive);
  return dir.file("uv.h");
}

// `uvgen schema` on the header. The timeout only turns a hang, should one come
// back, into a failure; every run here ends within seconds.
ProcessResult schemaOf(const std::string& header, const TempDir& dir) {
  return runProcess({"timeout", "60", UVGEN_EXE, "schema", "--header", header, "-o", dir.file("out.json")});
}

// Exit status 1, one line that starts with "uvgen schema: " and holds each
// part, and no schema written.
void requireRefused(const ProcessResult& result, const TempDir& dir, const std::vector<std::string>& parts) {
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(result.err.rfind("uvgen schema: ", 0) == 0);
  for (const std::string& part : parts) CHECK(contains(result.err, part));
  CHECK_FALSE(fileExists(dir.file("out.json")));
}

// The schema `uvgen schema` wrote for the header; fails the test when it wrote none.
Json schemaWritten(const std::string& header, const TempDir& dir) {
  ProcessResult result = schemaOf(header, dir);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return Json::parse(readFile(dir.file("out.json")));
}

// The value of a macro or enumerator of that name in a schema.
Json valueIn(const Json& schema, const std::string& name) {
  for (const Json& macro : schema["macros"])
    if (macro["name"] == name) return macro["value"];
  for (const Json& e : schema["enums"])
    for (const Json& enumerator : e["enumerators"])
      if (enumerator["name"] == name) return enumerator["value"];
  FAIL("no macro or enumerator " << name);
  return nullptr;
}

// 10^10 tokens from ten lines of macros; `item` is what the innermost one repeats.
std::string billionLaughs(const std::string& item) {
  std::string text = "#define UVGEN_L0";
  for (int i = 0; i < 10; ++i) text += " " + item;
  text += "\n";
  for (int level = 1; level <= 9; ++level) {
    text += "#define UVGEN_L" + std::to_string(level);
    for (int i = 0; i < 10; ++i) text += " UVGEN_L" + std::to_string(level - 1);
    text += "\n";
  }
  return text;
}

}  // namespace

// --- Files that are not regular files ---------------------------------------------

TEST_CASE("an_included_fifo_is_refused_without_opening_it", "[header-bounds]") {
  // Opening a FIFO for reading blocks until a writer comes: uvgen used to hang here.
  TempDir dir;
  REQUIRE(mkfifo(dir.file("fifo.h").c_str(), 0600) == 0);
  const std::string header = writeChangedHeader(dir, "#include \"fifo.h\"\n");
  requireRefused(schemaOf(header, dir), dir,
                 {header + ":", "fifo.h': a FIFO, not a regular file (uvgen reads headers from regular files only)\n"});
}

TEST_CASE("an_included_character_device_is_refused", "[header-bounds]") {
  // /dev/null used to be read as an empty header, /dev/zero without end.
  TempDir dir;
  const std::string header = writeChangedHeader(dir, "#include \"/dev/null\"\n");
  requireRefused(schemaOf(header, dir), dir,
                 {header + ":", "'/dev/null': a character device, not a regular file"});
}

TEST_CASE("an_included_socket_is_refused", "[header-bounds]") {
  TempDir dir;
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = dir.file("socket.h");
  REQUIRE(path.size() < sizeof address.sun_path);
  path.copy(address.sun_path, path.size());
  REQUIRE(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  const std::string header = writeChangedHeader(dir, "#include \"socket.h\"\n");
  ProcessResult result = schemaOf(header, dir);
  close(fd);
  requireRefused(result, dir, {header + ":", "socket.h': a socket, not a regular file"});
}

// --- Limits on the preprocessor ----------------------------------------------------

TEST_CASE("billion_laughs_in_an_expression_stops_at_the_declaration_limit", "[header-bounds]") {
  // It used to take 3 GB and end in SIGSEGV.
  TempDir dir;
  const std::string header = writeChangedHeader(dir, billionLaughs("+1") + "int uvgen_laughs = 0 UVGEN_L9;\n");
  requireRefused(schemaOf(header, dir), dir,
                 {header + ":", "fatal error: more than 20000 tokens without a ';', "
                                "uvgen's limit on one declaration\n"});
}

TEST_CASE("billion_laughs_of_declarations_stop_at_the_parsed_token_limit", "[header-bounds]") {
  // `int;` declares nothing: 2 * 10^10 tokens for the parser, none of them long.
  TempDir dir;
  const std::string header = writeChangedHeader(dir, billionLaughs("int;") + "UVGEN_L9\n");
  requireRefused(schemaOf(header, dir), dir,
                 {header + ":", "fatal error: the headers give the parser more than 4000000 tokens, "
                                "uvgen's limit on parsed tokens\n"});
}

TEST_CASE("a_declaration_nests_as_deep_as_its_limit_allows_and_no_deeper", "[header-bounds]") {
  // Clang parses `- - - 1` recursively: 20000 levels overflowed the 8 MiB
  // stack uvgen used to parse on (SIGSEGV); now they fit, and more are refused.
  TempDir dir;
  std::string minuses;
  for (int i = 0; i < 19990; ++i) minuses += "- ";
  const std::string header = writeChangedHeader(dir, "int uvgen_deep = " + minuses + "1;\n");
  ProcessResult fits = schemaOf(header, dir);
  INFO(fits.err);
  CHECK(fits.exit_code == 0);
  CHECK(fileExists(dir.file("out.json")));

  TempDir deeper;
  const std::string too_long = writeChangedHeader(deeper, "int uvgen_deep = " + minuses + minuses + "1;\n");
  requireRefused(schemaOf(too_long, deeper), deeper,
                 {too_long + ":", "fatal error: more than 20000 tokens without a ';', "
                                  "uvgen's limit on one declaration\n"});
}

TEST_CASE("billion_laughs_in_a_directive_stops_at_the_preprocessor_token_limit", "[header-bounds]") {
  // The tokens of an #if never reach the parser: the preprocessor's own count stops them.
  TempDir dir;
  const std::string header = writeChangedHeader(dir, billionLaughs("+1") + "#if 0 UVGEN_L9\n#endif\n");
  requireRefused(schemaOf(header, dir), dir,
                 {header + ":", "fatal error: preprocessing produced more than 16000000 tokens, "
                                "uvgen's limit on preprocessor tokens\n"});
}

TEST_CASE("a_header_including_itself_stops_at_the_include_depth_limit", "[header-bounds]") {
  // Two inclusions of itself per level, 60 levels: 2^60 inclusions without the limit.
  TempDir dir;
  writeFile(dir.file("tree.h"), "#if __INCLUDE_LEVEL__ < 60\n#include __FILE__\n#include __FILE__\n#endif\n");
  const std::string header = writeChangedHeader(dir, "#include \"tree.h\"\n");
  requireRefused(schemaOf(header, dir), dir,
                 {"tree.h:2:10: fatal error: #include nested more than 50 levels deep, "
                  "uvgen's limit on nested headers\n"});
}

TEST_CASE("headers_included_again_and_again_stop_at_the_header_text_limit", "[header-bounds]") {
  // 3 MB without an include guard, included 100 times: 300 MB of text.
  TempDir dir;
  writeFile(dir.file("big.h"), "/*" + std::string(3 << 20, 'x') + "*/\n");
  std::string includes;
  for (int i = 0; i < 100; ++i) includes += "#include \"big.h\"\n";
  const std::string header = writeChangedHeader(dir, includes);
  requireRefused(schemaOf(header, dir), dir,
                 {header + ":", "fatal error: headers add up to more than 268435456 bytes (each inclusion counted), "
                                "uvgen's limit on header text\n"});
}

TEST_CASE("a_header_larger_than_the_header_text_limit_is_not_read", "[header-bounds]") {
  // A sparse file: 300 MB long, nothing on disk, never read.
  TempDir dir;
  writeFile(dir.file("huge.h"), "");
  std::filesystem::resize_file(dir.file("huge.h"), 300u << 20);
  const std::string header = writeChangedHeader(dir, "#include \"huge.h\"\n");
  requireRefused(schemaOf(header, dir), dir,
                 {header + ":", "huge.h': larger than 268435456 bytes, uvgen's limit on header text\n"});
}

// --- Values the schema holds exactly or not at all -----------------------------------

TEST_CASE("macros_outside_int64_are_refused_naming_the_macro", "[header-bounds]") {
  struct Case {
    const char* value;
    const char* message;
  };
  const Case cases[] = {
      // Each used to be written as INT64_MAX or -INT64_MAX.
      {"99999999999999999999", "macro UVGEN_VALUE: 99999999999999999999 does not fit in 64 bits"},
      {"0xFFFFFFFFFFFFFFFF", "macro UVGEN_VALUE: 0xFFFFFFFFFFFFFFFF is 18446744073709551615, above the largest "
                             "integer the schema holds, 9223372036854775807 (signed 64 bits)\n"},
      // 9223372036854775808 fits no signed type, so C makes it unsigned, and so its negation.
      {"-9223372036854775808", "macro UVGEN_VALUE: -9223372036854775808 is 9223372036854775808 in C "
                               "(minus applied to an unsigned constant), above the largest integer"},
      {"(-1ULL)", "macro UVGEN_VALUE: -1ULL is 18446744073709551615 in C (minus applied to an unsigned constant)"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    const std::string header = writeChangedHeader(dir, std::string("#define UVGEN_VALUE ") + c.value + "\n");
    requireRefused(schemaOf(header, dir), dir, {header + ":", c.message});
  }
}

TEST_CASE("macros_inside_int64_are_written_exactly", "[header-bounds]") {
  TempDir dir;
  const std::string header = writeChangedHeader(dir,
                                                "#define UVGEN_MAX 0x7FFFFFFFFFFFFFFF\n"
                                                "#define UVGEN_MIN_PLUS_ONE (-9223372036854775807)\n"
                                                "#define UVGEN_UINT_MAX -1U\n"  // C's value: minus is modulo 2^32
                                                "#define UVGEN_OCTAL 0777\n"
                                                "#define UVGEN_NEGATIVE -4095\n");
  const Json schema = schemaWritten(header, dir);
  CHECK(valueIn(schema, "UVGEN_MAX") == INT64_MAX);
  CHECK(valueIn(schema, "UVGEN_MIN_PLUS_ONE") == -INT64_MAX);
  CHECK(valueIn(schema, "UVGEN_UINT_MAX") == 4294967295u);
  CHECK(valueIn(schema, "UVGEN_OCTAL") == 511);
  CHECK(valueIn(schema, "UVGEN_NEGATIVE") == -4095);
}

TEST_CASE("enumerators_outside_int64_or_their_enum_are_refused_naming_them", "[header-bounds]") {
  struct Case {
    const char* declaration;
    const char* message;
  };
  const Case cases[] = {
      // Used to be written as -1: the value fits the enum's unsigned long, not int64.
      {"enum uvgen_e { UVGEN_BIG = 0xFFFFFFFFFFFFFFFFULL };",
       "enumerator UVGEN_BIG: 18446744073709551615 is outside the integers the schema holds (signed 64 bits)\n"},
      // Used to be written as 0: Clang cuts it to the largest type an enum may have.
      {"enum uvgen_e { UVGEN_BIG = (__int128)1 << 100 };",
       "enumerator UVGEN_BIG: 1267650600228229401496703205376 does not fit the enum's type, "},
  };
  for (const Case& c : cases) {
    TempDir dir;
    const std::string header = writeChangedHeader(dir, std::string(c.declaration) + "\n");
    requireRefused(schemaOf(header, dir), dir, {header + ":", c.message});
  }
}

TEST_CASE("enumerators_at_the_ends_of_int64_are_written_exactly", "[header-bounds]") {
  TempDir dir;
  const std::string header = writeChangedHeader(
      dir, "enum uvgen_e { UVGEN_LOWEST = -9223372036854775807 - 1, UVGEN_HIGHEST = 0x7FFFFFFFFFFFFFFF };\n"
           "enum uvgen_u { UVGEN_U32 = 0xFFFFFFFFu };\n");
  const Json schema = schemaWritten(header, dir);
  CHECK(valueIn(schema, "UVGEN_LOWEST") == INT64_MIN);
  CHECK(valueIn(schema, "UVGEN_HIGHEST") == INT64_MAX);
  CHECK(valueIn(schema, "UVGEN_U32") == 4294967295u);
}

// --- Names every command accepts ------------------------------------------------

TEST_CASE("libuv_declarations_with_names_beyond_plain_c_identifiers_are_refused", "[header-bounds]") {
  // Clang accepts `$` and UTF-8 in identifiers; layout-tests and the emitters
  // paste names into code, so the schema must not hold them.
  struct Case {
    const char* declaration;
    const char* message;
  };
  const Case cases[] = {
      {"struct uv_caf\xC3\xA9 { int a; };", "].name: record 'uv_caf\xC3\xA9': not a plain C identifier ([A-Za-z_][A-Za-z0-9_]*)\n"},
      {"struct uvgen_s { int caf$; };", ".fields[0].name: member 'caf$': not a plain C identifier"},
      {"typedef int uvgen$t;", "].name: typedef 'uvgen$t': not a plain C identifier"},
      {"int uvgen_f(int caf$);", ".params[0].name: parameter 'caf$': not a plain C identifier"},
      {"enum { UVGEN$E = 1 };", ".enumerators[0].name: enumerator 'UVGEN$E': not a plain C identifier"},
      {"#define UVGEN$M 1", "].name: macro 'UVGEN$M': not a plain C identifier"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    const std::string header = writeChangedHeader(dir, std::string(c.declaration) + "\n");
    requireRefused(schemaOf(header, dir), dir, {header + ": ", c.message});
  }
}

TEST_CASE("a_system_header_may_use_names_the_schema_does_not_keep", "[header-bounds]") {
  // Only what reaches the schema is checked: a header outside libuv's own
  // files may declare such names as long as libuv does not use them.
  TempDir dir;
  std::filesystem::create_directory(dir.file("sys"));
  writeFile(dir.file("sys/other.h"), "struct other_caf\xC3\xA9 { int a; };\ntypedef int other$t;\n#define OTHER$M 1\n");
  const std::string header = writeChangedHeader(dir, "#include \"sys/other.h\"\n");
  const Json schema = schemaWritten(header, dir);
  for (const Json& record : schema["records"]) CHECK(record["name"] != "other_caf\xC3\xA9");
}

TEST_CASE("a_schema_with_such_a_name_is_refused_by_its_reader", "[header-bounds]") {
  // The same rule when a schema is read: one line with the JSON path, from
  // every command, here layout-tests and abi-check.
  TempDir dir;
  const std::string header = writeChangedHeader(dir, "struct uvgen_cafe { int a; };\n");
  Json schema = schemaWritten(header, dir);
  size_t index = 0;
  while (schema["records"][index]["name"] != "uvgen_cafe") ++index;
  schema["records"][index]["name"] = "uvgen_caf\xC3\xA9";
  schema["records"][index]["spelling"] = "struct uvgen_caf\xC3\xA9";
  writeFile(dir.file("changed.json"), schema.dump(1));
  const std::string expected = dir.file("changed.json") + ": records[" + std::to_string(index) +
                               "].name: record 'uvgen_caf\xC3\xA9': not a plain C identifier ([A-Za-z_][A-Za-z0-9_]*)\n";
  ProcessResult layout =
      runProcess({UVGEN_EXE, "layout-tests", "--schema", dir.file("changed.json"), "-o", dir.file("layout.cpp")});
  CHECK(layout.exit_code == 1);
  CHECK(layout.err == "uvgen layout-tests: " + expected);
  CHECK_FALSE(fileExists(dir.file("layout.cpp")));
  ProcessResult abi = runProcess({UVGEN_EXE, "abi-check", "--baseline", dir.file("changed.json"), "--schema",
                                  dir.file("changed.json"), "--scope", "all"});
  CHECK(abi.exit_code == 1);
  CHECK(abi.err == "uvgen abi-check: " + expected);
}
