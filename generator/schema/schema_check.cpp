#include "schema/schema_check.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "diagnostics/input_error.h"

namespace uvgen {

std::string JsonPath::str() const {
  std::vector<const JsonPath*> steps;
  for (const JsonPath* p = this; p->parent; p = p->parent) steps.push_back(p);
  std::string text;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if ((*it)->key)
      text += (text.empty() ? "" : ".") + std::string((*it)->key);
    else
      text += "[" + std::to_string((*it)->index) + "]";
  }
  return text;
}

bool isPlainCIdentifier(std::string_view name) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (name.empty() || !letter(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

namespace {

class Checker {
 public:
  Checker(const Schema& schema, std::string file) : schema_(schema), file_(std::move(file)) {}

  void run() {
    JsonPath root;
    if (schema_.format_version != kSchemaFormatVersion)
      fail(root.member("format_version"), "unsupported format_version " + std::to_string(schema_.format_version));
    if (schema_.target.pointer_size != 4 && schema_.target.pointer_size != 8)
      fail(root.member("target").member("pointer_size"), "must be 4 or 8");
    if (schema_.libuv.major < 1) fail(root.member("libuv").member("major"), "must be at least 1");
    if (schema_.libuv.minor < 0) fail(root.member("libuv").member("minor"), "must not be negative");
    if (schema_.libuv.patch < 0) fail(root.member("libuv").member("patch"), "must not be negative");

    JsonPath records = root.member("records");
    for (size_t i = 0; i < schema_.records.size(); ++i) {
      const RecordLayout& r = schema_.records[i];
      JsonPath at = records.at(i);
      name(r.name, at, "record", Required);
      record(r, at, 0);
    }
    JsonPath typedefs = root.member("typedefs");
    for (size_t i = 0; i < schema_.typedefs.size(); ++i) {
      const Typedef& t = schema_.typedefs[i];
      JsonPath at = typedefs.at(i);
      name(t.name, at, "typedef", Required);
      type(t.type, at.member("type"), 1);
      if (t.callback) {
        JsonPath callback = at.member("callback");
        type(t.callback->result, callback.member("return"), 1);
        params(t.callback->params, callback.member("params"));
      }
    }
    JsonPath enums = root.member("enums");
    for (size_t i = 0; i < schema_.enums.size(); ++i) {
      const Enum& e = schema_.enums[i];
      JsonPath at = enums.at(i);
      name(e.name, at, "enum", MayBeEmpty);
      type(e.underlying, at.member("underlying"), 1);
      JsonPath enumerators = at.member("enumerators");
      for (size_t j = 0; j < e.enumerators.size(); ++j) name(e.enumerators[j].name, enumerators.at(j), "enumerator", Required);
    }
    JsonPath functions = root.member("functions");
    for (size_t i = 0; i < schema_.functions.size(); ++i) {
      name(schema_.functions[i].name, functions.at(i), "function", Required);
      type(schema_.functions[i].result, functions.at(i).member("return"), 1);
      params(schema_.functions[i].params, functions.at(i).member("params"));
    }
    JsonPath macros = root.member("macros");
    for (size_t i = 0; i < schema_.macros.size(); ++i) name(schema_.macros[i].name, macros.at(i), "macro", Required);
    // Only now, with every type's depth bounded, may typedefs be followed.
    typedefChains();
    uniqueNames();
  }

 private:
  [[noreturn]] void fail(const JsonPath& at, const std::string& message) const {
    throw InputError(file_, at.str(), message);
  }

  enum Naming { Required, MayBeEmpty };

  // at: the object whose "name" member this is; what: "record", "field", ...
  void name(const std::string& text, const JsonPath& at, const char* what, Naming naming) const {
    if (text.empty() && naming == MayBeEmpty) return;
    if (!isPlainCIdentifier(text))
      fail(at.member("name"), std::string(what) + " '" + text + "': not a plain C identifier ([A-Za-z_][A-Za-z0-9_]*)");
  }

  void count(uint64_t value, uint64_t min, uint64_t max, const JsonPath& at) const {
    if (value < min || value > max)
      fail(at, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", not " +
                   std::to_string(value));
  }

  // depth: the nesting level of the record itself; 0 for a top-level record.
  void record(const RecordLayout& r, const JsonPath& at, int depth) const {
    count(r.size, 0, kMaxByteCount, at.member("size"));
    count(r.align, 1, kMaxByteCount, at.member("align"));
    JsonPath fields = at.member("fields");
    for (size_t i = 0; i < r.fields.size(); ++i) {
      const Field& f = r.fields[i];
      JsonPath field = fields.at(i);
      name(f.name, field, "member", MayBeEmpty);  // empty for an anonymous member
      type(f.type, field.member("type"), depth + 1);
      count(f.offset_bits, 0, kMaxOffsetBits, field.member("offset_bits"));
    }
  }

  void params(const std::vector<Param>& list, const JsonPath& at) const {
    for (size_t i = 0; i < list.size(); ++i) {
      JsonPath param = at.at(i);
      name(list[i].name, param, "parameter", MayBeEmpty);  // empty for an unnamed parameter
      type(list[i].type, param.member("type"), 1);
    }
  }

  // Recursion is bounded: it stops at kMaxTypeNesting.
  void type(const Type& t, const JsonPath& at, int depth) const {
    if (depth > kMaxTypeNesting) fail(at, "types nest more than " + std::to_string(kMaxTypeNesting) + " levels deep");
    switch (t.kind) {
      case Type::Kind::Pointer:
        if (t.pointee) type(*t.pointee, at.member("pointee"), depth + 1);
        break;
      case Type::Kind::Array:
        if (t.element) type(*t.element, at.member("element"), depth + 1);
        if (t.length) count(*t.length, 0, kMaxByteCount, at.member("length"));
        break;
      case Type::Kind::Function:
        if (t.result) type(*t.result, at.member("return"), depth + 1);
        for (size_t i = 0; i < t.params.size(); ++i) type(t.params[i], at.member("params").at(i), depth + 1);
        break;
      case Type::Kind::Record:
        if (!t.anonymous_record) name(t.name, at, "record", MayBeEmpty);
        if (t.anonymous_record) {
          if (depth + 1 > kMaxTypeNesting)
            fail(at.member("record"), "types nest more than " + std::to_string(kMaxTypeNesting) + " levels deep");
          record(*t.anonymous_record, at.member("record"), depth + 1);
        }
        break;
      case Type::Kind::Builtin:  // "unsigned long": words, not one name
        break;
      case Type::Kind::Enum:  // an anonymous enum's type has no name
        name(t.name, at, "enum", MayBeEmpty);
        break;
      case Type::Kind::Typedef:
        name(t.name, at, "typedef", Required);
        break;
    }
  }

  // The names of the typedefs a type uses, anywhere inside it.
  static void typedefsUsed(const Type& t, std::vector<const std::string*>& out) {
    switch (t.kind) {
      case Type::Kind::Typedef: out.push_back(&t.name); break;
      case Type::Kind::Pointer: if (t.pointee) typedefsUsed(*t.pointee, out); break;
      case Type::Kind::Array: if (t.element) typedefsUsed(*t.element, out); break;
      case Type::Kind::Function:
        if (t.result) typedefsUsed(*t.result, out);
        for (const Type& p : t.params) typedefsUsed(p, out);
        break;
      case Type::Kind::Record:
        if (t.anonymous_record)
          for (const Field& f : t.anonymous_record->fields) typedefsUsed(f.type, out);
        break;
      case Type::Kind::Builtin:
      case Type::Kind::Enum:
        break;
    }
  }

  // C allows one declaration of each name, and downstream code (abiDiff most
  // of all) pairs declarations, members, parameters and enumerators by name,
  // so a name used twice is an error, not a second declaration to ignore.
  // Unnamed items (anonymous enums and members, unnamed parameters) are exempt.
  void uniqueNames() const {
    JsonPath root;
    unique(schema_.records, root.member("records"), "record");
    unique(schema_.typedefs, root.member("typedefs"), "typedef");
    unique(schema_.enums, root.member("enums"), "enum");
    unique(schema_.functions, root.member("functions"), "function");
    unique(schema_.macros, root.member("macros"), "macro");
    for (size_t i = 0; i < schema_.records.size(); ++i)
      members(schema_.records[i], root.member("records").at(i));
    for (size_t i = 0; i < schema_.functions.size(); ++i)
      unique(schema_.functions[i].params, root.member("functions").at(i).member("params"), "parameter");
    for (size_t i = 0; i < schema_.typedefs.size(); ++i)
      if (schema_.typedefs[i].callback)
        unique(schema_.typedefs[i].callback->params,
               root.member("typedefs").at(i).member("callback").member("params"), "parameter");
    // Enumerators share one name space across every enum.
    std::unordered_map<std::string_view, std::pair<size_t, size_t>> enumerators;  // name -> enum, enumerator
    JsonPath enums = root.member("enums");
    for (size_t i = 0; i < schema_.enums.size(); ++i) {
      JsonPath an_enum = enums.at(i);  // a path refers to its parent: each step is a named object
      JsonPath list = an_enum.member("enumerators");
      for (size_t j = 0; j < schema_.enums[i].enumerators.size(); ++j) {
        const std::string& name = schema_.enums[i].enumerators[j].name;
        auto [first, added] = enumerators.emplace(name, std::make_pair(i, j));
        if (!added) {
          JsonPath first_enum = enums.at(first->second.first);
          JsonPath first_list = first_enum.member("enumerators");
          fail(list.at(j), "enumerator " + name + " is declared twice (first at " +
                               first_list.at(first->second.second).str() + ")");
        }
      }
    }
  }

  template <typename Item>
  void unique(const std::vector<Item>& items, const JsonPath& list, const std::string& what) const {
    std::unordered_map<std::string, size_t> first;
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].name.empty()) continue;
      auto [earlier, added] = first.emplace(items[i].name, i);
      if (!added)
        fail(list.at(i), what + " " + items[i].name + " is declared twice (first at " + list.at(earlier->second).str() + ")");
    }
  }

  // A record's members, those of its anonymous members included, share one
  // name space; each nested record (anonymous or not) is checked as its own.
  // Depth is bounded: record() has checked every nesting level.
  void members(const RecordLayout& record, const JsonPath& at) const {
    std::unordered_set<std::string_view> seen;
    if (!uniqueMemberNames(record, seen)) {
      // A name twice: look again, keeping each name's place for the message.
      std::unordered_map<std::string, std::string> first;
      memberNames(record, at, first);
    }
    JsonPath fields = at.member("fields");
    for (size_t i = 0; i < record.fields.size(); ++i)
      if (record.fields[i].type.kind == Type::Kind::Record && record.fields[i].type.anonymous_record)
        members(*record.fields[i].type.anonymous_record, fields.at(i).member("type").member("record"));
  }

  bool uniqueMemberNames(const RecordLayout& record, std::unordered_set<std::string_view>& seen) const {
    for (const Field& f : record.fields) {
      if (!f.name.empty() ? !seen.insert(f.name).second
                          : f.type.kind == Type::Kind::Record && f.type.anonymous_record &&
                                !uniqueMemberNames(*f.type.anonymous_record, seen))
        return false;
    }
    return true;
  }

  void memberNames(const RecordLayout& record, const JsonPath& at,
                   std::unordered_map<std::string, std::string>& first) const {
    JsonPath fields = at.member("fields");
    for (size_t i = 0; i < record.fields.size(); ++i) {
      const Field& f = record.fields[i];
      JsonPath field = fields.at(i);
      if (f.name.empty()) {
        if (f.type.kind == Type::Kind::Record && f.type.anonymous_record)
          memberNames(*f.type.anonymous_record, field.member("type").member("record"), first);
        continue;
      }
      auto [earlier, added] = first.emplace(f.name, field.str());
      if (!added) fail(field, "member " + f.name + " is declared twice (first at " + earlier->second + ")");
    }
  }

  // Typedefs form a graph: an edge from each typedef to every typedef its type
  // (or callback signature) uses. Downstream code resolves names the way
  // Schema::findTypedef does, to the first typedef of that name. The graph
  // must be acyclic, and its longest path at most kMaxTypedefChain long; a
  // depth-first search with an explicit stack finds both, in typedef order.
  void typedefChains() const {
    const std::vector<Typedef>& all = schema_.typedefs;
    std::unordered_map<std::string, size_t> first;
    for (size_t i = 0; i < all.size(); ++i) first.emplace(all[i].name, i);
    std::vector<std::vector<size_t>> uses(all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      std::vector<const std::string*> names;
      typedefsUsed(all[i].type, names);
      if (all[i].callback) {
        typedefsUsed(all[i].callback->result, names);
        for (const Param& p : all[i].callback->params) typedefsUsed(p.type, names);
      }
      for (const std::string* name : names)
        if (auto found = first.find(*name); found != first.end()) uses[i].push_back(found->second);
    }

    enum State : unsigned char { Unvisited, OnPath, Done };
    std::vector<State> state(all.size(), Unvisited);
    std::vector<int> chain(all.size(), 0);  // typedefs on the longest path from here, itself included
    struct Frame {
      size_t node;
      size_t next_use;
    };
    JsonPath root;
    JsonPath typedefs = root.member("typedefs");
    for (size_t start = 0; start < all.size(); ++start) {
      if (state[start] != Unvisited) continue;
      std::vector<Frame> path{{start, 0}};
      state[start] = OnPath;
      while (!path.empty()) {
        Frame& top = path.back();
        if (top.next_use < uses[top.node].size()) {
          size_t next = uses[top.node][top.next_use++];
          if (state[next] == OnPath) cycle(path, next);
          if (state[next] == Unvisited) {
            state[next] = OnPath;
            path.push_back({next, 0});
          }
          continue;
        }
        int longest = 0;
        for (size_t used : uses[top.node]) longest = std::max(longest, chain[used]);
        chain[top.node] = longest + 1;
        if (chain[top.node] > kMaxTypedefChain)
          fail(typedefs.at(top.node), "typedef " + all[top.node].name + " resolves through more than " +
                                          std::to_string(kMaxTypedefChain) + " typedefs in a row");
        state[top.node] = Done;
        path.pop_back();
      }
    }
  }

  template <typename Frames>
  [[noreturn]] void cycle(const Frames& path, size_t again) const {
    const std::vector<Typedef>& all = schema_.typedefs;
    std::string names;
    bool inside = false;
    for (const auto& frame : path) {
      inside = inside || frame.node == again;
      if (inside) names += all[frame.node].name + " -> ";
    }
    names += all[again].name;
    JsonPath root;
    fail(root.member("typedefs").at(again), "typedef " + all[again].name + " refers to itself: " + names);
  }

  const Schema& schema_;
  std::string file_;
};

}  // namespace

void checkSchema(const Schema& schema, const std::string& file) { Checker(schema, file).run(); }

}  // namespace uvgen
