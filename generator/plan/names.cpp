#include "plan/names.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <unordered_set>

namespace uvgen {
namespace {

bool isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool isCWord(std::string_view word) {
  if (word.empty() || !(isAsciiLetter(word[0]) || word[0] == '_')) return false;
  for (char c : word)
    if (!(isAsciiLetter(c) || isAsciiDigit(c) || c == '_')) return false;
  return true;
}

std::string trimmed(const std::string& text) {
  size_t first = text.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

}  // namespace

std::string nimIdentKey(const std::string& name) {
  std::string key;
  for (size_t i = 0; i < name.size(); ++i) {
    if (i > 0 && name[i] == '_') continue;
    key += i == 0 ? name[i] : static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  }
  return key;
}

bool isNimKeyword(const std::string& name) {
  static const std::unordered_set<std::string> keywords = {
      "addr", "and", "as", "asm", "bind", "block", "break", "case", "cast", "concept", "const", "continue",
      "converter", "defer", "discard", "distinct", "div", "do", "elif", "else", "end", "enum", "except",
      "export", "finally", "for", "from", "func", "if", "import", "in", "include", "interface", "is",
      "isnot", "iterator", "let", "macro", "method", "mixin", "mod", "nil", "not", "notin", "object", "of",
      "or", "out", "proc", "ptr", "raise", "ref", "return", "shl", "shr", "static", "template", "try",
      "tuple", "type", "using", "var", "when", "while", "xor", "yield"};
  return keywords.count(nimIdentKey(name)) != 0;
}

bool isNimIdentifier(const std::string& name) {
  if (name.empty() || !isAsciiLetter(name[0]) || name.back() == '_') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!(isAsciiLetter(c) || isAsciiDigit(c) || c == '_')) return false;
    if (c == '_' && name[i - 1] == '_') return false;
  }
  return !isNimKeyword(name);
}

bool isNimTypeExpression(const std::string& raw) {
  // Iterative: each prefix is peeled off in turn, so depth costs no stack.
  std::string text = trimmed(raw);
  for (size_t peeled = 0; peeled <= text.size(); ++peeled) {
    if (text.rfind("ptr ", 0) == 0 || text.rfind("var ", 0) == 0) {
      text = trimmed(text.substr(4));
      continue;
    }
    if (text.rfind("array[", 0) == 0 && text.back() == ']') {
      size_t comma = text.find(',');
      if (comma == std::string::npos) return false;
      std::string length = trimmed(text.substr(6, comma - 6));
      if (length.empty() || length.size() > 9) return false;
      for (char c : length)
        if (!isAsciiDigit(c)) return false;
      text = trimmed(text.substr(comma + 1, text.size() - comma - 2));
      continue;
    }
    return isNimIdentifier(text);
  }
  return false;
}

bool isCKeyword(const std::string& name) {
  static const std::unordered_set<std::string> keywords = {
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
      "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
      "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
      "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic",
      "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local"};
  return keywords.count(name) != 0;
}

bool isCIdentifier(const std::string& name) { return isCWord(name) && !isCKeyword(name); }

bool isCTypeSpelling(const std::string& text) {
  if (trimmed(text).empty()) return false;
  // Words separated by spaces and stars.
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find_first_of(" *", start), text.size());
    if (end > start && !isCWord(std::string_view(text).substr(start, end - start))) return false;
    start = end + 1;
  }
  return true;
}

std::optional<Type> variadicArgumentType(const std::string& c_type) {
  static const std::set<std::string> promoted = {"int", "unsigned int", "long", "unsigned long"};
  Type type;
  type.kind = Type::Kind::Builtin;
  if (promoted.count(c_type)) {
    type.name = type.spelling = c_type;
    return type;
  }
  if (c_type != "void *") return std::nullopt;
  type.name = type.spelling = "void";
  Type pointer;
  pointer.kind = Type::Kind::Pointer;
  pointer.spelling = "void *";
  pointer.pointee = std::make_shared<Type>(type);
  return pointer;
}

std::string cDeclaration(const std::string& type, const std::string& name) {
  return type + (type.back() == '*' ? "" : " ") + name;
}

}  // namespace uvgen
