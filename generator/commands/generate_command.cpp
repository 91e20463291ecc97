// `uvgen generate`: the main job. Parses uv.h once and writes every output
// the repository keeps, each only when its content changes. With --check it
// writes nothing and fails, printing a diff, when a kept file is out of date.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <future>
#include <iostream>
#include <optional>

#include "cli/text_diff.h"
#include "diagnostics/input_error.h"
#include "commands/commands.h"
#include "extract/extract_schema.h"
#include "plan/plan.h"

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
  std::optional<Flavour> only;
  if (args.has("--flavour")) only = nimFlavourArgument(args.get("--flavour"));
  if (args.has("--depfile") != args.has("--depfile-target"))
    throw UsageError("--depfile and --depfile-target go together");
  const std::string spec_path = args.get("--spec", root + "/schema/modules.json");
  // The spec and the target schemas it names are read while Clang parses
  // the header; a bad spec is still the error reported first.
  struct SpecInputs {
    ModuleSpec spec;
    std::vector<TargetSchema> targets;
  };
  std::future<SpecInputs> spec_reading = std::async(std::launch::async, [&spec_path] {
    SpecInputs inputs{readModuleSpecFile(spec_path), {}};
    inputs.targets = readTargetSchemas(inputs.spec);
    return inputs;
  });
  std::vector<std::string> read_files;
  std::optional<Schema> schema;
  std::exception_ptr extract_error;
  try {
    schema = extractSchema(options, &read_files);
  } catch (...) {
    extract_error = std::current_exception();
  }
  const SpecInputs inputs = spec_reading.get();
  if (extract_error) std::rethrow_exception(extract_error);
  const Plan plan = buildPlan(*schema, inputs.spec, inputs.targets);

  // Renderers only read the plan, so the outputs are rendered side by side;
  // they are added in the table's order, and the first error is reported.
  // --check compares the kept outputs only, so it renders no other.
  const bool check = args.has("--check");
  std::vector<Output> outputs = repositoryOutputs(only);
  if (check) outputs.erase(std::remove_if(outputs.begin(), outputs.end(), [](const Output& o) { return !o.kept; }), outputs.end());
  std::vector<std::future<std::map<std::string, std::string>>> rendering;
  for (const Output& output : outputs)
    rendering.push_back(std::async(std::launch::async, [&output, &plan] { return renderOutput(output, plan); }));
  OutputFiles kept, all;
  for (size_t i = 0; i < outputs.size(); ++i) {
    for (const auto& [name, text] : rendering[i].get()) {
      const std::string path = root + "/" + outputs[i].folder + "/" + name;
      if (outputs[i].kept) kept.add(path, text);
      all.add(path, text);
    }
  }

  if (check) {
    std::vector<std::string> stale = kept.stale();
    for (const std::string& path : stale) printDiff(path, kept.files().at(path));
    if (stale.empty()) {
      std::cout << "generated files are up to date\n";
      return kExitOk;
    }
    std::cerr << "uvgen generate: " << stale.size() << " generated file(s) out of date; run `uvgen generate`\n";
    return kExitError;
  }

  if (args.has("--depfile")) {
    read_files.push_back(spec_path);
    for (const TargetSchema& target : inputs.targets) read_files.push_back(target.path);
    all.add(args.get("--depfile"), depfileText(args.get("--depfile-target"), read_files));
  }
  for (const std::string& path : all.commit()) std::cout << "wrote " << path << "\n";
  return kExitOk;
}

}  // namespace uvgen
