// Writes JSON text as it goes, formatted like nlohmann's dump(2): the schema
// of uv.h is half a megabyte, and building a Json tree first cost a quarter
// of `uvgen schema`'s run time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace uvgen {

// The text as valid UTF-8: each ill-formed sequence (a Latin-1 byte, a
// truncated or overlong sequence, a surrogate) becomes U+FFFD, as Unicode
// recommends (one per maximal ill-formed subpart). JSON text must be UTF-8,
// and C headers are not always.
std::string validUtf8(std::string_view text);

// The length of the well-formed UTF-8 sequence at text[i], or, when there is
// none, minus the length of its maximal ill-formed subpart (at least 1).
int utf8SequenceAt(std::string_view text, size_t i);

// Strings are written as valid UTF-8 (see validUtf8), so the output always
// parses as JSON.
class JsonWriter {
 public:
  void beginObject() { open('{'); }
  void endObject() { close('}'); }
  void beginArray() { open('['); }
  void endArray() { close(']'); }
  // The key of the next value inside an object.
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(int64_t number);
  void value(uint64_t number);
  void value(int number) { value(static_cast<int64_t>(number)); }
  void value(unsigned number) { value(static_cast<uint64_t>(number)); }
  void value(bool flag);

  template <typename T>
  void member(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

  // The text so far, with a final newline once every container is closed.
  std::string text() const { return out_ + "\n"; }

 private:
  void open(char bracket);
  void close(char bracket);
  void beforeValue();
  void appendString(std::string_view text);

  std::string out_;
  std::vector<bool> empty_;  // per open container: nothing written into it yet
  bool after_key_ = false;
};

}  // namespace uvgen
