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
  prepare(dir, "\"uv_tcp_t\": 512", "\"uv_tcp_t\": 512,\n      \"uv_random_t\": 512");
  ProcessResult result = runShim(dir);
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        "uvgen shim: schema/modules.json: shim: storage for uv_random_t, which no module exports as an object\n");
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
