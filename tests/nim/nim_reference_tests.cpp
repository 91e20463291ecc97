// Every declaration of ../shared/reference/nimnode-modules.md (nimnode's own node/uv/*.nim)
// compiles under its documented name in both flavours, under every Nim configuration of the
// build: the probes are generated from the reference when the test runs, so a declaration added
// there is probed at once. A type, proc, const or imported variable is probed by its module
// (`uv_pipe.Pipe`, `declared(uv_pipe.init)`); an object field through a `var` and a `ptr` of its
// object; an enumerator as `Enum.value` and by its module. Each probe that fails must be one of
// tests/nim/reference_deviations.json, and each deviation listed there must fail and name a row
// of the "Migrating from the documented modules" table (README.md or docs/).
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "catch.h"
#include "nim_compiler.h"

using nlohmann::json;
using uvgen::test::nimBindingsDir;
using uvgen::test::NimConfig;
using uvgen::test::nimConfigs;
using uvgen::test::nimFlavours;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runNim;
using uvgen::test::TempDir;
using uvgen::test::writeFile;

namespace {

const std::string kReference = std::string(UVGEN_SOURCE_DIR) + "/../shared/reference/nimnode-modules.md";

// The probes of the reference's declarations: Nim code whose warnings name each probe that
// fails ("probe: uv_udp.MemberShip.memberJoinGroup").
struct Probes {
  std::vector<std::string> modules;
  std::set<std::string> ids;  // every probe
  size_t declarations = 0;    // declarations of the reference (a field probed twice counts once)
  std::string code;
};

void probe(Probes& probes, const std::string& id, const std::string& condition, const std::string& indent = "") {
  REQUIRE(probes.ids.insert(id).second);
  probes.code += indent + "when not (" + condition + "): {.warning: \"probe: " + id + "\".}\n";
}

Probes referenceProbes() {
  Probes probes;
  static const std::regex section(R"re(^## (uv_\w+)$)re");
  static const std::regex section_keyword(R"re(^\s*(type|const|var)\s*$)re");
  static const std::regex type_line(R"re(^(\s*)(?:type )?(\w+)\*\s*(?:\{\..*?\.\}\s*)?=\s*(.*)$)re");
  static const std::regex field_line(R"re(^(\s+)(\w+)\*\s*(?:\{\..*?\.\}\s*)?:\s*(.+)$)re");
  static const std::regex proc_line(R"re(^proc (\w+)\*)re");
  static const std::regex export_line(R"re(^\s*export (.+)$)re");
  std::istringstream lines(readFile(kReference));
  std::string module, section_kind, object, enum_name;
  size_t object_indent = 0;
  bool in_code = false;
  std::set<std::string> seen;  // module.name: the reference gives uv_misc's types per OS
  auto declare = [&](const std::string& id) { return seen.insert(id).second && ++probes.declarations; };
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, section)) {
      module = match[1];
      probes.modules.push_back(module);
      continue;
    }
    if (line.rfind("```", 0) == 0) {
      in_code = line == "```nim";
      section_kind.clear();
      continue;
    }
    if (!in_code || module.empty()) continue;
    if (!enum_name.empty()) {
      // The enumerators, on the line below their enum: "peReadable = 1, peWriteable = 2".
      std::stringstream list(line.substr(0, line.find('#')));
      for (std::string item; std::getline(list, item, ',');) {
        std::string name = item.substr(0, item.find('='));
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        if (name.empty()) continue;
        const std::string id = module + "." + enum_name + "." + name;
        if (!declare(id)) continue;
        probe(probes, id, "compiles(ord(" + id + "))");
        probe(probes, id + " (by module)", "compiles(ord(" + module + "." + name + "))");
      }
      enum_name.clear();
      continue;
    }
    if (std::regex_match(line, match, section_keyword)) {
      section_kind = match[1];
      object.clear();
      continue;
    }
    if (std::regex_search(line, match, proc_line)) {
      object.clear();
      const std::string id = module + "." + match[1].str();
      if (seen.count(id)) {
        ++probes.declarations;  // an overload: declared() covers every one of a name
        continue;
      }
      declare(id);
      probe(probes, id, "declared(" + id + ")");
      continue;
    }
    if (std::regex_match(line, match, export_line)) {
      std::stringstream list(match[1].str());
      for (std::string name; std::getline(list, name, ',');) {
        name.erase(0, name.find_first_not_of(' '));
        const std::string id = module + "." + name;
        if (declare(id)) probe(probes, id, "declared(" + id + ")");
      }
      continue;
    }
    if (!object.empty() && std::regex_match(line, match, field_line) && static_cast<size_t>(match[1].length()) > object_indent) {
      const std::string id = module + "." + object + "." + match[2].str();
      if (!declare(id)) continue;
      const std::string type = module + "." + object;
      probes.code += "when declared(" + type + "):\n  proc probe" + std::to_string(probes.ids.size()) + "(v: var " +
                     type + "; p: ptr " + type + ") {.used.} =\n";
      probe(probes, id + " (var)", "compiles(v." + match[2].str() + ")", "    ");
      probe(probes, id + " (ptr)", "compiles(p." + match[2].str() + ")", "    ");
      continue;
    }
    if (section_kind == "var" && std::regex_match(line, match, field_line)) {
      const std::string id = module + "." + match[2].str();
      if (declare(id)) probe(probes, id, "compiles(" + id + ")");
      continue;
    }
    if (std::regex_match(line, match, type_line)) {
      const std::string id = module + "." + match[2].str();
      object.clear();
      if (!declare(id)) continue;
      probe(probes, id, "declared(" + id + ")");
      const std::string body = match[3];
      if (section_kind == "type" && body.rfind("object", 0) == 0) {
        object = match[2];
        object_indent = match[1].length();
      }
      if (section_kind == "type" && body.rfind("enum", 0) == 0) enum_name = match[2];
    }
  }
  return probes;
}

json deviations() {
  return json::parse(readFile(std::string(UVGEN_SOURCE_DIR) + "/tests/nim/reference_deviations.json"));
}

// The first cells of the rows of the Migrating tables, wherever the documentation keeps them.
std::set<std::string> migratingRows() {
  std::vector<std::string> files = {std::string(UVGEN_SOURCE_DIR) + "/README.md"};
  const std::string docs = std::string(UVGEN_SOURCE_DIR) + "/docs";
  if (std::filesystem::is_directory(docs))
    for (const auto& entry : std::filesystem::directory_iterator(docs))
      if (entry.path().extension() == ".md") files.push_back(entry.path().string());
  std::set<std::string> rows;
  for (const std::string& file : files) {
    std::istringstream lines(readFile(file));
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("| ", 0) == 0 && line.find(" | ", 2) != std::string::npos)
        rows.insert(line.substr(2, line.find(" | ", 2) - 2));
  }
  return rows;
}

}  // namespace

TEST_CASE("every_reference_declaration_compiles_but_the_listed_deviations", "[nim]") {
  const Probes probes = referenceProbes();
  // nimnode's 22 modules and their 513 declarations, as the reference lists them; more once it
  // lists more.
  REQUIRE(probes.modules.size() == 22);
  INFO(probes.declarations << " declarations, " << probes.ids.size() << " probes");
  CHECK(probes.declarations >= 513);
  std::string program = "import uv";
  for (const std::string& module : probes.modules) program += ", " + module;
  program += "\n" + probes.code;

  const json listed = deviations();
  std::set<std::string> expected;
  const std::set<std::string> rows = migratingRows();
  for (const json& deviation : listed.at("deviations")) {
    const std::string id = deviation.at("probe");
    INFO("deviation " << id);
    CHECK(probes.ids.count(id) == 1);
    CHECK(expected.insert(id).second);
    CHECK(rows.count(deviation.at("row").get<std::string>()) == 1);
  }

  static const std::regex warning(R"re(Warning: probe: (.+?) \[User\])re");
  for (const std::string& flavour : nimFlavours())
    for (const NimConfig& config : nimConfigs()) {
      INFO(config.name << ", " << flavour << " flavour");
      TempDir dir;
      writeFile(dir.file("probes.nim"), program);
      ProcessResult result = runNim(config, "check", "reference-probes-" + flavour,
                                    {"--hint:Conf:off", "--hint:SuccessX:off",
                                     "--path:" + nimBindingsDir(flavour), dir.file("probes.nim")});
      INFO(result.out);
      REQUIRE(result.exit_code == 0);
      std::set<std::string> failed;
      for (std::sregex_iterator it(result.out.begin(), result.out.end(), warning), end; it != end; ++it)
        failed.insert((*it)[1]);
      CHECK(failed == expected);
    }
}
