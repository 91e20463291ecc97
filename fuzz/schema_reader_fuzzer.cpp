// Any bytes as a schema file: reading either succeeds or throws InputError
// with one line and none of the JSON library's text; never a crash, a hang or
// undefined behaviour. What was read, written back, reads back the same. The
// same bytes as a target schema (its functions, macros and record fields cut
// out unread by uvgen's own scan): one line or a schema, a schema whenever the
// whole read gives one, and "not valid JSON" exactly when nlohmann's parser
// refuses the bytes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "diagnostics/input_error.h"
#include "schema/schema_json.h"

namespace {

// Whether an error line is uvgen's own: one line, and no message of the JSON
// library ("[json.exception.parse_error.101] ..."), unless the input itself
// holds that text and the line quotes it.
bool isOwnErrorLine(const std::string& line, const std::string& input) {
  const char* library_message = "[json.exception.";
  return line.find('\n') == std::string::npos &&
         (line.find(library_message) == std::string::npos || input.find(library_message) != std::string::npos);
}

// Reads text with read; false for an InputError of one line, aborts on any other failure.
template <typename Read>
bool readsOrRefuses(Read read, const std::string& text) {
  try {
    read(text);
    return true;
  } catch (const uvgen::InputError& e) {
    if (!isOwnErrorLine(e.what(), text)) std::abort();
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const bool as_target =
      readsOrRefuses([](const std::string& t) { uvgen::targetSchemaFromText(t, "target.json"); }, text);
  bool refused_as_json = false;
  try {
    uvgen::targetSchemaFromText(text, "target.json");
  } catch (const uvgen::InputError& e) {
    refused_as_json = std::string(e.what()).find("not valid JSON") != std::string::npos;
  }
  if (refused_as_json == nlohmann::json::accept(text)) std::abort();
  uvgen::Schema schema;
  try {
    schema = uvgen::schemaFromText(text, "fuzz.json");
  } catch (const uvgen::InputError& e) {
    if (!isOwnErrorLine(e.what(), text)) std::abort();
    return 0;
  }
  // What reads whole reads as a target schema too (it only skips parts).
  if (!as_target) std::abort();
  // An exception here is a finding: what uvgen writes, uvgen must read.
  const std::string written = uvgen::schemaToText(schema);
  if (uvgen::schemaToText(uvgen::schemaFromText(written, "written.json")) != written) std::abort();
  return 0;
}
