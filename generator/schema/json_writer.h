// Writes JSON text as it goes, formatted like nlohmann's dump(2): the schema
// of uv.h is half a megabyte, and building a Json tree first cost a quarter
// of `uvgen schema`'s run time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/utf8.h"

namespace uvgen {

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
