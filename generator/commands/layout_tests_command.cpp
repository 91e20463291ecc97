#include "commands/commands.h"
#include "diagnostics/input_error.h"
#include "plan/names.h"
#include "schema/schema_json.h"

namespace uvgen {
namespace {

// Record spellings and field names become C++ code in the test: names only.
void checkNames(const RecordLayout& record, const std::string& file, const std::string& where) {
  for (const Field& field : record.fields) {
    if (!field.name.empty() && !isCIdentifier(field.name))
      throw InputError(file, where, "field '" + field.name + "' is not a C identifier");
    if (field.type.anonymous_record) checkNames(*field.type.anonymous_record, file, where + "." + field.name);
  }
}

}  // namespace

int runLayoutTestsCommand(const ParsedArgs& args) {
  const std::string include = args.get("--include", "uv.h");
  // It is pasted into `#include <...>`: a header name, nothing that could end the directive.
  if (include.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./+-") !=
      std::string::npos)
    throw UsageError("--include must be a header name (letters, digits, _ . / + -), not '" + include + "'");
  const std::string schema_path = required(args, "--schema");
  const Schema schema = readSchemaFile(schema_path);
  for (const RecordLayout& record : schema.records) {
    if (!isCTypeSpelling(record.spelling))
      throw InputError(schema_path, "record " + record.name, "'" + record.spelling + "' is not a C type name");
    checkNames(record, schema_path, "record " + record.name);
  }
  Plan plan;  // layout tests need the schema only
  plan.schema = &schema;
  const Output output = layoutTestsOutput("", "layout_tests.cpp", include);
  writeOutput(args.get("-o"), output.render(plan).at("layout_tests.cpp"));
  return kExitOk;
}

}  // namespace uvgen
