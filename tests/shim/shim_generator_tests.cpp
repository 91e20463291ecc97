// `uvgen shim` itself, run as a real process: the committed shim is what it
// writes, and a shim section that does not fit the schema stops it with one
// clear line and no output.
#include <string>

#include "catch.h"
#include "changed_spec.h"
#include "process.h"

using uvgen::test::fileExists;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runProcess;
using uvgen::test::TempDir;

namespace {

// In dir: uv.json (the schema of the system uv.h) and schema/modules.json.
void prepare(const TempDir& dir, const std::string& from = "", const std::string& to = "") {
  REQUIRE(runProcess({UVGEN_EXE, "schema", "-o", dir.file("uv.json")}).exit_code == 0);
  uvgen::test::writeChangedSpec(dir, from, to);
}

ProcessResult runShim(const TempDir& dir) {
  return runProcess({UVGEN_EXE, "shim", "--schema", "uv.json", "--spec", "schema/modules.json", "-o", "out"},
                    dir.path());
}

}  // namespace

TEST_CASE("shim_generator_writes_the_committed_shim", "[shim][generator]") {
  TempDir dir;
  prepare(dir);
  ProcessResult result = runShim(dir);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  for (const char* name : {"uvshim.h", "uvshim.c", "uvshim.map"}) {
    INFO(name);
    CHECK(readFile(dir.file(std::string("out/") + name)) ==
          readFile(std::string(UVGEN_SOURCE_DIR) + "/shim/" + name));
  }
}

TEST_CASE("shim_generator_refuses_a_storage_smaller_than_libuv_struct", "[shim][generator]") {
  TempDir dir;
  prepare(dir, "\"uv_pipe_t\": 896", "\"uv_pipe_t\": 768");
  ProcessResult result = runShim(dir);
  CHECK(result.exit_code == 1);
  // 768 holds the pipe of every Linux target with its headroom; Windows' does not.
  CHECK(result.err ==
        "uvgen shim: schema/modules.json: shim: storage of uv_pipe_t is 768 bytes; on x86_64-w64-windows-gnu "
        "(schema/baseline/libuv-1.44.2-x86_64-w64-windows-gnu.json) it needs 784: libuv's 576, 25% headroom (144) "
        "and a 64-byte trailer\n");
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("shim_generator_refuses_a_check_on_an_unknown_parameter", "[shim][generator]") {
  TempDir dir;
  prepare(dir, "\"uv_pipe_bind.name\"", "\"uv_pipe_bind.path\"");
  ProcessResult result = runShim(dir);
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        "uvgen shim: schema/modules.json: shim: unix path parameter uv_pipe_bind.path names no parameter of a "
        "wrapped function\n");
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("shim_generator_refuses_storage_for_a_type_no_module_exports", "[shim][generator]") {
  TempDir dir;
  prepare(dir, "\"uv_tcp_t\": 512", "\"uv_tcp_t\": 512,\n      \"uv_barrier_t\": 512");
  ProcessResult result = runShim(dir);
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        "uvgen shim: schema/modules.json: shim: storage for uv_barrier_t, which no module exports as an object\n");
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("shim_generator_refuses_a_spec_without_a_shim_section", "[shim][generator]") {
  TempDir dir;
  prepare(dir, "\"shim\": {", "\"shimx\": {");
  ProcessResult result = runShim(dir);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("schema/modules.json") != std::string::npos);
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("shim_generator_refuses_converted_records_it_cannot_convert", "[shim][generator]") {
  struct Case {
    const char* from;
    const char* to;
    const char* message;
  };
  const Case cases[] = {
      {"\"counted_arrays\": {\"uv_process_options_t.stdio\": \"stdio_count\"}",
       "\"counted_arrays\": {\"uv_process_options_t.stdio\": \"stdio_total\"}",
       "shim: uv_process_options_t.stdio: uv_process_options_t has no member stdio_total for its length"},
      {"\"counted_arrays\": {\"uv_process_options_t.stdio\": \"stdio_count\"}", "\"counted_arrays\": {}",
       "shim: uv_process_options_t.stdio: a pointer to one converted record needs a length (counted_arrays)"},
      {"\"pointer_when\": [\"UV_CREATE_PIPE\", \"UV_INHERIT_STREAM\"]", "\"pointer_when\": [\"UV_CREATE_PIPE\", \"UV_PIPE_DREAM\"]",
       "shim: uv_stdio_container_t.data: UV_PIPE_DREAM is not an enumerator in the schema"},
      {"\"selected_unions\": {\"uv_stdio_container_t.data\"", "\"selected_unions\": {\"uv_timeval_t.tv_sec\"",
       "shim: uv_stdio_container_t.data: a member of an anonymous type is converted as a selected union (selected_unions)"},
      {"\"counted_arrays\": {", "\"counted_arrays\": {\"uv_timeval_t.tv_sec\": \"tv_usec\", ",
       "shim: counted array uv_timeval_t.tv_sec is not a member of a converted record"},
      {"\"spare_members\": [\"uv_statfs_t.f_spare\"]", "\"spare_members\": [\"uv_statfs_t.f_reserved\"]",
       "shim: spare member uv_statfs_t.f_reserved is not a member of a record in \"records\""},
      {"\"converted_records\": [\"uv_stdio_container_t\", \"uv_process_options_t\"]",
       "\"converted_records\": [\"uv_stdio_container_t\", \"uv_process_options_t\", \"uv_pipe_t\"]",
       "shim: uv_pipe_t.handle_queue: the type 'void *[2]' is not a plain C type name"},
  };
  for (const Case& c : cases) {
    INFO(c.to);
    TempDir dir;
    prepare(dir, c.from, c.to);
    ProcessResult result = runShim(dir);
    CHECK(result.exit_code == 1);
    CHECK(result.err == std::string("uvgen shim: schema/modules.json: ") + c.message + "\n");
    CHECK_FALSE(uvgen::test::fileExists(dir.file("out")));
  }
}

TEST_CASE("shim_generator_checks_platform_types_and_target_schemas_against_every_target", "[shim][generator]") {
  const std::string windows = "x86_64-w64-windows-gnu (schema/baseline/libuv-1.44.2-x86_64-w64-windows-gnu.json)";
  struct Case {
    std::string from;
    std::string to;
    std::string message;
  };
  const Case cases[] = {
      {"\"uv_os_sock_t\": {\"unix\": \"int32_t\", \"windows\": \"intptr_t\"}",
       "\"uv_os_sock_t\": {\"unix\": \"int32_t\", \"windows\": \"int32_t\"}",
       "shim: platform_types.uv_os_sock_t: uv_os_sock_t is 8 bytes on " + windows + ", but int32_t is 4"},
      {"\"uv_os_fd_t\": {\"unix\": \"int32_t\", \"windows\": \"void *\"}",
       "\"uv_os_fd_t\": {\"unix\": \"int32_t\", \"windows\": \"HANDLE\"}",
       "shim: platform_types.uv_os_fd_t: 'HANDLE' is not one of int32_t, uint32_t, int64_t, uint64_t, intptr_t, "
       "uintptr_t, void *"},
      {"\"uv_os_fd_t\": {\"unix\": \"int32_t\", \"windows\": \"void *\"}",
       "\"uv_loop_t\": {\"unix\": \"int32_t\", \"windows\": \"void *\"}",
       "shim: platform_types.uv_loop_t: uv_loop_t is not a typedef of a scalar type in the schema of "},
      {"\"baseline/libuv-1.44.2-i686-linux-gnu.json\"", "\"../../etc/passwd\"",
       "shim: target_schemas[1]: '../../etc/passwd' must be a relative path inside the spec's folder"},
      {"\"baseline/libuv-1.44.2-i686-linux-gnu.json\"", "\"/etc/passwd\"",
       "shim: target_schemas[1]: '/etc/passwd' must be a relative path inside the spec's folder"},
  };
  for (const Case& c : cases) {
    INFO(c.to);
    TempDir dir;
    prepare(dir, c.from, c.to);
    ProcessResult result = runShim(dir);
    CHECK(result.exit_code == 1);
    CHECK(result.err.rfind("uvgen shim: schema/modules.json: " + c.message, 0) == 0);
    CHECK(uvgen::test::lineCount(result.err) == 1);
    CHECK_FALSE(uvgen::test::fileExists(dir.file("out")));
  }
}

TEST_CASE("shim_generator_refuses_a_constant_two_targets_of_one_os_disagree_on", "[shim][generator]") {
  TempDir dir;
  prepare(dir, "\"baseline/libuv-1.44.2-i686-linux-gnu.json\"", "\"i686-changed.json\"");
  // i686 Linux with another EAGAIN: uvshim.h has one value per OS.
  std::string i686 = readFile(std::string(UVGEN_SOURCE_DIR) + "/schema/baseline/libuv-1.44.2-i686-linux-gnu.json");
  const std::string eagain = "\"name\": \"UV_EAGAIN\",\n          \"value\": -11";
  const size_t at = i686.find(eagain);
  REQUIRE(at != std::string::npos);
  i686.replace(at, eagain.size(), "\"name\": \"UV_EAGAIN\",\n          \"value\": -35");
  uvgen::test::writeFile(dir.file("schema/i686-changed.json"), i686);
  ProcessResult result = runShim(dir);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find(": UV_EAGAIN is -11 on ") != std::string::npos);
  CHECK(result.err.find(" and -35 on i686-unknown-linux-gnu (schema/i686-changed.json); uvshim.h has one value per OS\n") !=
        std::string::npos);
  CHECK_FALSE(uvgen::test::fileExists(dir.file("out")));
}

TEST_CASE("shim_generator_gives_windows_its_own_error_codes_and_handle_types", "[shim][generator]") {
  TempDir dir;
  prepare(dir);
  REQUIRE(runShim(dir).exit_code == 0);
  const std::string header = readFile(dir.file("out/uvshim.h"));
  // Values from the Windows target schema in the _WIN32 block, the Linux ones after #else.
  const size_t windows = header.find("#ifdef _WIN32\n#define UVSHIM_E2BIG (-4093)\n");
  const size_t unix = header.find("#else\n#define UVSHIM_E2BIG (-7)\n");
  REQUIRE(windows != std::string::npos);
  REQUIRE(unix != std::string::npos);
  CHECK(header.find("#define UVSHIM_EAGAIN (-4088)\n", windows) < unix);
  CHECK(header.find("#define UVSHIM_EAGAIN (-11)\n", unix) != std::string::npos);
  CHECK(header.find("#ifdef _WIN32\ntypedef void *uvshim_os_fd_t;\ntypedef intptr_t uvshim_os_sock_t;\n#else\n"
                    "typedef int32_t uvshim_os_fd_t;\ntypedef int32_t uvshim_os_sock_t;\n#endif\n") != std::string::npos);
  CHECK(header.find("UVSHIM_EXTERN int32_t uvshim_tcp_open(uvshim_tcp_t *handle, uvshim_os_sock_t sock);") !=
        std::string::npos);
}

TEST_CASE("shim_generator_names_a_target_schema_that_is_not_a_schema", "[shim][generator]") {
  // A target schema's record fields are skipped when it is read, but one
  // without them is still refused: here the i686 baseline with a record's
  // "fields" member removed.
  std::string i686 = readFile(std::string(UVGEN_SOURCE_DIR) + "/schema/baseline/libuv-1.44.2-i686-linux-gnu.json");
  const size_t record = i686.find("\"records\": [");
  const size_t fields = i686.find("\"fields\": [", record);
  const size_t end = i686.find("\n      ]", fields);
  REQUIRE((record != std::string::npos && fields != std::string::npos && end != std::string::npos));
  i686.erase(fields, end + 9 - fields);
  for (const std::string& text : {std::string("{ not json"), std::string("{\"format_version\": 1}"), i686}) {
    INFO(text.substr(0, 40));
    TempDir dir;
    prepare(dir, "\"baseline/libuv-1.44.2-i686-linux-gnu.json\"", "\"broken.json\"");
    uvgen::test::writeFile(dir.file("schema/broken.json"), text);
    ProcessResult result = runShim(dir);
    CHECK(result.exit_code == 1);
    CHECK(result.err.rfind("uvgen shim: schema/broken.json: ", 0) == 0);
    CHECK(uvgen::test::lineCount(result.err) == 1);
    CHECK_FALSE(uvgen::test::fileExists(dir.file("out")));
  }
}

TEST_CASE("shim_generator_checks_the_json_of_what_a_target_schema_leaves_unread", "[shim][generator]") {
  // A target schema's functions, macros and record fields are cut out by
  // uvgen's own scan before the JSON parser reads the rest: that scan still
  // refuses text that is not JSON there, and nests without recursion.
  const std::string i686 =
      readFile(std::string(UVGEN_SOURCE_DIR) + "/schema/baseline/libuv-1.44.2-i686-linux-gnu.json");
  const size_t functions = i686.find("\"functions\": [");
  const size_t variadic = i686.find("\"variadic\": false", functions);
  const size_t fields = i686.find("\"fields\": [");
  REQUIRE((functions != std::string::npos && variadic != std::string::npos && fields != std::string::npos));
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  struct Case {
    std::string text;
    bool read;
  };
  const std::vector<Case> cases = {
      {std::string(i686).replace(variadic, 17, "\"variadic\": fals"), false},
      {std::string(i686).replace(variadic, 17, "\"variadic\": \"\\uDC00\""), false},  // a lone low surrogate
      {std::string(i686).replace(fields + 11, 0, std::string(100000, '[')), false},
      {std::string(i686).replace(variadic, 17, "\"variadic\": " + deep), true},
      {std::string(i686).replace(fields + 11, 0, deep + ", 1e308, \"\\uD83D\\uDE00\","), true},
  };
  for (const Case& c : cases) {
    TempDir dir;
    prepare(dir, "\"baseline/libuv-1.44.2-i686-linux-gnu.json\"", "\"broken.json\"");
    uvgen::test::writeFile(dir.file("schema/broken.json"), c.text);
    ProcessResult result = runShim(dir);
    INFO(result.err);
    if (c.read) {
      CHECK(result.exit_code == 0);
      CHECK(uvgen::test::fileExists(dir.file("out/uvshim.h")));
    } else {
      CHECK(result.exit_code == 1);
      CHECK(result.err == "uvgen shim: schema/broken.json: not valid JSON\n");
      CHECK_FALSE(uvgen::test::fileExists(dir.file("out")));
    }
  }
}

// A spare member is declared with its room, but only the record's size is
// asserted: a libuv that names part of the room (1.52's f_frsize) still compiles.
TEST_CASE("shim_generator_asserts_a_spare_member_only_through_its_records_size", "[shim][generator]") {
  const std::string source = readFile(std::string(UVGEN_SOURCE_DIR) + "/shim/uvshim.c");
  const std::string header = readFile(std::string(UVGEN_SOURCE_DIR) + "/shim/uvshim.h");
  CHECK(header.find("  uint64_t f_spare[4];\n} uvshim_statfs_t;") != std::string::npos);
  CHECK(source.find("_Static_assert(sizeof(uvshim_statfs_t) == sizeof(uv_statfs_t)") != std::string::npos);
  CHECK(source.find("uvshim_statfs_t, f_ffree) == offsetof(uv_statfs_t, f_ffree)") != std::string::npos);
  CHECK(source.find("f_spare") == std::string::npos);
}
