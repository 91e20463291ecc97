#include "abi/abi_report.h"

#include <map>

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

std::string defaultLines(const AbiReport& report) {
  std::string text;
  for (const AbiDefault& d : report.defaults)
    text += d.what + ": " + terminalText(d.path) + " (default: " + d.why + ")\n";
  return text;
}

std::string xmlText(const std::string& raw, bool keep_lines = false) {
  std::string text;
  for (char c : terminalText(raw, keep_lines)) {
    switch (c) {
      case '&': text += "&amp;"; break;
      case '<': text += "&lt;"; break;
      case '>': text += "&gt;"; break;
      case '"': text += "&quot;"; break;
      case '\'': text += "&apos;"; break;
      default: text += c;
    }
  }
  return text;
}

// Inert in a Markdown table cell: no markup, no cell break.
std::string markdownText(const std::string& raw) {
  std::string text;
  for (char c : terminalText(raw)) {
    if (std::string("\\`*_|<>[]#!~").find(c) != std::string::npos) text += '\\';
    text += c;
  }
  return text;
}

std::string changeSummary(const AbiChange& change) {
  std::string text = std::string(change.className()) + " " + change.name + ": " + change.old_value.value_or("(none)") +
                     " -> " + change.new_value.value_or("(none)");
  if (change.softened) text += std::string(" (") + softening(*change.softened).note + ")";
  return text;
}

}  // namespace

std::string abiReportText(const AbiReport& report) {
  std::string flavours;
  for (Flavour flavour : report.flavours) flavours += (flavours.empty() ? "" : ", ") + std::string(flavourName(flavour));
  std::string text = "abi-check of " + terminalText(report.current) + " against " + terminalText(report.baseline) + "\n" +
                     "scope: " + (report.scope == "all" ? "the whole header" : "what the module spec uses") +
                     "; judged for: " + flavours + (report.strict_source ? "; source changes break" : "") + "\n" +
                     defaultLines(report);
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
  json["spec"] = report.spec.empty() ? Json(nullptr) : Json(report.spec);
  json["defaults"] = Json::array();
  for (const AbiDefault& d : report.defaults) json["defaults"].push_back(d.what);
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

std::string abiReportJunit(const AbiReport& report) {
  // Declarations in the order of their first judged change.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const AbiChange*>> by_declaration;
  for (const AbiChange& change : report.changes) {
    if (!change.in_scope) continue;
    if (!by_declaration.count(change.declaration)) order.push_back(change.declaration);
    by_declaration[change.declaration].push_back(&change);
  }
  std::string cases;
  size_t failures = 0;
  for (const std::string& declaration : order) {
    std::string breaking, all;
    for (const AbiChange* change : by_declaration[declaration]) {
      const bool breaks = judged(*change, report.flavours, report.strict_source) == Verdict::Breaking;
      all += std::string(breaks ? "breaking " : "compatible ") + changeSummary(*change) + "\n";
      if (breaks) breaking += (breaking.empty() ? "" : "; ") + changeSummary(*change);
    }
    cases += "    <testcase classname=\"uvgen.abi-check\" name=\"" + xmlText(declaration) + "\">\n";
    if (!breaking.empty()) {
      ++failures;
      cases += "      <failure message=\"" + xmlText(breaking) + "\" type=\"breaking\">" + xmlText(all, true) + "</failure>\n";
    } else {
      cases += "      <system-out>" + xmlText(all, true) + "</system-out>\n";
    }
    cases += "    </testcase>\n";
  }
  size_t tests = order.size();
  if (order.empty()) {
    tests = 1;
    cases = "    <testcase classname=\"uvgen.abi-check\" name=\"identical\"/>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"uvgen abi-check of " +
         xmlText(report.current) + " against " + xmlText(report.baseline) + "\" tests=\"" + std::to_string(tests) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\">\n" + cases + "  </testsuite>\n</testsuites>\n";
}

std::string abiReportMarkdown(const AbiReport& report) {
  size_t breaking = 0, compatible = 0, outside = 0;
  std::string rows;
  for (const AbiChange& change : report.changes) {
    if (!change.in_scope) {
      ++outside;
      continue;
    }
    const Verdict verdict = judged(change, report.flavours, report.strict_source);
    ++(verdict == Verdict::Breaking ? breaking : compatible);
    rows += "| " + std::string(verdictName(verdict)) + " | " + change.className() + " | " + markdownText(change.name) +
            " | " + markdownText(change.old_value.value_or("(none)")) + " | " +
            markdownText(change.new_value.value_or("(none)")) + " | " +
            (change.softened ? softening(*change.softened).note : "") + " |\n";
  }
  std::string text = "## uvgen abi-check: " + std::string(statusName(report.exit_status)) + "\n\n" +
                     markdownText(report.current) + " against " + markdownText(report.baseline) + ", scope " +
                     (report.scope == "all" ? "the whole header" : "what the module spec uses") + ".\n\n";
  for (const AbiDefault& d : report.defaults)
    text += "- " + d.what + ": " + markdownText(d.path) + " (default: " + d.why + ")\n";
  if (!report.defaults.empty()) text += "\n";
  text += "Exit " + std::to_string(report.exit_status) + ": " + std::to_string(breaking) + " breaking, " +
          std::to_string(compatible) + " compatible, " + std::to_string(outside) + " not judged.\n";
  if (!rows.empty())
    text += "\n| verdict | what | name | old | new | note |\n| --- | --- | --- | --- | --- | --- |\n" + rows;
  return text;
}

}  // namespace uvgen
