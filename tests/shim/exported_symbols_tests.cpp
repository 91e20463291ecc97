// libuvshim exports exactly the uvshim_* functions the module spec asks for.
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "catch.h"
#include "process.h"

using uvgen::test::ProcessResult;
using uvgen::test::readFile;
using uvgen::test::runProcess;

namespace {

std::string withoutUvPrefix(const std::string& c_name) { return c_name.rfind("uv_", 0) == 0 ? c_name.substr(3) : c_name; }

// uv_pipe_t -> pipe
std::string stem(const std::string& c_name) {
  std::string s = withoutUvPrefix(c_name);
  return s.size() > 2 && s.compare(s.size() - 2, 2, "_t") == 0 ? s.substr(0, s.size() - 2) : s;
}

// Every proc of every module gets uvshim_<name>; every field of an object with
// storage, or of a referenced object, gets a getter, and a setter when writable.
std::set<std::string> symbolsTheSpecAsksFor() {
  auto spec = nlohmann::json::parse(readFile(std::string(UVGEN_SOURCE_DIR) + "/schema/modules.json"));
  const auto& shim = spec.at("shim");
  auto writable = shim.at("writable_fields").get<std::set<std::string>>();
  auto referenced = shim.value("referenced_objects", nlohmann::json::array()).get<std::set<std::string>>();
  std::set<std::string> symbols = {"uvshim_abi_version"};
  for (const auto& module : spec.at("modules")) {
    for (const auto& proc : module.value("procs", nlohmann::json::array()))
      symbols.insert("uvshim_" + withoutUvPrefix(proc.at("c").get<std::string>()));
    for (const auto& object : module.value("objects", nlohmann::json::array())) {
      std::string c_name = object.at("c").get<std::string>();
      if (!shim.at("storage").contains(c_name) && !referenced.count(c_name)) continue;
      for (const auto& field : object.value("fields", nlohmann::json::array())) {
        std::string name = field.at("c").get<std::string>();
        symbols.insert("uvshim_" + stem(c_name) + "_get_" + name);
        if (writable.count(name)) symbols.insert("uvshim_" + stem(c_name) + "_set_" + name);
      }
    }
  }
  return symbols;
}

std::set<std::string> exportedFunctions(const std::string& library) {
  ProcessResult nm = runProcess({"nm", "-D", "--defined-only", library});
  REQUIRE(nm.exit_code == 0);
  std::set<std::string> symbols;
  std::istringstream lines(nm.out);
  std::string address, kind, name;
  while (lines >> address >> kind >> name) {
    if (kind == "A") continue;  // the version node UVSHIM_2
    symbols.insert(name.substr(0, name.find('@')));
  }
  return symbols;
}

}  // namespace

TEST_CASE("shim_library_exports_exactly_the_spec_functions", "[shim]") {
  std::set<std::string> exported = exportedFunctions(UVSHIM_LIBRARY);
  std::set<std::string> expected = symbolsTheSpecAsksFor();
  for (const std::string& name : expected) CHECK(exported.count(name) == 1);
  for (const std::string& name : exported) CHECK(expected.count(name) == 1);
  CHECK(exported.size() > 90);
}

TEST_CASE("shim_library_has_a_soname_with_the_abi_version", "[shim]") {
  ProcessResult readelf = runProcess({"readelf", "-d", UVSHIM_LIBRARY});
  REQUIRE(readelf.exit_code == 0);
  CHECK(readelf.out.find("Library soname: [libuvshim.so.2]") != std::string::npos);
}
