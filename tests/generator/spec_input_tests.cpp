// The module spec and the schema are untrusted input: whatever they hold
// becomes a name in the generated code or an error naming the file and the
// entry, never code, a path outside the output folder, or a crash.
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
using uvgen::test::writeChangedSpec;
using uvgen::test::writeFile;

namespace {

// The schema of the system uv.h, written once per test process.
const std::string& systemSchema() {
  static const std::string path = [] {
    std::string file = std::string(UVGEN_BINARY_DIR) + "/spec_input_tests.schema.json";
    ProcessResult result = runProcess({UVGEN_EXE, "schema", "-o", file});
    REQUIRE(result.exit_code == 0);
    return file;
  }();
  return path;
}

// A copy of the system schema with `from` (exactly once) replaced by `to`, as dir/uv.schema.json.
std::string changedSchema(const TempDir& dir, const std::string& from, const std::string& to) {
  std::string text = readFile(systemSchema());
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  text.replace(at, from.size(), to);
  writeFile(dir.file("uv.schema.json"), text);
  return dir.file("uv.schema.json");
}

ProcessResult uvgenIn(const TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {UVGEN_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv, dir.path());
}

ProcessResult nimOnChangedSpec(const TempDir& dir) {
  return uvgenIn(dir, {"nim", "--schema", systemSchema(), "--spec", "schema/modules.json", "-o", "out"});
}

ProcessResult shimOnChangedSpec(const TempDir& dir) {
  return uvgenIn(dir, {"shim", "--schema", systemSchema(), "--spec", "schema/modules.json", "-o", "out"});
}

// Adds a module at the end of the repository's spec.
void writeSpecWithModule(const TempDir& dir, const std::string& module) {
  writeChangedSpec(dir, "\n  ]\n}", ",\n    " + module + "\n  ]\n}");
}

void requireOneLineError(const ProcessResult& result, const std::string& part) {
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, part));
  CHECK_FALSE(contains(result.err, "[json.exception"));
}

}  // namespace

TEST_CASE("spec_module_named_with_a_path_is_refused_and_nothing_is_written", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "\"name\": \"uv_pipe\"", "\"name\": \"../../escaped\"");
  ProcessResult result = nimOnChangedSpec(dir);
  requireOneLineError(result, "schema/modules.json: module ../../escaped: module name: '../../escaped' is not a Nim identifier");
  CHECK_FALSE(fileExists(dir.file("out")));
  CHECK_FALSE(fileExists(dir.file("../escaped.nim")));
}

TEST_CASE("spec_module_named_like_the_shim_module_is_refused", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "\"name\": \"uv_pipe\"", "\"name\": \"uv_shim\"");
  ProcessResult result = nimOnChangedSpec(dir);
  requireOneLineError(result, "module uv_shim: the name uvshim is reserved for a module the generator writes");
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("spec_nim_name_with_a_newline_is_refused_not_written_as_code", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "{\"c\": \"uv_pipe_bind\", \"nim\": \"bindPipe\"",
                   "{\"c\": \"uv_pipe_bind\", \"nim\": \"bindPipe\\nstatic: echo 1\"");
  ProcessResult result = nimOnChangedSpec(dir);
  requireOneLineError(result, "function uv_pipe_bind: 'bindPipe\\nstatic: echo 1' is not a Nim identifier");
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("spec_nim_keyword_as_a_proc_name_is_refused", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "{\"c\": \"uv_pipe_bind\", \"nim\": \"bindPipe\"", "{\"c\": \"uv_pipe_bind\", \"nim\": \"proc\"");
  requireOneLineError(nimOnChangedSpec(dir), "function uv_pipe_bind: 'proc' is not a Nim identifier (a keyword)");
}

TEST_CASE("spec_type_that_is_not_a_nim_type_is_refused", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "\"type\": \"var Sockaddr_in\"", "\"type\": \"Sockaddr_in)\\nstatic: echo 1\"");
  requireOneLineError(nimOnChangedSpec(dir), "is not a Nim type");
}

TEST_CASE("spec_doc_with_a_carriage_return_stays_a_nim_comment", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "\"Bind the pipe to a file path (Unix) or a name (Windows).\"",
                   "\"Binds.\\rstatic: echo injected\"");
  ProcessResult result = nimOnChangedSpec(dir);
  REQUIRE(result.exit_code == 0);
  const std::string text = readFile(dir.file("out/uv_pipe.nim"));
  CHECK_FALSE(contains(text, "\r"));
  CHECK(contains(text, "  ## static: echo injected\n"));
}

// uv_walk's callback gets the handle, but uv_walk takes none to keep it in: the
// spec must declare it a context callback (passed through uv_walk's `arg`).
TEST_CASE("spec_callback_whose_owner_the_function_does_not_take_is_refused", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "\"context_callbacks\": [\"uv_walk_cb\"],", "\"context_callbacks\": [],");
  requireOneLineError(shimOnChangedSpec(dir),
                      "schema/modules.json: shim: function uv_walk takes callback uv_walk_cb but not the handle it belongs to");
  requireOneLineError(nimOnChangedSpec(dir), "function uv_walk takes callback uv_walk_cb");
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("spec_using_a_c_type_without_a_nim_name_names_the_spec_and_the_entry", "[spec][input]") {
  TempDir dir;
  writeSpecWithModule(dir, R"({"name": "uv_files",
      "procs": [{"c": "uv_thread_create_ex", "nim": "createThread",
                 "params": [{"nim": "tid"}, {"nim": "params"}, {"nim": "entry"}, {"nim": "arg"}]}]})");
  requireOneLineError(nimOnChangedSpec(dir),
                      "schema/modules.json: module uv_files: function uv_thread_create_ex: parameter 2: C type uv_thread_options_s has no Nim name");
}

// uv_handle_set_data is also the name of the shim's setter of `data`: the
// shim wraps libuv's function once and exports it once.
TEST_CASE("spec_wrapping_uv_handle_set_data_gives_one_setter", "[spec][input]") {
  TempDir dir;
  writeSpecWithModule(dir, R"({"name": "uv_handle_data", "procs": [{"c": "uv_handle_set_data", "nim": "setData"}]})");
  ProcessResult result = shimOnChangedSpec(dir);
  REQUIRE(result.exit_code == 0);
  const std::string source = readFile(dir.file("out/uvshim.c"));
  CHECK(source.find("uvshim_handle_set_data(") == source.rfind("uvshim_handle_set_data("));
  const std::string map = readFile(dir.file("out/uvshim.map"));
  CHECK(map.find("uvshim_handle_set_data;") != std::string::npos);
  CHECK(map.find("uvshim_handle_set_data;") == map.rfind("uvshim_handle_set_data;"));
  ProcessResult compiled = runProcess({"cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                                       "-I" + dir.file("out"), dir.file("out/uvshim.c")});
  CHECK(compiled.err == "");
  CHECK(compiled.exit_code == 0);
}

TEST_CASE("spec_nested_deeper_than_the_limit_is_refused", "[spec][input]") {
  TempDir dir;
  std::filesystem::create_directory(dir.file("schema"));
  writeFile(dir.file("schema/modules.json"),
            "{\"description\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
  requireOneLineError(nimOnChangedSpec(dir), "schema/modules.json: nests arrays and objects deeper than 32 levels");
}

TEST_CASE("spec_abi_version_out_of_range_is_refused", "[spec][input]") {
  for (const char* bad : {"1e300", "-1", "1.5", "0", "70000", "\"1\""}) {
    TempDir dir;
    writeChangedSpec(dir, "\"abi_version\": 2,", std::string("\"abi_version\": ") + bad + ",");
    INFO(bad);
    requireOneLineError(shimOnChangedSpec(dir),
                        "schema/modules.json: shim: \"abi_version\" must be a whole number from 1 to 65535");
  }
}

TEST_CASE("spec_storage_size_out_of_range_is_refused", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "\"uv_pipe_t\": 896", "\"uv_pipe_t\": 18446744073709551615");
  requireOneLineError(shimOnChangedSpec(dir), "schema/modules.json: shim: storage.uv_pipe_t: must be a whole number of bytes");
}

TEST_CASE("schema_doc_comment_holding_a_comment_end_stays_a_comment_in_uvshim_h", "[spec][input]") {
  TempDir dir;
  std::string schema = changedSchema(dir, "\"name\": \"uv_pipe_bind\",", "\"name\": \"uv_pipe_bind\", \"doc\": \"Binds. */ int injected_by_doc = 1; /* more\",");
  uvgen::test::writeSpecInto(dir.path(), readFile(uvgen::test::repositorySpec()));
  ProcessResult result = uvgenIn(dir, {"shim", "--schema", schema, "--spec", "schema/modules.json", "-o", "out"});
  REQUIRE(result.exit_code == 0);
  const std::string header = readFile(dir.file("out/uvshim.h"));
  CHECK(contains(header, " * Binds. * / int injected_by_doc = 1; / * more\n"));
  ProcessResult compiled = runProcess({"cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-x", "c",
                                       dir.file("out/uvshim.h")});
  CHECK(compiled.err == "");
  CHECK(compiled.exit_code == 0);
}

TEST_CASE("schema_parameter_name_that_is_not_a_c_identifier_is_refused_by_the_shim", "[spec][input]") {
  TempDir dir;
  // uv_pipe_bind's second parameter.
  std::string schema = changedSchema(dir, "\"name\": \"uv_pipe_bind\",", "\"name\": \"uv_pipe_bind\",");
  std::string text = readFile(schema);
  size_t function = text.find("\"name\": \"uv_pipe_bind\",");
  size_t param = text.find("\"name\": \"name\"", function);
  REQUIRE(param != std::string::npos);
  text.replace(param, 14, "\"name\": \"name); system(\\\"touch PWNED\\\"); (\"");
  writeFile(schema, text);
  uvgen::test::writeSpecInto(dir.path(), readFile(uvgen::test::repositorySpec()));
  ProcessResult result = uvgenIn(dir, {"shim", "--schema", schema, "--spec", "schema/modules.json", "-o", "out"});
  // Every name in a schema is a plain C identifier, so the schema's reader is the first to refuse it.
  requireOneLineError(result, "].params[1].name: parameter 'name); system(\"touch PWNED\"); (': not a plain C identifier");
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("schema_target_triple_reaches_layout_tests_only_as_an_escaped_string", "[spec][input]") {
  TempDir dir;
  std::string schema = changedSchema(dir, "\"triple\": \"", "\"triple\": \"x\\\"); int injected; (\\\"\\n");
  ProcessResult result = uvgenIn(dir, {"layout-tests", "--schema", schema, "-o", "layout.cpp"});
  REQUIRE(result.exit_code == 0);
  const std::string text = readFile(dir.file("layout.cpp"));
  CHECK(contains(text, "generated for x\\\"); int injected; (\\\"\\n"));
  ProcessResult compiled = runProcess({"c++", "-std=c++17", "-fsyntax-only", dir.file("layout.cpp")});
  CHECK(compiled.err == "");
  CHECK(compiled.exit_code == 0);
}

TEST_CASE("spec_member_of_anonymous_type_needs_an_object_declared_for_it_laid_out_alike", "[spec][input]") {
  {
    TempDir dir;  // no type: Nim cannot name C's anonymous union
    writeChangedSpec(dir, "{\"c\": \"address\", \"nim\": \"address\", \"type\": \"SockAddrN\",",
                     "{\"c\": \"address\", \"nim\": \"address\",");
    requireOneLineError(nimOnChangedSpec(dir),
                        "module uv_misc: type uv_interface_address_t: field address has an anonymous type; give it the "
                        "\"type\" of an object declared for it, as \"c\": \"uv_interface_address_t.address\"");
  }
  {
    TempDir dir;  // a type declared for a record, not for an anonymous member
    writeChangedSpec(dir, "{\"c\": \"netmask\", \"nim\": \"netmask\", \"type\": \"SockAddrN\",",
                     "{\"c\": \"netmask\", \"nim\": \"netmask\", \"type\": \"CpuInfo\",");
    requireOneLineError(nimOnChangedSpec(dir),
                        "type uv_interface_address_t: field netmask has an anonymous type, but CpuInfo is not declared "
                        "for an anonymous member");
  }
  {
    TempDir dir;  // a schema where the netmask union is smaller than the address union
    const std::string rest = ",\n              \"align\": 4,\n              \"fields\": [\n                {\n                  \"name\": \"netmask4\"";
    std::string schema = changedSchema(dir, "\"size\": 28" + rest, "\"size\": 16" + rest);
    ProcessResult result = uvgenIn(dir, {"nim", "--schema", schema, "--spec", std::string(UVGEN_SOURCE_DIR) + "/schema/modules.json", "-o", "out"});
    requireOneLineError(result, "type uv_interface_address_t: field netmask is not laid out like "
                                "uv_interface_address_t.address, the member SockAddrN is declared for");
    CHECK_FALSE(fileExists(dir.file("out")));
  }
}

TEST_CASE("spec_constant_naming_a_member_that_is_not_an_array_is_refused", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "{\"c\": \"uv_getnameinfo_t.host\", \"nim\": \"NI_MAXHOST\"",
                   "{\"c\": \"uv_getnameinfo_t.loop\", \"nim\": \"NI_MAXHOST\"");
  requireOneLineError(nimOnChangedSpec(dir),
                      "module uv_dns: constant uv_getnameinfo_t.loop: uv_getnameinfo_t has no field loop that is an "
                      "array with a length");
  CHECK_FALSE(fileExists(dir.file("out")));
}

// A declaration the spec names that the header lacks (as an older libuv's uv.h lacks uv_pipe)
// is left out of generate's outputs, with what uses it, each with a note naming it; uvshim.h and
// the umbrella module list them. Here the spec names a member the system uv.h does not have,
// and two fields of uv_interface_address_t have that member's type. (The releases themselves:
// abi.history.bindings.*.)
TEST_CASE("generate_leaves_out_a_declaration_the_header_lacks_and_what_uses_it", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "\"c\": \"uv_interface_address_t.address\"", "\"c\": \"uv_interface_address_t.nowhere\"");
  ProcessResult result = uvgenIn(dir, {"generate", "--root", "."});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const std::string shim_header = readFile(dir.file("shim/uvshim.h"));
  const size_t from = shim_header.find("libuv ") + 6;
  const std::string libuv = "libuv " + shim_header.substr(from, shim_header.find(' ', from) - from);  // the system's
  CHECK(result.err ==
        "uvgen generate: note: " + libuv + " lacks type uv_interface_address_t.nowhere, which the module spec names: left out\n"
        "uvgen generate: note: field uv_interface_address_t.address uses uv_interface_address_t.nowhere, which " + libuv +
        " lacks: left out\n"
        "uvgen generate: note: field uv_interface_address_t.netmask uses uv_interface_address_t.nowhere, which " + libuv +
        " lacks: left out\n");
  const std::string misc = readFile(dir.file("bindings/nim/uv_misc.nim"));
  CHECK(contains(misc, "isInternal* {.importc: \"is_internal\".}: cint"));
  CHECK_FALSE(contains(misc, "SockAddrN"));
  CHECK_FALSE(contains(readFile(dir.file("bindings/nim-direct/uv_misc.nim")), "SockAddrN"));
  CHECK(contains(shim_header, "/* " + libuv + " lacks these declarations of the module spec, left out:\n"
                              " * type uv_interface_address_t.nowhere,\n"
                              " * field uv_interface_address_t.address (it uses uv_interface_address_t.nowhere),\n"
                              " * field uv_interface_address_t.netmask (it uses uv_interface_address_t.nowhere). */\n"));
  CHECK(contains(readFile(dir.file("bindings/nim/uv.nim")), "# " + libuv + " lacks these declarations of the module spec"));
}

TEST_CASE("generate_strict_refuses_a_declaration_the_header_lacks_and_writes_nothing", "[spec][input]") {
  TempDir dir;
  writeChangedSpec(dir, "\"c\": \"uv_interface_address_t.address\"", "\"c\": \"uv_interface_address_t.nowhere\"");
  ProcessResult result = uvgenIn(dir, {"generate", "--root", ".", "--strict"});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(result.err.rfind(std::string("uvgen generate: ") + UVGEN_SYSTEM_UV_H + ": libuv ", 0) == 0);
  CHECK(contains(result.err, " lacks 3 declaration(s) the module spec names, the first: type "
                             "uv_interface_address_t.nowhere (without --strict they are left out)\n"));
  for (const char* output : {"bindings", "shim", "generated"}) CHECK_FALSE(fileExists(dir.file(output)));
}
