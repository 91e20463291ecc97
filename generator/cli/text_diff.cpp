#include "cli/text_diff.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace uvgen {
namespace {

constexpr std::size_t kContext = 3;

enum class Op : char { Equal, Delete, Insert };

// The lines of a text, each with its '\n' when it has one, so that a last line
// without a newline differs from the same line with one (as in diff).
std::vector<std::string_view> splitLines(const std::string& text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.emplace_back(text.data() + start, end - start);
    start = end;
  }
  return lines;
}

// Myers' O(ND) shortest edit script from a to b (lines as numbers). Returns
// false when it needs more than max_edits inserted plus deleted lines. Keeps
// each round's furthest points (round d has d + 1 of them) to walk back.
bool myers(const std::vector<int>& a, const std::vector<int>& b, std::size_t max_edits, std::vector<Op>& ops) {
  const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
  const long max_d = std::min<long>(n + m, static_cast<long>(max_edits));
  std::vector<long> v(2 * max_d + 3, 0);
  const long offset = max_d + 1;
  std::vector<std::vector<long>> trace;
  long found = -1;
  for (long d = 0; d <= max_d && found < 0; ++d) {
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                              : v[offset + k - 1] + 1;
      long y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) found = d;
    }
    std::vector<long> round;
    round.reserve(d + 1);
    for (long k = -d; k <= d; k += 2) round.push_back(v[offset + k]);
    trace.push_back(std::move(round));
  }
  if (found < 0) return false;

  std::vector<Op> reversed;
  long x = n, y = m;
  for (long d = found; d > 0; --d) {
    const std::vector<long>& prev = trace[d - 1];
    auto at = [&](long k) { return prev[(k + d - 1) / 2]; };
    long k = x - y;
    bool down = k == -d || (k != d && at(k - 1) < at(k + 1));  // down: an insertion
    long prev_k = down ? k + 1 : k - 1;
    long prev_x = at(prev_k), prev_y = prev_x - prev_k;
    long start_x = down ? prev_x : prev_x + 1;  // where the diagonal run began
    for (; x > start_x; --x, --y) reversed.push_back(Op::Equal);
    reversed.push_back(down ? Op::Insert : Op::Delete);
    x = prev_x, y = prev_y;
  }
  for (; x > 0; --x) reversed.push_back(Op::Equal);
  ops.insert(ops.end(), reversed.rbegin(), reversed.rend());
  return true;
}

std::string range(std::size_t first, std::size_t count) {
  // diff's convention: an empty range names the line before it.
  if (count == 0) return std::to_string(first) + ",0";
  if (count == 1) return std::to_string(first + 1);
  return std::to_string(first + 1) + "," + std::to_string(count);
}

void appendLine(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unifiedDiff(const std::string& old_label, const std::string& old_text, const std::string& new_label,
                        const std::string& new_text) {
  if (old_text == new_text) return "";
  const std::vector<std::string_view> old_lines = splitLines(old_text), new_lines = splitLines(new_text);

  // Lines as numbers, so the search compares integers.
  std::unordered_map<std::string_view, int> ids;
  auto number = [&](const std::vector<std::string_view>& lines) {
    std::vector<int> out;
    out.reserve(lines.size());
    for (std::string_view line : lines) out.push_back(ids.emplace(line, static_cast<int>(ids.size())).first->second);
    return out;
  };
  std::vector<int> a = number(old_lines), b = number(new_lines);

  // The common start and end need no search.
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  std::vector<int> middle_a(a.begin() + prefix, a.end() - suffix), middle_b(b.begin() + prefix, b.end() - suffix);

  std::vector<Op> ops(prefix, Op::Equal);
  if (!myers(middle_a, middle_b, kMaxDiffEdits, ops)) {
    ops.insert(ops.end(), middle_a.size(), Op::Delete);  // too different: replace the whole middle
    ops.insert(ops.end(), middle_b.size(), Op::Insert);
  }
  ops.insert(ops.end(), suffix, Op::Equal);

  // Lines of each text before each operation.
  std::vector<std::size_t> old_at(ops.size() + 1, 0), new_at(ops.size() + 1, 0);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    old_at[i + 1] = old_at[i] + (ops[i] != Op::Insert);
    new_at[i + 1] = new_at[i] + (ops[i] != Op::Delete);
  }

  std::string out = "--- " + old_label + "\n+++ " + new_label + "\n";
  std::size_t i = 0;
  while (true) {
    while (i < ops.size() && ops[i] == Op::Equal) ++i;
    if (i == ops.size()) break;
    // A hunk: its changes, joined while fewer than 2 * context equal lines
    // separate them, with up to context equal lines around.
    std::size_t first_change = i, last_change = i;
    for (std::size_t j = i + 1; j < ops.size(); ++j) {
      if (ops[j] == Op::Equal) continue;
      if (j - last_change - 1 > 2 * kContext) break;
      last_change = j;
    }
    std::size_t begin = first_change >= kContext ? first_change - kContext : 0;
    std::size_t end = std::min(ops.size(), last_change + 1 + kContext);
    out += "@@ -" + range(old_at[begin], old_at[end] - old_at[begin]) + " +" +
           range(new_at[begin], new_at[end] - new_at[begin]) + " @@\n";
    for (std::size_t j = begin; j < end; ++j) {
      if (ops[j] == Op::Equal) appendLine(out, ' ', old_lines[old_at[j]]);
      if (ops[j] == Op::Delete) appendLine(out, '-', old_lines[old_at[j]]);
      if (ops[j] == Op::Insert) appendLine(out, '+', new_lines[new_at[j]]);
    }
    i = last_change + 1;
  }
  return out;
}

}  // namespace uvgen
