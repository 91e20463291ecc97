// The classes of ABI change, as one table: each class's name in reports, its
// verdict for each flavour, which changes the spec's scope judges, and
// whether a private field softens the verdict. schema/baseline/README.md
// documents the same table (a test keeps the two in step).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "plan/flavour.h"

namespace uvgen {

enum class Verdict { Compatible, Breaking };

enum class ChangeClass {
  TargetChanged,
  RecordAdded, RecordRemoved, RecordKindChanged, RecordSizeChanged, RecordAlignChanged,
  FieldAdded, FieldRemoved, FieldOffsetChanged, FieldTypeChanged, FieldBitWidthChanged, FieldsReordered,
  TypedefAdded, TypedefRemoved, TypedefTypeChanged, CallbackSignatureChanged,
  EnumAdded, EnumRemoved, EnumUnderlyingChanged, EnumeratorAdded, EnumeratorRemoved, EnumeratorValueChanged,
  FunctionAdded, FunctionRemoved, FunctionReturnChanged, FunctionParamCountChanged, FunctionParamTypeChanged,
  FunctionVariadicChanged,
  MacroAdded, MacroRemoved, MacroValueChanged,
};

// When `--scope spec` judges a change of the class.
enum class ScopeRule {
  Always,                   // the target: every binding depends on it
  Declaration,              // the declaration it belongs to is reached from the spec
  DeclarationOrEnumerator,  // that, or the spec names the enumerator itself
};

struct ChangeClassInfo {
  ChangeClass id;
  const char* name;  // as reports write it: "field_offset_changed"
  std::map<Flavour, Verdict> verdicts;
  ScopeRule scope = ScopeRule::Declaration;
  // A change inside a private field (declared by libuv's *_PRIVATE_FIELDS)
  // does not break the shim, which needs only each struct's size and its
  // public fields.
  bool private_field_compatible_for_shim = false;
  // UV_VERSION_* macros: a new libuv version is not a break by itself.
  bool version_macros_compatible = false;
};

const std::vector<ChangeClassInfo>& changeClasses();
const ChangeClassInfo& changeClass(ChangeClass id);

}  // namespace uvgen
