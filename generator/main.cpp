// uvgen: reads libuv's uv.h and writes its schema, bindings, shim and tests.
// This file maps the command line onto the commands and nothing else.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "commands/commands.h"
#include "diagnostics/input_error.h"

namespace {

using uvgen::CommandSpec;

std::vector<CommandSpec> commands() {
  return {
      {"schema",
       "Writes the JSON schema of a uv.h, parsed with Clang.\n\n"
       "The schema holds records with size, alignment and field offsets, typedefs, enums,\n"
       "functions and libuv's integer macros.",
       {{"--header", "PATH", "the uv.h to read (default: the system's)"},
        {"-I", "DIR", "add DIR to the include path", true},
        {"-D", "NAME[=VAL]", "define a macro", true},
        {"--target", "TRIPLE", "target triple (default: the host's), e.g. i686-linux-gnu"},
        {"-o", "FILE", "write the schema to FILE (default: stdout)", false, "--output"}},
       uvgen::runSchemaCommand},
      {"layout-tests",
       "Writes a C++ test of a schema's layouts against the uv.h it came from.\n\n"
       "The Catch2 test, compiled against the same uv.h, checks every record's size and\n"
       "alignment and every named field's offset against the schema.",
       {{"--schema", "FILE", "the schema to read (required)"},
        {"--include", "HEADER", "the header the test includes (default: uv.h)"},
        {"-o", "FILE", "write the test to FILE (default: stdout)", false, "--output"}},
       uvgen::runLayoutTestsCommand},
      {"nim",
       "Writes the Nim modules the module spec describes, from a schema.\n\n"
       "One file per module, plus the umbrella module that exports them all.",
       {{"--schema", "FILE", "the schema to read (required)"},
        {"--spec", "FILE", "the module layout spec to read (required), e.g. schema/modules.json"},
        {"--flavour", "NAME", "how the modules reach libuv: shim (uvshim.h; the default) or direct (uv.h)"},
        {"-o", "DIR", "write the modules into DIR (required)", false, "--output"}},
       uvgen::runNimCommand},
      {"shim",
       "Writes the stable-ABI shim from a schema and the module spec.\n\n"
       "The shim is uvshim.h (no uv.h, fixed-width types, opaque fixed-size storage), uvshim.c\n"
       "(the wrappers) and uvshim.map (the linker version script).",
       {{"--schema", "FILE", "the schema to read (required)"},
        {"--spec", "FILE", "the module layout spec to read (required), e.g. schema/modules.json"},
        {"-o", "DIR", "write the shim into DIR (required)", false, "--output"}},
       uvgen::runShimCommand},
      {"generate",
       "Writes every output from one parse of uv.h: the main job.\n\n"
       "Under the root folder: the schema (generated/uv.schema.json), the shim (shim/) and the\n"
       "Nim modules (bindings/nim/ in the shim flavour, with a copy of the shim's sources;\n"
       "bindings/nim-direct/ in the direct one). Files whose content would not change are left\n"
       "untouched. The uv.h of an older libuv gets bindings of what it has: each declaration of\n"
       "the spec it lacks is left out, with what uses it, and named in a note on stderr.",
       {{"--header", "PATH", "the uv.h to read (default: the system's)"},
        {"-I", "DIR", "add DIR to the include path", true},
        {"-D", "NAME[=VAL]", "define a macro", true},
        {"--root", "DIR", "the repository to write into (default: .)"},
        {"--spec", "FILE", "the module layout spec (default: ROOT/schema/modules.json)"},
        {"--flavour", "NAME", "only this Nim flavour, into bindings/nim (default: shim there, direct in bindings/nim-direct)"},
        {"--check", "", "write nothing; print a diff and fail when a kept file is out of date"},
        {"--strict", "", "fail when the header lacks a declaration the spec names, or has an enumerator it does not (default: a note)"},
        {"--depfile", "FILE", "also write a Makefile-style list of the files read, for build systems"},
        {"--depfile-target", "PATH", "the target named in the --depfile"}},
       uvgen::runGenerateCommand},
      {"abi-check",
       "Compares a uv.h with a baseline and says whether the bindings still fit it.\n\n"
       "Every difference is classified as compatible (something added) or breaking. Exit status as abidiff's: 0 identical,\n"
       "4 compatible changes only, 12 breaking, 1 error, 2 usage. One line in a CI job:\n"
       "  uvgen abi-check --header /usr/include/uv.h\n"
       "judges the system's uv.h by what the bindings use. The baseline defaults to the one of\n"
       "the header's target and the spec to the module spec, both installed beside uvgen\n"
       "(<prefix>/share/uvgen/) or, run from a build tree, the checkout's schema/; the report's\n"
       "first lines name each default. In CMake: uvgen_add_abi_check(NAME [HEADER h]\n"
       "[BASELINE b] [SPEC s] [SCOPE spec|all]) adds a CTest test that fails on breaking.\n"
       "See docs/abi-checks.md and schema/baseline/README.md.",
       {{"--baseline", "FILE", "the baseline schema (default: the installed one of the header's target)"},
        {"--schema", "FILE", "the schema to check"},
        {"--header", "PATH", "or the uv.h to parse and check"},
        {"-I", "DIR", "with --header: add DIR to the include path", true},
        {"-D", "NAME[=VAL]", "with --header: define a macro", true},
        {"--target", "TRIPLE", "with --header: target triple (default: the host's)"},
        {"--scope", "NAME", "spec (the default: what the module spec uses) or all (the whole header)"},
        {"--spec", "FILE", "with --scope spec: the module layout spec (default: the installed modules.json)"},
        {"--flavour", "NAME", "the bindings judged: both (default), direct or shim"},
        {"--strict-source", "", "count changes that keep the binary but break source (char * to const char *) as breaking"},
        {"--format", "NAME", "text (default), json, junit (JUnit XML, a test case per judged declaration) or markdown"},
        {"--json", "", "the same as --format json"}},
       uvgen::runAbiCheckCommand},
  };
}

std::string overview(const std::vector<CommandSpec>& all) {
  std::string text =
      "usage: uvgen <command> [options]\n\n"
      "Generates a schema, Nim bindings, a stable-ABI shim and tests from libuv's uv.h.\n\ncommands:\n";
  for (const CommandSpec& command : all) {
    std::string first_line = command.summary.substr(0, command.summary.find('\n'));
    text += "  " + command.name + std::string(command.name.size() < 14 ? 14 - command.name.size() : 1, ' ') +
            first_line + "\n";
  }
  text += "\n`uvgen <command> --help` describes a command's options; `uvgen --version` prints the version.\n";
  return text;
}

// Runs a command; every failure becomes one line on stderr, here and nowhere else.
int run(const CommandSpec& command, const std::vector<std::string>& args) {
  const std::string prefix = "uvgen " + command.name + ": ";
  int status = uvgen::kExitError;
  try {
    status = command.run(uvgen::parseArgs(command, args));
  } catch (const uvgen::UsageError& e) {
    const std::string what = uvgen::oneLine(e.what());
    std::cerr << (what.rfind(prefix, 0) == 0 ? what : prefix + what) << "\n";  // parseArgs names the command itself
    return uvgen::kExitUsage;
  } catch (const uvgen::InputError& e) {
    std::cerr << prefix << e.what() << "\n";
    return uvgen::kExitError;
  } catch (const std::bad_alloc&) {
    std::cerr << prefix << "out of memory\n";
    return uvgen::kExitError;
  } catch (const std::exception& e) {
    std::cerr << prefix << uvgen::oneLine(e.what()) << "\n";
    return uvgen::kExitError;
  }
  // What the command printed must have arrived (a full disk, a closed pipe).
  std::cout.flush();
  if (!std::cout) {
    std::cerr << prefix << "stdout: write failed\n";
    return uvgen::kExitError;
  }
  return status;
}

// Ends the process once a command has run: what it printed is flushed, and
// the static objects of LLVM's libraries (thousands of command-line options)
// are not destroyed, which would only delay the exit. A sanitized build
// returns from main, so that LeakSanitizer checks every run.
int endProcess(int status) {
#ifdef UVGEN_RETURN_FROM_MAIN
  return status;
#else
  std::cout.flush();
  std::fflush(nullptr);
  std::_Exit(status);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const std::vector<CommandSpec> all = commands();
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? std::cerr : std::cout) << overview(all);
    return args.empty() ? uvgen::kExitUsage : uvgen::kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "uvgen " << UVGEN_VERSION << "\n";
    return uvgen::kExitOk;
  }
  for (const CommandSpec& command : all) {
    if (command.name != args[0]) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const std::string& arg : rest) {
      if (arg == "--help" || arg == "-h") {
        std::cout << uvgen::commandHelp(command);
        return uvgen::kExitOk;
      }
    }
    return endProcess(run(command, rest));
  }
  std::cerr << "uvgen: unknown command '" << args[0] << "' (see `uvgen --help`)\n";
  return uvgen::kExitUsage;
}
