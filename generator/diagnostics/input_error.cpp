#include "diagnostics/input_error.h"

#include "text/utf8.h"

namespace uvgen {

std::string oneLine(const std::string& text) { return terminalText(text); }

InputError::InputError(std::string file, std::string location, std::string message)
    : file_(std::move(file)), location_(std::move(location)), message_(std::move(message)) {
  for (const std::string* part : {&file_, &location_, &message_}) {
    if (part->empty()) continue;
    line_ += (line_.empty() ? "" : ": ") + oneLine(*part);
  }
}

}  // namespace uvgen
