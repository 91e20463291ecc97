// Names and text from a header, a schema or a spec that would change what the
// generated code means, or what a terminal shows: each is refused in one line
// naming the declaration, or shown inert.
#include <filesystem>
#include <string>
#include <vector>

#include "catch.h"
#include "changed_spec.h"
#include "process.h"
#include "text/utf8.h"

namespace fs = std::filesystem;
using uvgen::test::contains;
using uvgen::test::fileExists;
using uvgen::test::lineCount;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runProcess;
using uvgen::test::TempDir;
using uvgen::test::writeFile;

namespace {

const std::string kSpec = std::string(UVGEN_SOURCE_DIR) + "/schema/modules.json";
const std::string kBaselineX64 = std::string(UVGEN_SOURCE_DIR) + "/schema/baseline/libuv-1.44.2-x86_64-linux-gnu.json";

// Whether text holds a byte a terminal acts on (C0 other than newline and
// tab, DEL, a byte that is not UTF-8) or a C1, separator or bidi character.
bool drivesATerminal(const std::string& text) { return uvgen::terminalText(text, true) != text; }

// dir/uv.h: the system uv.h with `from` (exactly once) replaced by `to`; its
// own includes are found through -I /usr/include.
std::string changedHeader(const TempDir& dir, const std::string& from, const std::string& to) {
  std::string text = readFile(UVGEN_SYSTEM_UV_H);
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  text.replace(at, from.size(), to);
  writeFile(dir.file("uv.h"), text);
  return dir.file("uv.h");
}

// `uvgen schema` of the changed header into dir/uv.json, then `uvgen shim`
// from it with the repository's spec into dir/out.
ProcessResult shimOfChangedHeader(const TempDir& dir, const std::string& from, const std::string& to) {
  const std::string header = changedHeader(dir, from, to);
  const std::string include_dir = fs::path(UVGEN_SYSTEM_UV_H).parent_path().string();
  ProcessResult schema = runProcess({UVGEN_EXE, "schema", "--header", header, "-I", include_dir, "-o", dir.file("uv.json")});
  INFO(schema.err);
  REQUIRE(schema.exit_code == 0);
  return runProcess({UVGEN_EXE, "shim", "--schema", dir.file("uv.json"), "--spec", kSpec, "-o", dir.file("out")});
}

// The system schema in dir/uv.json, and the repository's spec with one change
// in dir/schema/modules.json.
void prepareSpec(const TempDir& dir, const std::string& from, const std::string& to) {
  REQUIRE(runProcess({UVGEN_EXE, "schema", "-o", dir.file("uv.json")}).exit_code == 0);
  uvgen::test::writeChangedSpec(dir, from, to);
}

ProcessResult uvgenIn(const TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {UVGEN_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv, dir.path());
}

}  // namespace

TEST_CASE("a_header_parameter_named_like_the_shims_default_name_is_one_line", "[hostile][shim]") {
  // uv_pipe_open's first parameter has no name: the shim calls it arg0.
  TempDir dir;
  ProcessResult result = shimOfChangedHeader(dir, "uv_pipe_open(uv_pipe_t*, uv_file file)", "uv_pipe_open(uv_pipe_t*, uv_file arg0)");
  CHECK(result.exit_code == 1);
  CHECK(result.err == "uvgen shim: " + kSpec + ": shim: function uv_pipe_open: two parameters are named arg0\n");
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("a_header_parameter_named_like_a_name_the_shims_code_uses_is_one_line", "[hostile][shim]") {
  struct Case {
    std::string name, why;
  };
  const std::vector<Case> cases = {
      {"UV_EINVAL", "takes libuv's prefix uv, which the shim's own names use"},
      {"uvshim_pipe_open", "takes libuv's prefix uv, which the shim's own names use"},
      {"FD", "has no lower-case letter: a macro's name in C (EINVAL, NULL)"},
      {"result", "is a name the shim's code uses"},
      {"_file", "starts with an underscore, which C reserves"},
      {"int32_t", "is a name the shim's code uses"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    TempDir dir;
    ProcessResult result =
        shimOfChangedHeader(dir, "uv_pipe_open(uv_pipe_t*, uv_file file)", "uv_pipe_open(uv_pipe_t* handle, uv_file " + c.name + ")");
    CHECK(result.exit_code == 1);
    CHECK(result.err == "uvgen shim: " + kSpec + ": shim: function uv_pipe_open: parameter " + c.name + " " + c.why + "\n");
    CHECK_FALSE(fileExists(dir.file("out")));
  }
}

TEST_CASE("a_callback_parameter_named_like_a_local_of_another_is_one_line", "[hostile][shim]") {
  // The trampoline of uv_read_cb keeps a converted buffer in buf_shim.
  TempDir dir;
  ProcessResult result = shimOfChangedHeader(dir, "typedef void (*uv_read_cb)(uv_stream_t* stream,\n                           ssize_t nread,\n                           const uv_buf_t* buf);",
                                             "typedef void (*uv_read_cb)(uv_stream_t* buf_shim,\n                           ssize_t nread,\n                           const uv_buf_t* buf);");
  CHECK(result.exit_code == 1);
  CHECK(result.err == "uvgen shim: " + kSpec + ": shim: callback uv_read_cb: parameter buf_shim is the name the shim gives a local of parameter buf\n");
  CHECK_FALSE(fileExists(dir.file("out")));
}

TEST_CASE("spec_names_that_the_generated_modules_take_from_elsewhere_are_one_line", "[hostile][nim]") {
  struct Case {
    std::string from, to, expected;
  };
  const std::vector<Case> cases = {
      {"{\"c\": \"uv_pipe_t\", \"nim\": \"Pipe\",", "{\"c\": \"uv_pipe_t\", \"nim\": \"cint\",",
       "module uv_pipe: type uv_pipe_t: 'cint' is a type of Nim's system module, which the generated modules use"},
      {"{\"c\": \"uv_pipe_t\", \"nim\": \"Pipe\",", "{\"c\": \"uv_pipe_t\", \"nim\": \"pointer\",",
       "module uv_pipe: type uv_pipe_t: 'pointer' is a type of Nim's system module, which the generated modules use"},
      {"{\"c\": \"uv_pipe\", \"nim\": \"pipe\",", "{\"c\": \"uv_pipe\", \"nim\": \"uvshimHeader\",",
       "module uv_pipe: function uv_pipe: 'uvshimHeader' is the constant the shim module declares for the other modules"},
      {"{\"c\": \"uv_pipe\", \"nim\": \"pipe\",", "{\"c\": \"uv_pipe\", \"nim\": \"copyMem\",",
       "module uv_pipe: function uv_pipe: 'copyMem' is a routine of Nim's system module, which the generated modules call"},
      {"\"name\": \"uv_pipe\",", "\"name\": \"posix\",",
       "module posix: module name: 'posix' is a module the generated modules import"},
      {"\"umbrella\": \"uv\",", "\"umbrella\": \"uvshim\",",
       "umbrella: the umbrella module: 'uvshim' is a module the generated modules import"},
      {"\"umbrella\": \"uv\",", "\"umbrella\": \"system\",",
       "umbrella: the umbrella module: 'system' is a module the generated modules import"},
  };
  for (const Case& c : cases) {
    INFO(c.to);
    for (const char* flavour : {"shim", "direct"}) {
      INFO(flavour);
      TempDir dir;
      prepareSpec(dir, c.from, c.to);
      ProcessResult result =
          uvgenIn(dir, {"nim", "--schema", "uv.json", "--spec", "schema/modules.json", "--flavour", flavour, "-o", "out"});
      CHECK(result.exit_code == 1);
      CHECK(result.err == "uvgen nim: schema/modules.json: " + c.expected + "\n");
      CHECK_FALSE(fileExists(dir.file("out")));
    }
  }
}

TEST_CASE("a_target_schema_of_another_libuv_release_is_one_line", "[hostile][shim]") {
  TempDir dir;
  REQUIRE(runProcess({UVGEN_EXE, "schema", "-o", dir.file("uv.json")}).exit_code == 0);
  fs::create_directories(dir.file("schema/baseline"));
  writeFile(dir.file("schema/modules.json"), readFile(kSpec));
  for (const auto& entry : fs::directory_iterator(std::string(UVGEN_SOURCE_DIR) + "/schema/baseline")) {
    std::string text = readFile(entry.path().string());
    if (entry.path().filename() == "libuv-1.44.2-i686-linux-gnu.json") {
      const std::string version = "\"libuv\": {\n    \"major\": 1,\n    \"minor\": 44,";
      REQUIRE(contains(text, version));
      text.replace(text.find(version), version.size(), "\"libuv\": {\n    \"major\": 1,\n    \"minor\": 20,");
    }
    writeFile(dir.file("schema/baseline/" + entry.path().filename().string()), text);
  }
  ProcessResult result = uvgenIn(dir, {"shim", "--schema", "uv.json", "--spec", "schema/modules.json", "-o", "out"});
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        "uvgen shim: schema/baseline/libuv-1.44.2-i686-linux-gnu.json: libuv: the schema of libuv 1.20.2 on "
        "i686-unknown-linux-gnu cannot check a shim of libuv 1.44.2; write it again from libuv 1.44.2's uv.h with "
        "`uvgen schema --target i686-unknown-linux-gnu`\n");
  CHECK_FALSE(fileExists(dir.file("out")));
  // The same release series with another patch level checks the shim as before.
  std::string text = readFile(dir.file("schema/baseline/libuv-1.44.2-i686-linux-gnu.json"));
  const std::string changed = "\"minor\": 20,\n    \"patch\": 2";
  REQUIRE(contains(text, changed));
  text.replace(text.find(changed), changed.size(), "\"minor\": 44,\n    \"patch\": 1");
  writeFile(dir.file("schema/baseline/libuv-1.44.2-i686-linux-gnu.json"), text);
  result = uvgenIn(dir, {"shim", "--schema", "uv.json", "--spec", "schema/modules.json", "-o", "out"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(readFile(dir.file("out/uvshim.h")) == readFile(std::string(UVGEN_SOURCE_DIR) + "/shim/uvshim.h"));
}

TEST_CASE("error_lines_escape_c1_controls_bidi_overrides_and_bytes_that_are_not_utf8", "[hostile][cli]") {
  // CSI as a C1 control (U+009B) and as a lone byte, RIGHT-TO-LEFT OVERRIDE, LINE SEPARATOR.
  const std::string name = "/nonexistent/a\xc2\x9b" "31m\x9b" "b\xe2\x80\xae" "c\xe2\x80\xa8" "d.h";
  ProcessResult result = runProcess({UVGEN_EXE, "schema", "--header", name});
  CHECK(result.exit_code == 1);
  CHECK(result.err == "uvgen schema: /nonexistent/a\\u009b31m\\x9bb\\u202ec\\u2028d.h: No such file or directory\n");
  CHECK_FALSE(drivesATerminal(result.err));
  CHECK(lineCount(result.err) == 1);
}

TEST_CASE("terminal_text_escapes_what_drives_a_terminal_and_keeps_the_rest", "[hostile][cli]") {
  CHECK(uvgen::terminalText("plain text, caf\xc3\xa9, \xe2\x82\xac") == "plain text, caf\xc3\xa9, \xe2\x82\xac");
  CHECK(uvgen::terminalText("a\nb\tc\x1b[2J\x7f") == "a\\nb\\tc\\x1b[2J\\x7f");
  CHECK(uvgen::terminalText("a\nb\tc", true) == "a\nb\tc");
  CHECK(uvgen::terminalText("\xc2\x85\xc2\x9b\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f\xe2\x80\xa9\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9") ==
        "\\u0085\\u009b\\u061c\\u200e\\u200f\\u2029\\u202a\\u2066\\u2069");
  CHECK(uvgen::terminalText("\xe2\x82") == "\\xe2\\x82");  // a truncated sequence
}

TEST_CASE("comment_text_makes_separators_and_bidi_overrides_spaces", "[hostile][nim]") {
  CHECK(uvgen::commentText("one\xe2\x80\xa8two\xc2\x85three\xe2\x80\xae four\r\nfive\rsix\x1b") ==
        "one two three  four\nfive\nsix ");
  CHECK(uvgen::commentText("caf\xc3\xa9 \xe2\x82\xac") == "caf\xc3\xa9 \xe2\x82\xac");
}

TEST_CASE("nim_doc_comments_carry_no_line_separator_or_bidi_override", "[hostile][nim]") {
  TempDir dir;
  prepareSpec(dir, "\"doc\": \"Pipe handle type.\"",
              "\"doc\": \"Pipe\\u2028handle\\u2029type\\u0085and\\u202e more\\u2066.\"");
  ProcessResult result = uvgenIn(dir, {"nim", "--schema", "uv.json", "--spec", "schema/modules.json", "-o", "out"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const std::string module = readFile(dir.file("out/uv_pipe.nim"));
  CHECK(contains(module, "    ## Pipe handle type and more .\n"));
  CHECK_FALSE(drivesATerminal(module));
}

TEST_CASE("abi_check_json_names_a_file_that_is_not_utf8_without_a_json_library_message", "[hostile][abi]") {
  TempDir dir;
  const std::string latin1 = dir.file("caf\xe9.json");
  writeFile(latin1, readFile(kBaselineX64));
  ProcessResult result =
      runProcess({UVGEN_EXE, "abi-check", "--baseline", kBaselineX64, "--schema", latin1, "--scope", "all", "--json"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(contains(result.out, "caf\\ufffd.json\""));
  CHECK(contains(result.out, "\"verdict\": \"identical\""));
  CHECK_FALSE(contains(result.out + result.err, "json.exception"));
}

TEST_CASE("abi_check_text_report_shows_control_and_bidi_characters_in_names_escaped", "[hostile][abi]") {
  TempDir dir;
  // An OSC sequence that retitles a terminal, a clear screen, a CSI and a bidi override.
  const std::string name = dir.file("uv\x1b]0;owned\x07\x1b[2J\xc2\x9b\xe2\x80\xae.json");
  writeFile(name, readFile(kBaselineX64));
  ProcessResult result = runProcess({UVGEN_EXE, "abi-check", "--baseline", kBaselineX64, "--schema", name, "--scope", "all"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(contains(result.out, "uv\\x1b]0;owned\\x07\\x1b[2J\\u009b\\u202e.json against"));
  CHECK_FALSE(drivesATerminal(result.out));
}

TEST_CASE("generate_check_shows_a_committed_file_with_control_characters_escaped", "[hostile][cli]") {
  TempDir dir;
  fs::create_directories(dir.file("schema/baseline"));
  writeFile(dir.file("schema/modules.json"), readFile(kSpec));
  for (const auto& entry : fs::directory_iterator(std::string(UVGEN_SOURCE_DIR) + "/schema/baseline"))
    writeFile(dir.file("schema/baseline/" + entry.path().filename().string()), readFile(entry.path().string()));
  ProcessResult made = runProcess({UVGEN_EXE, "generate", "--root", dir.path()});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  const std::string header = dir.file("shim/uvshim.h");
  writeFile(header, readFile(header) + "\x1b]0;owned\x07\x1b[2J\xc2\x9b\xe2\x80\xae\n");
  ProcessResult result = runProcess({UVGEN_EXE, "generate", "--root", dir.path(), "--check"});
  CHECK(result.exit_code == 1);
  CHECK(contains(result.out, "-\\x1b]0;owned\\x07\\x1b[2J\\u009b\\u202e\n"));
  CHECK_FALSE(drivesATerminal(result.out));
}
