#include "cli/args.h"

#include <sstream>

namespace uvgen {

std::string ParsedArgs::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

ParsedArgs parseArgs(const CommandSpec& command, const std::vector<std::string>& args) {
  ParsedArgs parsed;
  auto usage = [&](const std::string& what) {
    return UsageError("uvgen " + command.name + ": " + what + " (see `uvgen " + command.name + " --help`)");
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const OptionSpec* match = nullptr;
    std::string value;
    bool has_value = false;
    for (const OptionSpec& option : command.options) {
      for (const std::string& spelling : {option.name, option.alias}) {
        if (spelling.empty()) continue;
        if (arg == spelling) {
          match = &option;
        } else if (!option.value_name.empty() && spelling.rfind("--", 0) == 0 &&
                   arg.rfind(spelling + "=", 0) == 0) {
          match = &option, value = arg.substr(spelling.size() + 1), has_value = true;
        } else if (!option.value_name.empty() && spelling.size() == 2 && arg.size() > 2 &&
                   arg.rfind(spelling, 0) == 0 && arg[2] != '-') {
          match = &option, value = arg.substr(2), has_value = true;  // -IDIR, -DNAME
        }
        if (match) break;
      }
      if (match) break;
    }
    if (!match) {
      if (!arg.empty() && arg[0] == '-') throw usage("unknown option '" + arg + "'");
      throw usage("unexpected argument '" + arg + "'");
    }
    if (!match->value_name.empty() && !has_value) {
      if (i + 1 >= args.size()) throw usage("option '" + arg + "' needs a " + match->value_name);
      value = args[++i];
    }
    // An empty path would mean the current folder or the root (`-o ''` wrote into /).
    if (!match->value_name.empty() && value.empty()) {
      std::string spelled = arg.substr(0, arg.find('='));
      throw usage("option '" + spelled + "' needs a non-empty " + match->value_name);
    }
    auto& slot = parsed.values()[match->name];
    if (!slot.empty() && !match->repeatable) throw usage("option '" + match->name + "' given twice");
    slot.push_back(value);
  }
  return parsed;
}

std::string commandHelp(const CommandSpec& command) {
  std::ostringstream out;
  out << "usage: uvgen " << command.name;
  for (const OptionSpec& option : command.options) {
    out << " [" << option.name << (option.value_name.empty() ? "" : " " + option.value_name) << "]";
    if (option.repeatable) out << "...";
  }
  out << "\n\n" << command.summary << "\n\noptions:\n";
  for (const OptionSpec& option : command.options) {
    std::string left = option.name + (option.alias.empty() ? "" : ", " + option.alias) +
                       (option.value_name.empty() ? "" : " " + option.value_name);
    out << "  " << left << std::string(left.size() < 26 ? 26 - left.size() : 1, ' ') << option.help << "\n";
  }
  out << "  --help                    show this help\n";
  return out.str();
}

std::string required(const ParsedArgs& args, const std::string& name) {
  if (!args.has(name)) throw UsageError("missing required option '" + name + "'");
  return args.get(name);
}

}  // namespace uvgen
