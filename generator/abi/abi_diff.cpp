#include "abi/abi_diff.h"

#include <algorithm>
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
  return type.spelling + (type.spelling.back() == '*' ? "" : " ") + name;
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

// Fields are matched by name; members without one by their position among
// the unnamed ones.
std::vector<std::string> fieldLabels(const RecordLayout& record) {
  std::vector<std::string> labels;
  int unnamed = 0;
  for (const Field& f : record.fields)
    labels.push_back(f.name.empty() ? "(anonymous " + std::to_string(++unnamed) + ")" : f.name);
  return labels;
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

class SchemaDiff {
 public:
  SchemaDiff(const Schema& old_schema, const Schema& new_schema)
      : old_(old_schema), new_(new_schema), types_(old_schema, new_schema) {}

  std::vector<AbiChange> run() {
    target();
    records();
    typedefs();
    enums();
    functions();
    macros();
    return std::move(changes_);
  }

 private:
  // A change of class `what`; the table gives its verdicts, softened for the
  // shim when the change lies in a private field and the class allows that.
  void report(ChangeClass what, const std::string& declaration, const std::string& name,
              std::optional<std::string> old_value, std::optional<std::string> new_value, bool is_private = false) {
    const ChangeClassInfo& info = changeClass(what);
    std::map<Flavour, Verdict> verdicts = info.verdicts;
    if (is_private && info.private_field_compatible_for_shim) verdicts[Flavour::Shim] = Verdict::Compatible;
    if (info.version_macros_compatible && name.rfind("UV_VERSION_", 0) == 0)
      for (auto& [flavour, verdict] : verdicts) verdict = Verdict::Compatible;
    changes_.push_back(AbiChange{what, declaration, name, std::move(old_value), std::move(new_value), verdicts, true});
  }

  void target() {
    auto text = [](const Target& t) { return t.triple + ", " + std::to_string(t.pointer_size) + "-byte pointers"; };
    if (withoutVendor(old_.target.triple) != withoutVendor(new_.target.triple) ||
        old_.target.pointer_size != new_.target.pointer_size)
      report(ChangeClass::TargetChanged, "target", "target", text(old_.target), text(new_.target));
  }

  // x86_64-pc-linux-gnu and x86_64-unknown-linux-gnu name the same target.
  static std::string withoutVendor(const std::string& triple) {
    const size_t first = triple.find('-');
    const size_t second = first == std::string::npos ? first : triple.find('-', first + 1);
    if (second == std::string::npos || triple.find('-', second + 1) == std::string::npos) return triple;
    return triple.substr(0, first) + triple.substr(second);
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
        report(removed, owner.empty() ? a.name : owner, a.name, describe(a), std::nullopt);
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
        [&](const RecordLayout& a, const RecordLayout& b) { compareLayout(a, b, a.name, a.name, false); });
  }

  // A change inside a private member breaks the direct flavour, which lays the
  // struct out itself, but not the shim, which needs only the size and the
  // public fields (their own changes are reported, and judged, separately).
  void compareLayout(const RecordLayout& a, const RecordLayout& b, const std::string& declaration,
                     const std::string& path, bool inside_private) {
    if (a.kind != b.kind) report(ChangeClass::RecordKindChanged, declaration, path, a.kind, b.kind, inside_private);
    if (a.size != b.size)
      report(ChangeClass::RecordSizeChanged, declaration, path, bytes(a.size), bytes(b.size), inside_private);
    if (a.align != b.align)
      report(ChangeClass::RecordAlignChanged, declaration, path, bytes(a.align), bytes(b.align), inside_private);

    const std::vector<std::string> labels_a = fieldLabels(a);
    const std::vector<std::string> labels_b = fieldLabels(b);
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
               inside_private || fa.is_private);
        continue;
      }
      const Field& fb = b.fields[j->second];
      const bool is_private = inside_private || fa.is_private || fb.is_private;
      compareField(fa, fb, declaration, field_path, is_private);
      common_a.push_back(labels_a[i]);
      if (!is_private) public_a.push_back(labels_a[i]);
    }
    std::vector<std::string> common_b, public_b;
    for (size_t j = 0; j < b.fields.size(); ++j) {
      const Field& fb = b.fields[j];
      auto i = index_a.find(labels_b[j]);
      if (i == index_a.end()) {
        report(ChangeClass::FieldAdded, declaration, path + "." + labels_b[j], std::nullopt, fieldText(fb, labels_b[j]),
               inside_private || fb.is_private);
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
      report(ChangeClass::FieldsReordered, declaration, path, old_order, new_order, public_a == public_b);
    }
  }

  void compareField(const Field& a, const Field& b, const std::string& declaration, const std::string& path,
                    bool is_private) {
    if (a.offset_bits != b.offset_bits)
      report(ChangeClass::FieldOffsetChanged, declaration, path, bitOffset(a.offset_bits), bitOffset(b.offset_bits),
             is_private);
    if (a.bit_width != b.bit_width)
      report(ChangeClass::FieldBitWidthChanged, declaration, path, bitWidth(a.bit_width), bitWidth(b.bit_width),
             is_private);
    if (a.type.anonymous_record && b.type.anonymous_record)
      compareLayout(*a.type.anonymous_record, *b.type.anonymous_record, declaration, path, is_private);
    else if (!types_.same(a.type, b.type))
      report(ChangeClass::FieldTypeChanged, declaration, path, a.type.spelling, b.type.spelling, is_private);
  }

  void typedefs() {
    pairByName(
        old_.typedefs, new_.typedefs, ChangeClass::TypedefRemoved, ChangeClass::TypedefAdded,
        [](const Typedef& t) { return t.type.spelling; },
        [&](const Typedef& a, const Typedef& b) {
          if (types_.same(a.type, b.type)) return;
          const bool callback = a.callback || b.callback;
          report(callback ? ChangeClass::CallbackSignatureChanged : ChangeClass::TypedefTypeChanged, a.name, a.name,
                 a.type.spelling, b.type.spelling);
        });
  }

  void enums() {
    pairByName(old_.enums, new_.enums, ChangeClass::EnumRemoved, ChangeClass::EnumAdded,
               [](const Enum& e) { return e.spelling; },
               [&](const Enum& a, const Enum& b) {
                 if (!types_.same(a.underlying, b.underlying))
                   report(ChangeClass::EnumUnderlyingChanged, a.name, a.name, a.underlying.spelling,
                          b.underlying.spelling);
                 pairByName(
                     a.enumerators, b.enumerators, ChangeClass::EnumeratorRemoved, ChangeClass::EnumeratorAdded,
                     [](const Enumerator& e) { return std::to_string(e.value); },
                     [&](const Enumerator& ea, const Enumerator& eb) {
                       if (ea.value != eb.value)
                         report(ChangeClass::EnumeratorValueChanged, a.name, ea.name, std::to_string(ea.value),
                                std::to_string(eb.value));
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
      report(ChangeClass::FunctionReturnChanged, a.name, a.name, a.result.spelling, b.result.spelling);
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
             a.params[i].type.spelling, b.params[i].type.spelling);
    }
    if (a.variadic != b.variadic)
      report(ChangeClass::FunctionVariadicChanged, a.name, a.name, paramList(a.params, a.variadic),
             paramList(b.params, b.variadic));
  }

  void macros() {
    pairByName(old_.macros, new_.macros, ChangeClass::MacroRemoved, ChangeClass::MacroAdded, macroValue,
               [&](const Macro& a, const Macro& b) {
                 if (a.value != b.value)
                   report(ChangeClass::MacroValueChanged, a.name, a.name, macroValue(a), macroValue(b));
               });
  }

  const Schema& old_;
  const Schema& new_;
  TypeComparison types_;
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

}  // namespace

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
      case ScopeRule::Always:
        change.in_scope = true;
        break;
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

int abiExitStatus(const std::vector<AbiChange>& changes, const std::vector<Flavour>& flavours) {
  int status = kAbiIdentical;
  for (const AbiChange& change : changes) {
    if (!change.in_scope) continue;
    status = std::max(status, kAbiCompatible);
    for (Flavour flavour : flavours)
      if (change.verdictFor(flavour) == Verdict::Breaking) return kAbiBreaking;
  }
  return status;
}

}  // namespace uvgen
