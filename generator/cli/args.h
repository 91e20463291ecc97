// Command-line parsing for uvgen's subcommands: each declares its options
// once, and the same declaration drives parsing and --help.
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace uvgen {

// Exit statuses shared by every command (abi-check adds its own on top).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  OptionSpec(std::string name, std::string value_name, std::string help, bool repeatable = false,
             std::string alias = "")
      : name(std::move(name)), value_name(std::move(value_name)), help(std::move(help)),
        repeatable(repeatable), alias(std::move(alias)) {}

  std::string name;        // "--header", "-I", "-o"
  std::string value_name;  // "PATH"; empty for a flag
  std::string help;
  bool repeatable;
  std::string alias;  // another spelling, e.g. "--output" for "-o"
};

class ParsedArgs {
 public:
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> all(const std::string& name) const;
  std::map<std::string, std::vector<std::string>>& values() { return values_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

struct CommandSpec {
  std::string name;
  std::string summary;
  std::vector<OptionSpec> options;
  std::function<int(const ParsedArgs&)> run;
};

// Parses args (without the command name); throws UsageError.
ParsedArgs parseArgs(const CommandSpec& command, const std::vector<std::string>& args);
std::string commandHelp(const CommandSpec& command);
// Throws UsageError unless the option was given.
std::string required(const ParsedArgs& args, const std::string& name);

}  // namespace uvgen
