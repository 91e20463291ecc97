// What counts as a name in each language uvgen writes. Every name that
// reaches generated C or Nim code is checked here first, so input text can
// only ever become a name, never code.
#pragma once

#include <optional>
#include <string>

#include "schema/schema.h"

namespace uvgen {

// Nim identifier equality: the first character exactly, the rest ignoring
// case and underscores ("sizeOfWriteQueue" == "sizeofwrite_queue").
std::string nimIdentKey(const std::string& name);

bool isNimKeyword(const std::string& name);
// A letter, then letters, digits and single underscores, not ending in one;
// not a keyword.
bool isNimIdentifier(const std::string& name);
// A Nim type as the spec may write it: a name, `ptr T`, `var T`, `ptr ptr T`,
// or `array[N, T]`.
bool isNimTypeExpression(const std::string& text);

bool isCKeyword(const std::string& name);
// A letter or underscore, then letters, digits and underscores; not a keyword.
bool isCIdentifier(const std::string& name);
// A C type as the shim pastes it into code: identifiers (keywords such as
// `const`, `unsigned`, `struct` included) and `*`, separated by spaces.
bool isCTypeSpelling(const std::string& text);

// The type a variadic argument is passed as, as a schema type: one of the C
// types that keep their type through the default argument promotions ("int",
// "unsigned int", "long", "unsigned long", "void *"); nullopt for any other.
std::optional<Type> variadicArgumentType(const std::string& c_type);

// `name` declared with the C type spelled `type`: "int32_t count", and no
// space after a pointer's '*' ("char *base").
std::string cDeclaration(const std::string& type, const std::string& name);

}  // namespace uvgen
