#include "abi/abi_report.h"

#include "text/utf8.h"

namespace uvgen {
namespace {

const char* verdictName(Verdict verdict) { return verdict == Verdict::Breaking ? "breaking" : "compatible"; }

const char* statusName(int exit_status) {
  return exit_status == kAbiBreaking ? "breaking" : exit_status == kAbiCompatible ? "compatible" : "identical";
}

// Breaking when it breaks any of the flavours judged (or, with strict_source, source).
Verdict judged(const AbiChange& change, const std::vector<Flavour>& flavours, bool strict_source) {
  if (strict_source && change.source == Verdict::Breaking) return Verdict::Breaking;
  for (Flavour flavour : flavours)
    if (change.verdictFor(flavour) == Verdict::Breaking) return Verdict::Breaking;
  return Verdict::Compatible;
}

std::string padded(const std::string& text, size_t width) {
  return text + std::string(text.size() < width ? width - text.size() : 1, ' ');
}

// Names and values come from headers: shown on a terminal, each is one line
// that cannot drive it (terminalText).
std::string changeLine(const AbiChange& change, const std::string& verdict) {
  std::string line = padded(verdict, 12) + padded(change.className(), 29) + terminalText(change.name) + ": " +
                     terminalText(change.old_value.value_or("(none)")) + " -> " +
                     terminalText(change.new_value.value_or("(none)"));
  std::string each;
  bool differ = false;
  for (Flavour flavour : allFlavours()) {
    each += std::string(each.empty() ? "" : ", ") + verdictName(change.verdictFor(flavour)) + " for " + flavourName(flavour);
    differ = differ || change.verdictFor(flavour) != change.verdictFor(allFlavours().front());
  }
  if (differ) line += "  [" + each + "]";
  if (change.softened) line += std::string("  (") + softening(*change.softened).note + ")";
  return line + "\n";
}

}  // namespace

std::string abiReportText(const AbiReport& report) {
  std::string flavours;
  for (Flavour flavour : report.flavours) flavours += (flavours.empty() ? "" : ", ") + std::string(flavourName(flavour));
  std::string text = "abi-check of " + terminalText(report.current) + " against " + terminalText(report.baseline) + "\n" +
                     "scope: " + (report.scope == "all" ? "the whole header" : "what the module spec uses") +
                     "; judged for: " + flavours + (report.strict_source ? "; source changes break" : "") + "\n";
  size_t breaking = 0, compatible = 0, outside = 0;
  for (const AbiChange& change : report.changes) {
    if (!change.in_scope) {
      ++outside;
      continue;
    }
    Verdict verdict = judged(change, report.flavours, report.strict_source);
    ++(verdict == Verdict::Breaking ? breaking : compatible);
    text += changeLine(change, verdictName(verdict));
  }
  if (outside) {
    text += "outside the module spec's scope, not judged:\n";
    for (const AbiChange& change : report.changes)
      if (!change.in_scope) text += changeLine(change, "outside");
  }
  text += "verdict: " + std::string(statusName(report.exit_status)) + " (exit " +
          std::to_string(report.exit_status) + "): " + std::to_string(breaking) + " breaking, " +
          std::to_string(compatible) + " compatible, " + std::to_string(outside) + " not judged\n";
  return text;
}

Json abiReportJson(const AbiReport& report) {
  Json json;
  json["baseline"] = report.baseline;
  json["current"] = report.current;
  json["scope"] = report.scope;
  json["strict_source"] = report.strict_source;
  json["flavours"] = Json::array();
  for (Flavour flavour : report.flavours) json["flavours"].push_back(flavourName(flavour));
  json["verdict"] = statusName(report.exit_status);
  json["exit_status"] = report.exit_status;
  json["changes"] = Json::array();
  for (const AbiChange& change : report.changes) {
    Json item;
    item["what"] = change.className();
    item["declaration"] = change.declaration;
    item["name"] = change.name;
    item["old_value"] = change.old_value ? Json(*change.old_value) : Json(nullptr);
    item["new_value"] = change.new_value ? Json(*change.new_value) : Json(nullptr);
    for (Flavour flavour : allFlavours()) item[flavourName(flavour)] = verdictName(change.verdictFor(flavour));
    item["source"] = verdictName(change.source);
    item["note"] = change.softened ? Json(softening(*change.softened).note) : Json(nullptr);
    item["in_scope"] = change.in_scope;
    json["changes"].push_back(std::move(item));
  }
  return json;
}

}  // namespace uvgen
