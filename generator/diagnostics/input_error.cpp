#include "diagnostics/input_error.h"

#include <cstdio>

namespace uvgen {

std::string oneLine(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

InputError::InputError(std::string file, std::string location, std::string message)
    : file_(std::move(file)), location_(std::move(location)), message_(std::move(message)) {
  for (const std::string* part : {&file_, &location_, &message_}) {
    if (part->empty()) continue;
    line_ += (line_.empty() ? "" : ": ") + oneLine(*part);
  }
}

}  // namespace uvgen
