// `uvgen generate`: the main job. Parses uv.h once and writes every output
// the repository keeps, each only when its content changes. With --check it
// writes nothing and fails, printing a diff, when a kept file is out of date.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "cli/files.h"
#include "cli/text_diff.h"
#include "diagnostics/input_error.h"
#include "commands/commands.h"
#include "emit/nim.h"
#include "extract/extract_schema.h"
#include "schema/schema_json.h"
#include "spec/module_spec.h"

namespace uvgen {
namespace {

// Prints `diff -u` of the file on disk against what it should be.
void printDiff(const std::string& path, const std::string& expected) {
  // In process: a path is data, never part of a command line.
  std::string label = oneLine(path);
  try {
    std::optional<std::string> committed = readExistingOutput(path);
    if (!committed)
      std::cout << "missing: " << label << "\n";
    else
      std::cout << unifiedDiff(label + " (committed)", *committed, label + " (generated)", expected);
  } catch (const InputError& e) {
    std::cout << e.what() << "\n";  // not a regular file: never opened
  }
}

// A Makefile-style dependency file: target depends on every file read.
std::string depfileText(const std::string& target, const std::vector<std::string>& files) {
  auto escaped = [](const std::string& path) {
    std::string out;
    for (char c : path) out += c == ' ' ? std::string("\\ ") : std::string(1, c);
    return out;
  };
  std::string text = escaped(target) + ":";
  for (const std::string& file : files) text += " \\\n  " + escaped(file);
  return text + "\n";
}

}  // namespace

int runGenerateCommand(const ParsedArgs& args) {
  const std::string root = args.get("--root", ".");
  ExtractOptions options;
  options.header = args.get("--header", systemHeader());
  options.include_dirs = args.all("-I");
  options.defines = args.all("-D");
  readTextFile(options.header);
  // One flavour into bindings/nim, or by default both: the shim flavour (with
  // the shim's sources, which it compiles) in bindings/nim and the direct one
  // in bindings/nim-direct.
  std::vector<std::pair<NimFlavour, std::string>> flavours = {{NimFlavour::Shim, "bindings/nim"},
                                                              {NimFlavour::Direct, "bindings/nim-direct"}};
  if (args.has("--flavour")) {
    try {
      flavours = {{nimFlavourFromName(args.get("--flavour")), "bindings/nim"}};
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  if (args.has("--depfile") != args.has("--depfile-target"))
    throw UsageError("--depfile and --depfile-target go together");
  const std::string spec_path = args.get("--spec", root + "/schema/modules.json");
  ModuleSpec spec = readModuleSpecFile(spec_path);
  std::vector<std::string> read_files;
  Schema schema = extractSchema(options, &read_files);
  checkModuleSpec(spec, schema);

  // Files the repository keeps: generated from the system uv.h, checked by --check.
  OutputFiles kept;
  addShimOutputs(kept, root + "/shim", schema, spec);
  for (const auto& [flavour, dir] : flavours) {
    for (const auto& [name, text] : emitNimModules(schema, spec, flavour)) kept.add(root + "/" + dir + "/" + name, text);
    if (flavour == NimFlavour::Shim) addShimOutputs(kept, root + "/" + dir, schema, spec, false);
  }

  if (args.has("--check")) {
    std::vector<std::string> stale = kept.stale();
    for (const std::string& path : stale) printDiff(path, kept.files().at(path));
    if (stale.empty()) {
      std::cout << "generated files are up to date\n";
      return kExitOk;
    }
    std::cerr << "uvgen generate: " << stale.size() << " generated file(s) out of date; run `uvgen generate`\n";
    return kExitError;
  }

  OutputFiles outputs = kept;
  outputs.add(root + "/generated/uv.schema.json", schemaToText(schema));
  if (args.has("--depfile")) {
    read_files.push_back(spec_path);
    outputs.add(args.get("--depfile"), depfileText(args.get("--depfile-target"), read_files));
  }
  for (const std::string& path : outputs.commit()) std::cout << "wrote " << path << "\n";
  return kExitOk;
}

}  // namespace uvgen
