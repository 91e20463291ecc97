// Every generated module, the umbrella module and the examples pass `nim check` with Nim's
// style check on, without a warning (deprecations included) or a hint.
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "catch.h"
#include "nim_compiler.h"

using uvgen::test::diagnostics;
using uvgen::test::nimBindingsDir;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runNim;

namespace {

// Conf and SuccessX are the compiler's own chatter; every other hint and every warning counts.
ProcessResult nimCheck(const std::string& file, const std::string& cache_name) {
  return runNim("check", cache_name, {"--styleCheck:hint", "--hint:Conf:off", "--hint:SuccessX:off", file});
}

std::vector<std::string> nimFilesIn(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".nim") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("every_generated_module_of_both_flavours_passes_nim_check_without_warnings", "[nim]") {
  auto spec = nlohmann::json::parse(readFile(std::string(UVGEN_SOURCE_DIR) + "/schema/modules.json"));
  std::vector<std::string> modules = {spec.at("umbrella").get<std::string>()};
  for (const auto& module : spec.at("modules")) modules.push_back(module.at("name").get<std::string>());
  REQUIRE(modules.size() > 1);
  for (const std::string& flavour : uvgen::test::nimFlavours()) {
    for (const std::string& name : modules) {
      std::string module = nimBindingsDir(flavour) + "/" + name + ".nim";
      ProcessResult result = nimCheck(module, "check-" + flavour + "-" + name);
      INFO(module);
      CHECK(result.exit_code == 0);
      CHECK(diagnostics(result.out) == "");
    }
  }
}

TEST_CASE("nim_examples_pass_nim_check_without_warnings", "[nim]") {
  std::vector<std::string> examples = nimFilesIn(nimBindingsDir() + "/examples");
  REQUIRE_FALSE(examples.empty());
  for (const std::string& example : examples) {
    ProcessResult result = nimCheck(example, "check-example-" + std::filesystem::path(example).stem().string());
    INFO(example);
    CHECK(result.exit_code == 0);
    CHECK(diagnostics(result.out) == "");
  }
}
