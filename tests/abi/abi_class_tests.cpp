// Every ABI change class, judged on small schemas built in memory (no Clang
// parse): one edit per class, and the verdicts the class table gives. Next to
// them, the class table in schema/baseline/README.md is checked against the
// table in code.
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
  Callback read_cb{builtin("void"), {{"handle", pointerTo(typedefNamed("uv_pipe_t"))}, {"status", builtin("int")}}, false};
  Type read_cb_type = pointerTo(builtin("void (uv_pipe_t *, int)"));
  schema.typedefs.push_back({"uv_read_cb", read_cb_type, read_cb, true, ""});

  Enum mode{"uv_mode", "enum uv_mode", builtin("unsigned int"), {{"UV_READABLE", 1}, {"UV_WRITABLE", 2}, {"UV_MODE_MAX", 3}}, true, ""};
  schema.enums.push_back(mode);

  Function init{"uv_pipe_init", builtin("int"), {{"handle", pointerTo(typedefNamed("uv_pipe_t"))}, {"ipc", builtin("int")}}, false, ""};
  schema.functions.push_back(init);

  schema.macros.push_back({"UV_VERSION_MINOR", int64_t{44}});
  schema.macros.push_back({"UV_IF_NAMESIZE", int64_t{17}});
  return schema;
}

RecordLayout& pipeRecord(Schema& schema) { return schema.records.front(); }

// One edit of the current schema per class, each producing that class.
const std::map<ChangeClass, std::function<void(Schema&)>>& edits() {
  using C = ChangeClass;
  static const std::map<ChangeClass, std::function<void(Schema&)>> table = {
      {C::TargetChanged, [](Schema& s) { s.target = {"i686-pc-linux-gnu", 4, "14"}; }},
      {C::RecordAdded, [](Schema& s) { s.records.push_back({"uv_idle_s", "struct", "struct uv_idle_s", 8, 8, {}, true, ""}); }},
      {C::RecordRemoved, [](Schema& s) { s.records.clear(); }},
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
    }
  }
}

TEST_CASE("a_change_in_a_private_field_is_compatible_for_the_shim_only", "[abi][classes]") {
  const Schema baseline = baseSchema();
  Schema current = baseSchema();
  pipeRecord(current).fields[1].type = builtin("long");  // io_watcher, private
  const std::vector<AbiChange> found = changesOf(abiDiff(baseline, current, AbiScope{}), ChangeClass::FieldTypeChanged);
  REQUIRE(found.size() == 1);
  CHECK(found.front().verdictFor(Flavour::Direct) == Verdict::Breaking);
  CHECK(found.front().verdictFor(Flavour::Shim) == Verdict::Compatible);
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
  CHECK(inScope(ChangeClass::TargetChanged));
  CHECK(inScope(ChangeClass::FieldOffsetChanged));
  CHECK(inScope(ChangeClass::EnumeratorValueChanged));
  CHECK_FALSE(inScope(ChangeClass::MacroValueChanged));
}

TEST_CASE("class_table_of_the_baseline_readme_matches_the_class_table_in_code", "[abi][classes]") {
  std::ifstream file(std::string(UVGEN_SOURCE_DIR) + "/schema/baseline/README.md");
  REQUIRE(file);
  std::string line;
  bool in_section = false;
  std::map<std::string, std::string> documented;  // class name -> its row's verdict text
  while (std::getline(file, line)) {
    if (line.rfind("### ", 0) == 0) in_section = line == "### Classes of change";
    if (!in_section || line.rfind("| `", 0) != 0 || line.rfind("| `what` |", 0) == 0) continue;
    const size_t bar = line.find(" | ", 2);
    REQUIRE(bar != std::string::npos);
    const std::string names = line.substr(2, bar - 2);
    const std::string verdict = line.substr(bar + 3);
    const std::regex name_pattern("`([a-z_]+)`");
    for (auto it = std::sregex_iterator(names.begin(), names.end(), name_pattern); it != std::sregex_iterator(); ++it) {
      INFO((*it)[1].str());
      CHECK(documented.emplace((*it)[1].str(), verdict).second);
    }
  }
  std::set<std::string> in_code;
  for (const ChangeClassInfo& info : changeClasses()) {
    in_code.insert(info.name);
    INFO(info.name);
    REQUIRE(documented.count(info.name) == 1);
    const std::string& text = documented.at(info.name);
    const bool compatible = info.verdicts.at(Flavour::Direct) == Verdict::Compatible;
    CHECK(text.rfind(compatible ? "compatible" : "breaking", 0) == 0);
    CHECK((text.find("private") != std::string::npos) == info.private_field_compatible_for_shim);
    CHECK((text.find("UV_VERSION_") != std::string::npos) == info.version_macros_compatible);
  }
  for (const auto& [name, text] : documented) {
    INFO(name);
    CHECK(in_code.count(name) == 1);
  }
}
