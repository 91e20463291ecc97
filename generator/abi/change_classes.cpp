#include "abi/change_classes.h"

namespace uvgen {
namespace {

constexpr Verdict kBreaking = Verdict::Breaking;
constexpr Verdict kCompatible = Verdict::Compatible;

ChangeClassInfo added(ChangeClass id, const char* name) {
  return {id, name, {{Flavour::Direct, kCompatible}, {Flavour::Shim, kCompatible}}};
}
ChangeClassInfo breaking(ChangeClass id, const char* name) {
  return {id, name, {{Flavour::Direct, kBreaking}, {Flavour::Shim, kBreaking}}};
}
ChangeClassInfo layout(ChangeClass id, const char* name) {
  ChangeClassInfo info = breaking(id, name);
  info.private_field_compatible_for_shim = true;
  return info;
}

std::vector<ChangeClassInfo> table() {
  using C = ChangeClass;
  std::vector<ChangeClassInfo> classes = {
      breaking(C::TargetChanged, "target_changed"),
      added(C::RecordAdded, "record_added"),
      breaking(C::RecordRemoved, "record_removed"),
      layout(C::RecordKindChanged, "record_kind_changed"),
      layout(C::RecordSizeChanged, "record_size_changed"),
      layout(C::RecordAlignChanged, "record_align_changed"),
      layout(C::FieldAdded, "field_added"),
      layout(C::FieldRemoved, "field_removed"),
      layout(C::FieldOffsetChanged, "field_offset_changed"),
      layout(C::FieldTypeChanged, "field_type_changed"),
      layout(C::FieldBitWidthChanged, "field_bit_width_changed"),
      layout(C::FieldsReordered, "fields_reordered"),
      added(C::TypedefAdded, "typedef_added"),
      breaking(C::TypedefRemoved, "typedef_removed"),
      breaking(C::TypedefTypeChanged, "typedef_type_changed"),
      breaking(C::CallbackSignatureChanged, "callback_signature_changed"),
      added(C::EnumAdded, "enum_added"),
      breaking(C::EnumRemoved, "enum_removed"),
      breaking(C::EnumUnderlyingChanged, "enum_underlying_changed"),
      added(C::EnumeratorAdded, "enumerator_added"),
      breaking(C::EnumeratorRemoved, "enumerator_removed"),
      breaking(C::EnumeratorValueChanged, "enumerator_value_changed"),
      added(C::FunctionAdded, "function_added"),
      breaking(C::FunctionRemoved, "function_removed"),
      breaking(C::FunctionReturnChanged, "function_return_changed"),
      breaking(C::FunctionParamCountChanged, "function_param_count_changed"),
      breaking(C::FunctionParamTypeChanged, "function_param_type_changed"),
      breaking(C::FunctionVariadicChanged, "function_variadic_changed"),
      added(C::MacroAdded, "macro_added"),
      breaking(C::MacroRemoved, "macro_removed"),
      breaking(C::MacroValueChanged, "macro_value_changed"),
  };
  for (ChangeClassInfo& info : classes) {
    if (info.id == C::TargetChanged) info.scope = ScopeRule::Always;
    if (info.id == C::EnumeratorAdded || info.id == C::EnumeratorRemoved || info.id == C::EnumeratorValueChanged)
      info.scope = ScopeRule::DeclarationOrEnumerator;
    if (info.id == C::MacroValueChanged) info.version_macros_compatible = true;
  }
  return classes;
}

}  // namespace

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
