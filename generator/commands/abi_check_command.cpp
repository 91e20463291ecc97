// `uvgen abi-check`: compares the schema of a uv.h with a committed baseline
// schema and exits with abidiff's bits (0 identical, 4 compatible, 12 breaking).
#include <iostream>

#include "abi/abi_diff.h"
#include "abi/abi_report.h"
#include "commands/commands.h"
#include "diagnostics/input_error.h"
#include "extract/extract_schema.h"
#include "module_spec/module_spec.h"
#include "schema/schema_json.h"

namespace uvgen {
namespace {

// The C names the spec uses, read with the spec's own reader. The spec is not
// checked against either schema: a declaration the current header lacks is a
// change to report, not an error.
AbiScope specScope(const std::string& path, const Schema& baseline) {
  const ModuleSpec spec = readModuleSpecFile(path);
  AbiScope scope;
  scope.whole_header = false;
  scope.spec_names = spec.cNames();
  if (scope.spec_names.empty()) throw InputError(path, "", "names no C declaration (no member \"c\" holding a C name)");
  // A spec that names nothing in the baseline would make every check pass.
  for (const std::string& name : scope.spec_names)
    if (baseline.findFunction(name) || baseline.findRecord(name) || baseline.findTypedef(name) ||
        baseline.findEnum(name) || baseline.findMacro(name))
      return scope;
  throw InputError(path, "", "none of the C names it uses is declared in the baseline");
}

std::vector<Flavour> flavoursOf(const std::string& value) {
  if (value == "both") return allFlavours();
  if (std::optional<Flavour> flavour = flavourFromName(value)) return {*flavour};
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

  const Schema baseline = readSchemaFile(baseline_path);
  const AbiScope scope = scope_name == "spec" ? specScope(args.get("--spec"), baseline) : AbiScope{};

  Schema current;
  std::string current_name;
  if (args.has("--schema")) {
    current_name = args.get("--schema");
    current = readSchemaFile(current_name);
  } else {
    ExtractOptions options;
    options.header = current_name = args.get("--header");
    options.include_dirs = args.all("-I");
    options.defines = args.all("-D");
    options.keep_clang_memory = true;  // the command exits soon after
    options.target = args.get("--target");
    readTextFile(options.header);  // a missing or unreadable header fails here, in one line
    current = extractSchema(options);
  }

  // Like with like: layouts of two targets differ everywhere, and a list of
  // those differences would hide the mistake.
  if (!sameTarget(baseline.target, current.target))
    throw InputError(baseline_path, "target",
                     "the baseline is for " + baseline.target.triple + " (" + std::to_string(baseline.target.pointer_size) +
                         "-byte pointers), " + current_name + " for " + current.target.triple + " (" +
                         std::to_string(current.target.pointer_size) +
                         "-byte pointers); compare with the baseline of the same target");

  AbiReport report;
  report.baseline = baseline_path;
  report.current = current_name;
  report.scope = scope_name;
  report.flavours = flavours;
  report.strict_source = args.has("--strict-source");
  report.changes = abiDiff(baseline, current, scope);
  report.exit_status = abiExitStatus(report.changes, flavours, report.strict_source);
  // JSON in ASCII: a file name that is not UTF-8 shows its bytes as U+FFFD
  // and names can carry no control or formatting character to a terminal.
  if (args.has("--json"))
    std::cout << abiReportJson(report).dump(2, ' ', true, Json::error_handler_t::replace) << "\n";
  else
    std::cout << abiReportText(report);
  return report.exit_status;
}

}  // namespace uvgen
