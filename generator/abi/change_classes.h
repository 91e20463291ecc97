// The classes of ABI change, as one table: each class's name in reports, its
// binary verdict for each flavour, its source verdict, which changes the
// spec's scope judges, and the conditions under which a change of a breaking
// class is compatible after all. schema/baseline/README.md documents the same
// table (a test keeps the two in step).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "plan/flavour.h"

namespace uvgen {

enum class Verdict { Compatible, Breaking };

enum class ChangeClass {
  RecordAdded, RecordRemoved, RecordKindChanged, RecordSizeChanged, RecordAlignChanged,
  FieldAdded, FieldRemoved, FieldOffsetChanged, FieldTypeChanged, FieldBitWidthChanged, FieldsReordered,
  TypedefAdded, TypedefRemoved, TypedefTypeChanged, CallbackSignatureChanged,
  EnumAdded, EnumRemoved, EnumUnderlyingChanged, EnumeratorAdded, EnumeratorRemoved, EnumeratorValueChanged,
  FunctionAdded, FunctionRemoved, FunctionReturnChanged, FunctionParamCountChanged, FunctionParamTypeChanged,
  FunctionVariadicChanged,
  MacroAdded, MacroRemoved, MacroValueChanged,
};

// Why a change of a breaking class keeps the binary compatible. Each change
// carries at most one; the class table says which of them a class admits.
enum class Softening {
  PrivateField,   // inside a private field: never named by code built against
                  // libuv; the struct's size, alignment and public fields are judged on their own
  PrivateUse,     // a record, typedef or enum that only private fields reach (uv__io_cb):
                  // judged as those fields are
  UnionRoom,      // a union gained a member that fits in its size: nothing moves
  ReservedRoom,   // a reserved member (reserved, spare, unused) gave up room that
                  // a new member takes, or itself shrank or moved within it
  SameLayout,     // another type with the same size, alignment, reached offsets
                  // and passing: binary compatible, source may need changes
  SentinelGrown,  // a UV_*_MAX enumerator grew: it counts the values before it
  VersionMacro,   // UV_VERSION_*: a new libuv version is not a break by itself
};

struct SofteningInfo {
  Softening id;
  const char* name;  // as the README's table writes it: "private"
  const char* note;  // as reports write it
  Verdict source;    // the source verdict of a change it softens
};

const std::vector<SofteningInfo>& softenings();
const SofteningInfo& softening(Softening id);

// When `--scope spec` judges a change of the class.
enum class ScopeRule {
  Declaration,              // the declaration it belongs to is reached from the spec
  DeclarationOrEnumerator,  // that, or the spec names the enumerator itself
};

struct ChangeClassInfo {
  ChangeClass id;
  const char* name;  // as reports write it: "field_offset_changed"
  std::map<Flavour, Verdict> verdicts;  // binary, for code built against the baseline
  Verdict source = Verdict::Breaking;   // for source written against the baseline
  ScopeRule scope = ScopeRule::Declaration;
  std::set<Softening> softened_by;  // conditions that make a change of this class compatible
};

const std::vector<ChangeClassInfo>& changeClasses();
const ChangeClassInfo& changeClass(ChangeClass id);

}  // namespace uvgen
