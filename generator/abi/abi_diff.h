// The ABI diff: compares the schema of a uv.h against a baseline schema and
// classifies every difference. Works on two Schema values only; reading files
// and running the extractor is the abi-check command's job.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "abi/change_classes.h"
#include "plan/flavour.h"
#include "schema/schema.h"

namespace uvgen {

struct AbiChange {
  ChangeClass what;         // the class of change: function_removed, field_offset_changed, ...
  std::string declaration;  // the C declaration it belongs to: "uv_pipe_s", "uv_pipe_init", "uv_handle_type"
  std::string name;         // what changed: "uv_pipe_s.ipc", "uv_pipe_init parameter 2 (handle)", "UV_TTY"
  std::optional<std::string> old_value;  // absent for an addition
  std::optional<std::string> new_value;  // absent for a removal
  std::map<Flavour, Verdict> verdicts;  // binary, one for each flavour
  Verdict source = Verdict::Breaking;   // for source written against the baseline
  // Why a change of a breaking class is compatible here (the note reports give).
  std::optional<Softening> softened;
  // False when the change lies outside what the module spec uses: reported, not judged.
  bool in_scope = true;

  Verdict verdictFor(Flavour flavour) const { return verdicts.at(flavour); }
  const char* className() const { return changeClass(what).name; }
};

// What the check judges: the whole header, or what the module spec names and
// everything those declarations reach through their types.
struct AbiScope {
  bool whole_header = true;
  std::set<std::string> spec_names;
};

// Whether two schemas describe one target: the same triple but for the vendor
// (x86_64-pc-linux-gnu, x86_64-unknown-linux-gnu) and the same pointer size.
// abi-check compares only such schemas; another target is an input error.
bool sameTarget(const Target& a, const Target& b);

// Every difference between two schemas of one target (sameTarget): records,
// typedefs, enums, functions and macros, each in the baseline's order with
// additions after, in the current schema's order.
std::vector<AbiChange> abiDiff(const Schema& baseline, const Schema& current, const AbiScope& scope);

// Exit statuses of `uvgen abi-check`, the bits libabigail's abidiff uses.
inline constexpr int kAbiIdentical = 0;
inline constexpr int kAbiCompatible = 4;  // ABIDIFF_ABI_CHANGE
inline constexpr int kAbiBreaking = 12;   // ABIDIFF_ABI_CHANGE | ABIDIFF_ABI_INCOMPATIBLE_CHANGE

// The exit status for the in-scope changes, judged for the given flavours;
// with strict_source, a change that breaks source breaks too.
int abiExitStatus(const std::vector<AbiChange>& changes, const std::vector<Flavour>& flavours,
                  bool strict_source = false);

}  // namespace uvgen
