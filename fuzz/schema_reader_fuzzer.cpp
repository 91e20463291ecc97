// Any bytes as a schema file: reading either succeeds or throws InputError
// with one line and none of the JSON library's text; never a crash, a hang or
// undefined behaviour. What was read, written back, reads back the same.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "diagnostics/input_error.h"
#include "schema/schema_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  uvgen::Schema schema;
  try {
    schema = uvgen::schemaFromText(text, "fuzz.json");
  } catch (const uvgen::InputError& e) {
    const std::string line = e.what();
    if (line.find('\n') != std::string::npos || line.find("json.exception") != std::string::npos) std::abort();
    return 0;
  }
  // An exception here is a finding: what uvgen writes, uvgen must read.
  const std::string written = uvgen::schemaToText(schema);
  if (uvgen::schemaToText(uvgen::schemaFromText(written, "written.json")) != written) std::abort();
  return 0;
}
