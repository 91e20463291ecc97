// An in-process unified diff, so that `generate --check` never runs a shell or
// another program with paths taken from its arguments.
#pragma once

#include <cstddef>
#include <string>

namespace uvgen {

// At most this many inserted plus deleted lines are looked for; past it the
// differing middle of the two texts is shown as one hunk that replaces every
// line of it. Finding the edits needs time O((lines) * this) and memory
// O(this^2 / 2) integers (about 8 MB), whatever the size of the texts.
inline constexpr std::size_t kMaxDiffEdits = 2000;

// `diff -u --label old_label --label new_label` of the two texts: "--- " and
// "+++ " lines, then hunks "@@ -a,b +c,d @@" with 3 lines of context, a line
// "\ No newline at end of file" after a last line without one. Empty when the
// texts are equal.
std::string unifiedDiff(const std::string& old_label, const std::string& old_text, const std::string& new_label,
                        const std::string& new_text);

}  // namespace uvgen
