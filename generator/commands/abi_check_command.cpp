// `uvgen abi-check`: compares the schema of a uv.h with a committed baseline
// schema and exits with abidiff's bits (0 identical, 4 compatible, 12 breaking).
#include <iostream>
#include <stdexcept>

#include "abi/abi_diff.h"
#include "abi/abi_report.h"
#include "cli/files.h"
#include "commands/commands.h"
#include "extract/extract_schema.h"
#include "schema/schema_json.h"

namespace uvgen {
namespace {

// readSchemaFile names the file for most errors; make sure every one does.
Schema readSchemaNamed(const std::string& path) {
  try {
    return readSchemaFile(path);
  } catch (const std::exception& e) {
    const std::string what = e.what();
    if (what.rfind(path + ":", 0) == 0) throw;
    throw std::runtime_error(path + ": not a uvgen schema: " + what);
  }
}

AbiScope readSpecScope(const std::string& path, const Schema& baseline) {
  const Json spec = Json::parse(readTextFile(path), nullptr, false);
  if (spec.is_discarded()) throw std::runtime_error(path + ": not valid JSON");
  AbiScope scope;
  scope.whole_header = false;
  scope.spec_names = specCNames(spec);
  if (scope.spec_names.empty())
    throw std::runtime_error(path + ": names no C declaration (no member \"c\" holding a C name)");
  // A spec that names nothing in the baseline would make every check pass.
  for (const std::string& name : scope.spec_names)
    if (baseline.findFunction(name) || baseline.findRecord(name) || baseline.findTypedef(name) ||
        baseline.findEnum(name) || baseline.findMacro(name))
      return scope;
  throw std::runtime_error(path + ": none of the C names it uses is declared in the baseline");
}

std::vector<Flavour> flavoursOf(const std::string& value) {
  if (value == "both") return {Flavour::Direct, Flavour::Shim};
  if (value == "direct") return {Flavour::Direct};
  if (value == "shim") return {Flavour::Shim};
  throw UsageError("--flavour must be both, direct or shim, not '" + value + "'");
}

}  // namespace

int runAbiCheckCommand(const ParsedArgs& args) {
  const std::string baseline_path = required(args, "--baseline");
  if (args.has("--schema") == args.has("--header"))
    throw UsageError("give exactly one of --schema FILE and --header PATH");
  if (args.has("--schema") && (args.has("-I") || args.has("-D") || args.has("--target")))
    throw UsageError("-I, -D and --target apply to --header only");
  const std::string scope_name = args.get("--scope", "spec");
  if (scope_name != "spec" && scope_name != "all")
    throw UsageError("--scope must be spec or all, not '" + scope_name + "'");
  if (scope_name == "spec" && !args.has("--spec"))
    throw UsageError("--scope spec needs --spec FILE (the module spec, schema/modules.json); or use --scope all");
  if (scope_name == "all" && args.has("--spec")) throw UsageError("--spec is read with --scope spec only");
  const std::vector<Flavour> flavours = flavoursOf(args.get("--flavour", "both"));

  const Schema baseline = readSchemaNamed(baseline_path);
  const AbiScope scope = scope_name == "spec" ? readSpecScope(args.get("--spec"), baseline) : AbiScope{};

  Schema current;
  std::string current_name;
  if (args.has("--schema")) {
    current_name = args.get("--schema");
    current = readSchemaNamed(current_name);
  } else {
    ExtractOptions options;
    options.header = current_name = args.get("--header");
    options.include_dirs = args.all("-I");
    options.defines = args.all("-D");
    options.target = args.get("--target");
    readTextFile(options.header);  // a missing or unreadable header fails here, in one line
    current = extractSchema(options);
  }

  AbiReport report;
  report.baseline = baseline_path;
  report.current = current_name;
  report.scope = scope_name;
  report.flavours = flavours;
  report.changes = abiDiff(baseline, current, scope);
  report.exit_status = abiExitStatus(report.changes, flavours);
  if (args.has("--json"))
    std::cout << abiReportJson(report).dump(2) << "\n";
  else
    std::cout << abiReportText(report);
  return report.exit_status;
}

}  // namespace uvgen
