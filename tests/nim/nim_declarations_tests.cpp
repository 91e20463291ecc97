// Every declaration of the module documents exists in the generated module under its documented
// name, bound to the right C symbol (an enum with each documented enumerator and its value), as
// Nim's own `nim jsondoc` sees the module: the three seed documents (uv_pipe, uv_stream, uv_tcp)
// and every other module of ../shared/reference/nimnode-modules.md that is listed in the data file
// (tests/nim/documented_declarations.json). Where a module differs from its document on purpose,
// the data file lists what is generated and names the README row (Migrating from the documented
// modules) that says why. Each Nim configuration of the build (nim_compiler.h) reads the module in
// its own section.
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "catch.h"
#include "nim_compiler.h"

using nlohmann::json;
using uvgen::test::diagnostics;
using uvgen::test::nimBindingsDir;
using uvgen::test::NimConfig;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runNim;
using uvgen::test::TempDir;

namespace {

// The entries of `nim jsondoc` for one module, by name (overloads share a name).
std::multimap<std::string, json> jsondocEntries(const NimConfig& config, const std::string& module) {
  TempDir dir;
  std::string out = dir.file(module + ".json");
  ProcessResult result = runNim(config, "jsondoc", "jsondoc-" + module,
                                {"--hint:Conf:off", "--hint:SuccessX:off", "-o:" + out, nimBindingsDir("direct") + "/" + module + ".nim"});
  INFO(result.out);
  REQUIRE(result.exit_code == 0);
  CHECK(diagnostics(result.out) == "");  // doc comments are valid RST
  const json doc = json::parse(readFile(out));
  std::multimap<std::string, json> entries;
  for (const json& entry : doc.at("entries")) entries.emplace(entry.at("name").get<std::string>(), entry);
  return entries;
}

// The C name in the first `importc: "..."` of a line of Nim code.
std::string importcOf(const std::string& line) {
  std::smatch match;
  static const std::regex importc("importc: \"([^\"]+)\"");
  return std::regex_search(line, match, importc) ? match[1].str() : "";
}

// Field name -> C name, from the rendered object ("  loop* {.importc: "loop".}: ptr Loop").
std::map<std::string, std::string> objectFields(const std::string& code) {
  std::map<std::string, std::string> fields;
  static const std::regex field(R"re(^\s+(\w+)\* \{\.importc: "([^"]+)"\.\})re");
  std::istringstream lines(code);
  std::string line;
  std::getline(lines, line);  // the type itself
  while (std::getline(lines, line)) {
    std::smatch match;
    if (std::regex_search(line, match, field)) fields[match[1]] = match[2];
  }
  return fields;
}

// Enumerator -> value (this OS's, as written), from the rendered enum
// ("PollEvent {.size: sizeof(cint).} = enum\n  peReadable = 1, peWriteable = 2, ...", a value that
// differs on Windows as "(when defined(windows): 19 else: 11)").
std::map<std::string, std::string> enumValues(const std::string& code) {
  std::map<std::string, std::string> values;
  static const std::regex value(R"re((\w+) = (?:\(when defined\(windows\): -?\d+ else: )?(-?\d+))re");
  std::string body = code.substr(code.find('\n') == std::string::npos ? code.size() : code.find('\n'));
  for (std::sregex_iterator it(body.begin(), body.end(), value), end; it != end; ++it) values[(*it)[1]] = (*it)[2];
  return values;
}

// Parameter names of a rendered proc type ("ReadCb = proc (handle: ptr Stream; ...) {.cdecl.}").
std::vector<std::string> procTypeParams(const std::string& code) {
  std::vector<std::string> names;
  size_t open = code.find("proc (");
  if (open == std::string::npos) return names;
  std::string params = code.substr(open + 6, code.find(')', open) - open - 6);
  static const std::regex name(R"re((?:^|;\s*)(\w+):)re");
  for (std::sregex_iterator it(params.begin(), params.end(), name), end; it != end; ++it) names.push_back((*it)[1]);
  return names;
}

// The pragmas of a rendered proc type: "cdecl" of "... {.cdecl.}", which jsondoc wraps as
// "{.\n    cdecl.}" when the line is long.
std::vector<std::string> procTypePragmas(const std::string& code) {
  std::vector<std::string> pragmas;
  size_t open = code.rfind("{.");
  size_t close = code.rfind(".}");
  if (open == std::string::npos || close == std::string::npos || close < open) return pragmas;
  static const std::regex pragma(R"re([^,\s]+)re");
  std::string list = code.substr(open + 2, close - open - 2);
  for (std::sregex_iterator it(list.begin(), list.end(), pragma), end; it != end; ++it) pragmas.push_back(it->str());
  return pragmas;
}

json documentedDeclarations() {
  return json::parse(readFile(std::string(UVGEN_SOURCE_DIR) + "/tests/nim/documented_declarations.json"));
}

json documentedModule(const std::string& module) {
  const json data = documentedDeclarations();
  for (const json& entry : data.at("modules"))
    if (entry.at("module") == module) return entry;
  FAIL("tests/nim/documented_declarations.json has no module " << module);
  return {};
}

// The modules that have a test case below, in the data file's order (the seed documents', then
// the reference's); the data file lists exactly these.
const std::vector<std::string> checkedModules = {
    "uv_pipe", "uv_stream", "uv_tcp",
    "uv_misc", "uv_version", "uv_error", "uv_loop", "uv_handle", "uv_request",
    "uv_timer", "uv_idle", "uv_prepare", "uv_check", "uv_async", "uv_signal", "uv_poll", "uv_fs_event", "uv_fs_poll",
    "uv_tty", "uv_udp", "uv_dns", "uv_process"};

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) result.push_back(line);
  return result;
}

// The C name a `let` imports. Nim 2 renders a let's pragmas in its jsondoc entry; Nim 1.6 renders
// only "E2BIG: cint", so then the name comes from the module's line that the entry points at.
std::string letImportc(const json& entry, const std::vector<std::string>& source_lines) {
  std::string importc = importcOf(entry.at("code"));
  if (!importc.empty()) return importc;
  size_t line = entry.at("line").get<size_t>();
  REQUIRE(line >= 1);
  REQUIRE(line <= source_lines.size());
  const std::string& source = source_lines[line - 1];
  INFO("line " << line << ": " << source);
  REQUIRE(source.find(entry.at("name").get<std::string>() + "*") != std::string::npos);
  return importcOf(source);
}

void checkDocumentedDeclarations(const NimConfig& config, const std::string& module) {
  const json documented = documentedModule(module);
  static const std::set<std::string> known_keys = {"module", "differences", "enums", "objects", "callbacks", "procs", "consts", "lets"};
  for (const auto& [key, value] : documented.items()) {
    INFO(module << ": key " << key);
    CHECK(known_keys.count(key) == 1);
  }
  for (const json& difference : documented.at("differences")) CHECK(difference.is_string());
  const std::multimap<std::string, json> entries = jsondocEntries(config, module);
  auto entriesNamed = [&](const std::string& name, const std::string& kind) {
    std::vector<json> found;
    for (auto [it, end] = entries.equal_range(name); it != end; ++it)
      if (it->second.at("type") == kind) found.push_back(it->second);
    return found;
  };

  for (const json& e : documented.value("enums", json::array())) {
    std::string name = e.at("nim");
    INFO(module << ": enum " << name);
    std::vector<json> found = entriesNamed(name, "skType");
    REQUIRE(found.size() == 1);
    std::map<std::string, std::string> values = enumValues(found[0].at("code"));
    for (const auto& [enumerator, value] : e.at("values").items()) {
      INFO("enumerator " << enumerator);
      REQUIRE(values.count(enumerator) == 1);
      CHECK(values.at(enumerator) == std::to_string(value.get<int64_t>()));
    }
  }
  for (const json& object : documented.at("objects")) {
    std::string name = object.at("nim");
    INFO(module << ": type " << name);
    std::vector<json> found = entriesNamed(name, "skType");
    REQUIRE(found.size() == 1);
    std::string code = found[0].at("code");
    CHECK(importcOf(code.substr(0, code.find('\n'))) == object.at("importc"));
    std::map<std::string, std::string> fields = objectFields(code);
    for (const json& field : object.at("fields")) {
      INFO("field " << field.at("nim").get<std::string>());
      REQUIRE(fields.count(field.at("nim")) == 1);
      CHECK(fields.at(field.at("nim")) == field.at("importc"));
    }
  }
  for (const json& callback : documented.at("callbacks")) {
    std::string name = callback.at("nim");
    INFO(module << ": callback " << name);
    std::vector<json> found = entriesNamed(name, "skType");
    REQUIRE(found.size() == 1);
    std::string code = found[0].at("code");
    CHECK(procTypePragmas(code) == std::vector<std::string>{"cdecl"});
    CHECK(procTypeParams(code) == callback.at("params").get<std::vector<std::string>>());
  }
  for (const json& proc : documented.at("procs")) {
    std::string name = proc.at("nim");
    INFO(module << ": proc " << name << " importing " << proc.at("importc").get<std::string>());
    int bound = 0;
    for (const json& entry : entriesNamed(name, "skProc"))
      if (importcOf(entry.at("code")) == proc.at("importc")) ++bound;
    CHECK(bound == proc.value("overloads", 1));
  }
  for (const json& constant : documented.value("consts", json::array())) {
    std::string name = constant.at("nim");
    INFO(module << ": const " << name);
    CHECK(entriesNamed(name, "skConst").size() == 1);
  }
  const std::vector<std::string> source_lines = splitLines(readFile(nimBindingsDir("direct") + "/" + module + ".nim"));
  for (const json& let : documented.value("lets", json::array())) {
    std::string name = let.at("nim");
    INFO(module << ": let " << name << " importing " << let.at("importc").get<std::string>());
    std::vector<json> found = entriesNamed(name, "skLet");
    REQUIRE(found.size() == 1);
    CHECK(letImportc(found[0], source_lines) == let.at("importc"));
  }
}

}  // namespace

TEST_CASE("documented_declarations_json_lists_exactly_the_modules_with_a_test_case", "[nim][jsondoc]") {
  const json data = documentedDeclarations();
  std::vector<std::string> listed;
  for (const json& entry : data.at("modules")) listed.push_back(entry.at("module"));
  CHECK(listed == checkedModules);
}

TEST_CASE("uv_pipe_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_pipe"); }
}

TEST_CASE("uv_stream_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_stream"); }
}

TEST_CASE("uv_tcp_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_tcp"); }
}

TEST_CASE("uv_misc_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_misc"); }
}

TEST_CASE("uv_version_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_version"); }
}

TEST_CASE("uv_error_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_error"); }
}

TEST_CASE("uv_loop_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_loop"); }
}

TEST_CASE("uv_handle_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_handle"); }
}

TEST_CASE("uv_request_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_request"); }
}

TEST_CASE("uv_timer_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_timer"); }
}

TEST_CASE("uv_idle_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_idle"); }
}

TEST_CASE("uv_prepare_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_prepare"); }
}

TEST_CASE("uv_check_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_check"); }
}

TEST_CASE("uv_async_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_async"); }
}

TEST_CASE("uv_signal_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_signal"); }
}

TEST_CASE("uv_poll_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_poll"); }
}

TEST_CASE("uv_fs_event_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_fs_event"); }
}

TEST_CASE("uv_fs_poll_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_fs_poll"); }
}

TEST_CASE("uv_tty_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_tty"); }
}

TEST_CASE("uv_udp_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_udp"); }
}

TEST_CASE("uv_dns_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_dns"); }
}

TEST_CASE("uv_process_has_every_declaration_of_its_document", "[nim][jsondoc]") {
  for (const NimConfig& config : uvgen::test::nimConfigs())
    DYNAMIC_SECTION(config.name) { checkDocumentedDeclarations(config, "uv_process"); }
}
