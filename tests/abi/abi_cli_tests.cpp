// abi-check's errors (exit 1, one line naming the file), usage errors (exit 2)
// and its report formats: text, JSON, JUnit XML and Markdown.
#include <algorithm>
#include <filesystem>

#include "abi_check_run.h"

using uvgen::test::contains;
using uvgen::test::lineCount;
using uvgen::test::AbiCheck;
using uvgen::test::AbiCheckRun;
using uvgen::test::Json;
using uvgen::test::ProcessResult;
using uvgen::test::runProcess;
using uvgen::test::Scope;
using uvgen::test::TempDir;
using uvgen::test::writeFile;

namespace {

ProcessResult abiCheck(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {UVGEN_EXE, "abi-check"};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv);
}

}  // namespace

// --- errors: exit 1 --------------------------------------------------------

TEST_CASE("input_that_is_not_a_header_is_an_error", "[abi][cli]") {
  AbiCheckRun run;
  TempDir dir;
  writeFile(dir.file("notes.h"), "These are release notes, not C.\n");
  ProcessResult result = abiCheck({"--baseline", run.baseline(), "--header", dir.file("notes.h"), "--scope", "all"});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("notes.h") + ":1:1: error:"));
  CHECK(result.out.empty());
}

TEST_CASE("missing_header_is_an_error", "[abi][cli]") {
  AbiCheckRun run;
  TempDir dir;
  ProcessResult result = abiCheck({"--baseline", run.baseline(), "--header", dir.file("uv.h"), "--scope", "all"});
  CHECK(result.exit_code == 1);
  CHECK(result.err == "uvgen abi-check: " + dir.file("uv.h") + ": No such file or directory\n");
}

TEST_CASE("missing_baseline_is_an_error", "[abi][cli]") {
  TempDir dir;
  ProcessResult result = abiCheck({"--baseline", dir.file("baseline.json"), "--header", UVGEN_SYSTEM_UV_H, "--scope", "all"});
  CHECK(result.exit_code == 1);
  CHECK(result.err == "uvgen abi-check: " + dir.file("baseline.json") + ": No such file or directory\n");
}

TEST_CASE("baseline_that_is_not_a_schema_is_an_error", "[abi][cli]") {
  AbiCheckRun run;
  ProcessResult result = abiCheck({"--baseline", run.specPath(), "--schema", run.baseline(), "--scope", "all"});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, "uvgen abi-check: " + run.specPath() + ": "));
}

TEST_CASE("schema_that_is_not_json_is_an_error", "[abi][cli]") {
  AbiCheckRun run;
  ProcessResult result = abiCheck({"--baseline", run.baseline(), "--schema", run.header(), "--scope", "all"});
  CHECK(result.exit_code == 1);
  CHECK(result.err == "uvgen abi-check: " + run.header() + ": not valid JSON\n");
}

TEST_CASE("baseline_of_another_target_is_an_error_not_a_list_of_differences", "[abi][cli]") {
  // The system uv.h parsed for i686 against the x86_64 baseline: every layout
  // differs, and the mistake is the comparison itself.
  AbiCheckRun run;
  ProcessResult result = abiCheck({"--baseline", run.baseline(), "--header", UVGEN_SYSTEM_UV_H, "--target",
                                   "i686-linux-gnu", "--scope", "all"});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, "uvgen abi-check: " + run.baseline() + ": target: the baseline is for x86_64-"));
  CHECK(contains(result.err, "(8-byte pointers), " + std::string(UVGEN_SYSTEM_UV_H) + " for i686-"));
  CHECK(contains(result.err, "(4-byte pointers); compare with the baseline of the same target\n"));
  CHECK(result.out.empty());
  // The vendor part of a triple does not make another target.
  TempDir dir;
  Json other_vendor = Json::parse(uvgen::test::readFile(run.baseline()));
  std::string triple = other_vendor["target"]["triple"];
  other_vendor["target"]["triple"] = triple.substr(0, triple.find('-')) + "-othervendor" + triple.substr(triple.find('-', triple.find('-') + 1));
  writeFile(dir.file("vendor.json"), other_vendor.dump(1));
  ProcessResult same = abiCheck({"--baseline", run.baseline(), "--schema", dir.file("vendor.json"), "--scope", "all"});
  INFO(same.err);
  CHECK(same.exit_code == 0);
}

TEST_CASE("spec_that_is_not_json_is_an_error", "[abi][cli]") {
  AbiCheckRun run;
  ProcessResult result = abiCheck({"--baseline", run.baseline(), "--schema", run.baseline(), "--spec", run.header()});
  CHECK(result.exit_code == 1);
  CHECK(result.err == "uvgen abi-check: " + run.header() + ": not valid JSON\n");
}

// Judging by a spec that names nothing would always pass.
TEST_CASE("spec_without_c_names_is_an_error", "[abi][cli]") {
  AbiCheckRun run;
  TempDir dir;
  writeFile(dir.file("modules.json"), R"({"umbrella": "uv", "modules": [{"name": "uv_pipe", "procs": []}]})");
  ProcessResult result = abiCheck({"--baseline", run.baseline(), "--schema", run.baseline(), "--spec", dir.file("modules.json")});
  CHECK(result.exit_code == 1);
  CHECK(lineCount(result.err) == 1);
  CHECK(contains(result.err, dir.file("modules.json") + ": names no C declaration"));
}

TEST_CASE("spec_naming_nothing_in_the_baseline_is_an_error", "[abi][cli]") {
  AbiCheckRun run;
  TempDir dir;
  writeFile(dir.file("modules.json"),
            R"({"umbrella": "uv", "modules": [{"name": "zmq", "procs": [{"c": "zmq_bind", "nim": "bindZmq"}]}]})");
  ProcessResult result = abiCheck({"--baseline", run.baseline(), "--schema", run.baseline(), "--spec", dir.file("modules.json")});
  CHECK(result.exit_code == 1);
  CHECK(contains(result.err, dir.file("modules.json") + ": none of the C names it uses is declared in the baseline"));
}

// --- usage errors: exit 2 --------------------------------------------------

TEST_CASE("abi_check_without_baseline_nor_uvgen_data_beside_it_is_a_usage_error", "[abi][cli]") {
  // A copy of uvgen with no share/uvgen/ beside it and no checkout above it.
  TempDir dir;
  const std::string copy = dir.file("bin/uvgen");
  std::filesystem::create_directories(dir.file("bin"));
  std::filesystem::copy_file(UVGEN_EXE, copy);
  std::filesystem::permissions(copy, std::filesystem::perms::owner_all);
  ProcessResult result = runProcess({copy, "abi-check", "--header", UVGEN_SYSTEM_UV_H, "--scope", "all"});
  CHECK(result.exit_code == 2);
  CHECK(result.err ==
        "uvgen abi-check: no --baseline given, and no share/uvgen/ beside this uvgen nor a checkout's schema/ above it; "
        "name it\n");
  CHECK(result.out.empty());
}

TEST_CASE("abi_check_from_a_build_tree_defaults_to_the_checkouts_baseline_and_spec_and_names_them", "[abi][cli]") {
  ProcessResult result = abiCheck({"--header", UVGEN_SYSTEM_UV_H});
  INFO(result.out << result.err);
  CHECK((result.exit_code == 0 || result.exit_code == 4));
  const std::string source = std::filesystem::canonical(UVGEN_SOURCE_DIR).string();
  const std::string baseline = source + "/schema/baseline/libuv-1.44.2-x86_64-linux-gnu.json";
  CHECK(result.out.rfind("abi-check of " + std::string(UVGEN_SYSTEM_UV_H) + " against " + baseline + "\n" +
                             "scope: what the module spec uses; judged for: direct, shim\n" + "baseline: " + baseline +
                             " (default: the checkout's, for x86_64-pc-linux-gnu)\n" + "spec: " + source +
                             "/schema/modules.json (default: the checkout's)\n",
                         0) == 0);
  // Named, nothing is defaulted or said to be.
  ProcessResult named = abiCheck({"--header", UVGEN_SYSTEM_UV_H, "--baseline", baseline, "--spec",
                                  source + "/schema/modules.json", "--format", "json"});
  REQUIRE((named.exit_code == 0 || named.exit_code == 4));
  CHECK(Json::parse(named.out).at("defaults") == Json::array());
  CHECK(Json::parse(abiCheck({"--header", UVGEN_SYSTEM_UV_H, "--json"}).out).at("defaults") ==
        Json::array({"baseline", "spec"}));
}

TEST_CASE("abi_check_with_schema_and_header_is_a_usage_error", "[abi][cli]") {
  ProcessResult result = abiCheck({"--baseline", "b.json", "--schema", "s.json", "--header", "uv.h", "--scope", "all"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "uvgen abi-check: give exactly one of --schema FILE and --header PATH\n");
}

TEST_CASE("abi_check_with_neither_schema_nor_header_is_a_usage_error", "[abi][cli]") {
  ProcessResult result = abiCheck({"--baseline", "b.json", "--scope", "all"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "uvgen abi-check: give exactly one of --schema FILE and --header PATH\n");
}

TEST_CASE("abi_check_unknown_scope_is_a_usage_error", "[abi][cli]") {
  ProcessResult result = abiCheck({"--baseline", "b.json", "--schema", "s.json", "--scope", "public"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "uvgen abi-check: --scope must be spec or all, not 'public'\n");
}

TEST_CASE("abi_check_unknown_format_or_json_beside_another_format_is_a_usage_error", "[abi][cli]") {
  ProcessResult unknown = abiCheck({"--baseline", "b.json", "--schema", "s.json", "--format", "html"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "uvgen abi-check: --format must be text, json, junit or markdown, not 'html'\n");
  ProcessResult both = abiCheck({"--baseline", "b.json", "--schema", "s.json", "--json", "--format", "junit"});
  CHECK(both.exit_code == 2);
  CHECK(both.err == "uvgen abi-check: --json is --format json; give one of them\n");
}

TEST_CASE("abi_check_unknown_flavour_is_a_usage_error", "[abi][cli]") {
  ProcessResult result = abiCheck({"--baseline", "b.json", "--schema", "s.json", "--scope", "all", "--flavour", "nim"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "uvgen abi-check: --flavour must be both, direct or shim, not 'nim'\n");
}

TEST_CASE("abi_check_unknown_option_is_a_usage_error", "[abi][cli]") {
  ProcessResult result = abiCheck({"--baseline", "b.json", "--schema", "s.json", "--strict"});
  CHECK(result.exit_code == 2);
  CHECK(contains(result.err, "unknown option '--strict'"));
}

// --- reports ---------------------------------------------------------------

TEST_CASE("schema_against_itself_is_identical", "[abi][cli]") {
  AbiCheckRun run;
  ProcessResult result = abiCheck({"--baseline", run.baseline(), "--schema", run.baseline(), "--scope", "all"});
  CHECK(result.exit_code == 0);
  CHECK(contains(result.out, "verdict: identical (exit 0): 0 breaking, 0 compatible, 0 not judged\n"));
}

TEST_CASE("text_report_names_each_change_with_old_and_new_value", "[abi][cli]") {
  AbiCheckRun run;
  AbiCheck check = run.checkText(
      {{"uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, int ipc);", "uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, long ipc);"},
       {"struct uv_pipe_s {", "#undef UV_PIPE_PRIVATE_FIELDS\n#define UV_PIPE_PRIVATE_FIELDS void* pipe_fname;\nstruct uv_pipe_s {"},
       {"  ssize_t result;\n", "  ssize_t result;\n  void* extra;\n"}},
      Scope::Spec);
  INFO(check.out << check.err);
  REQUIRE(check.exit_code == 12);
  CHECK(contains(check.out, "scope: what the module spec uses; judged for: direct, shim\n"));
  CHECK(contains(check.out, "\nbreaking    function_param_type_changed  uv_pipe_init parameter 3 (ipc): int -> long\n"));
  CHECK(contains(check.out,
                 "\ncompatible  field_type_changed           uv_pipe_s.pipe_fname: const char * -> void *"
                 "  (private field)\n"));
  CHECK(contains(check.out, "outside the module spec's scope, not judged:\n"));
  CHECK(contains(check.out, "\noutside     field_added                  uv_fs_s.extra: (none) -> void *extra ("));
  CHECK(contains(check.out, "\nverdict: breaking (exit 12): 1 breaking, 1 compatible, "));
}

TEST_CASE("json_report_has_the_documented_keys", "[abi][cli]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"UV_EXTERN int uv_pipe_bind(uv_pipe_t* handle, const char* name);\n", ""}}, Scope::Spec);
  REQUIRE(check.exit_code == 12);
  const Json& report = check.report;
  CHECK(report.at("baseline") == run.baseline());
  CHECK(report.at("current") == run.header());
  CHECK(report.at("scope") == "spec");
  CHECK(report.at("flavours") == Json::array({"direct", "shim"}));
  CHECK(report.at("verdict") == "breaking");
  CHECK(report.at("exit_status") == 12);
  REQUIRE(report.at("changes").size() == 1);
  const Json& change = report.at("changes").at(0);
  std::vector<std::string> keys;
  for (const auto& item : change.items()) keys.push_back(item.key());
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"declaration", "direct", "in_scope", "name", "new_value", "note", "old_value",
                                         "shim", "source", "what"});
  CHECK(report.at("strict_source") == false);
  CHECK(change.at("source") == "breaking");
  CHECK(change.at("note").is_null());
  CHECK(change.at("what") == "function_removed");
  CHECK(change.at("declaration") == "uv_pipe_bind");
}

namespace {

size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("json_is_format_json", "[abi][cli]") {
  AbiCheckRun run;
  ProcessResult json = abiCheck({"--baseline", run.baseline(), "--schema", run.baseline(), "--scope", "all", "--json"});
  ProcessResult format = abiCheck({"--baseline", run.baseline(), "--schema", run.baseline(), "--scope", "all", "--format", "json"});
  CHECK(json.exit_code == 0);
  CHECK(format.exit_code == 0);
  CHECK(json.out == format.out);
  CHECK(Json::parse(json.out).at("verdict") == "identical");
}

TEST_CASE("junit_report_has_a_test_case_per_judged_declaration_failed_where_it_breaks", "[abi][cli]") {
  AbiCheckRun run;
  // uv_pipe_bind removed (breaking), uv_pipe_init's parameter made unsigned (same layout),
  // and a field added to uv_fs_t, outside the spec's scope.
  const std::vector<uvgen::test::Edit> edits = {
      {"UV_EXTERN int uv_pipe_bind(uv_pipe_t* handle, const char* name);\n", ""},
      {"uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, int ipc);", "uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, unsigned ipc);"},
      {"  ssize_t result;\n", "  ssize_t result;\n  void* extra;\n"}};
  AbiCheck junit = run.checkFormatted(edits, Scope::Spec, {"--format", "junit"});
  REQUIRE(junit.exit_code == 12);
  const std::string& xml = junit.out;
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"uvgen abi-check of ", 0) == 0);
  CHECK(contains(xml, "\" tests=\"2\" failures=\"1\" errors=\"0\">\n"));
  CHECK(occurrences(xml, "<testcase ") == 2);
  CHECK(contains(xml, "<testcase classname=\"uvgen.abi-check\" name=\"uv_pipe_bind\">\n      <failure message=\"function_removed uv_pipe_bind: "));
  CHECK(contains(xml, "<testcase classname=\"uvgen.abi-check\" name=\"uv_pipe_init\">\n      <system-out>compatible function_param_type_changed "));
  CHECK_FALSE(contains(xml, "uv_fs_s"));  // outside the scope: not a test case
  const std::string end = "  </testsuite>\n</testsuites>\n";
  REQUIRE(xml.size() >= end.size());
  CHECK(xml.substr(xml.size() - end.size()) == end);
  // Nothing changed: one passing case.
  ProcessResult same = abiCheck({"--baseline", run.baseline(), "--schema", run.baseline(), "--scope", "all", "--format", "junit"});
  CHECK(same.exit_code == 0);
  CHECK(contains(same.out, "tests=\"1\" failures=\"0\" errors=\"0\">\n    <testcase classname=\"uvgen.abi-check\" name=\"identical\"/>\n"));
}

TEST_CASE("markdown_report_has_the_verdict_and_a_row_per_judged_change", "[abi][cli]") {
  AbiCheckRun run;
  AbiCheck markdown = run.checkFormatted({{"UV_EXTERN int uv_pipe_bind(uv_pipe_t* handle, const char* name);\n", ""}},
                                         Scope::Spec, {"--format", "markdown"});
  REQUIRE(markdown.exit_code == 12);
  CHECK(markdown.out.rfind("## uvgen abi-check: breaking\n\n", 0) == 0);
  CHECK(contains(markdown.out, "Exit 12: 1 breaking, 0 compatible, 0 not judged.\n"));
  CHECK(contains(markdown.out, "\n| verdict | what | name | old | new | note |\n| --- | --- | --- | --- | --- | --- |\n"
                               "| breaking | function_removed | uv\\_pipe\\_bind | int uv\\_pipe\\_bind(uv\\_pipe\\_t \\*handle, "
                               "const char \\*name) | (none) |  |\n"));
}
