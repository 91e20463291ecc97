// The extractor: parses a C header with Clang and returns its schema.
// This folder is the only part of uvgen that includes Clang headers.
#pragma once

#include <string>
#include <vector>

#include "schema/schema.h"

namespace uvgen {

struct ExtractOptions {
  std::string header;                    // the uv.h to parse
  std::vector<std::string> include_dirs;  // -I
  std::vector<std::string> defines;       // -D NAME[=VALUE]
  std::string target;                    // triple; empty for the host's
  // Leaves Clang's AST and buffers allocated, as `clang -fsyntax-only` does,
  // for a process that exits soon after: freeing them takes time and gives
  // nothing back. A process that parses many headers leaves it false.
  bool keep_clang_memory = false;
};

// Throws std::runtime_error with one line: Clang's own "file:line:col: error: ..."
// for a header that does not parse, or what else went wrong. When
// included_files is given, it receives every file the parse read, sorted
// (for build systems' dependency files; the schema itself holds no paths).
Schema extractSchema(const ExtractOptions& options, std::vector<std::string>* included_files = nullptr);

// The folder of Clang's builtin headers (stddef.h) this uvgen uses.
std::string clangResourceDir();

}  // namespace uvgen
