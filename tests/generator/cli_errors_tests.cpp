// Bad input: one clear line naming the file and what is wrong, a non-zero
// exit, and no output file created or changed.
#include <algorithm>
#include <filesystem>

#include "catch.h"
#include "changed_spec.h"
#include "process.h"

using uvgen::test::contains;
using uvgen::test::lineCount;
using uvgen::test::fileExists;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runProcess;
using uvgen::test::TempDir;
using uvgen::test::writeFile;

TEST_CASE("schema_missing_header_is_one_line_error", "[cli]") {
  TempDir dir;
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "--header", dir.file("nope.h"), "-o", dir.file("out.json")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("nope.h")));
  CHECK(contains(result.err, "No such file or directory"));
  CHECK_FALSE(fileExists(dir.file("out.json")));
}

TEST_CASE("schema_unreadable_header_is_one_line_error", "[cli]") {
  TempDir dir;
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "--header", dir.path(), "-o", dir.file("out.json")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.path() + ": is a folder"));
  CHECK_FALSE(fileExists(dir.file("out.json")));
}

TEST_CASE("schema_syntax_error_gives_clang_location_and_keeps_old_output", "[cli]") {
  TempDir dir;
  writeFile(dir.file("bad.h"), "#include <uv.h>\nint broken = ;\n");
  writeFile(dir.file("out.json"), "previous output\n");
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "--header", dir.file("bad.h"), "-o", dir.file("out.json")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("bad.h") + ":2:14: error: expected expression"));
  CHECK(readFile(dir.file("out.json")) == "previous output\n");
}

TEST_CASE("schema_missing_include_gives_clang_location", "[cli]") {
  TempDir dir;
  writeFile(dir.file("bad.h"), "#include \"uv/nowhere.h\"\n");
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "--header", dir.file("bad.h"), "-o", dir.file("out.json")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("bad.h") + ":1:10: fatal error: 'uv/nowhere.h' file not found"));
  CHECK_FALSE(fileExists(dir.file("out.json")));
}

TEST_CASE("schema_header_that_is_not_libuv_is_refused", "[cli]") {
  TempDir dir;
  writeFile(dir.file("other.h"), "int answer(void);\n");
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "--header", dir.file("other.h"), "-o", dir.file("out.json")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("other.h") + ": not libuv's uv.h"));
  CHECK_FALSE(fileExists(dir.file("out.json")));
}

TEST_CASE("schema_unknown_option_is_a_usage_error", "[cli]") {
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "--frobnicate"});
  CHECK(result.exit_code == 2);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, "unknown option '--frobnicate'"));
  CHECK(result.out.empty());
}

TEST_CASE("schema_option_without_value_is_a_usage_error", "[cli]") {
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "--header"});
  CHECK(result.exit_code == 2);
  CHECK(contains(result.err, "option '--header' needs a PATH"));
}

TEST_CASE("schema_defines_and_include_dirs_reach_the_parser", "[cli]") {
  TempDir dir;
  writeFile(dir.file("extra.h"), "#define UVGEN_TEST_MACRO 7\n");
  // The header is uv.h plus one line that only parses with -D and -I in effect.
  writeFile(dir.file("uv.h"), readFile(UVGEN_SYSTEM_UV_H) + "\n#include <extra.h>\n#if !defined(WANTED)\n#error WANTED\n#endif\n");
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "--header", dir.file("uv.h"), "-I", dir.path(), "-DWANTED=1",
                                     "-o", dir.file("out.json")});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  ProcessResult without = runProcess({UVGEN_EXE, "schema", "--header", dir.file("uv.h"), "-I", dir.path(), "-o", dir.file("out2.json")});
  CHECK(without.exit_code == 1);
  CHECK(contains(without.err, "error: WANTED"));
}

TEST_CASE("unknown_command_is_a_usage_error", "[cli]") {
  ProcessResult result = runProcess({UVGEN_EXE, "frobnicate"});
  CHECK(result.exit_code == 2);
  CHECK(contains(result.err, "unknown command 'frobnicate'"));
}

TEST_CASE("help_and_version_describe_the_tool", "[cli]") {
  ProcessResult help = runProcess({UVGEN_EXE, "--help"});
  CHECK(help.exit_code == 0);
  for (const char* command : {"schema", "layout-tests", "nim", "shim", "generate", "abi-check"}) {
    CHECK(contains(help.out, std::string("  ") + command + " "));
    ProcessResult command_help = runProcess({UVGEN_EXE, command, "--help"});
    CHECK(command_help.exit_code == 0);
    CHECK(contains(command_help.out, std::string("usage: uvgen ") + command));
  }
  ProcessResult generate_help = runProcess({UVGEN_EXE, "generate", "--help"});
  for (const char* option : {"--header", "--root", "--spec", "--flavour", "--check", "--depfile", "--depfile-target"})
    CHECK(contains(generate_help.out, option));
  ProcessResult schema_help = runProcess({UVGEN_EXE, "schema", "--help"});
  CHECK(schema_help.exit_code == 0);
  for (const char* option : {"--header", "-I", "-D", "--target", "-o"}) CHECK(contains(schema_help.out, option));
  ProcessResult version = runProcess({UVGEN_EXE, "--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("uvgen ", 0) == 0);
}

TEST_CASE("layout_tests_refuses_a_file_that_is_not_a_schema", "[cli]") {
  TempDir dir;
  writeFile(dir.file("not-schema.json"), "{\"format_version\": 1}\n");
  ProcessResult result = runProcess({UVGEN_EXE, "layout-tests", "--schema", dir.file("not-schema.json"), "-o", dir.file("t.cpp")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("not-schema.json") + ": not a uvgen schema"));
  CHECK_FALSE(fileExists(dir.file("t.cpp")));
}

TEST_CASE("layout_tests_refuses_invalid_json", "[cli]") {
  TempDir dir;
  writeFile(dir.file("bad.json"), "{ nope\n");
  ProcessResult result = runProcess({UVGEN_EXE, "layout-tests", "--schema", dir.file("bad.json")});
  CHECK(result.exit_code == 1);
  CHECK(contains(result.err, dir.file("bad.json") + ": not valid JSON"));
}

TEST_CASE("generate_check_reports_a_stale_file_with_a_diff", "[cli]") {
  // A copy of the repository's spec and generated files, one of them edited.
  TempDir dir;
  std::string root = dir.path();
  ProcessResult copy = runProcess({"cp", "-r", std::string(UVGEN_SOURCE_DIR) + "/schema", std::string(UVGEN_SOURCE_DIR) + "/bindings",
                                   std::string(UVGEN_SOURCE_DIR) + "/shim", root});
  REQUIRE(copy.exit_code == 0);
  ProcessResult fresh = runProcess({UVGEN_EXE, "generate", "--check", "--root", root});
  INFO(fresh.out << fresh.err);
  REQUIRE(fresh.exit_code == 0);
  writeFile(root + "/shim/uvshim.map", readFile(root + "/shim/uvshim.map") + "/* edited */\n");
  ProcessResult stale = runProcess({UVGEN_EXE, "generate", "--check", "--root", root});
  CHECK(stale.exit_code == 1);
  CHECK(contains(stale.out, "-/* edited */"));
  CHECK(contains(stale.err, "1 generated file(s) out of date"));
  CHECK(readFile(root + "/shim/uvshim.map").find("/* edited */") != std::string::npos);  // --check writes nothing
  CHECK_FALSE(fileExists(root + "/generated/uv.schema.json"));
}

TEST_CASE("generate_reports_a_bad_spec_first_though_the_header_is_bad_too", "[cli]") {
  // generate reads the spec while Clang parses the header: whichever ends
  // first, the spec's error is the one line printed, as when they ran in turn.
  TempDir dir;
  std::filesystem::create_directory(dir.file("schema"));
  writeFile(dir.file("schema/modules.json"), "{ not json\n");
  writeFile(dir.file("uv.h"), "this is not C\n");
  for (int run = 0; run < 3; ++run) {
    ProcessResult result = runProcess({UVGEN_EXE, "generate", "--root", dir.path(), "--header", dir.file("uv.h")});
    CHECK(result.exit_code == 1);
    CHECK(lineCount(result.err) == 1);
    CHECK(result.err == "uvgen generate: " + dir.path() + "/schema/modules.json: not valid JSON\n");
  }
  uvgen::test::writeSpecInto(dir.path(), readFile(uvgen::test::repositorySpec()));
  ProcessResult header = runProcess({UVGEN_EXE, "generate", "--root", dir.path(), "--header", dir.file("uv.h")});
  CHECK(header.exit_code == 1);
  CHECK(lineCount(header.err) == 1);
  CHECK(contains(header.err, dir.file("uv.h") + ":1:1: error:"));
  CHECK_FALSE(fileExists(dir.file("shim/uvshim.h")));
}
