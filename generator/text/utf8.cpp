#include "text/utf8.h"

#include <algorithm>
#include <cstdio>

namespace uvgen {
namespace {

bool isAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool isAsciiControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// The code point of the well-formed sequence of `length` bytes at text[i].
uint32_t codePointAt(std::string_view text, size_t i, int length) {
  const auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(text[i + k])); };
  if (length == 1) return byte(0);
  uint32_t code_point = byte(0) & (0x7fu >> length);
  for (int k = 1; k < length; ++k) code_point = (code_point << 6) | (byte(static_cast<size_t>(k)) & 0x3f);
  return code_point;
}

void appendEscape(std::string& out, const char* format, uint32_t value) {
  char escaped[12];
  std::snprintf(escaped, sizeof escaped, format, static_cast<unsigned>(value));
  out += escaped;
}

}  // namespace

// The ranges are those of Unicode's table 3-7.
int utf8SequenceAt(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  int length;
  unsigned char low = 0x80, high = 0xbf;  // the range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // no overlong forms
    if (lead == 0xed) high = 0x9f;  // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // no overlong forms
    if (lead == 0xf4) high = 0x8f;  // nothing above U+10FFFF
  } else {
    return -1;
  }
  for (int k = 1; k < length; ++k) {
    if (i + k >= text.size()) return -k;
    unsigned char c = byte(i + k);
    if (k == 1 ? (c < low || c > high) : (c < 0x80 || c > 0xbf)) return -k;
  }
  return length;
}

std::string validUtf8(std::string_view text) {
  // Most text is ASCII, which is valid as it is.
  if (isAscii(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    int length = utf8SequenceAt(text, i);
    if (length > 0) {
      out.append(text, i, static_cast<size_t>(length));
      i += static_cast<size_t>(length);
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      i += static_cast<size_t>(-length);
    }
  }
  return out;
}

bool isFormattingCharacter(uint32_t c) {
  return (c >= 0x80 && c <= 0x9f) || c == 0x61c || c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

std::string terminalText(std::string_view text, bool keep_lines) {
  const bool plain = std::none_of(text.begin(), text.end(), [&](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u >= 0x80 || (isAsciiControl(u) && !(keep_lines && (c == '\n' || c == '\t')));
  });
  if (plain) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const int length = utf8SequenceAt(text, i);
    if (length <= 0) {  // not UTF-8: each byte of the ill-formed part escaped
      for (int k = 0; k < -length; ++k) appendEscape(out, "\\x%02x", static_cast<unsigned char>(text[i + static_cast<size_t>(k)]));
      i += static_cast<size_t>(-length);
      continue;
    }
    const uint32_t code_point = codePointAt(text, i, length);
    if ((c == '\n' || c == '\t') && keep_lines) {
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (length == 1 && isAsciiControl(c)) {
      appendEscape(out, "\\x%02x", c);
    } else if (isFormattingCharacter(code_point)) {
      appendEscape(out, "\\u%04x", code_point);
    } else {
      out.append(text, i, static_cast<size_t>(length));
    }
    i += static_cast<size_t>(length);
  }
  return out;
}

std::string commentText(std::string_view text) {
  const bool plain = std::none_of(text.begin(), text.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u >= 0x80 || (isAsciiControl(u) && c != '\n');
  });
  if (plain) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const int length = utf8SequenceAt(text, i);
    const size_t step = static_cast<size_t>(length > 0 ? length : -length);
    if (c == '\r') {
      if (i + 1 == text.size() || text[i + 1] != '\n') out += '\n';
    } else if (length == 1 && isAsciiControl(c) && c != '\n') {
      out += ' ';
    } else if (length > 1 && isFormattingCharacter(codePointAt(text, i, length))) {
      out += ' ';
    } else {
      out.append(text, i, step);
    }
    i += step;
  }
  return out;
}

}  // namespace uvgen
