// UTF-8, and the characters that change how text is shown rather than being
// shown. Input text (file names, names and docs from a header or a spec) can
// carry them into a terminal, a report or a generated comment; every such
// path goes through here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace uvgen {

// The length of the well-formed UTF-8 sequence at text[i], or, when there is
// none, minus the length of its maximal ill-formed subpart (at least 1).
int utf8SequenceAt(std::string_view text, size_t i);

// The text as valid UTF-8: each ill-formed sequence (a Latin-1 byte, a
// truncated or overlong sequence, a surrogate) becomes U+FFFD, as Unicode
// recommends (one per maximal ill-formed subpart). JSON text must be UTF-8,
// and C headers are not always.
std::string validUtf8(std::string_view text);

// Characters above ASCII that a terminal or an editor acts on: the C1
// controls (U+0080 to U+009F, NEL and CSI among them), the line and paragraph
// separators (U+2028, U+2029) and the bidirectional formatting characters
// (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which can
// make text read in another order than it is ("Trojan Source").
bool isFormattingCharacter(uint32_t code_point);

// Text for a terminal, inert: C0 controls and DEL as \xNN (a newline as \n
// and a tab as \t unless keep_lines), bytes that are not UTF-8 as \xNN, and
// formatting characters as \uNNNN. keep_lines keeps newlines and tabs, for
// reports and diffs of several lines.
std::string terminalText(std::string_view text, bool keep_lines = false);

// Text for a comment in generated code: every control character (C0 other
// than the newline, DEL, C1) and every formatting character becomes a space,
// and a carriage return (alone or before a newline) a newline. Ill-formed
// UTF-8 is left to the caller (schema and spec text is valid UTF-8).
std::string commentText(std::string_view text);

}  // namespace uvgen
