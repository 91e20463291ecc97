// Runs the real `uvgen abi-check` on an edited copy of the system uv.h against
// the schema of another copy (unchanged unless a test edits it too). The copies
// live in a temporary folder; their `#include "uv/..."` still resolve through
// the system include path, except uv/unix.h when a test edits it too (an
// edited copy in the folder's uv/, found first for a quoted include).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catch.h"
#include "process.h"

namespace uvgen::test {

using Json = nlohmann::json;

// Replaces `from`, which must occur exactly once in the text at that point, by `to`.
struct Edit {
  std::string from;
  std::string to;
};

inline std::string edited(std::string text, const std::vector<Edit>& edits) {
  for (const Edit& edit : edits) {
    INFO("editing uv.h: " << edit.from);
    const size_t at = text.find(edit.from);
    REQUIRE(at != std::string::npos);
    REQUIRE(text.find(edit.from, at + 1) == std::string::npos);
    text.replace(at, edit.from.size(), edit.to);
  }
  return text;
}

// A line of one of uv.h's multi-line macros: padded to column 78, then a backslash.
inline std::string macroLine(const std::string& text) {
  return text + std::string(text.size() < 78 ? 78 - text.size() : 1, ' ') + "\\\n";
}

// The module spec the `--scope spec` tests judge by: one pipe module in the
// format of schema/modules.json (every C name held in a member "c").
inline const char* const kPipeSpec = R"({
  "umbrella": "uv",
  "modules": [
    {
      "name": "uv_pipe",
      "objects": [
        {"c": "uv_pipe_t", "nim": "Pipe", "fields": [{"c": "write_queue_size", "nim": "sizeOfWriteQueue"}]}
      ],
      "callbacks": [{"c": "uv_read_cb", "nim": "ReadCb"}],
      "constants": [
        {"c": "UV_EOF", "nim": "EOF"},
        {"c": "UV_VERSION_MINOR", "nim": "versionMinor"}
      ],
      "procs": [
        {"c": "uv_pipe_init", "nim": "init"},
        {"c": "uv_pipe_open", "nim": "open"},
        {"c": "uv_pipe_bind", "nim": "bindPipe"},
        {"c": "uv_pipe_chmod", "nim": "chmod"}
      ]
    }
  ]
})";

// Spec: judged by kPipeSpec; RepositorySpec: by the repository's schema/modules.json.
enum class Scope { Spec, RepositorySpec, All };

struct AbiCheck {
  int exit_code = -1;
  std::string out;
  std::string err;
  Json report;  // the --json report

  std::vector<Json> changes(const std::string& what) const {
    std::vector<Json> found;
    for (const Json& change : report.at("changes"))
      if (change.at("what") == what) found.push_back(change);
    return found;
  }
  bool has(const std::string& what, const std::string& name) const {
    for (const Json& change : changes(what))
      if (change.at("name") == name) return true;
    return false;
  }
  // The one change of this class and name.
  Json change(const std::string& what, const std::string& name) const {
    INFO("looking for " << what << " " << name << " in\n" << report.dump(2));
    std::vector<Json> found;
    for (const Json& change : changes(what))
      if (change.at("name") == name) found.push_back(change);
    REQUIRE(found.size() == 1);
    return found.front();
  }
};

// A JSON string member as text; "(null)" when null.
inline std::string value(const Json& change, const std::string& key) {
  const Json& v = change.at(key);
  return v.is_null() ? "(null)" : v.get<std::string>();
}

class AbiCheckRun {
 public:
  // The baseline: the schema of uv.h after baseline_edits (none: the system's uv.h as is).
  explicit AbiCheckRun(const std::vector<Edit>& baseline_edits = {}) {
    system_header_ = readFile(UVGEN_SYSTEM_UV_H);
    writeFile(dir_.file("uv.h"), edited(system_header_, baseline_edits));
    ProcessResult made = runProcess({UVGEN_EXE, "schema", "--header", dir_.file("uv.h"), "-o", baseline()});
    INFO(made.err);
    REQUIRE(made.exit_code == 0);
    writeFile(specPath(), kPipeSpec);
  }

  std::string baseline() const { return dir_.file("baseline.json"); }
  std::string specPath() const { return dir_.file("modules.json"); }
  std::string header() const { return dir_.file("uv.h"); }

  // abi-check --json of the system uv.h after edits against the baseline;
  // unix_edits edit a copy of uv/unix.h that it includes instead of the system's.
  AbiCheck check(const std::vector<Edit>& edits, Scope scope, const std::vector<std::string>& extra_args = {},
                 const std::vector<Edit>& unix_edits = {}) {
    writeUnixHeader(unix_edits);
    AbiCheck result = run(edits, scope, extra_args, true);
    INFO("stdout: " << result.out << "\nstderr: " << result.err);
    REQUIRE((result.exit_code == 0 || result.exit_code == 4 || result.exit_code == 12));
    result.report = Json::parse(result.out);
    REQUIRE(result.report.at("exit_status") == result.exit_code);
    return result;
  }

  // The same, with the report as extra_args ask (--format ...), not parsed.
  AbiCheck checkFormatted(const std::vector<Edit>& edits, Scope scope, const std::vector<std::string>& extra_args) {
    writeUnixHeader({});
    return run(edits, scope, extra_args, false);
  }

  // The same, with the text report.
  AbiCheck checkText(const std::vector<Edit>& edits, Scope scope) {
    writeUnixHeader({});
    return run(edits, scope, {}, false);
  }

 private:
  void writeUnixHeader(const std::vector<Edit>& unix_edits) {
    const std::string path = dir_.file("uv/unix.h");
    std::filesystem::remove_all(dir_.file("uv"));
    if (unix_edits.empty()) return;
    std::filesystem::create_directories(dir_.file("uv"));
    const std::filesystem::path system_unix_h = std::filesystem::path(UVGEN_SYSTEM_UV_H).parent_path() / "uv" / "unix.h";
    writeFile(path, edited(readFile(system_unix_h.string()), unix_edits));
  }

  AbiCheck run(const std::vector<Edit>& edits, Scope scope, const std::vector<std::string>& extra_args, bool json) {
    writeFile(header(), edited(system_header_, edits));
    std::vector<std::string> argv = {UVGEN_EXE, "abi-check", "--baseline", baseline(), "--header", header()};
    if (scope == Scope::Spec)
      argv.insert(argv.end(), {"--scope", "spec", "--spec", specPath()});
    else if (scope == Scope::RepositorySpec)
      argv.insert(argv.end(), {"--scope", "spec", "--spec", std::string(UVGEN_SOURCE_DIR) + "/schema/modules.json"});
    else
      argv.insert(argv.end(), {"--scope", "all"});
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    if (json) argv.push_back("--json");
    ProcessResult process = runProcess(argv);
    AbiCheck result;
    result.exit_code = process.exit_code;
    result.out = process.out;
    result.err = process.err;
    return result;
  }

  TempDir dir_;
  std::string system_header_;
};

// Writes the system's libuv headers into `dir` in the layout of libuv before
// 1.21: uv.h with uv-errno.h, uv-version.h, uv-unix.h, uv-linux.h,
// uv-threadpool.h, ... (tree.h and stdint-msvc2008.h under their own names)
// beside it, every `#include "uv/x.h"` rewritten to match. Returns the uv.h.
inline std::string writeFlatLibuvHeaders(const std::string& dir) {
  const std::filesystem::path system_uv_h(UVGEN_SYSTEM_UV_H);
  auto flatName = [](const std::string& name) {
    return name == "tree.h" || name == "stdint-msvc2008.h" ? name : "uv-" + name;
  };
  auto flattened = [&](std::string text) {
    const std::string from = "include \"uv/";
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
      const size_t end = text.find('"', at + from.size());
      REQUIRE(end != std::string::npos);
      const std::string name = text.substr(at + from.size(), end - at - from.size());
      text.replace(at, end + 1 - at, "include \"" + flatName(name) + "\"");
    }
    return text;
  };
  const std::filesystem::path out(dir);
  writeFile((out / "uv.h").string(), flattened(readFile(system_uv_h.string())));
  for (const auto& entry : std::filesystem::directory_iterator(system_uv_h.parent_path() / "uv"))
    writeFile((out / flatName(entry.path().filename().string())).string(), flattened(readFile(entry.path().string())));
  return (out / "uv.h").string();
}

}  // namespace uvgen::test
