// Reading inputs and writing outputs safely. uvgen runs in other projects'
// builds, often as root, on inputs others can edit, so every path it is given
// is treated as untrusted.
//
// Inputs: regular files and pipes only (a folder, device or socket is refused
// before it is read), at most kMaxInputBytes. Opening never waits on a FIFO:
// it is opened non-blocking (a FIFO without a writer reads as empty). Files an
// input names (the spec's target schemas) are read with readFileBelow: a
// regular file reached from the spec's folder one name at a time, never
// through a symbolic link.
//
// Outputs are written as a set, all or nothing (OutputFiles::commit), below
// one root folder: for `uvgen generate` the --root, for `-o FILE` the folder
// of FILE, for `-o DIR` that folder.
//  - The root is opened once, following its own path as the user named it
//    (folders missing at its end are made). Everything below it is reached
//    from that descriptor one name at a time with O_NOFOLLOW (openat,
//    mkdirat, temporaries made and renamed relative to their folder's
//    descriptor), so a symbolic link anywhere below the root, planted before
//    or during the run, is refused in one line and never written through.
//  - Every target is checked first: anything already there must be a regular
//    file, and every folder of its path a folder. A folder, device, FIFO,
//    socket or symbolic link at a target, or a file where a folder goes, is
//    refused with one line naming it, and nothing is created, changed,
//    opened or read.
//  - Runs are serialized by flock() on kLockName in the root; the lock file
//    exists only while a run holds it, so an output folder holds nothing but
//    outputs. A held lock is waited for at most kLockWaitSeconds (the
//    environment variable UVGEN_LOCK_TIMEOUT, whole seconds, overrides it),
//    then the run fails in one line naming the lock file.
//  - The lock file and the journal must be the invoking user's own (owner ==
//    geteuid(), a regular file with one link), and the root must not be
//    writable by other users (world, or a group other than the user's
//    effective group) unless it is sticky (/tmp): a file someone else planted
//    there is refused in one line, never trusted.
//  - Each changed file is written to a temporary file beside its target
//    (".uvgen-tmp-XXXXXX", short so that a long target name still fits) and
//    synced. Then a journal (kJournalName, in the root) lists every
//    temporary -> target rename, and the renames follow. On any failure before
//    the journal is in place, every temporary is removed and no target changes.
//  - A run killed during the renames leaves the journal. The next run, under
//    the lock, finishes those renames and removes its user's leftover
//    temporaries in its target folders, so the outputs are always one run's
//    complete set. A journal entry is followed only when it names a temporary
//    beside its target below the root (reached without following links) that
//    is a regular file with one link owned by the invoking user.
// A file whose content would not change is not rewritten, so builds that
// depend on it do not rebuild.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace uvgen {

inline constexpr std::size_t kMaxInputBytes = std::size_t{512} << 20;  // 512 MiB
inline constexpr const char* kLockName = ".uvgen.lock";
inline constexpr const char* kJournalName = ".uvgen.journal";
inline constexpr const char* kTempPrefix = ".uvgen-tmp-";
// How long a run waits for a lock another run holds, unless UVGEN_LOCK_TIMEOUT
// (whole seconds, 0 to 86400) says otherwise.
inline constexpr int kLockWaitSeconds = 60;
inline constexpr const char* kLockWaitVariable = "UVGEN_LOCK_TIMEOUT";
// The journal: this header, then for each rename the temporary's and the
// target's paths relative to the journal's folder, each ended by a NUL byte,
// then kJournalEnd and a NUL byte.
inline constexpr const char* kJournalHeader = "uvgen-journal 1\n";
inline constexpr const char* kJournalEnd = "end";

// The whole file or pipe. Throws InputError(path, "", reason), one line, when
// it cannot be read, is a folder, a device or a socket, or is larger than
// kMaxInputBytes. Opening never blocks: a FIFO without a writer reads as empty.
std::string readTextFile(const std::string& path);

// The regular file at folder/relative, reached from `folder` (opened as
// named) one name at a time without following a symbolic link; ".." is
// refused. A link, folder, FIFO, socket or device there is refused in one
// line without being opened for reading (never blocks).
std::string readFileBelow(const std::string& folder, const std::string& relative);

// The content of the regular file at an output path, or nullopt when nothing is
// there. Throws InputError, without opening it, when something other than a
// regular file is there (a symbolic link is not followed).
std::optional<std::string> readExistingOutput(const std::string& path);

// Whether the regular file at path holds exactly content; false when it
// differs or something other than a regular file is there (never opened).
bool holdsContent(const std::string& path, const std::string& content);

// Files to write, by path, in memory until commit(), all below one root.
class OutputFiles {
 public:
  // The root: the deepest folder holding every file added.
  OutputFiles() = default;
  // The root: `root`; every path added must be root + "/" + a relative path.
  explicit OutputFiles(std::string root) : root_(std::move(root)) {}
  void add(const std::string& path, std::string content);
  // Writes every changed file, all or nothing (see above); returns the paths it
  // wrote. Throws InputError naming the path when a target cannot be written.
  // found_up_to_date: the caller found every file holding its content (as
  // `generate` does while rendering); then, unless a killed run left a
  // journal or temporaries, nothing is locked, compared again or written
  // (the folders on the way are still checked for links).
  std::vector<std::string> commit(bool found_up_to_date = false) const;
  // Whether path names one of the files the set writes, once the folders on
  // both ways are resolved (a link into the root is seen through).
  bool writes(const std::string& path) const;

 private:
  std::optional<std::string> root_;
  std::map<std::string, std::string> files_;
};

// Writes content to stdout when path is empty or "-" (throws
// InputError("stdout", "", reason) when the write fails), else through
// OutputFiles.
void writeOutput(const std::string& path, const std::string& content);

}  // namespace uvgen
