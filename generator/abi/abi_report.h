// The abi-check report: the same content as text for people, as JSON for
// tools (keys described in schema/baseline/README.md), as JUnit XML for CI
// systems' test results and as Markdown for a CI job's page.
#pragma once

#include <string>
#include <vector>

#include "abi/abi_diff.h"
#include "schema/schema_json.h"

namespace uvgen {

// An input abi-check chose itself because the command line did not name it.
struct AbiDefault {
  std::string what;  // "baseline" | "spec"
  std::string path;
  std::string why;   // "installed beside uvgen, for x86_64-pc-linux-gnu", "the checkout's"
};

struct AbiReport {
  std::string baseline;  // the baseline schema, as named on the command line
  std::string current;   // the schema or header compared with it, as named
  std::string scope;     // "spec" | "all"
  std::string spec;      // the module spec judged by (scope "spec")
  std::vector<AbiDefault> defaults;  // the inputs not named on the command line
  std::vector<Flavour> flavours;  // the flavours the verdict is for
  bool strict_source = false;     // a change that breaks source counts as breaking
  std::vector<AbiChange> changes;
  int exit_status = kAbiIdentical;
};

// One line per change ("breaking  function_removed  uv_pipe_bind: <old> -> <new>"),
// changes outside the scope after the judged ones, then the verdict.
std::string abiReportText(const AbiReport& report);
Json abiReportJson(const AbiReport& report);
// One test suite; one test case per declaration with a judged change, failed
// when one of its changes breaks (one passing case when nothing changed).
std::string abiReportJunit(const AbiReport& report);
// The verdict, then a table of the judged changes.
std::string abiReportMarkdown(const AbiReport& report);

}  // namespace uvgen
