// The schema of the system uv.h, made once per test process by the real uvgen.
#pragma once

#include <string>

#include "catch.h"
#include "process.h"
#include "schema/schema_json.h"

namespace uvgen::test {

struct GeneratedSchema {
  std::string text;
  Json json;
  Schema schema;
};

// Runs `uvgen schema` with extra arguments and parses what it wrote.
inline GeneratedSchema generateSchema(const std::vector<std::string>& extra_args = {}) {
  TempDir dir;
  std::vector<std::string> argv = {UVGEN_EXE, "schema", "--header", UVGEN_SYSTEM_UV_H, "-o", dir.file("uv.json")};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  ProcessResult result = runProcess(argv);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  GeneratedSchema generated;
  generated.text = readFile(dir.file("uv.json"));
  generated.json = Json::parse(generated.text);
  generated.schema = schemaFromJson(generated.json);
  return generated;
}

inline const GeneratedSchema& hostSchema() {
  static const GeneratedSchema schema = generateSchema();
  return schema;
}

}  // namespace uvgen::test
