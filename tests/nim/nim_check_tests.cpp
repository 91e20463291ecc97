// Every generated module, the umbrella module and the examples pass `nim check` with Nim's
// style check on, without a warning (deprecations included) or a hint, under every Nim
// configuration of the build (nim_compiler.h).
#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "catch.h"
#include "nim_compiler.h"

using uvgen::test::diagnostics;
using uvgen::test::nimBindingsDir;
using uvgen::test::NimConfig;
using uvgen::test::nimConfigs;
using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runNim;

namespace {

// One `nim check` of a file under a configuration, and what it gave.
struct Check {
  const NimConfig* config;
  std::string file;
  std::string cache_name;
  ProcessResult result;
};

// Conf and SuccessX are the compiler's own chatter; every other hint and every warning counts.
ProcessResult nimCheck(const NimConfig& config, const std::string& file, const std::string& cache_name) {
  return runNim(config, "check", cache_name, {"--styleCheck:hint", "--hint:Conf:off", "--hint:SuccessX:off", file});
}

// Runs the checks, as many at once as the machine has cores (each in its own cache); the
// results are asserted afterwards, on the test's own thread.
void runChecks(std::vector<Check>& checks) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < checks.size();) {
      Check& check = checks[i];
      try {
        check.result = nimCheck(*check.config, check.file, check.cache_name);
      } catch (const std::exception& e) {
        check.result.out = std::string("could not run nim check: ") + e.what();
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned n = std::max(1u, std::thread::hardware_concurrency()); n > 0; --n) workers.emplace_back(worker);
  for (std::thread& thread : workers) thread.join();
}

void checkAll(std::vector<Check>& checks) {
  runChecks(checks);
  for (const Check& check : checks) {
    INFO(check.config->name << ": " << check.file);
    CHECK(check.result.exit_code == 0);
    CHECK(diagnostics(check.result.out) == "");
  }
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
  std::vector<Check> checks;
  for (const NimConfig& config : nimConfigs())
    for (const std::string& flavour : uvgen::test::nimFlavours())
      for (const std::string& name : modules)
        checks.push_back({&config, nimBindingsDir(flavour) + "/" + name + ".nim", "check-" + flavour + "-" + name, {}});
  checkAll(checks);
}

TEST_CASE("nim_examples_pass_nim_check_without_warnings", "[nim]") {
  std::vector<std::string> examples = nimFilesIn(nimBindingsDir() + "/examples");
  REQUIRE_FALSE(examples.empty());
  std::vector<Check> checks;
  for (const NimConfig& config : nimConfigs())
    for (const std::string& example : examples)
      checks.push_back({&config, example, "check-example-" + std::filesystem::path(example).stem().string(), {}});
  checkAll(checks);
}
