// Every declaration of the three module documents exists in the generated module under its
// documented name, bound to the right C symbol, as Nim's own `nim jsondoc` sees the module.
// The data file lists the documents' declarations (tests/nim/documented_declarations.json).
// Each Nim configuration of the build (nim_compiler.h) reads the module in its own section.
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
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

json documentedModule(const std::string& module) {
  json data = json::parse(readFile(std::string(UVGEN_SOURCE_DIR) + "/tests/nim/documented_declarations.json"));
  for (const json& entry : data.at("modules"))
    if (entry.at("module") == module) return entry;
  FAIL("tests/nim/documented_declarations.json has no module " << module);
  return {};
}

void checkDocumentedDeclarations(const NimConfig& config, const std::string& module) {
  const json documented = documentedModule(module);
  const std::multimap<std::string, json> entries = jsondocEntries(config, module);
  auto entriesNamed = [&](const std::string& name, const std::string& kind) {
    std::vector<json> found;
    for (auto [it, end] = entries.equal_range(name); it != end; ++it)
      if (it->second.at("type") == kind) found.push_back(it->second);
    return found;
  };

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
    CHECK(code.find("{.cdecl.}") != std::string::npos);
    CHECK(procTypeParams(code) == callback.at("params").get<std::vector<std::string>>());
  }
  for (const json& proc : documented.at("procs")) {
    std::string name = proc.at("nim");
    INFO(module << ": proc " << name << " importing " << proc.at("importc").get<std::string>());
    int bound = 0;
    for (const json& entry : entriesNamed(name, "skProc"))
      if (importcOf(entry.at("code")) == proc.at("importc")) ++bound;
    CHECK(bound == 1);
  }
}

}  // namespace

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
