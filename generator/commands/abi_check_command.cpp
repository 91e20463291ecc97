// `uvgen abi-check`: compares the schema of a uv.h with a committed baseline
// schema and exits with abidiff's bits (0 identical, 4 compatible, 12 breaking).
#include <unistd.h>

#include <filesystem>
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

namespace fs = std::filesystem;

// Where uvgen's own data lies: <prefix>/share/uvgen beside an installed
// <prefix>/bin/uvgen, or the schema/ folder of the checkout a build tree
// lies in (the nearest folder above the binary holding schema/modules.json
// and schema/baseline/). Empty when neither is found.
struct DataFolders {
  fs::path spec;            // modules.json
  fs::path baselines;       // the folder of libuv-<version>-<target>.json
  std::string where;        // "installed beside uvgen" or "the checkout's"
};

std::optional<DataFolders> uvgenData() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error || self.empty()) return std::nullopt;
  const fs::path share = self.parent_path().parent_path() / "share" / "uvgen";
  if (fs::is_regular_file(share / "modules.json", error) && fs::is_directory(share / "baseline", error))
    return DataFolders{share / "modules.json", share / "baseline", "installed beside uvgen"};
  for (fs::path dir = self.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    if (fs::is_regular_file(dir / "schema" / "modules.json", error) && fs::is_directory(dir / "schema" / "baseline", error))
      return DataFolders{dir / "schema" / "modules.json", dir / "schema" / "baseline", "the checkout's"};
  }
  return std::nullopt;
}

// x86_64-pc-linux-gnu -> x86_64-linux-gnu: the target as baselines name it.
std::string targetWithoutVendor(const std::string& triple) {
  const size_t first = triple.find('-');
  const size_t second = first == std::string::npos ? first : triple.find('-', first + 1);
  if (second == std::string::npos || triple.find('-', second + 1) == std::string::npos) return triple;
  return triple.substr(0, first) + triple.substr(second);
}

// The one baseline of the folder named libuv-<version>-<target>.json for this
// target (the vendor not counting: x86_64-w64-windows-gnu is x86_64-windows-gnu).
fs::path baselineFor(const fs::path& folder, const Target& target) {
  std::vector<fs::path> found;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("libuv-", 0) != 0 || name.size() < 11 || name.compare(name.size() - 5, 5, ".json") != 0) continue;
    const std::string rest = name.substr(6, name.size() - 11);  // <version>-<target>
    const size_t dash = rest.find('-');
    if (dash == std::string::npos) continue;
    if (targetWithoutVendor(rest.substr(dash + 1)) == targetWithoutVendor(target.triple)) found.push_back(entry.path());
  }
  if (found.size() != 1)
    throw UsageError("no --baseline given and " + std::string(found.empty() ? "no" : "more than one") +
                     " baseline for " + target.triple + " in " + folder.string() + "; name one with --baseline FILE");
  return found.front();
}

std::vector<Flavour> flavoursOf(const std::string& value) {
  if (value == "both") return allFlavours();
  if (std::optional<Flavour> flavour = flavourFromName(value)) return {*flavour};
  throw UsageError("--flavour must be both, direct or shim, not '" + value + "'");
}

}  // namespace

int runAbiCheckCommand(const ParsedArgs& args) {
  if (args.has("--schema") == args.has("--header"))
    throw UsageError("give exactly one of --schema FILE and --header PATH");
  if (args.has("--schema") && (args.has("-I") || args.has("-D") || args.has("--target")))
    throw UsageError("-I, -D and --target apply to --header only");
  const std::string scope_name = args.get("--scope", "spec");
  if (scope_name != "spec" && scope_name != "all")
    throw UsageError("--scope must be spec or all, not '" + scope_name + "'");
  if (scope_name == "all" && args.has("--spec")) throw UsageError("--spec is read with --scope spec only");
  const std::vector<Flavour> flavours = flavoursOf(args.get("--flavour", "both"));
  std::string format = args.get("--format", args.has("--json") ? "json" : "text");
  if (args.has("--json") && format != "json") throw UsageError("--json is --format json; give one of them");
  if (format != "text" && format != "json" && format != "junit" && format != "markdown")
    throw UsageError("--format must be text, json, junit or markdown, not '" + format + "'");

  // What is not named comes from uvgen's own data: installed, or the checkout's.
  const bool default_spec = scope_name == "spec" && !args.has("--spec");
  const bool default_baseline = !args.has("--baseline");
  std::optional<DataFolders> data;
  if (default_spec || default_baseline) {
    data = uvgenData();
    if (!data)
      throw UsageError(std::string("no ") + (default_baseline ? "--baseline" : "--spec") +
                       " given, and no share/uvgen/ beside this uvgen nor a checkout's schema/ above it; name it");
  }

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

  const std::string baseline_path =
      default_baseline ? baselineFor(data->baselines, current.target).string() : args.get("--baseline");
  const std::string spec_path = scope_name != "spec" ? "" : default_spec ? data->spec.string() : args.get("--spec");
  const Schema baseline = readSchemaFile(baseline_path);
  const AbiScope scope = scope_name == "spec" ? specScope(spec_path, baseline) : AbiScope{};

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
  report.spec = spec_path;
  if (default_baseline) report.defaults.push_back({"baseline", baseline_path, data->where + ", for " + current.target.triple});
  if (default_spec) report.defaults.push_back({"spec", spec_path, data->where});
  report.flavours = flavours;
  report.strict_source = args.has("--strict-source");
  report.changes = abiDiff(baseline, current, scope);
  report.exit_status = abiExitStatus(report.changes, flavours, report.strict_source);
  // JSON and XML in ASCII: a file name that is not UTF-8 shows its bytes as
  // U+FFFD and names can carry no control or formatting character to a terminal.
  if (format == "json")
    std::cout << abiReportJson(report).dump(2, ' ', true, Json::error_handler_t::replace) << "\n";
  else if (format == "junit")
    std::cout << abiReportJunit(report);
  else if (format == "markdown")
    std::cout << abiReportMarkdown(report);
  else
    std::cout << abiReportText(report);
  return report.exit_status;
}

}  // namespace uvgen
