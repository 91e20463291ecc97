// `uvgen generate`: the main job. Parses uv.h once and writes every output
// the repository keeps, each only when its content changes. With --check it
// writes nothing and fails, printing a diff, when a kept file is out of date.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "cli/text_diff.h"
#include "diagnostics/input_error.h"
#include "commands/commands.h"
#include "extract/extract_schema.h"
#include "plan/plan.h"
#include "schema/schema_json.h"
#include "text/utf8.h"

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
      // The committed file may hold anything: shown inert (terminalText).
      std::cout << terminalText(unifiedDiff(label + " (committed)", *committed, label + " (generated)", expected), true);
  } catch (const InputError& e) {
    std::cout << e.what() << "\n";  // not a regular file: never opened
  }
}

// A path as Make and Ninja both read it in a dependency file: '$' doubled,
// a space, '#' and ':' behind a backslash. What neither can hold exactly (a
// control character; ; | = and quotes, which Make reads as syntax; * ? [,
// which Make expands; a backslash, whose meaning depends on what follows; a
// leading ~ or a trailing ")", which Make reads as a home folder or an
// archive member) is refused in one line naming the path. In the target,
// '%' would make a pattern rule and is refused too.
std::string depfilePath(const std::string& path, bool is_target) {
  auto refuse = [&](const std::string& what) {
    throw InputError(path, "", "cannot be written to the dependency file: " + what);
  };
  if (path.empty()) refuse("it is empty");
  if (path.front() == '~') refuse("make reads a leading '~' as a home folder");
  if (path.back() == ')') refuse("make reads a trailing ')' as an archive member");
  std::string out;
  for (char c : path) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) refuse("it holds a control character");
    if (std::string_view("\\\"'`;|=&<>^*?[").find(c) != std::string_view::npos || (is_target && c == '%'))
      refuse(std::string("make and ninja cannot both read a '") + c + "' in a path");
    if (c == '$')
      out += "$$";
    else if (c == ' ' || c == '#' || c == ':')
      out += std::string("\\") + c;
    else
      out += c;
  }
  return out;
}

// A Makefile-style dependency file: target depends on every file read.
std::string depfileText(const std::string& target, const std::vector<std::string>& files) {
  std::string text = depfilePath(target, true) + ":";
  for (const std::string& file : files) text += " \\\n  " + depfilePath(file, false);
  return text + "\n";
}

// The target schemas the spec names, read by whichever thread is free: the
// thread that read the spec goes on with them while Clang parses, and the
// parsing thread, once done, takes those still unread.
class TargetSchemaReading {
 public:
  void setPaths(std::string folder, std::vector<std::string> paths) {
    std::lock_guard<std::mutex> lock(mutex_);
    folder_ = std::move(folder);
    paths_ = std::move(paths);
    schemas_.resize(paths_.size());
    errors_.resize(paths_.size());
    ready_ = true;
  }

  // Reads unread schemas until none is left; at once when the paths are not known yet.
  void readUnread() {
    while (true) {
      size_t i = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!ready_ || next_ == paths_.size()) return;
        i = next_++;
      }
      std::optional<Schema> schema;
      std::exception_ptr error;
      try {
        schema = readTargetSchemaFile(folder_, paths_[i]);
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex_);
      schemas_[i] = std::move(schema);
      errors_[i] = error;
      if (++read_ == paths_.size()) all_read_.notify_all();
    }
  }

  // Once the paths are set: waits until every schema is read (another
  // thread may still be reading one), then gives the schemas in the spec's
  // order, or the first failure in that order.
  std::vector<TargetSchema> take() {
    std::unique_lock<std::mutex> lock(mutex_);
    all_read_.wait(lock, [this] { return read_ == paths_.size(); });
    std::vector<TargetSchema> targets;
    for (size_t i = 0; i < paths_.size(); ++i) {
      if (errors_[i]) std::rethrow_exception(errors_[i]);
      targets.push_back({paths_[i], std::move(*schemas_[i])});
    }
    return targets;
  }

 private:
  std::mutex mutex_;
  std::string folder_;  // the spec's, which every path begins with
  std::vector<std::string> paths_;
  std::vector<std::optional<Schema>> schemas_;
  std::vector<std::exception_ptr> errors_;
  size_t next_ = 0;  // the first schema no thread has taken to read
  size_t read_ = 0;  // how many are read
  bool ready_ = false;
  std::condition_variable all_read_;
};

// A file of an output at its path under the root, and whether the file
// there differs.
struct RenderedFile {
  std::string path;
  std::string text;
  bool stale;
};

// Renders each output once, into every folder that holds it, and compares
// each file with the one on disk. The outputs that need only the schema (its
// JSON) are rendered apart, while the plan is built; the others by every
// thread that calls renderFromPlan, each taking the next one not yet taken.
// The first error in the outputs' order is reported.
class OutputRendering {
 public:
  OutputRendering(std::string root, std::vector<Output> outputs)
      : root_(std::move(root)), outputs_(std::move(outputs)), files_(outputs_.size()), errors_(outputs_.size()) {}

  void renderFromSchema(const Schema& schema) {
    Plan schema_only;
    schema_only.schema = &schema;
    for (size_t i = 0; i < outputs_.size(); ++i)
      if (!outputs_[i].needs_plan) render(i, schema_only);
  }

  void renderFromPlan(const Plan& plan) {
    for (size_t i = next_++; i < outputs_.size(); i = next_++)
      if (outputs_[i].needs_plan) render(i, plan);
  }

  // Once every thread is done: the files in the outputs' order, or the first error.
  std::vector<RenderedFile> take() {
    std::vector<RenderedFile> all;
    for (size_t i = 0; i < outputs_.size(); ++i) {
      if (errors_[i]) std::rethrow_exception(errors_[i]);
      for (RenderedFile& file : files_[i]) all.push_back(std::move(file));
    }
    return all;
  }

 private:
  void render(size_t i, const Plan& plan) {
    try {
      for (auto& [name, text] : renderOutput(outputs_[i], plan)) {
        for (const std::string& folder : outputs_[i].folders) {
          RenderedFile file{root_ + "/" + folder + "/" + name, text, false};
          file.stale = !holdsContent(file.path, file.text);
          files_[i].push_back(std::move(file));
        }
      }
    } catch (...) {
      errors_[i] = std::current_exception();
    }
  }

  const std::string root_;
  const std::vector<Output> outputs_;
  std::vector<std::vector<RenderedFile>> files_;  // by output
  std::vector<std::exception_ptr> errors_;        // by output
  std::atomic<size_t> next_{0};                   // the next output to take for renderFromPlan
};

// --check: prints the diff of each file that differs, in path order.
int reportStale(const std::vector<RenderedFile>& files) {
  std::vector<const RenderedFile*> stale;
  for (const RenderedFile& file : files)
    if (file.stale) stale.push_back(&file);
  std::sort(stale.begin(), stale.end(), [](const RenderedFile* a, const RenderedFile* b) { return a->path < b->path; });
  for (const RenderedFile* file : stale) printDiff(file->path, file->text);
  if (stale.empty()) {
    std::cout << "generated files are up to date\n";
    return kExitOk;
  }
  std::cerr << "uvgen generate: " << stale.size() << " generated file(s) out of date; run `uvgen generate`\n";
  return kExitError;
}

// One line on stderr for each declaration left out and each target schema
// not checked against, in the spec's order.
void printLackingNotes(const Plan& plan, const std::string& release) {
  const std::string note = "uvgen generate: note: ";
  for (const LackingDeclaration& l : plan.lacking) {
    if (l.uses.empty())
      std::cerr << note << release << " lacks " << l.kind << " " << l.c << ", which the module spec names: left out\n";
    else
      std::cerr << note << l.kind << " " << l.c << " uses " << l.uses << ", which " << release << " lacks: left out\n";
  }
  for (const UnnamedEnumerator& value : plan.unnamed_enumerators)
    std::cerr << note << release << " has enumerator " << value.c << " of " << value.enum_c
              << ", which the module spec does not name: its Nim enum goes without it\n";
  for (const Plan::SkippedTarget& target : plan.skipped_targets)
    std::cerr << note << oneLine(target.path) << " is of libuv " << target.libuv_version << ", not "
              << release.substr(6) << ": not checked against\n";
}

}  // namespace

int runGenerateCommand(const ParsedArgs& args) {
  const std::string root = args.get("--root", ".");
  ExtractOptions options;
  options.header = args.get("--header", systemHeader());
  options.include_dirs = args.all("-I");
  options.defines = args.all("-D");
  options.keep_clang_memory = true;  // the command exits soon after
  readTextFile(options.header);
  std::optional<Flavour> only;
  if (args.has("--flavour")) only = nimFlavourArgument(args.get("--flavour"));
  if (args.has("--depfile") != args.has("--depfile-target"))
    throw UsageError("--depfile and --depfile-target go together");
  const std::string spec_path = args.get("--spec", root + "/schema/modules.json");
  const bool check = args.has("--check");
  std::vector<Output> outputs = repositoryOutputs(only);
  // --check compares the kept outputs only, so it renders no other.
  if (check) outputs.erase(std::remove_if(outputs.begin(), outputs.end(), [](const Output& o) { return !o.kept; }), outputs.end());

  // What the run builds stays allocated when the command returns: the
  // process ends right after, and freeing it would only delay that (the
  // extractor leaves Clang's AST allocated for the same reason).
  struct RunData {
    std::vector<std::string> read_files;
    std::optional<Schema> schema;
    ModuleSpec spec;
    std::vector<TargetSchema> targets;
    std::optional<Plan> plan;
    std::optional<OutputRendering> rendering;
    std::vector<RenderedFile> files;
  };
  RunData& run = keptUntilExit<RunData>();
  OutputRendering& rendering = run.rendering.emplace(root, std::move(outputs));

  // Two threads share the work. The helper reads the spec and the target
  // schemas it names while this thread has Clang parse the header (a bad
  // spec is still the error reported first, then a bad target schema); this
  // thread reads the target schemas still unread when the parse is done. The
  // helper renders the outputs that need only the schema while this thread
  // builds the plan, and then both render the others. (A thread started only
  // once the plan is built would often wait for this thread's core, while
  // the other one idles.)
  TargetSchemaReading target_reading;
  std::promise<ModuleSpec> spec_read;
  std::future<ModuleSpec> spec = spec_read.get_future();
  std::promise<const Schema*> schema_extracted;  // null: there is nothing more to do
  std::shared_future<const Schema*> schema = schema_extracted.get_future().share();
  std::promise<const Plan*> plan_built;  // null: there is nothing more to do
  std::shared_future<const Plan*> built = plan_built.get_future().share();
  std::future<void> helper = std::async(std::launch::async, [&] {
    try {
      ModuleSpec read = readModuleSpecFile(spec_path);
      target_reading.setPaths(targetSchemaFolder(read), targetSchemaPaths(read));
      spec_read.set_value(std::move(read));
    } catch (...) {
      spec_read.set_exception(std::current_exception());
    }
    target_reading.readUnread();
    if (const Schema* extracted = schema.get()) rendering.renderFromSchema(*extracted);
    if (const Plan* plan = built.get()) rendering.renderFromPlan(*plan);
  });
  // Leaving before the plan is built (an error) lets the helper finish.
  struct Release {
    std::promise<const Schema*>& schema;
    std::promise<const Plan*>& plan;
    bool schema_set = false, plan_set = false;
    ~Release() {
      if (!schema_set) schema.set_value(nullptr);
      if (!plan_set) plan.set_value(nullptr);
    }
  } release{schema_extracted, plan_built};

  std::exception_ptr extract_error;
  try {
    // The files Clang reads are listed only for a dependency file.
    run.schema = extractSchema(options, args.has("--depfile") ? &run.read_files : nullptr);
  } catch (...) {
    extract_error = std::current_exception();
  }
  target_reading.readUnread();
  run.spec = spec.get();
  run.targets = target_reading.take();
  if (extract_error) std::rethrow_exception(extract_error);
  schema_extracted.set_value(&*run.schema);
  release.schema_set = true;
  const Plan& plan = run.plan.emplace(buildPlan(*run.schema, run.spec, run.targets, LackingDeclarations::LeftOut));
  const std::string libuv_release = "libuv " + run.schema->libuv.text();
  if (args.has("--strict") && !plan.lacking.empty())
    throw InputError(options.header, "",
                     libuv_release + " lacks " + std::to_string(plan.lacking.size()) +
                         " declaration(s) the module spec names, the first: " + plan.lacking.front().kind + " " +
                         plan.lacking.front().c + " (without --strict they are left out)");
  if (args.has("--strict") && !plan.unnamed_enumerators.empty())
    throw InputError(options.header, "",
                     libuv_release + " has enumerator " + plan.unnamed_enumerators.front().c + " of " +
                         plan.unnamed_enumerators.front().enum_c +
                         ", which the module spec does not name (without --strict its Nim enum goes without it)");
  printLackingNotes(plan, libuv_release);
  plan_built.set_value(&plan);
  release.plan_set = true;
  rendering.renderFromPlan(plan);
  helper.get();
  run.files = rendering.take();
  if (check) return reportStale(run.files);

  // Without --check: every file that differs is written; when none does,
  // the commit has nothing to lock or write.
  OutputFiles all(root);
  bool found_up_to_date = true;
  for (RenderedFile& file : run.files) {
    found_up_to_date = found_up_to_date && !file.stale;
    all.add(file.path, std::move(file.text));
  }
  // The dependency file is data for the build that runs uvgen: every path in
  // it is escaped or refused before anything is written. It is written on its
  // own, after the outputs, in its own folder and under that folder's lock,
  // so the outputs' lock is always the root's wherever it goes.
  OutputFiles depfile;
  bool depfile_up_to_date = true;
  if (args.has("--depfile")) {
    run.read_files.push_back(spec_path);
    for (const TargetSchema& target : run.targets) run.read_files.push_back(target.path);
    const std::string path = args.get("--depfile");
    const std::string text = depfileText(args.get("--depfile-target"), run.read_files);
    if (all.writes(path)) throw InputError(path, "", "is one of generate's outputs; the --depfile goes elsewhere");
    depfile_up_to_date = holdsContent(path, text);
    depfile.add(path, text);
  }
  for (const std::string& path : all.commit(found_up_to_date)) std::cout << "wrote " << path << "\n";
  for (const std::string& path : depfile.commit(depfile_up_to_date)) std::cout << "wrote " << path << "\n";
  return kExitOk;
}

}  // namespace uvgen
