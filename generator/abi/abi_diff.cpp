#include "abi/abi_diff.h"
#include "abi/binary_layout.h"
#include "plan/names.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

namespace uvgen {
namespace {

std::string bytes(uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }
std::string bitOffset(uint64_t n) { return "offset " + std::to_string(n) + " bits"; }
std::string bitWidth(const std::optional<uint32_t>& width) {
  return width ? std::to_string(*width) + (*width == 1 ? " bit" : " bits") : "not a bit-field";
}

// "uv_pipe_t *" + "handle" -> "uv_pipe_t *handle"
std::string declared(const Type& type, const std::string& name) {
  if (name.empty() || type.spelling.empty()) return type.spelling + name;
  return cDeclaration(type.spelling, name);
}

std::string paramList(const std::vector<Param>& params, bool variadic) {
  if (params.empty() && !variadic) return "(void)";
  std::string text = "(";
  for (size_t i = 0; i < params.size(); ++i) text += (i ? ", " : "") + declared(params[i].type, params[i].name);
  if (variadic) text += params.empty() ? "..." : ", ...";
  return text + ")";
}

std::string prototype(const Function& f) { return declared(f.result, f.name) + paramList(f.params, f.variadic); }

std::string macroValue(const Macro& m) {
  if (const auto* number = std::get_if<int64_t>(&m.value)) return std::to_string(*number);
  return nlohmann::json(std::get<std::string>(m.value)).dump();  // quoted and escaped
}

// Types are compared structurally: typedefs are seen through, except that a
// typedef used by the same name on both sides is equal here, because the
// typedef's own definition is compared (and reported) once, as a typedef.
class TypeComparison {
 public:
  TypeComparison(const Schema& a, const Schema& b) : a_(a), b_(b) {}

  bool same(const Type& a, const Type& b) const { return sameType(a, a_, b, b_); }

  bool sameLayout(const RecordLayout& a, const RecordLayout& b) const {
    if (a.kind != b.kind || a.size != b.size || a.align != b.align || a.fields.size() != b.fields.size())
      return false;
    for (size_t i = 0; i < a.fields.size(); ++i) {
      const Field& fa = a.fields[i];
      const Field& fb = b.fields[i];
      if (fa.name != fb.name || fa.offset_bits != fb.offset_bits || fa.bit_width != fb.bit_width ||
          !same(fa.type, fb.type))
        return false;
    }
    return true;
  }

  // Top-level qualifiers of a parameter are not part of a function's type.
  bool sameParam(Type a, Type b) const {
    a.is_const = b.is_const = false;
    a.is_volatile = b.is_volatile = false;
    return same(a, b);
  }

 private:
  // The target of a typedef the schema knows, with the qualifiers of its use.
  static const Typedef* known(const Type& t, const Schema& s) {
    return t.kind == Type::Kind::Typedef ? s.findTypedef(t.name) : nullptr;
  }
  static Type seenThrough(const Type& t, const Typedef& def) {
    Type target = def.type;
    target.is_const = target.is_const || t.is_const;
    target.is_volatile = target.is_volatile || t.is_volatile;
    return target;
  }

  bool sameType(const Type& a, const Schema& sa, const Type& b, const Schema& sb) const {
    if (a.kind == Type::Kind::Typedef && b.kind == Type::Kind::Typedef && a.name == b.name)
      return a.is_const == b.is_const && a.is_volatile == b.is_volatile;
    if (const Typedef* def = known(a, sa)) return sameType(seenThrough(a, *def), sa, b, sb);
    if (const Typedef* def = known(b, sb)) return sameType(a, sa, seenThrough(b, *def), sb);
    if (a.kind != b.kind || a.is_const != b.is_const || a.is_volatile != b.is_volatile) return false;
    switch (a.kind) {
      case Type::Kind::Builtin:
      case Type::Kind::Enum:
      case Type::Kind::Typedef:
        return a.name == b.name;
      case Type::Kind::Record:
        if (a.anonymous_record || b.anonymous_record)
          return a.anonymous_record && b.anonymous_record && sameLayout(*a.anonymous_record, *b.anonymous_record);
        return a.tag == b.tag && a.name == b.name;
      case Type::Kind::Pointer:
        return sameType(*a.pointee, sa, *b.pointee, sb);
      case Type::Kind::Array:
        return a.length == b.length && sameType(*a.element, sa, *b.element, sb);
      case Type::Kind::Function:
        if (a.variadic != b.variadic || a.params.size() != b.params.size()) return false;
        if (!sameType(*a.result, sa, *b.result, sb)) return false;
        for (size_t i = 0; i < a.params.size(); ++i)
          if (!sameType(a.params[i], sa, b.params[i], sb)) return false;
        return true;
    }
    return false;
  }

  const Schema& a_;
  const Schema& b_;
};

// Something that may lack a name (an anonymous member or enum) and the
// names it holds (its members' or enumerators').
struct Labelled {
  std::string name;
  std::string kind;  // "anonymous union", "anonymous enum", ...
  std::vector<std::string> holds;
};

bool sharesAName(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& name : a)
    if (std::find(b.begin(), b.end(), name) != b.end()) return true;
  return false;
}

// Labels that pair old and new items: a name is its own label; an unnamed
// item is labelled by the first name it holds ("(anonymous enum with
// UV_PIPE_NO_TRUNCATE)"), or by its position among the unnamed when it holds
// none, and a new unnamed item takes the label of the old unnamed one it
// shares a name with. Never an empty name: two anonymous enums are two items.
std::pair<std::vector<std::string>, std::vector<std::string>> labels(const std::vector<Labelled>& a,
                                                                     const std::vector<Labelled>& b) {
  auto own = [](const Labelled& item, int& unnamed) {
    if (!item.name.empty()) return item.name;
    ++unnamed;
    return "(" + item.kind + (item.holds.empty() ? " " + std::to_string(unnamed) : " with " + item.holds.front()) + ")";
  };
  std::vector<std::string> labels_a, labels_b;
  int unnamed = 0;
  for (const Labelled& item : a) labels_a.push_back(own(item, unnamed));
  unnamed = 0;
  for (const Labelled& item : b) {
    std::string label = own(item, unnamed);
    if (item.name.empty())
      for (size_t i = 0; i < a.size(); ++i)
        if (a[i].name.empty() && sharesAName(a[i].holds, item.holds) &&
            std::find(labels_b.begin(), labels_b.end(), labels_a[i]) == labels_b.end()) {
          label = labels_a[i];
          break;
        }
    labels_b.push_back(label);
  }
  return {labels_a, labels_b};
}

// The names of the members a record holds, those of its anonymous members included.
void memberNames(const RecordLayout& record, std::vector<std::string>& names) {
  for (const Field& f : record.fields) {
    if (!f.name.empty()) names.push_back(f.name);
    else if (f.type.anonymous_record) memberNames(*f.type.anonymous_record, names);
  }
}

std::vector<Labelled> fieldsOf(const RecordLayout& record) {
  std::vector<Labelled> items;
  for (const Field& f : record.fields) {
    Labelled item{f.name, "anonymous " + (f.type.anonymous_record ? f.type.anonymous_record->kind : std::string("member")), {}};
    if (f.name.empty() && f.type.anonymous_record) memberNames(*f.type.anonymous_record, item.holds);
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<Labelled> enumsOf(const std::vector<Enum>& enums) {
  std::vector<Labelled> items;
  for (const Enum& e : enums) {
    Labelled item{e.name, "anonymous enum", {}};
    for (const Enumerator& enumerator : e.enumerators) item.holds.push_back(enumerator.name);
    items.push_back(std::move(item));
  }
  return items;
}

// The same enums, each named by its label.
std::vector<Enum> labelledEnums(std::vector<Enum> enums, const std::vector<std::string>& names) {
  for (size_t i = 0; i < enums.size(); ++i) {
    if (enums[i].spelling.empty()) enums[i].spelling = names[i];
    enums[i].name = names[i];
  }
  return enums;
}

// Bit ranges [begin, end) within a record.
using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;

bool covers(Ranges ranges, uint64_t begin, uint64_t end) {
  std::sort(ranges.begin(), ranges.end());
  for (const auto& [from, to] : ranges)
    if (from <= begin && begin < to) begin = to;
  return begin >= end;
}

Ranges without(const Ranges& ranges, const Ranges& taken) {
  Ranges left = ranges;
  for (const auto& [from, to] : taken) {
    Ranges next;
    for (const auto& [a, b] : left) {
      if (to <= a || b <= from) {
        next.push_back({a, b});
        continue;
      }
      if (a < from) next.push_back({a, from});
      if (to < b) next.push_back({to, b});
    }
    left = std::move(next);
  }
  return left;
}

// libuv's reserved members: `reserved`, `f_spare`, `unused`.
bool isReserved(const std::string& name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("reserved") != std::string::npos || lower.find("spare") != std::string::npos ||
         lower.find("unused") != std::string::npos;
}

// Records libuv names with two underscores (uv__io_s, uv__work, uv__queue) are
// its internals: all their fields count as private.
bool isInternal(const std::string& record_name) { return record_name.rfind("uv__", 0) == 0; }

// UV_HANDLE_TYPE_MAX, UV_REQ_TYPE_MAX: the count of the values before them.
bool isSentinel(const std::string& enumerator) {
  return enumerator.rfind("UV_", 0) == 0 && enumerator.size() > 4 &&
         enumerator.compare(enumerator.size() - 4, 4, "_MAX") == 0;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

// The part of two orders of the same names that differs, with "..." for the common ends.
std::pair<std::string, std::string> differingPart(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  auto part = [&](const std::vector<std::string>& names) {
    std::vector<std::string> middle(names.begin() + prefix, names.end() - suffix);
    return (prefix ? "..., " : "") + joined(middle) + (suffix ? ", ..." : "");
  };
  return {part(a), part(b)};
}

template <typename T>
std::map<std::string, const T*> byName(const std::vector<T>& items) {
  std::map<std::string, const T*> index;
  for (const T& item : items) index.emplace(item.name, &item);
  return index;
}

// The types a type names (records, typedefs and enums), through pointers,
// arrays and function prototypes; an anonymous member's fields are left to
// `anonymous`.
template <typename Anonymous>
void namesIn(const Type& type, std::vector<std::string>& names, Anonymous anonymous) {
  if (type.anonymous_record) anonymous(*type.anonymous_record);
  if (!type.name.empty() && type.kind != Type::Kind::Builtin) names.push_back(type.name);
  if (type.pointee) namesIn(*type.pointee, names, anonymous);
  if (type.element) namesIn(*type.element, names, anonymous);
  if (type.result) namesIn(*type.result, names, anonymous);
  for (const Type& p : type.params) namesIn(p, names, anonymous);
}

// What each declaration names: through any member, and through public ones only.
struct Uses {
  std::map<std::string, std::vector<std::string>> every, open;

  void ofFields(const std::string& owner, const RecordLayout& record, bool hidden) {
    for (const Field& f : record.fields) {
      const bool is_hidden = hidden || f.is_private;
      std::vector<std::string> names;
      namesIn(f.type, names, [&](const RecordLayout& inner) { ofFields(owner, inner, is_hidden); });
      every[owner].insert(every[owner].end(), names.begin(), names.end());
      if (!is_hidden) open[owner].insert(open[owner].end(), names.begin(), names.end());
    }
  }
  void ofType(const std::string& owner, const Type& type) {
    std::vector<std::string> names;
    namesIn(type, names, [&](const RecordLayout& inner) { ofFields(owner, inner, false); });
    every[owner].insert(every[owner].end(), names.begin(), names.end());
    open[owner].insert(open[owner].end(), names.begin(), names.end());
  }
};

// Adds to `reached` everything `uses` leads to from `from`.
void reach(const std::string& from, const std::map<std::string, std::vector<std::string>>& uses,
           std::set<std::string>& reached) {
  std::vector<std::string> todo = {from};
  while (!todo.empty()) {
    const std::string name = todo.back();
    todo.pop_back();
    if (!reached.insert(name).second) continue;
    auto named = uses.find(name);
    if (named != uses.end()) todo.insert(todo.end(), named->second.begin(), named->second.end());
  }
}

// The records, typedefs and enums of a schema that only private fields reach
// (uv__io_cb, named only by the internal uv__io_s; uv__async before 1.12, the
// type of private fields of uv_loop_s and uv_async_s). Code built against
// libuv never names a private field, so it never reaches them either.
//
// Public use starts at every function and at every declaration no other
// declaration names (a user can only have named it directly), and goes on
// through typedef targets, parameter and return types and the members of
// records, except private fields and the fields of libuv's internal records
// (isInternal). A declaration that public use never reaches but a private
// field does is private. Of a group that only names each other, the first
// declared starts public use too.
std::set<std::string> declarationsOnlyPrivateFieldsReach(const Schema& schema) {
  Uses uses;
  for (const RecordLayout& r : schema.records) uses.ofFields(r.name, r, isInternal(r.name));
  for (const Typedef& t : schema.typedefs) uses.ofType(t.name, t.type);
  for (const Function& f : schema.functions) {
    uses.ofType(f.name, f.result);
    for (const Param& p : f.params) uses.ofType(f.name, p.type);
  }
  std::set<std::string> named_by_another;
  for (const auto& [user, names] : uses.every)
    for (const std::string& name : names)
      if (name != user) named_by_another.insert(name);
  std::vector<std::string> declarations;
  for (const RecordLayout& r : schema.records) declarations.push_back(r.name);
  for (const Typedef& t : schema.typedefs) declarations.push_back(t.name);
  for (const Enum& e : schema.enums)
    if (!e.name.empty()) declarations.push_back(e.name);

  std::set<std::string> in_public_use, in_any_use;
  auto start = [&](const std::string& root) {
    reach(root, uses.open, in_public_use);
    reach(root, uses.every, in_any_use);
  };
  for (const Function& f : schema.functions) start(f.name);
  for (const std::string& name : declarations)
    if (!named_by_another.count(name)) start(name);
  for (const std::string& name : declarations)
    if (!in_any_use.count(name)) start(name);
  std::set<std::string> hidden;
  for (const std::string& name : declarations)
    if (!in_public_use.count(name)) hidden.insert(name);
  return hidden;
}

class SchemaDiff {
 public:
  SchemaDiff(const Schema& old_schema, const Schema& new_schema)
      : old_(old_schema),
        new_(new_schema),
        types_(old_schema, new_schema),
        layouts_(old_schema, new_schema),
        privately_used_(declarationsOnlyPrivateFieldsReach(old_schema)) {}

  std::vector<AbiChange> run() {
    records();
    typedefs();
    enums();
    functions();
    macros();
    return std::move(changes_);
  }

 private:
  // A change of class `what` with the table's verdicts; compatible for every
  // flavour when `why` holds and the class admits it.
  void report(ChangeClass what, const std::string& declaration, const std::string& name,
              std::optional<std::string> old_value, std::optional<std::string> new_value,
              std::optional<Softening> why = std::nullopt) {
    const ChangeClassInfo& info = changeClass(what);
    AbiChange change{what, declaration, name, std::move(old_value), std::move(new_value), info.verdicts, info.source,
                     std::nullopt, true};
    if (why && info.softened_by.count(*why)) {
      for (auto& [flavour, verdict] : change.verdicts) verdict = Verdict::Compatible;
      change.source = softening(*why).source;
      change.softened = why;
    }
    changes_.push_back(std::move(change));
  }

  // Whether the baseline's declaration of that name is one only private fields reach.
  bool privatelyUsed(const std::string& name) const { return privately_used_.count(name) != 0; }
  std::optional<Softening> privateUseIf(const std::string& name) const {
    return privatelyUsed(name) ? std::optional<Softening>(Softening::PrivateUse) : std::nullopt;
  }

  static std::optional<Softening> privateIf(bool is_private) {
    return is_private ? std::optional<Softening>(Softening::PrivateField) : std::nullopt;
  }

  // The bits of a record (at base) that only reserved members use: a reserved
  // member's own, less what other members use; an anonymous member adds its own
  // room. Empty when a member's size is unknown.
  Ranges roomOf(const RecordLayout& record, uint64_t base) const {
    Ranges reserved, used;
    for (const Field& f : record.fields) {
      std::optional<uint64_t> size = f.bit_width ? std::optional<uint64_t>(*f.bit_width) : layouts_.oldSizeBits(f.type);
      if (!size) return {};
      const Ranges extent = {{base + f.offset_bits, base + f.offset_bits + *size}};
      if (isReserved(f.name)) {
        reserved.push_back(extent.front());
      } else if (f.type.anonymous_record) {
        const Ranges inner = roomOf(*f.type.anonymous_record, base + f.offset_bits);
        reserved.insert(reserved.end(), inner.begin(), inner.end());
        const Ranges outside = without(extent, inner);
        used.insert(used.end(), outside.begin(), outside.end());
      } else {
        used.push_back(extent.front());
      }
    }
    return without(reserved, used);
  }

  // Whether a new member of a union that stays a union fits in the old union's
  // size (uv_any_req gaining uv_random_t in 1.33): no member moves, and a
  // growth of the union is reported on its own.
  bool inUnionRoom(const RecordLayout& a, const RecordLayout& b, const Field& f) const {
    if (a.kind != "union" || b.kind != "union") return false;
    std::optional<uint64_t> size = f.bit_width ? std::optional<uint64_t>(*f.bit_width) : layouts_.newSizeBits(f.type);
    return size && f.offset_bits + *size <= 8 * a.size;
  }

  // Whether a field of the new record (at base) lies in the old record's room.
  bool inRoom(const Field& f, uint64_t base, const Ranges& room) const {
    std::optional<uint64_t> size = f.bit_width ? std::optional<uint64_t>(*f.bit_width) : layouts_.newSizeBits(f.type);
    return size && covers(room, base + f.offset_bits, base + f.offset_bits + *size);
  }

  // Pairs declarations by name: each of the baseline's is compared with its
  // namesake or reported removed; each new one is reported added. Enumerators
  // belong to their enum (owner); everything else to itself.
  template <typename T, typename Describe, typename Compare>
  void pairByName(const std::vector<T>& old_items, const std::vector<T>& new_items, ChangeClass removed,
                  ChangeClass added, Describe describe, Compare compare, const std::string& owner = "") {
    auto current = byName(new_items);
    for (const T& a : old_items) {
      auto b = current.find(a.name);
      if (b == current.end())
        report(removed, owner.empty() ? a.name : owner, a.name, describe(a), std::nullopt,
               privateUseIf(owner.empty() ? a.name : owner));
      else
        compare(a, *b->second);
    }
    auto baseline = byName(old_items);
    for (const T& b : new_items)
      if (!baseline.count(b.name)) report(added, owner.empty() ? b.name : owner, b.name, std::nullopt, describe(b));
  }

  void records() {
    pairByName(
        old_.records, new_.records, ChangeClass::RecordRemoved, ChangeClass::RecordAdded,
        [](const RecordLayout& r) { return r.spelling + " (" + bytes(r.size) + ")"; },
        [&](const RecordLayout& a, const RecordLayout& b) {
          compareLayout(a, b, a.name, a.name, isInternal(a.name) || privatelyUsed(a.name), 0, roomOf(a, 0));
        });
  }

  // A change inside a private member breaks neither flavour: code built
  // against libuv never names one, and the struct's size, alignment and public
  // fields, which it does use, are reported and judged on their own. A record
  // nested at `base` bits into its declaration; `room` is the declaration's.
  void compareLayout(const RecordLayout& a, const RecordLayout& b, const std::string& declaration,
                     const std::string& path, bool inside_private, uint64_t base, const Ranges& room) {
    const std::optional<Softening> private_change = privateIf(inside_private);
    if (a.kind != b.kind) report(ChangeClass::RecordKindChanged, declaration, path, a.kind, b.kind, private_change);
    if (a.size != b.size) {
      // A nested record that shrinks or grows within reserved room.
      const bool nested_in_room = path != declaration && covers(room, base + 8 * std::min(a.size, b.size),
                                                                base + 8 * std::max(a.size, b.size));
      report(ChangeClass::RecordSizeChanged, declaration, path, bytes(a.size), bytes(b.size),
             inside_private ? private_change
                            : nested_in_room ? std::optional<Softening>(Softening::ReservedRoom) : std::nullopt);
    }
    if (a.align != b.align)
      report(ChangeClass::RecordAlignChanged, declaration, path, bytes(a.align), bytes(b.align), private_change);

    const auto [labels_a, labels_b] = labels(fieldsOf(a), fieldsOf(b));
    std::map<std::string, size_t> index_b;
    for (size_t j = 0; j < labels_b.size(); ++j) index_b.emplace(labels_b[j], j);
    std::map<std::string, size_t> index_a;
    for (size_t i = 0; i < labels_a.size(); ++i) index_a.emplace(labels_a[i], i);

    auto fieldText = [](const Field& f, const std::string& label) {
      return declared(f.type, label) + " (" + bitOffset(f.offset_bits) + ")";
    };
    std::vector<std::string> common_a, public_a;
    for (size_t i = 0; i < a.fields.size(); ++i) {
      const Field& fa = a.fields[i];
      const std::string field_path = path + "." + labels_a[i];
      auto j = index_b.find(labels_a[i]);
      if (j == index_b.end()) {
        report(ChangeClass::FieldRemoved, declaration, field_path, fieldText(fa, labels_a[i]), std::nullopt,
               inside_private || fa.is_private ? privateIf(true)
               : isReserved(fa.name)          ? std::optional<Softening>(Softening::ReservedRoom)
                                              : std::nullopt);
        continue;
      }
      const Field& fb = b.fields[j->second];
      const bool is_private = inside_private || fa.is_private || fb.is_private;
      compareField(fa, fb, declaration, field_path, is_private, base, room);
      common_a.push_back(labels_a[i]);
      if (!is_private) public_a.push_back(labels_a[i]);
    }
    std::vector<std::string> common_b, public_b;
    for (size_t j = 0; j < b.fields.size(); ++j) {
      const Field& fb = b.fields[j];
      auto i = index_a.find(labels_b[j]);
      if (i == index_a.end()) {
        report(ChangeClass::FieldAdded, declaration, path + "." + labels_b[j], std::nullopt, fieldText(fb, labels_b[j]),
               inside_private || fb.is_private ? privateIf(true)
               : inRoom(fb, base, room)        ? std::optional<Softening>(Softening::ReservedRoom)
               : inUnionRoom(a, b, fb)         ? std::optional<Softening>(Softening::UnionRoom)
                                               : std::nullopt);
        continue;
      }
      common_b.push_back(labels_b[j]);
      const Field& fa = a.fields[i->second];
      if (!(inside_private || fa.is_private || fb.is_private)) public_b.push_back(labels_b[j]);
    }
    // Offsets catch most reorders; this also catches unions, whose members all sit at 0.
    // Private members moving among themselves leave the shim's view alone.
    if (common_a != common_b) {
      auto [old_order, new_order] = differingPart(common_a, common_b);
      report(ChangeClass::FieldsReordered, declaration, path, old_order, new_order, privateIf(public_a == public_b));
    }
  }

  void compareField(const Field& a, const Field& b, const std::string& declaration, const std::string& path,
                    bool is_private, uint64_t base, const Ranges& room) {
    // A reserved member that shrinks or moves within its room or its own old place.
    Ranges room_or_own = room;
    if (std::optional<uint64_t> size = layouts_.oldSizeBits(a.type))
      room_or_own.push_back({base + a.offset_bits, base + a.offset_bits + *size});
    const bool reserved_in_room = isReserved(a.name) && inRoom(b, base, room_or_own);
    const std::optional<Softening> layout_change =
        is_private         ? privateIf(true)
        : reserved_in_room ? std::optional<Softening>(Softening::ReservedRoom)
                           : std::nullopt;
    if (a.offset_bits != b.offset_bits)
      report(ChangeClass::FieldOffsetChanged, declaration, path, bitOffset(a.offset_bits), bitOffset(b.offset_bits),
             layout_change);
    if (a.bit_width != b.bit_width)
      report(ChangeClass::FieldBitWidthChanged, declaration, path, bitWidth(a.bit_width), bitWidth(b.bit_width),
             layout_change);
    if (a.type.anonymous_record && b.type.anonymous_record) {
      compareLayout(*a.type.anonymous_record, *b.type.anonymous_record, declaration, path, is_private,
                    base + b.offset_bits, room);
    } else if (!types_.same(a.type, b.type)) {
      const bool same_layout = !layout_change && layouts_.sameLayout(a.type, b.type);
      report(ChangeClass::FieldTypeChanged, declaration, path, a.type.spelling, b.type.spelling,
             same_layout ? std::optional<Softening>(Softening::SameLayout) : layout_change);
    }
  }

  std::optional<Softening> sameLayoutIf(bool same) {
    return same ? std::optional<Softening>(Softening::SameLayout) : std::nullopt;
  }

  void typedefs() {
    pairByName(
        old_.typedefs, new_.typedefs, ChangeClass::TypedefRemoved, ChangeClass::TypedefAdded,
        [](const Typedef& t) { return t.type.spelling; },
        [&](const Typedef& a, const Typedef& b) {
          if (types_.same(a.type, b.type)) return;
          const bool callback = a.callback || b.callback;
          std::optional<Softening> why = privateUseIf(a.name);
          if (!why) why = sameLayoutIf(layouts_.samePassing(a.type, b.type));
          report(callback ? ChangeClass::CallbackSignatureChanged : ChangeClass::TypedefTypeChanged, a.name, a.name,
                 a.type.spelling, b.type.spelling, why);
        });
  }

  void enums() {
    // Anonymous enums (libuv 1.48's UV_PIPE_NO_TRUNCATE) pair by their enumerators.
    const auto [labels_old, labels_new] = labels(enumsOf(old_.enums), enumsOf(new_.enums));
    pairByName(labelledEnums(old_.enums, labels_old), labelledEnums(new_.enums, labels_new), ChangeClass::EnumRemoved,
               ChangeClass::EnumAdded,
               [](const Enum& e) { return e.spelling; },
               [&](const Enum& a, const Enum& b) {
                 if (!types_.same(a.underlying, b.underlying))
                   report(ChangeClass::EnumUnderlyingChanged, a.name, a.name, a.underlying.spelling,
                          b.underlying.spelling, privateUseIf(a.name));
                 pairByName(
                     a.enumerators, b.enumerators, ChangeClass::EnumeratorRemoved, ChangeClass::EnumeratorAdded,
                     [](const Enumerator& e) { return std::to_string(e.value); },
                     [&](const Enumerator& ea, const Enumerator& eb) {
                       if (ea.value == eb.value) return;
                       const bool grown = isSentinel(ea.name) && eb.value > ea.value;
                       report(ChangeClass::EnumeratorValueChanged, a.name, ea.name, std::to_string(ea.value),
                              std::to_string(eb.value),
                              grown ? std::optional<Softening>(Softening::SentinelGrown) : privateUseIf(a.name));
                     },
                     a.name);
               });
  }

  void functions() {
    pairByName(old_.functions, new_.functions, ChangeClass::FunctionRemoved, ChangeClass::FunctionAdded, prototype,
               [&](const Function& a, const Function& b) { compareFunction(a, b); });
  }

  void compareFunction(const Function& a, const Function& b) {
    if (!types_.same(a.result, b.result))
      report(ChangeClass::FunctionReturnChanged, a.name, a.name, a.result.spelling, b.result.spelling,
             sameLayoutIf(layouts_.samePassing(a.result, b.result)));
    if (a.params.size() != b.params.size()) {
      report(ChangeClass::FunctionParamCountChanged, a.name, a.name, paramList(a.params, a.variadic),
             paramList(b.params, b.variadic));
      return;  // the parameters no longer pair up
    }
    for (size_t i = 0; i < a.params.size(); ++i) {
      if (types_.sameParam(a.params[i].type, b.params[i].type)) continue;
      const std::string& param_name = b.params[i].name.empty() ? a.params[i].name : b.params[i].name;
      report(ChangeClass::FunctionParamTypeChanged, a.name,
             a.name + " parameter " + std::to_string(i + 1) + (param_name.empty() ? "" : " (" + param_name + ")"),
             a.params[i].type.spelling, b.params[i].type.spelling,
             sameLayoutIf(layouts_.samePassing(a.params[i].type, b.params[i].type)));
    }
    if (a.variadic != b.variadic)
      report(ChangeClass::FunctionVariadicChanged, a.name, a.name, paramList(a.params, a.variadic),
             paramList(b.params, b.variadic));
  }

  void macros() {
    pairByName(old_.macros, new_.macros, ChangeClass::MacroRemoved, ChangeClass::MacroAdded, macroValue,
               [&](const Macro& a, const Macro& b) {
                 if (a.value == b.value) return;
                 const bool version = a.name.rfind("UV_VERSION_", 0) == 0;
                 report(ChangeClass::MacroValueChanged, a.name, a.name, macroValue(a), macroValue(b),
                        version ? std::optional<Softening>(Softening::VersionMacro) : std::nullopt);
               });
  }

  const Schema& old_;
  const Schema& new_;
  TypeComparison types_;
  BinaryLayouts layouts_;
  std::set<std::string> privately_used_;  // in the baseline (declarationsOnlyPrivateFieldsReach)
  std::vector<AbiChange> changes_;
};

// The names of every declaration reachable from roots through types: a
// record's fields, a typedef's target, a function's return and parameters,
// through pointers, arrays and function prototypes.
class Reachable {
 public:
  explicit Reachable(const Schema& schema) : schema_(schema) {}

  void from(const std::set<std::string>& roots, std::set<std::string>& reached) {
    std::vector<std::string> todo(roots.begin(), roots.end());
    while (!todo.empty()) {
      const std::string name = todo.back();
      todo.pop_back();
      if (!reached.insert(name).second) continue;
      if (const RecordLayout* r = schema_.findRecord(name)) visit(*r, todo);
      if (const Typedef* t = schema_.findTypedef(name)) visit(t->type, todo);
      if (const Function* f = schema_.findFunction(name)) {
        visit(f->result, todo);
        for (const Param& p : f->params) visit(p.type, todo);
      }
    }
  }

 private:
  void visit(const RecordLayout& record, std::vector<std::string>& todo) {
    for (const Field& f : record.fields) visit(f.type, todo);
  }
  void visit(const Type& type, std::vector<std::string>& todo) {
    if (type.anonymous_record) visit(*type.anonymous_record, todo);
    if (!type.name.empty()) todo.push_back(type.name);
    if (type.pointee) visit(*type.pointee, todo);
    if (type.element) visit(*type.element, todo);
    if (type.result) visit(*type.result, todo);
    for (const Type& p : type.params) visit(p, todo);
  }

  const Schema& schema_;
};

// x86_64-pc-linux-gnu and x86_64-unknown-linux-gnu name the same target.
std::string withoutVendor(const std::string& triple) {
  const size_t first = triple.find('-');
  const size_t second = first == std::string::npos ? first : triple.find('-', first + 1);
  if (second == std::string::npos || triple.find('-', second + 1) == std::string::npos) return triple;
  return triple.substr(0, first) + triple.substr(second);
}

}  // namespace

bool sameTarget(const Target& a, const Target& b) {
  return withoutVendor(a.triple) == withoutVendor(b.triple) && a.pointer_size == b.pointer_size;
}

std::vector<AbiChange> abiDiff(const Schema& baseline, const Schema& current, const AbiScope& scope) {
  std::vector<AbiChange> changes = SchemaDiff(baseline, current).run();
  if (scope.whole_header) return changes;
  // Reached in either schema: a declaration the spec uses that gained a new
  // type is judged with that type.
  std::set<std::string> reached;
  Reachable(baseline).from(scope.spec_names, reached);
  Reachable(current).from(scope.spec_names, reached);
  for (AbiChange& change : changes) {
    switch (changeClass(change.what).scope) {
      case ScopeRule::Declaration:
        change.in_scope = reached.count(change.declaration) != 0;
        break;
      case ScopeRule::DeclarationOrEnumerator:
        change.in_scope = reached.count(change.declaration) != 0 || scope.spec_names.count(change.name) != 0;
        break;
    }
  }
  return changes;
}

int abiExitStatus(const std::vector<AbiChange>& changes, const std::vector<Flavour>& flavours, bool strict_source) {
  int status = kAbiIdentical;
  for (const AbiChange& change : changes) {
    if (!change.in_scope) continue;
    status = std::max(status, kAbiCompatible);
    if (strict_source && change.source == Verdict::Breaking) return kAbiBreaking;
    for (Flavour flavour : flavours)
      if (change.verdictFor(flavour) == Verdict::Breaking) return kAbiBreaking;
  }
  return status;
}

}  // namespace uvgen
