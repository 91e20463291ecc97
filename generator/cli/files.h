// Reading inputs and writing outputs safely. uvgen runs in other projects'
// builds, often as root, so every path it is given is treated as untrusted.
//
// Inputs: regular files and pipes only (a folder or a device is refused
// before it is read), at most kMaxInputBytes.
//
// Outputs are written as a set, all or nothing (OutputFiles::commit):
//  - Every target is checked first: anything already there must be a regular
//    file. A folder, device, FIFO, socket or symbolic link at a target, or a
//    file where a folder of the path goes, is refused with one line naming it,
//    and nothing is created, changed, opened or read. Symbolic links are
//    refused rather than followed: replacing one would not write where it
//    points, and following it would let a planted link send a write, often a
//    root one, anywhere.
//  - Runs are serialized by flock() on kLockName in the deepest folder that
//    holds every target (for `uvgen generate`: the root). Runs whose targets
//    share that folder never interleave. The lock file exists only while a
//    run holds it, so an output folder holds nothing but outputs.
//  - Each changed file is written to a temporary file beside its target
//    (".uvgen-tmp-XXXXXX", short so that a long target name still fits) and
//    synced. Then a journal (kJournalName, beside the lock) lists every
//    temporary -> target rename, and the renames follow. On any failure before
//    the journal is in place, every temporary is removed and no target changes.
//  - A run killed during the renames leaves the journal. The next run, under
//    the lock, finishes those renames and removes leftover temporaries in its
//    target folders, so the outputs are always one run's complete set.
// A file whose content would not change is not rewritten, so builds that
// depend on it do not rebuild.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace uvgen {

inline constexpr std::size_t kMaxInputBytes = std::size_t{512} << 20;  // 512 MiB
inline constexpr const char* kLockName = ".uvgen.lock";
inline constexpr const char* kJournalName = ".uvgen.journal";
inline constexpr const char* kTempPrefix = ".uvgen-tmp-";
// The journal: this header, then for each rename the temporary's and the
// target's paths relative to the journal's folder, each ended by a NUL byte,
// then kJournalEnd and a NUL byte.
inline constexpr const char* kJournalHeader = "uvgen-journal 1\n";
inline constexpr const char* kJournalEnd = "end";

// The whole file or pipe. Throws InputError(path, "", reason), one line, when
// it cannot be read, is a folder or a device, or is larger than kMaxInputBytes.
std::string readTextFile(const std::string& path);

// The content of the regular file at an output path, or nullopt when nothing is
// there. Throws InputError, without opening it, when something other than a
// regular file is there (a symbolic link is not followed).
std::optional<std::string> readExistingOutput(const std::string& path);

// Whether the regular file at path holds exactly content; false when it
// differs or something other than a regular file is there (never opened).
bool holdsContent(const std::string& path, const std::string& content);

// Files to write, by path, in memory until commit().
class OutputFiles {
 public:
  void add(const std::string& path, std::string content);
  // Writes every changed file, all or nothing (see above); returns the paths it
  // wrote. Throws InputError naming the path when a target cannot be written.
  // found_up_to_date: the caller found every file holding its content (as
  // `generate` does while rendering); then, unless a killed run left a
  // journal or temporaries, nothing is locked, compared again or written.
  std::vector<std::string> commit(bool found_up_to_date = false) const;
  // The paths whose content on disk differs from what commit() would write,
  // including paths where something other than a regular file is; those are
  // never opened.
  std::vector<std::string> stale() const;
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  std::map<std::string, std::string> files_;
};

// Writes content to stdout when path is empty or "-" (throws
// InputError("stdout", "", reason) when the write fails), else through
// OutputFiles.
void writeOutput(const std::string& path, const std::string& content);

}  // namespace uvgen
