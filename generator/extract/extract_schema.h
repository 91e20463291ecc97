// The extractor: parses a C header with Clang and returns its schema.
// This folder is the only part of uvgen that includes Clang headers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/schema.h"

namespace uvgen {

// Limits on what parsing one header may cost. Headers are other people's
// files: a kilobyte of macros can expand to billions of tokens, and a header
// that includes itself nests without end. Reaching a limit stops the parse
// with one line naming the header, the place and the limit (or Clang's first
// error, when the header had one before). libuv's uv.h
// stays far below each on every target uvgen is tested for (figures measured
// with Clang 14 and libuv 1.44.2; MinGW's windows.h, read for
// x86_64-w64-windows-gnu, needs the most).
//
// #include levels, the header itself being the first (measured: 14).
inline constexpr int kMaxIncludeDepth = 50;
// Bytes of header text the preprocessor enters, a file counted again each
// time it is included (measured: 13329487). No one file may be larger.
inline constexpr uint64_t kMaxIncludedBytes = 256u << 20;
// Tokens the preprocessor produces: those of the headers' text, of macro
// expansions and of directives alike, so macros expanding without end stop
// here (measured: 1011867).
inline constexpr uint64_t kMaxPreprocessorTokens = 16000000;
// Of those, the tokens handed to the parser, which builds declarations and
// expressions from them (measured: 516317).
inline constexpr uint64_t kMaxParsedTokens = 4000000;
// Of those, the tokens in a row without a `;`: the most one declaration,
// with its expressions and initializers, may take (measured: 1028). Clang
// parses an expression recursively, so this also bounds the stack the
// parse needs (`- - - 1`, `1+1+1`).
inline constexpr uint64_t kMaxTokensBetweenSemicolons = 20000;

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
// for a header that does not parse or that reaches one of the limits above
// (an included file that is not a regular file, a FIFO or a device, is such
// an error, and is never opened for reading), or an InputError naming a
// declaration the schema cannot hold exactly (a value outside int64), or what
// else went wrong. When
// included_files is given, it receives every file the parse read, sorted
// (for build systems' dependency files; the schema itself holds no paths).
Schema extractSchema(const ExtractOptions& options, std::vector<std::string>* included_files = nullptr);

// The folder of Clang's builtin headers (stddef.h) this uvgen uses.
std::string clangResourceDir();

}  // namespace uvgen
