// The abi-check report: the same content as text for people and as JSON for
// tools (keys described in schema/baseline/README.md).
#pragma once

#include <string>
#include <vector>

#include "abi/abi_diff.h"
#include "schema/schema_json.h"

namespace uvgen {

struct AbiReport {
  std::string baseline;  // the baseline schema, as named on the command line
  std::string current;   // the schema or header compared with it, as named
  std::string scope;     // "spec" | "all"
  std::vector<Flavour> flavours;  // the flavours the verdict is for
  bool strict_source = false;     // a change that breaks source counts as breaking
  std::vector<AbiChange> changes;
  int exit_status = kAbiIdentical;
};

// One line per change ("breaking  function_removed  uv_pipe_bind: <old> -> <new>"),
// changes outside the scope after the judged ones, then the verdict.
std::string abiReportText(const AbiReport& report);
Json abiReportJson(const AbiReport& report);

}  // namespace uvgen
