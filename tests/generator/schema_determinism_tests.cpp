// The schema is the same bytes on every run, holds no paths, and a run that
// changes nothing rewrites nothing.
#include <sys/stat.h>

#include "schema_fixture.h"

using uvgen::test::runProcess;
using uvgen::test::TempDir;

TEST_CASE("schema_two_runs_are_byte_identical", "[determinism]") {
  auto first = uvgen::test::generateSchema();
  auto second = uvgen::test::generateSchema();
  CHECK(first.text == second.text);
}

TEST_CASE("schema_holds_no_absolute_paths", "[determinism]") {
  const std::string& text = uvgen::test::hostSchema().text;
  CHECK(text.find("/usr/") == std::string::npos);
  CHECK(text.find(UVGEN_BINARY_DIR) == std::string::npos);
  CHECK(text.find("unnamed at") == std::string::npos);  // Clang's "(unnamed at file:line)"
}

TEST_CASE("schema_run_that_changes_nothing_rewrites_nothing", "[determinism]") {
  TempDir dir;
  std::string out = dir.file("uv.json");
  REQUIRE(runProcess({UVGEN_EXE, "schema", "-o", out}).exit_code == 0);
  struct stat before {};
  REQUIRE(::stat(out.c_str(), &before) == 0);
  REQUIRE(runProcess({UVGEN_EXE, "schema", "-o", out}).exit_code == 0);
  struct stat after {};
  REQUIRE(::stat(out.c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);
  CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
}

using uvgen::test::ProcessResult;

TEST_CASE("schema_default_header_is_the_system_uv_h", "[determinism]") {
  ProcessResult result = runProcess({UVGEN_EXE, "schema"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out == uvgen::test::hostSchema().text);
}

TEST_CASE("schema_builtin_headers_are_found_from_any_folder", "[determinism]") {
  TempDir dir;
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "-o", "uv.json"}, dir.path());
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(uvgen::test::readFile(dir.file("uv.json")) == uvgen::test::hostSchema().text);
}
