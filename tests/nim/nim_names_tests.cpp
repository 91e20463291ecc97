// Names across the generated modules, as a program that imports the umbrella module sees them:
// a name two modules declare never stands for another module's value without a compile error,
// and the enumerator names of 0.1.0 still compile, deprecated. Both flavours, every Nim
// configuration of the build (nim_compiler.h).
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "catch.h"
#include "nim_compiler.h"

using uvgen::test::diagnostics;
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

// What a generated module declares at its top level, as its text shows it.
struct Declared {
  std::string module;
  std::string kind;        // "enumerator", "routine" or "other" (a type, const, let, template)
  std::string enum_name;   // an enumerator's enum
  std::string value;       // an enumerator's value as written
};

std::vector<std::string> moduleNames(const std::string& flavour) {
  std::vector<std::string> names;
  const std::string umbrella = readFile(nimBindingsDir(flavour) + "/uv.nim");
  static const std::regex imported(R"re(^import (.+)$)re");
  std::istringstream lines(umbrella);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, imported)) continue;
    std::stringstream list(match[1].str());
    for (std::string name; std::getline(list, name, ',');) {
      name.erase(0, name.find_first_not_of(' '));
      names.push_back(name);
    }
  }
  return names;
}

// Every exported name of every module the umbrella imports, by name.
std::multimap<std::string, Declared> declaredNames(const std::string& flavour) {
  std::multimap<std::string, Declared> names;
  static const std::regex enum_type(R"re(^  (\w+)\* \{\.size: sizeof\(cint\)\.\} = enum$)re");
  static const std::regex enumerator(R"re(^    (\w+) = (.+)$)re");
  // Routines overload by their parameters (a template with some too: the shim flavour's field
  // accessors); a template without parameters is a name for a value (an earlier enumerator name).
  static const std::regex routine(R"re(^(?:proc|func|converter|iterator|macro|template) `?([^*`(]+)`?\*\((?!\)))re");
  static const std::regex other(R"re(^(?:template (\w+)\*\(\)|  (\w+)\*))re");
  for (const std::string& module : moduleNames(flavour)) {
    std::istringstream lines(readFile(nimBindingsDir(flavour) + "/" + module + ".nim"));
    std::string in_enum;
    for (std::string line; std::getline(lines, line);) {
      std::smatch match;
      if (!in_enum.empty() && std::regex_match(line, match, enumerator)) {
        names.emplace(match[1], Declared{module, "enumerator", in_enum, match[2]});
        continue;
      }
      if (line.rfind("    ##", 0) != 0) in_enum.clear();
      if (std::regex_match(line, match, enum_type)) {
        in_enum = match[1];
        names.emplace(match[1], Declared{module, "other", "", ""});
      } else if (std::regex_search(line, match, routine)) {
        names.emplace(match[1], Declared{module, "routine", "", ""});
      } else if (std::regex_search(line, match, other)) {
        names.emplace(match[1].matched ? match[1] : match[2], Declared{module, "other", "", ""});
      }
    }
  }
  return names;
}

// The enumerators whose names two modules share, by name; fails the test for a shared name
// that is not such an enumerator everywhere (routines are overloads: `nim check` of the
// umbrella module proves they are told apart).
std::map<std::string, std::vector<Declared>> sharedEnumerators(const std::string& flavour) {
  const std::multimap<std::string, Declared> names = declaredNames(flavour);
  REQUIRE(names.size() > 500);
  std::map<std::string, std::vector<Declared>> shared;
  for (auto it = names.begin(); it != names.end(); it = names.upper_bound(it->first)) {
    std::vector<Declared> all;
    std::set<std::string> modules;
    for (auto [first, last] = names.equal_range(it->first); first != last; ++first) {
      all.push_back(first->second);
      modules.insert(first->second.module);
    }
    if (modules.size() < 2) continue;
    size_t enumerators = 0, routines = 0;
    for (const Declared& d : all) {
      enumerators += d.kind == "enumerator";
      routines += d.kind == "routine";
    }
    INFO(flavour << ": " << it->first << " is declared by " << all.size() << " declarations of " << modules.size()
                 << " modules");
    CHECK((routines == all.size() || (enumerators == all.size() && modules.size() == all.size())));
    if (enumerators == all.size()) shared[it->first] = all;
  }
  return shared;
}

ProcessResult checkProgram(const NimConfig& config, const std::string& flavour, const std::string& cache_name,
                           const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string file = dir.file(name + ".nim");
  writeFile(file, text);
  return runNim(config, "check", cache_name + "-" + flavour,
                {"--hint:Conf:off", "--hint:SuccessX:off", "--path:" + nimBindingsDir(flavour), file});
}

}  // namespace

TEST_CASE("shared_names_are_ambiguous_without_their_type", "[nim]") {
  for (const std::string& flavour : nimFlavours()) {
    const std::map<std::string, std::vector<Declared>> shared = sharedEnumerators(flavour);
    // nimnode's FSEventFlag.fsStat (2) and FSType.fsStat (6) at least.
    REQUIRE(shared.count("fsStat") == 1);
    for (const NimConfig& config : nimConfigs()) {
      TempDir dir;
      std::string typed = "import uv\n";
      for (const auto& [name, declarations] : shared) {
        // Without a type, the name is a compile error under every Nim (Nim 1.6 crashes on
        // `compiles()` of an ambiguous name, so each is a program of its own).
        INFO(config.name << ", " << flavour << " flavour: bare " << name);
        ProcessResult bare = checkProgram(config, flavour, "shared-names", dir, "bare_" + name,
                                          "import uv\nlet flags = cuint(" + name + ")\necho flags\n");
        INFO(bare.out);
        CHECK(bare.exit_code != 0);
        CHECK(bare.out.find("ambiguous identifier: '" + name + "'") != std::string::npos);
        for (const Declared& d : declarations)
          typed += "static: doAssert ord(" + d.enum_name + "." + name + ") == " + d.value + "\n";
      }
      // With its type, each name is its own module's value; a typed flags argument too.
      typed += "var watcher: FSEvent\n"
               "proc watch() {.used.} = discard start(addr watcher, nil, \"/tmp\", cuint(ord(FSEventFlag.fsStat)))\n"
               "static: doAssert cuint(FSEventFlag.fsStat) == 2 and cuint(FSType.fsStat) == 6\n";
      ProcessResult result = checkProgram(config, flavour, "shared-names", dir, "typed", typed);
      INFO(config.name << ", " << flavour << " flavour:\n" << typed << "\n" << result.out);
      CHECK(result.exit_code == 0);
      CHECK(diagnostics(result.out) == "");
    }
  }
}

TEST_CASE("enumerator_names_of_0_1_0_compile_deprecated", "[nim]") {
  // Each old name is its new one's value; the compiler says what to use instead.
  const std::string program =
      "import uv\n"
      "static:\n"
      "  doAssert pollReadable == peReadable\n"
      "  doAssert loopBlockSignal == optBlockSignal\n"
      "  doAssert fsEventStat == FSEventFlag.fsStat\n"
      "  doAssert processDetached == prcDetached\n"
      "  doAssert ttyModeRaw == ttyRaw\n"
      "  doAssert joinGroup == memberJoinGroup\n"
      "var container: StdioContainer\n"
      "container.flags = CREATE_PIPE or READABLE_PIPE\n"
      "doAssert container.flags == (cuint(stdioCreatePipe) or cuint(stdioReadablePipe))\n";
  for (const std::string& flavour : nimFlavours())
    for (const NimConfig& config : nimConfigs()) {
      TempDir dir;
      ProcessResult result = checkProgram(config, flavour, "old-names", dir, "old_names", program);
      INFO(config.name << ", " << flavour << " flavour:\n" << result.out);
      CHECK(result.exit_code == 0);
      for (const char* warning :
           {"use peReadable; pollReadable is deprecated", "use optBlockSignal; loopBlockSignal is deprecated",
            "use fsStat; fsEventStat is deprecated", "use prcDetached; processDetached is deprecated",
            "use ttyRaw; ttyModeRaw is deprecated", "use memberJoinGroup; joinGroup is deprecated",
            "use cuint(stdioCreatePipe); CREATE_PIPE is deprecated",
            "use cuint(stdioReadablePipe); READABLE_PIPE is deprecated"})
        CHECK(result.out.find(warning) != std::string::npos);
    }
}
