// Every ABI change class, judged on small schemas built in memory (no Clang
// parse): one edit per class, and the verdicts the class table gives. Next to
// them, the class table in schema/baseline/README.md is checked against the
// table in code.
#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

#include "abi/abi_diff.h"
#include "abi/change_classes.h"
#include "catch.h"

namespace {

using namespace uvgen;

Type builtin(const std::string& name) {
  Type type;
  type.kind = Type::Kind::Builtin;
  type.name = type.spelling = name;
  return type;
}

Type pointerTo(const Type& pointee) {
  Type type;
  type.kind = Type::Kind::Pointer;
  type.spelling = pointee.spelling + " *";
  type.pointee = std::make_shared<Type>(pointee);
  return type;
}

Type arrayOf(const Type& element, uint64_t length) {
  Type type;
  type.kind = Type::Kind::Array;
  type.spelling = element.spelling + "[" + std::to_string(length) + "]";
  type.element = std::make_shared<Type>(element);
  type.length = length;
  return type;
}

// A pointer to a function of one parameter, returning void.
Type callbackOf(const Type& param) {
  Type function;
  function.kind = Type::Kind::Function;
  function.spelling = "void (" + param.spelling + ")";
  function.result = std::make_shared<Type>(builtin("void"));
  function.params = {param};
  return pointerTo(function);
}

Type typedefNamed(const std::string& name) {
  Type type;
  type.kind = Type::Kind::Typedef;
  type.name = type.spelling = name;
  return type;
}

Type recordNamed(const std::string& name) {
  Type type;
  type.kind = Type::Kind::Record;
  type.tag = "struct";
  type.name = name;
  type.spelling = "struct " + name;
  return type;
}

// A small libuv-like header: a pipe struct with a public and a private field,
// its typedef, a callback, an enum, a function and two macros.
Schema baseSchema() {
  Schema schema;
  schema.target = {"x86_64-pc-linux-gnu", 8, "14"};
  schema.libuv = {1, 44, 2};
  RecordLayout pipe;
  pipe.name = "uv_pipe_s";
  pipe.kind = "struct";
  pipe.spelling = "struct uv_pipe_s";
  pipe.size = 16;
  pipe.align = 8;
  pipe.is_libuv = true;
  pipe.fields.push_back({"data", pointerTo(builtin("void")), 0, std::nullopt, false});
  pipe.fields.push_back({"io_watcher", builtin("int"), 64, std::nullopt, true});
  pipe.fields.push_back({"ipc", builtin("int"), 96, std::nullopt, false});
  schema.records.push_back(pipe);

  Typedef pipe_t{"uv_pipe_t", recordNamed("uv_pipe_s"), std::nullopt, true, ""};
  schema.typedefs.push_back(pipe_t);
  schema.typedefs.push_back({"uv_uid_t", builtin("unsigned long"), std::nullopt, true, ""});
  Callback read_cb{builtin("void"), {{"handle", pointerTo(typedefNamed("uv_pipe_t"))}, {"status", builtin("int")}}, false};
  Type read_cb_type = pointerTo(builtin("void (uv_pipe_t *, int)"));
  schema.typedefs.push_back({"uv_read_cb", read_cb_type, read_cb, true, ""});

  Enum mode{"uv_mode", "enum uv_mode", builtin("unsigned int"), {{"UV_READABLE", 1}, {"UV_WRITABLE", 2}, {"UV_MODE_MAX", 3}}, true, ""};
  schema.enums.push_back(mode);

  Function init{"uv_pipe_init", builtin("int"), {{"handle", pointerTo(typedefNamed("uv_pipe_t"))}, {"ipc", builtin("int")}}, false, ""};
  schema.functions.push_back(init);

  // libuv-internal (uv__): every field private.
  RecordLayout io;
  io.name = "uv__io_s";
  io.kind = "struct";
  io.spelling = "struct uv__io_s";
  io.size = 16;
  io.align = 8;
  io.is_libuv = true;
  io.fields.push_back({"cb", pointerTo(builtin("void")), 0, std::nullopt, false});
  io.fields.push_back({"fd", builtin("int"), 64, std::nullopt, false});
  io.fields.push_back({"events", builtin("int"), 96, std::nullopt, false});
  schema.records.push_back(io);

  // Reserved room: uv_statfs_s's f_spare, uv_loop_s's active_reqs.unused.
  RecordLayout statfs;
  statfs.name = "uv_statfs_s";
  statfs.kind = "struct";
  statfs.spelling = "struct uv_statfs_s";
  statfs.size = 40;
  statfs.align = 8;
  statfs.fields.push_back({"f_type", builtin("unsigned long"), 0, std::nullopt, false});
  statfs.fields.push_back({"f_spare", arrayOf(builtin("unsigned long"), 4), 64, std::nullopt, false});
  schema.records.push_back(statfs);

  RecordLayout loop;
  loop.name = "uv_loop_s";
  loop.kind = "struct";
  loop.spelling = "struct uv_loop_s";
  loop.size = 32;
  loop.align = 8;
  auto active_reqs = std::make_shared<RecordLayout>();
  active_reqs->kind = "union";
  active_reqs->size = 16;
  active_reqs->align = 8;
  active_reqs->fields.push_back({"unused", arrayOf(pointerTo(builtin("void")), 2), 0, std::nullopt, false});
  active_reqs->fields.push_back({"count", builtin("unsigned int"), 0, std::nullopt, false});
  Type active_reqs_type;
  active_reqs_type.kind = Type::Kind::Record;
  active_reqs_type.tag = "union";
  active_reqs_type.spelling = "union (unnamed)";
  active_reqs_type.anonymous_record = active_reqs;
  loop.fields.push_back({"data", pointerTo(builtin("void")), 0, std::nullopt, false});
  loop.fields.push_back({"active_reqs", active_reqs_type, 64, std::nullopt, false});
  loop.fields.push_back({"stop_flag", builtin("unsigned int"), 192, std::nullopt, false});
  schema.records.push_back(loop);

  schema.macros.push_back({"UV_VERSION_MINOR", int64_t{44}});
  schema.macros.push_back({"UV_IF_NAMESIZE", int64_t{17}});
  return schema;
}

RecordLayout& pipeRecord(Schema& schema) { return schema.records.front(); }

// One edit of the current schema per class, each producing that class.
const std::map<ChangeClass, std::function<void(Schema&)>>& edits() {
  using C = ChangeClass;
  static const std::map<ChangeClass, std::function<void(Schema&)>> table = {
      {C::RecordAdded, [](Schema& s) { s.records.push_back({"uv_idle_s", "struct", "struct uv_idle_s", 8, 8, {}, true, ""}); }},
      {C::RecordRemoved, [](Schema& s) { s.records.erase(s.records.begin()); }},
      {C::RecordKindChanged, [](Schema& s) { pipeRecord(s).kind = "union"; }},
      {C::RecordSizeChanged, [](Schema& s) { pipeRecord(s).size = 24; }},
      {C::RecordAlignChanged, [](Schema& s) { pipeRecord(s).align = 16; }},
      {C::FieldAdded, [](Schema& s) { pipeRecord(s).fields.push_back({"mode", builtin("int"), 128, std::nullopt, false}); }},
      {C::FieldRemoved, [](Schema& s) { pipeRecord(s).fields.pop_back(); }},
      {C::FieldOffsetChanged, [](Schema& s) { pipeRecord(s).fields.back().offset_bits = 104; }},
      {C::FieldTypeChanged, [](Schema& s) { pipeRecord(s).fields.back().type = builtin("long"); }},
      {C::FieldBitWidthChanged, [](Schema& s) { pipeRecord(s).fields.back().bit_width = 1; }},
      {C::FieldsReordered, [](Schema& s) { std::swap(pipeRecord(s).fields[0], pipeRecord(s).fields[2]); pipeRecord(s).fields[0].offset_bits = 0; pipeRecord(s).fields[2].offset_bits = 96; }},
      {C::TypedefAdded, [](Schema& s) { s.typedefs.push_back({"uv_os_fd_t", builtin("int"), std::nullopt, true, ""}); }},
      {C::TypedefRemoved, [](Schema& s) { s.typedefs.erase(s.typedefs.begin()); }},
      {C::TypedefTypeChanged, [](Schema& s) { s.typedefs.front().type = recordNamed("uv_tcp_s"); }},
      {C::CallbackSignatureChanged, [](Schema& s) { s.typedefs.back().type = pointerTo(builtin("void (uv_pipe_t *, long)")); }},
      {C::EnumAdded, [](Schema& s) { s.enums.push_back({"uv_run_mode", "enum uv_run_mode", builtin("unsigned int"), {{"UV_RUN_DEFAULT", 0}}, true, ""}); }},
      {C::EnumRemoved, [](Schema& s) { s.enums.clear(); }},
      {C::EnumUnderlyingChanged, [](Schema& s) { s.enums.front().underlying = builtin("int"); }},
      {C::EnumeratorAdded, [](Schema& s) { s.enums.front().enumerators.push_back({"UV_NONBLOCK", 4}); }},
      {C::EnumeratorRemoved, [](Schema& s) { s.enums.front().enumerators.erase(s.enums.front().enumerators.begin()); }},
      {C::EnumeratorValueChanged, [](Schema& s) { s.enums.front().enumerators.front().value = 8; }},
      {C::FunctionAdded, [](Schema& s) { s.functions.push_back({"uv_pipe_chmod", builtin("int"), {}, false, ""}); }},
      {C::FunctionRemoved, [](Schema& s) { s.functions.clear(); }},
      {C::FunctionReturnChanged, [](Schema& s) { s.functions.front().result = builtin("long"); }},
      {C::FunctionParamCountChanged, [](Schema& s) { s.functions.front().params.pop_back(); }},
      {C::FunctionParamTypeChanged, [](Schema& s) { s.functions.front().params.back().type = builtin("long"); }},
      {C::FunctionVariadicChanged, [](Schema& s) { s.functions.front().variadic = true; }},
      {C::MacroAdded, [](Schema& s) { s.macros.push_back({"UV_VERSION_PATCH", int64_t{2}}); }},
      {C::MacroRemoved, [](Schema& s) { s.macros.pop_back(); }},
      {C::MacroValueChanged, [](Schema& s) { s.macros.back().value = int64_t{33}; }},
  };
  return table;
}

std::vector<AbiChange> changesOf(const std::vector<AbiChange>& all, ChangeClass what) {
  std::vector<AbiChange> found;
  for (const AbiChange& change : all)
    if (change.what == what) found.push_back(change);
  return found;
}

AbiScope specScope(std::set<std::string> names) {
  AbiScope scope;
  scope.whole_header = false;
  scope.spec_names = std::move(names);
  return scope;
}

}  // namespace

TEST_CASE("every_abi_change_class_is_found_with_the_verdicts_of_its_table_entry", "[abi][classes]") {
  const Schema baseline = baseSchema();
  REQUIRE(abiDiff(baseline, baseline, AbiScope{}).empty());
  for (const ChangeClassInfo& info : changeClasses()) {
    DYNAMIC_SECTION(info.name) {
      REQUIRE(edits().count(info.id) == 1);
      Schema current = baseSchema();
      edits().at(info.id)(current);
      const std::vector<AbiChange> found = changesOf(abiDiff(baseline, current, AbiScope{}), info.id);
      REQUIRE(found.size() == 1);
      CHECK(std::string(found.front().className()) == info.name);
      for (Flavour flavour : allFlavours()) CHECK(found.front().verdictFor(flavour) == info.verdicts.at(flavour));
      CHECK(found.front().source == info.source);
      CHECK_FALSE(found.front().softened);
    }
  }
}

namespace {

RecordLayout& recordNamedIn(Schema& schema, const std::string& name) {
  for (RecordLayout& r : schema.records)
    if (r.name == name) return r;
  FAIL("no record " << name);
  return schema.records.front();
}

// Edits whose every change is compatible, each expected with its class and why.
struct SoftenedCase {
  const char* name;
  std::function<void(Schema&)> edit;
  std::vector<std::pair<ChangeClass, Softening>> expected;
};

Schema softenedBaseline();
Typedef& typedefNamedIn(Schema& schema, const std::string& name) {
  for (Typedef& t : schema.typedefs)
    if (t.name == name) return t;
  FAIL("no typedef " << name);
  return schema.typedefs.front();
}
Enum& enumNamedIn(Schema& schema, const std::string& name) {
  for (Enum& e : schema.enums)
    if (e.name == name) return e;
  FAIL("no enum " << name);
  return schema.enums.front();
}
template <typename T>
void eraseNamed(std::vector<T>& items, const std::string& name) {
  const size_t before = items.size();
  items.erase(std::remove_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; }), items.end());
  REQUIRE(items.size() + 1 == before);
}

std::vector<SoftenedCase> softenedCases() {
  using C = ChangeClass;
  using S = Softening;
  auto io = [](Schema& s) -> RecordLayout& { return recordNamedIn(s, "uv__io_s"); };
  auto statfs = [](Schema& s) -> RecordLayout& { return recordNamedIn(s, "uv_statfs_s"); };
  return {
      {"internal record becomes a union", [=](Schema& s) { io(s).kind = "union"; }, {{C::RecordKindChanged, S::PrivateField}}},
      {"internal record grows", [=](Schema& s) { io(s).size = 24; }, {{C::RecordSizeChanged, S::PrivateField}}},
      {"internal record aligned more", [=](Schema& s) { io(s).align = 16; }, {{C::RecordAlignChanged, S::PrivateField}}},
      {"internal field added", [=](Schema& s) { io(s).fields.push_back({"flags", builtin("int"), 128, std::nullopt, false}); },
       {{C::FieldAdded, S::PrivateField}}},
      {"internal field removed", [=](Schema& s) { io(s).fields.pop_back(); }, {{C::FieldRemoved, S::PrivateField}}},
      {"internal field moved", [=](Schema& s) { io(s).fields.back().offset_bits = 104; }, {{C::FieldOffsetChanged, S::PrivateField}}},
      // 1.52: uv__io_s.cb, a function pointer, became an integer.
      {"internal callback becomes an integer", [=](Schema& s) { io(s).fields.front().type = typedefNamed("uv_uid_t"); },
       {{C::FieldTypeChanged, S::PrivateField}}},
      {"internal field made a bit-field", [=](Schema& s) { io(s).fields.back().bit_width = 3; },
       {{C::FieldBitWidthChanged, S::PrivateField}}},
      {"internal fields swapped", [=](Schema& s) {
         std::swap(io(s).fields[1], io(s).fields[2]);
         std::swap(io(s).fields[1].offset_bits, io(s).fields[2].offset_bits);
       },
       {{C::FieldsReordered, S::PrivateField}, {C::FieldOffsetChanged, S::PrivateField}}},
      // 1.52: f_frsize took a slot of f_spare[4].
      {"reserved array gives a slot to a new field", [=](Schema& s) {
         statfs(s).fields.back() = {"f_spare", arrayOf(builtin("unsigned long"), 3), 128, std::nullopt, false};
         statfs(s).fields.insert(statfs(s).fields.begin() + 1, {"f_frsize", builtin("unsigned long"), 64, std::nullopt, false});
       },
       {{C::FieldAdded, S::ReservedRoom}, {C::FieldOffsetChanged, S::ReservedRoom}, {C::FieldTypeChanged, S::ReservedRoom}}},
      {"reserved array removed", [=](Schema& s) { statfs(s).fields.pop_back(); }, {{C::FieldRemoved, S::ReservedRoom}}},
      // 1.39: active_reqs shrank to one pointer and internal_fields took the room.
      {"reserved union member shrinks for a new field", [](Schema& s) {
         RecordLayout& loop = recordNamedIn(s, "uv_loop_s");
         auto active_reqs = std::make_shared<RecordLayout>(*loop.fields[1].type.anonymous_record);
         active_reqs->size = 8;
         active_reqs->fields[0].type = pointerTo(builtin("void"));
         Type type = loop.fields[1].type;
         type.anonymous_record = active_reqs;
         loop.fields[1].type = type;
         loop.fields.insert(loop.fields.begin() + 2, {"internal_fields", pointerTo(builtin("void")), 128, std::nullopt, false});
       },
       {{C::RecordSizeChanged, S::ReservedRoom}, {C::FieldTypeChanged, S::ReservedRoom}, {C::FieldAdded, S::ReservedRoom}}},
      {"pointee made const", [](Schema& s) {
         Type void_const = builtin("void");
         void_const.is_const = true;
         pipeRecord(s).fields.front().type = pointerTo(void_const);
       },
       {{C::FieldTypeChanged, S::SameLayout}}},
      // 1.44: uv_passwd_s.uid went from long to unsigned long.
      {"typedef changes signedness", [](Schema& s) { s.typedefs[1].type = builtin("long"); }, {{C::TypedefTypeChanged, S::SameLayout}}},
      {"callback parameter changes signedness", [](Schema& s) {
         typedefNamedIn(s, "uv_read_cb").type = callbackOf(builtin("unsigned int"));
       },
       {{C::CallbackSignatureChanged, S::SameLayout}}},
      {"return changes signedness", [](Schema& s) { s.functions.front().result = builtin("unsigned int"); },
       {{C::FunctionReturnChanged, S::SameLayout}}},
      {"parameter changes signedness", [](Schema& s) { s.functions.front().params.back().type = builtin("unsigned int"); },
       {{C::FunctionParamTypeChanged, S::SameLayout}}},
      {"sentinel grows", [](Schema& s) { s.enums.front().enumerators.back().value = 4; }, {{C::EnumeratorValueChanged, S::SentinelGrown}}},
      {"version bumped", [](Schema& s) { s.macros.front().value = int64_t{45}; }, {{C::MacroValueChanged, S::VersionMacro}}},
      // 1.52: uv__io_s.cb became uintptr_t bits and uv__io_cb went.
      {"callback only a private field used is removed", [=](Schema& s) {
         eraseNamed(s.typedefs, "uv__io_cb");
         io(s).fields[0].type = builtin("unsigned long");
       },
       {{C::TypedefRemoved, S::PrivateUse}, {C::FieldTypeChanged, S::PrivateField}}},
      {"callback only a private field uses changes", [](Schema& s) {
         typedefNamedIn(s, "uv__io_cb").type = callbackOf(builtin("long"));
       },
       {{C::CallbackSignatureChanged, S::PrivateUse}}},
      {"typedef only a private field uses changes", [](Schema& s) { typedefNamedIn(s, "uv__fd_t").type = builtin("long"); },
       {{C::TypedefTypeChanged, S::PrivateUse}}},
      // 1.12: struct uv__async, the type of private fields only, went.
      {"record only a private field reaches is removed", [](Schema& s) { eraseNamed(s.records, "uv_timer_heap_s"); },
       {{C::RecordRemoved, S::PrivateUse}}},
      {"record only a private field reaches changes", [](Schema& s) {
         recordNamedIn(s, "uv_timer_heap_s").fields[0].type = builtin("unsigned long");
       },
       {{C::FieldTypeChanged, S::PrivateField}}},
      {"enum only a private field uses is removed", [](Schema& s) { eraseNamed(s.enums, "uv__work_kind"); },
       {{C::EnumRemoved, S::PrivateUse}}},
      {"enum only a private field uses changes its type", [](Schema& s) {
         enumNamedIn(s, "uv__work_kind").underlying = builtin("int");
       },
       {{C::EnumUnderlyingChanged, S::PrivateUse}}},
      {"enumerator of an enum only a private field uses is removed", [](Schema& s) {
         enumNamedIn(s, "uv__work_kind").enumerators.pop_back();
       },
       {{C::EnumeratorRemoved, S::PrivateUse}}},
      {"enumerator of an enum only a private field uses is renumbered", [](Schema& s) {
         enumNamedIn(s, "uv__work_kind").enumerators.front().value = 5;
       },
       {{C::EnumeratorValueChanged, S::PrivateUse}}},
      // 1.33: uv_any_req gained uv_random_t random, which fits in it.
      {"union gains a member that fits", [](Schema& s) {
         recordNamedIn(s, "uv_any_req").fields.push_back({"random", builtin("int"), 0, std::nullopt, false});
       },
       {{C::FieldAdded, S::UnionRoom}}},
  };
}

Type enumNamed(const std::string& name) {
  Type type;
  type.kind = Type::Kind::Enum;
  type.name = name;
  type.spelling = "enum " + name;
  return type;
}

// baseSchema, plus declarations that only private fields reach: uv__io_s (an
// internal record, all its fields private) names the callback uv__io_cb, the
// typedef uv__fd_t, the enum uv__work_kind and the record uv_timer_heap_s, which
// nothing else names; and a union with room for a smaller member.
Schema softenedBaseline() {
  Schema schema = baseSchema();
  schema.typedefs.back().type = callbackOf(builtin("int"));  // a real function type
  const Type io_pointer = pointerTo(recordNamed("uv__io_s"));
  schema.typedefs.push_back({"uv__io_cb", callbackOf(io_pointer), Callback{builtin("void"), {{"w", io_pointer}}, false}, true, ""});
  schema.typedefs.push_back({"uv__fd_t", builtin("int"), std::nullopt, true, ""});
  schema.enums.push_back({"uv__work_kind", "enum uv__work_kind", builtin("unsigned int"),
                          {{"UV__WORK_CPU", 0}, {"UV__WORK_FAST_IO", 1}}, true, ""});
  RecordLayout heap;
  heap.name = "uv_timer_heap_s";
  heap.kind = "struct";
  heap.spelling = "struct uv_timer_heap_s";
  heap.size = 8;
  heap.align = 8;
  heap.is_libuv = true;
  heap.fields.push_back({"min", pointerTo(builtin("void")), 0, std::nullopt, false});
  schema.records.push_back(heap);
  RecordLayout& io = recordNamedIn(schema, "uv__io_s");
  io.size = 32;
  io.fields[0].type = typedefNamed("uv__io_cb");
  io.fields[1].type = typedefNamed("uv__fd_t");
  io.fields.push_back({"kind", enumNamed("uv__work_kind"), 128, std::nullopt, false});
  io.fields.push_back({"heap", pointerTo(recordNamed("uv_timer_heap_s")), 192, std::nullopt, false});
  RecordLayout any_req;
  any_req.name = "uv_any_req";
  any_req.kind = "union";
  any_req.spelling = "union uv_any_req";
  any_req.size = 16;
  any_req.align = 8;
  any_req.is_libuv = true;
  any_req.fields.push_back({"req", arrayOf(pointerTo(builtin("void")), 2), 0, std::nullopt, false});
  any_req.fields.push_back({"data", pointerTo(builtin("void")), 0, std::nullopt, false});
  schema.records.push_back(any_req);
  return schema;
}

}  // namespace

TEST_CASE("every_softening_a_class_admits_makes_its_change_compatible", "[abi][classes]") {
  const Schema baseline = softenedBaseline();
  std::set<std::pair<ChangeClass, Softening>> covered;
  for (const SoftenedCase& c : softenedCases()) {
    DYNAMIC_SECTION(c.name) {
      Schema current = softenedBaseline();
      c.edit(current);
      const std::vector<AbiChange> all = abiDiff(baseline, current, AbiScope{});
      REQUIRE_FALSE(all.empty());
      for (const AbiChange& change : all) {
        INFO(change.className() << " " << change.name);
        REQUIRE(change.softened);
        for (Flavour flavour : allFlavours()) CHECK(change.verdictFor(flavour) == Verdict::Compatible);
        CHECK(change.source == softening(*change.softened).source);
      }
      for (const auto& [what, why] : c.expected) {
        INFO(changeClass(what).name << " " << softening(why).name);
        bool found = false;
        for (const AbiChange& change : all) found = found || (change.what == what && change.softened == why);
        CHECK(found);
      }
      CHECK(abiExitStatus(all, allFlavours()) == kAbiCompatible);
    }
    for (const auto& pair : c.expected) covered.insert(pair);
  }
  for (const ChangeClassInfo& info : changeClasses())
    for (Softening why : info.softened_by) {
      INFO(info.name << " admits " << softening(why).name << " but no case shows it");
      CHECK(covered.count({info.id, why}) == 1);
    }
}

TEST_CASE("a_declaration_a_public_field_or_a_function_also_reaches_is_not_private", "[abi][classes]") {
  // uv__fd_t, private while only uv__io_s names it, becomes public once
  // uv_pipe_init takes one, or once a public field of uv_pipe_s holds one.
  Schema by_function = softenedBaseline();
  by_function.functions.front().params.back().type = typedefNamed("uv__fd_t");
  Schema by_field = softenedBaseline();
  pipeRecord(by_field).fields.back().type = typedefNamed("uv__fd_t");
  // uv_timer_heap_s, once a public field points to one.
  Schema heap_by_field = softenedBaseline();
  pipeRecord(heap_by_field).fields.front().type = pointerTo(recordNamed("uv_timer_heap_s"));
  for (Schema* baseline : {&by_function, &by_field}) {
    Schema current = *baseline;
    typedefNamedIn(current, "uv__fd_t").type = builtin("long");
    const std::vector<AbiChange> all = abiDiff(*baseline, current, AbiScope{});
    REQUIRE(all.size() == 1);
    CHECK(all.front().what == ChangeClass::TypedefTypeChanged);
    CHECK_FALSE(all.front().softened);
    CHECK(abiExitStatus(all, allFlavours()) == kAbiBreaking);
  }
  Schema current = heap_by_field;
  eraseNamed(current.records, "uv_timer_heap_s");
  const std::vector<AbiChange> all = abiDiff(heap_by_field, current, AbiScope{});
  REQUIRE(all.size() == 1);
  CHECK(all.front().what == ChangeClass::RecordRemoved);
  CHECK(abiExitStatus(all, allFlavours()) == kAbiBreaking);
  // A declaration nothing names is public: a user can only have named it directly.
  Schema unnamed = softenedBaseline();
  eraseNamed(unnamed.typedefs, "uv_uid_t");
  CHECK(abiExitStatus(abiDiff(softenedBaseline(), unnamed, AbiScope{}), allFlavours()) == kAbiBreaking);
}

TEST_CASE("a_source_change_breaks_only_with_strict_source", "[abi][classes]") {
  const Schema baseline = baseSchema();
  Schema current = baseSchema();
  current.functions.front().params.back().type = builtin("unsigned int");
  const std::vector<AbiChange> all = abiDiff(baseline, current, AbiScope{});
  REQUIRE(all.size() == 1);
  CHECK(all.front().softened == Softening::SameLayout);
  CHECK(all.front().source == Verdict::Breaking);
  CHECK(abiExitStatus(all, allFlavours()) == kAbiCompatible);
  CHECK(abiExitStatus(all, allFlavours(), true) == kAbiBreaking);
}

TEST_CASE("layouts_that_differ_are_not_softened", "[abi][classes]") {
  const Schema baseline = softenedBaseline();
  // int -> long: another size.
  Schema wider = softenedBaseline();
  wider.functions.front().params.back().type = builtin("long");
  // A public pointer becomes an integer of its size.
  Schema integer = softenedBaseline();
  pipeRecord(integer).fields.front().type = builtin("unsigned long");
  // The reserved array keeps its size but a new field lands outside it.
  Schema outside = softenedBaseline();
  recordNamedIn(outside, "uv_statfs_s").fields.front().type = builtin("unsigned int");
  recordNamedIn(outside, "uv_statfs_s").fields.insert(recordNamedIn(outside, "uv_statfs_s").fields.begin() + 1,
                                                       {"f_flags", builtin("unsigned int"), 32, std::nullopt, false});
  // A new union member larger than the union: the union grows too.
  Schema larger_member = softenedBaseline();
  recordNamedIn(larger_member, "uv_any_req").fields.push_back({"big", arrayOf(builtin("long"), 3), 0, std::nullopt, false});
  for (const Schema* current : {&wider, &integer, &outside, &larger_member}) {
    const std::vector<AbiChange> all = abiDiff(baseline, *current, AbiScope{});
    REQUIRE_FALSE(all.empty());
    CHECK(abiExitStatus(all, allFlavours()) == kAbiBreaking);
  }
}

TEST_CASE("anonymous_enums_pair_by_their_enumerators_never_by_their_empty_name", "[abi][classes]") {
  Schema baseline = baseSchema();
  baseline.enums.push_back({"", "", builtin("unsigned int"), {{"UV_PIPE_NO_TRUNCATE", 1}}, true, ""});
  baseline.enums.push_back({"", "", builtin("int"), {{"UV_THREAD_PRIORITY_HIGHEST", 2}, {"UV_THREAD_PRIORITY_LOWEST", -2}}, true, ""});
  CHECK(abiDiff(baseline, baseline, AbiScope{}).empty());
  Schema current = baseline;
  std::swap(current.enums[1], current.enums[2]);
  current.enums[1].enumerators.push_back({"UV_THREAD_PRIORITY_NORMAL", 0});
  const std::vector<AbiChange> all = abiDiff(baseline, current, AbiScope{});
  REQUIRE(all.size() == 1);
  CHECK(all.front().what == ChangeClass::EnumeratorAdded);
  CHECK(all.front().declaration == "(anonymous enum with UV_THREAD_PRIORITY_HIGHEST)");
}

TEST_CASE("a_change_in_a_private_field_is_compatible_for_both_flavours", "[abi][classes]") {
  const Schema baseline = baseSchema();
  Schema current = baseSchema();
  pipeRecord(current).fields[1].type = builtin("unsigned int");  // io_watcher, private
  const std::vector<AbiChange> found = changesOf(abiDiff(baseline, current, AbiScope{}), ChangeClass::FieldTypeChanged);
  REQUIRE(found.size() == 1);
  CHECK(found.front().softened == Softening::PrivateField);
  CHECK(found.front().verdictFor(Flavour::Direct) == Verdict::Compatible);
  CHECK(found.front().verdictFor(Flavour::Shim) == Verdict::Compatible);
  CHECK(found.front().source == Verdict::Compatible);
}

TEST_CASE("a_new_libuv_version_macro_is_compatible", "[abi][classes]") {
  const Schema baseline = baseSchema();
  Schema current = baseSchema();
  current.macros.front().value = int64_t{45};  // UV_VERSION_MINOR
  const std::vector<AbiChange> found = changesOf(abiDiff(baseline, current, AbiScope{}), ChangeClass::MacroValueChanged);
  REQUIRE(found.size() == 1);
  for (Flavour flavour : allFlavours()) CHECK(found.front().verdictFor(flavour) == Verdict::Compatible);
}

TEST_CASE("spec_scope_judges_what_the_spec_reaches_the_target_always_and_named_enumerators", "[abi][classes]") {
  const Schema baseline = baseSchema();
  Schema current = baseSchema();
  current.target = {"i686-pc-linux-gnu", 4, "14"};
  current.macros.back().value = int64_t{33};           // UV_IF_NAMESIZE: not reached from uv_pipe_init
  pipeRecord(current).fields.back().offset_bits = 104;  // reached: uv_pipe_init -> uv_pipe_t -> uv_pipe_s
  current.enums.front().enumerators.front().value = 8;  // UV_READABLE: named by the spec below
  const std::vector<AbiChange> all = abiDiff(baseline, current, specScope({"uv_pipe_init", "UV_READABLE"}));
  auto inScope = [&](ChangeClass what) {
    std::vector<AbiChange> found = changesOf(all, what);
    REQUIRE(found.size() == 1);
    return found.front().in_scope;
  };
  CHECK(inScope(ChangeClass::FieldOffsetChanged));
  CHECK(inScope(ChangeClass::EnumeratorValueChanged));
  CHECK_FALSE(inScope(ChangeClass::MacroValueChanged));
}

TEST_CASE("class_table_of_the_baseline_readme_matches_the_class_table_in_code", "[abi][classes]") {
  std::ifstream file(std::string(UVGEN_SOURCE_DIR) + "/schema/baseline/README.md");
  REQUIRE(file);
  std::string line;
  bool in_section = false;
  // class name -> its row's cells: binary, source, compatible when, example
  std::map<std::string, std::vector<std::string>> documented;
  while (std::getline(file, line)) {
    if (line.rfind("### ", 0) == 0) in_section = line == "### Classes of change";
    if (!in_section || line.rfind("| `", 0) != 0 || line.rfind("| `what` |", 0) == 0) continue;
    std::vector<std::string> cells;
    for (size_t from = 2, bar; (bar = line.find(" |", from)) != std::string::npos; from = bar + 3)
      cells.push_back(line.substr(from, bar - from));
    INFO(line);
    REQUIRE(cells.size() == 5);
    const std::regex name_pattern("`([a-z_]+)`");
    for (auto it = std::sregex_iterator(cells[0].begin(), cells[0].end(), name_pattern); it != std::sregex_iterator(); ++it) {
      INFO((*it)[1].str());
      CHECK(documented.emplace((*it)[1].str(), std::vector<std::string>(cells.begin() + 1, cells.end())).second);
    }
  }
  std::set<std::string> in_code;
  for (const ChangeClassInfo& info : changeClasses()) {
    in_code.insert(info.name);
    INFO(info.name);
    REQUIRE(documented.count(info.name) == 1);
    const std::vector<std::string>& row = documented.at(info.name);
    const bool compatible = info.verdicts.at(Flavour::Direct) == Verdict::Compatible;
    CHECK(row[0].rfind(compatible ? "compatible" : "breaking", 0) == 0);
    CHECK(row[1].rfind(info.source == Verdict::Compatible ? "compatible" : "breaking", 0) == 0);
    std::set<std::string> conditions;  // "private, reserved room" -> {"private", "reserved room"}
    for (size_t from = 0, comma; from <= row[2].size(); from = comma + 2) {
      comma = row[2].find(", ", from);
      if (comma == std::string::npos) comma = row[2].size();
      conditions.insert(row[2].substr(from, comma - from));
    }
    std::set<std::string> in_table;
    for (Softening why : info.softened_by) in_table.insert(softening(why).name);
    if (in_table.empty()) in_table.insert(compatible ? "always" : "never");
    CHECK(conditions == in_table);
    CHECK(row[3].find("1.") != std::string::npos);  // an example from libuv's history
  }
  for (const auto& [name, row] : documented) {
    INFO(name);
    CHECK(in_code.count(name) == 1);
  }
}
