#include "abi/change_classes.h"

namespace uvgen {
namespace {

constexpr Verdict kBreaking = Verdict::Breaking;
constexpr Verdict kCompatible = Verdict::Compatible;

using S = Softening;

ChangeClassInfo added(ChangeClass id, const char* name) {
  return {id, name, {{Flavour::Direct, kCompatible}, {Flavour::Shim, kCompatible}}, kCompatible, ScopeRule::Declaration, {}};
}
ChangeClassInfo breaking(ChangeClass id, const char* name, std::set<Softening> softened_by = {}) {
  return {id, name, {{Flavour::Direct, kBreaking}, {Flavour::Shim, kBreaking}}, kBreaking, ScopeRule::Declaration,
          std::move(softened_by)};
}

std::vector<ChangeClassInfo> table() {
  using C = ChangeClass;
  const std::set<Softening> layout = {S::PrivateField, S::ReservedRoom};
  const std::set<Softening> field_type = {S::PrivateField, S::ReservedRoom, S::SameLayout};
  const std::set<Softening> field_added = {S::PrivateField, S::ReservedRoom, S::UnionRoom};
  const std::set<Softening> private_use = {S::PrivateUse};
  const std::set<Softening> private_use_or_same = {S::PrivateUse, S::SameLayout};
  std::vector<ChangeClassInfo> classes = {
      added(C::RecordAdded, "record_added"),
      breaking(C::RecordRemoved, "record_removed", private_use),
      breaking(C::RecordKindChanged, "record_kind_changed", {S::PrivateField}),
      breaking(C::RecordSizeChanged, "record_size_changed", layout),
      breaking(C::RecordAlignChanged, "record_align_changed", {S::PrivateField}),
      breaking(C::FieldAdded, "field_added", field_added),
      breaking(C::FieldRemoved, "field_removed", layout),
      breaking(C::FieldOffsetChanged, "field_offset_changed", layout),
      breaking(C::FieldTypeChanged, "field_type_changed", field_type),
      breaking(C::FieldBitWidthChanged, "field_bit_width_changed", {S::PrivateField}),
      breaking(C::FieldsReordered, "fields_reordered", {S::PrivateField}),
      added(C::TypedefAdded, "typedef_added"),
      breaking(C::TypedefRemoved, "typedef_removed", private_use),
      breaking(C::TypedefTypeChanged, "typedef_type_changed", private_use_or_same),
      breaking(C::CallbackSignatureChanged, "callback_signature_changed", private_use_or_same),
      added(C::EnumAdded, "enum_added"),
      breaking(C::EnumRemoved, "enum_removed", private_use),
      breaking(C::EnumUnderlyingChanged, "enum_underlying_changed", private_use),
      added(C::EnumeratorAdded, "enumerator_added"),
      breaking(C::EnumeratorRemoved, "enumerator_removed", private_use),
      breaking(C::EnumeratorValueChanged, "enumerator_value_changed", {S::SentinelGrown, S::PrivateUse}),
      added(C::FunctionAdded, "function_added"),
      breaking(C::FunctionRemoved, "function_removed"),
      breaking(C::FunctionReturnChanged, "function_return_changed", {S::SameLayout}),
      breaking(C::FunctionParamCountChanged, "function_param_count_changed"),
      breaking(C::FunctionParamTypeChanged, "function_param_type_changed", {S::SameLayout}),
      breaking(C::FunctionVariadicChanged, "function_variadic_changed"),
      added(C::MacroAdded, "macro_added"),
      breaking(C::MacroRemoved, "macro_removed"),
      breaking(C::MacroValueChanged, "macro_value_changed", {S::VersionMacro}),
  };
  for (ChangeClassInfo& info : classes) {
    if (info.id == C::EnumeratorAdded || info.id == C::EnumeratorRemoved || info.id == C::EnumeratorValueChanged)
      info.scope = ScopeRule::DeclarationOrEnumerator;
  }
  return classes;
}

}  // namespace

const std::vector<SofteningInfo>& softenings() {
  static const std::vector<SofteningInfo> all = {
      {S::PrivateField, "private", "private field", kCompatible},
      {S::PrivateUse, "private use", "only private fields use it", kCompatible},
      {S::ReservedRoom, "reserved room", "within reserved room", kCompatible},
      {S::UnionRoom, "union room", "new union member within the union's size", kCompatible},
      {S::SameLayout, "same layout", "same layout and passing; source change", kBreaking},
      {S::SentinelGrown, "sentinel", "sentinel grew", kCompatible},
      {S::VersionMacro, "UV_VERSION_", "libuv version", kCompatible},
  };
  return all;
}

const SofteningInfo& softening(Softening id) {
  for (const SofteningInfo& info : softenings())
    if (info.id == id) return info;
  return softenings().front();  // unreachable: the list holds every softening
}

const std::vector<ChangeClassInfo>& changeClasses() {
  static const std::vector<ChangeClassInfo> classes = table();
  return classes;
}

const ChangeClassInfo& changeClass(ChangeClass id) {
  for (const ChangeClassInfo& info : changeClasses())
    if (info.id == id) return info;
  return changeClasses().front();  // unreachable: the table lists every class
}

}  // namespace uvgen
