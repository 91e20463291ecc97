// The one error type for bad input: which file, where in it, and what is
// wrong. Every reader and check throws it; main.cpp prints it, as one line,
// in one place.
#pragma once

#include <exception>
#include <string>

namespace uvgen {

class InputError : public std::exception {
 public:
  // file: the input as the user named it ("schema/modules.json"); empty when
  // the problem is not in one file. location: where in it, as a JSON path
  // ("records[12].size"), "line:col", or a spec entry ("module uv_pipe:
  // procs[3]"); may be empty.
  InputError(std::string file, std::string location, std::string message);

  const std::string& file() const { return file_; }
  const std::string& location() const { return location_; }
  const std::string& message() const { return message_; }

  // "file: location: message" on one line: control and formatting
  // characters, which input text can carry into a message, are shown as
  // escapes (\n, \x1b, \u202e; see terminalText).
  const char* what() const noexcept override { return line_.c_str(); }

 private:
  std::string file_, location_, message_, line_;
};

// The text with every control and formatting character escaped, so that it
// prints on one line and can neither drive a terminal nor reorder what it shows.
std::string oneLine(const std::string& text);

}  // namespace uvgen
