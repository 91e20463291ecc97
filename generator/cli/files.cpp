#include "cli/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <set>
#include <string_view>
#include <utility>

#include "diagnostics/input_error.h"

namespace uvgen {
namespace fs = std::filesystem;
namespace {

InputError fileError(const std::string& path, const std::string& what) { return InputError(path, "", what); }

InputError errnoError(const std::string& path, const std::string& doing = "") {
  return fileError(path, doing + std::strerror(errno));
}

// Why an existing output cannot be replaced; empty for a regular file.
std::string notRegularReason(mode_t mode) {
  if (S_ISREG(mode)) return "";
  if (S_ISDIR(mode)) return "is a folder, not a file";
  if (S_ISLNK(mode)) return "is a symbolic link; uvgen does not write through links";
  if (S_ISFIFO(mode)) return "is a FIFO, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device, not a regular file";
  if (S_ISSOCK(mode)) return "is a socket, not a regular file";
  return "is not a regular file";
}

// Closes a descriptor when it goes out of scope.
struct Fd {
  explicit Fd(int fd = -1) : fd(fd) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int fd;
};

// Reads an open descriptor to its end a chunk at a time, handing each to
// `take` until it returns false. Throws InputError naming the path when a
// read fails.
template <typename Take>
void readChunks(int fd, const std::string& path, Take take) {
  char chunk[1 << 16];
  while (true) {
    ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw errnoError(path);
    if (got == 0 || !take(std::string_view(chunk, static_cast<std::size_t>(got)))) return;
  }
}

// Reads an open descriptor to its end, failing past `limit` bytes.
std::string readAll(int fd, const std::string& path, std::size_t limit) {
  std::string text;
  readChunks(fd, path, [&](std::string_view chunk) {
    if (text.size() + chunk.size() > limit)
      throw fileError(path, "larger than uvgen's input limit of " + std::to_string(limit >> 20) + " MiB");
    text.append(chunk);
    return true;
  });
  return text;
}

// Opens the regular file lstat() found at path. O_NOFOLLOW and O_NONBLOCK:
// whatever replaced the file since then is neither followed nor waited on,
// and fstat() refuses it before any read.
void openRegularFile(Fd& in, const std::string& path) {
  struct stat st;
  in.fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (in.fd < 0 || ::fstat(in.fd, &st) != 0) throw errnoError(path);
  if (!S_ISREG(st.st_mode)) throw fileError(path, notRegularReason(st.st_mode));
}

// The regular file at path, not following a symbolic link and never opening
// anything else; nullopt when nothing is there.
std::optional<std::string> readRegularFile(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw errnoError(path);
  }
  if (!S_ISREG(st.st_mode)) throw fileError(path, notRegularReason(st.st_mode));
  Fd in;
  openRegularFile(in, path);
  return readAll(in.fd, path, kMaxInputBytes);
}

fs::path absoluteNormal(const std::string& path) { return fs::absolute(fs::path(path)).lexically_normal(); }

fs::path folderOf(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// Checks that the target can be replaced by a regular file: whatever is there
// is a regular file, and the nearest existing folder of its path is a folder.
// Only lstat()/stat(): nothing is opened.
void checkTarget(const std::string& target) {
  struct stat st;
  if (::lstat(target.c_str(), &st) == 0) {
    std::string reason = notRegularReason(st.st_mode);
    if (!reason.empty()) throw fileError(target, reason + "; not replaced");
    return;
  }
  if (errno != ENOENT && errno != ENOTDIR) throw errnoError(target);
  for (fs::path folder = folderOf(target);; folder = folder.parent_path()) {
    if (::stat(folder.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) throw fileError(folder.string(), "is not a folder, and " + target + " goes in it");
      return;
    }
    if (errno != ENOENT && errno != ENOTDIR) throw errnoError(folder.string());
    if (!folder.has_relative_path() || folder.parent_path() == folder) return;
  }
}

// The deepest folder holding every target.
fs::path commonFolder(const std::vector<fs::path>& targets) {
  fs::path common = targets.front().parent_path();
  for (const fs::path& target : targets) {
    fs::path folder = target.parent_path(), shared;
    auto a = common.begin(), b = folder.begin();
    for (; a != common.end() && b != folder.end() && *a == *b; ++a, ++b) shared /= *a;
    common = shared;
  }
  return common;
}

// flock() on the lock file, held until destruction. The holder removes the
// file before it unlocks, so that no lock file stays among the outputs; a
// waiter that then gets the lock on the removed file sees that the path no
// longer names it and starts again on the file now there.
class FolderLock {
 public:
  explicit FolderLock(const fs::path& folder) : path_((folder / kLockName).string()) {
    while (true) {
      struct stat st, now;
      // Opening a device can have effects of its own: look before opening.
      if (::lstat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        throw fileError(path_, notRegularReason(st.st_mode));
      Fd fd(::open(path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666));
      if (fd.fd < 0) throw errnoError(path_, "cannot open the lock file: ");
      if (::fstat(fd.fd, &st) != 0) throw errnoError(path_);
      if (!S_ISREG(st.st_mode)) throw fileError(path_, notRegularReason(st.st_mode));
      while (::flock(fd.fd, LOCK_EX) != 0) {
        if (errno != EINTR) throw errnoError(path_, "cannot lock: ");
      }
      if (::lstat(path_.c_str(), &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino) {
        std::swap(fd_.fd, fd.fd);
        return;
      }
    }
  }
  ~FolderLock() { ::unlink(path_.c_str()); }  // before fd_ closes and unlocks

 private:
  std::string path_;
  Fd fd_;
};

void syncFolder(const fs::path& folder) {
  Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.fd >= 0) ::fsync(dir.fd);
}

mode_t newFileMode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

// A new temporary file beside `target` holding content, synced; returns its path.
std::string stageTemp(const fs::path& folder, const std::string& content, const std::string& target) {
  std::string path = (folder / (std::string(kTempPrefix) + "XXXXXX")).string();
  Fd out(::mkstemp(path.data()));
  if (out.fd < 0) throw errnoError(target, "cannot write: ");
  auto fail = [&] {
    int saved = errno;
    ::unlink(path.c_str());
    errno = saved;
    return errnoError(target, "cannot write: ");
  };
  if (::fchmod(out.fd, newFileMode()) != 0) throw fail();
  for (std::size_t done = 0; done < content.size();) {
    ssize_t wrote = ::write(out.fd, content.data() + done, content.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) throw fail();
    done += static_cast<std::size_t>(wrote);
  }
  if (::fsync(out.fd) != 0) throw fail();
  int fd = out.fd;
  out.fd = -1;
  if (::close(fd) != 0) throw fail();
  return path;
}

bool isSafeRelative(const fs::path& path) {
  if (path.empty() || path.is_absolute()) return false;
  for (const fs::path& part : path)
    if (part == ".." || part == ".") return false;
  return true;
}

// Finishes the renames of a run that was killed after writing its journal.
// The journal lives in the folder that run locked, which we hold now.
void rollForward(const fs::path& folder) {
  const std::string journal = (folder / kJournalName).string();
  std::optional<std::string> text = readRegularFile(journal);
  if (!text) return;
  const std::string header = kJournalHeader;
  std::vector<std::string> fields;
  if (text->compare(0, header.size(), header) == 0) {
    for (std::size_t at = header.size(); at < text->size();) {
      std::size_t nul = text->find('\0', at);
      if (nul == std::string::npos) break;
      fields.push_back(text->substr(at, nul - at));
      at = nul + 1;
    }
  }
  if (fields.empty() || fields.back() != kJournalEnd || fields.size() % 2 != 1)
    throw fileError(journal, "not a complete uvgen journal; remove it and run again");
  fields.pop_back();
  std::set<fs::path> folders;
  for (std::size_t i = 0; i < fields.size(); i += 2) {
    fs::path temp(fields[i]), target(fields[i + 1]);
    // Only renames uvgen itself journals: a temporary beside its target, inside this folder.
    if (!isSafeRelative(temp) || !isSafeRelative(target) || temp.parent_path() != target.parent_path() ||
        temp.filename().string().rfind(kTempPrefix, 0) != 0)
      throw fileError(journal, "names an unexpected rename (" + fields[i] + " -> " + fields[i + 1] + ")");
    std::string temp_path = (folder / temp).string(), target_path = (folder / target).string();
    struct stat st;
    if (::lstat(temp_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;  // already renamed
    if (::lstat(target_path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) continue;
    if (::rename(temp_path.c_str(), target_path.c_str()) != 0) throw errnoError(target_path, "cannot replace: ");
    folders.insert((folder / target).parent_path());
  }
  for (const fs::path& changed : folders) syncFolder(changed);
  if (::unlink(journal.c_str()) != 0) throw errnoError(journal, "cannot remove: ");
  syncFolder(folder);
}

// The temporaries that a killed run left in the folder (or a running one made).
std::vector<std::string> tempsIn(const fs::path& folder) {
  std::vector<std::string> names;
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return names;
  while (const dirent* entry = ::readdir(dir))
    if (std::string(entry->d_name).rfind(kTempPrefix, 0) == 0) names.push_back(entry->d_name);
  ::closedir(dir);
  return names;
}

// Removes temporaries that a killed run left in the folder.
void removeLeftoverTemps(const fs::path& folder) {
  for (const std::string& name : tempsIn(folder)) {
    std::string path = (folder / name).string();
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ::unlink(path.c_str());
  }
}

void writeJournal(const fs::path& folder, const std::vector<std::pair<std::string, std::string>>& renames) {
  std::string text = kJournalHeader;
  for (const auto& [temp, target] : renames) {
    for (const std::string& path : {temp, target}) {
      text += absoluteNormal(path).lexically_relative(folder).string();
      text += '\0';
    }
  }
  text += kJournalEnd;
  text += '\0';
  const std::string journal = (folder / kJournalName).string();
  std::string temp = stageTemp(folder, text, journal);
  if (::rename(temp.c_str(), journal.c_str()) != 0) {
    int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    throw errnoError(journal, "cannot write: ");
  }
  syncFolder(folder);
}

}  // namespace

std::string readTextFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw errnoError(path);
  // Pipes are fine (`--schema <(...)`); folders and devices are never read.
  auto refuse = [&](const struct stat& s) {
    if (S_ISDIR(s.st_mode)) throw fileError(path, "is a folder, not a file");
    if (S_ISCHR(s.st_mode) || S_ISBLK(s.st_mode)) throw fileError(path, "is a device, not a file");
    if (S_ISSOCK(s.st_mode)) throw fileError(path, "is a socket, not a file");
    if (S_ISREG(s.st_mode) && static_cast<std::size_t>(s.st_size) > kMaxInputBytes)
      throw fileError(path, "larger than uvgen's input limit of " + std::to_string(kMaxInputBytes >> 20) + " MiB");
  };
  refuse(st);
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.fd < 0) throw errnoError(path);
  if (::fstat(in.fd, &st) != 0) throw errnoError(path);
  refuse(st);  // it may have been replaced since stat()
  return readAll(in.fd, path, kMaxInputBytes);
}

std::optional<std::string> readExistingOutput(const std::string& path) { return readRegularFile(path); }

void OutputFiles::add(const std::string& path, std::string content) { files_[path] = std::move(content); }

bool holdsContent(const std::string& path, const std::string& content) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  if (static_cast<std::size_t>(st.st_size) != content.size()) return false;
  try {
    Fd in;
    openRegularFile(in, path);
    std::size_t compared = 0;
    bool same = true;
    readChunks(in.fd, path, [&](std::string_view chunk) {
      same = chunk.size() <= content.size() - compared &&
             chunk == std::string_view(content).substr(compared, chunk.size());
      compared += chunk.size();
      return same;
    });
    return same && compared == content.size();
  } catch (const InputError&) {
    return false;
  }
}

std::vector<std::string> OutputFiles::stale() const {
  std::vector<std::string> paths;
  for (const auto& [path, content] : files_)
    if (!holdsContent(path, content)) paths.push_back(path);
  return paths;
}

std::vector<std::string> OutputFiles::commit(bool found_up_to_date) const {
  if (files_.empty()) return {};
  // Refuse what cannot be replaced before touching anything.
  for (const auto& [path, content] : files_) checkTarget(path);

  std::vector<fs::path> targets;
  std::set<fs::path> folders;
  for (const auto& [path, content] : files_) {
    targets.push_back(absoluteNormal(path));
    folders.insert(targets.back().parent_path());
  }
  for (const fs::path& folder : folders) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw fileError(folder.string(), "cannot create the folder: " + ec.message());
  }
  const fs::path lock_folder = commonFolder(targets);
  if (found_up_to_date) {
    // Nothing to write, and nothing a killed run left to finish or remove.
    struct stat st;
    bool leftovers = ::lstat((lock_folder / kJournalName).c_str(), &st) == 0 || !tempsIn(lock_folder).empty();
    for (const fs::path& folder : folders) leftovers = leftovers || !tempsIn(folder).empty();
    if (!leftovers) return {};
  }
  FolderLock lock(lock_folder);

  // A killed run's renames first, then its litter, so what follows starts
  // from one run's complete output.
  rollForward(lock_folder);
  folders.insert(lock_folder);
  for (const fs::path& folder : folders) removeLeftoverTemps(folder);

  // Check again: another process may have changed the targets before we locked.
  for (const auto& [path, content] : files_) checkTarget(path);
  std::vector<std::pair<std::string, std::string>> renames;  // temp -> target
  try {
    for (const std::string& path : stale())
      renames.emplace_back(stageTemp(folderOf(path), files_.at(path), path), path);
    if (!renames.empty()) writeJournal(lock_folder, renames);
  } catch (...) {
    for (const auto& [temp, target] : renames) ::unlink(temp.c_str());
    throw;
  }

  // From here on the journal lets the next run finish what this one started.
  std::vector<std::string> written;
  std::set<fs::path> changed;
  for (const auto& [temp, target] : renames) {
    if (::rename(temp.c_str(), target.c_str()) != 0)
      throw errnoError(target, "cannot replace (the next run finishes the replacement): ");
    written.push_back(target);
    changed.insert(folderOf(target));
  }
  for (const fs::path& folder : changed) syncFolder(folder);
  if (!renames.empty()) {
    const std::string journal = (lock_folder / kJournalName).string();
    if (::unlink(journal.c_str()) != 0) throw errnoError(journal, "cannot remove: ");
    syncFolder(lock_folder);
  }
  return written;
}

void writeOutput(const std::string& path, const std::string& content) {
  if (path.empty() || path == "-") {
    std::fflush(stdout);  // anything printed earlier goes first
    errno = 0;
    bool ok = std::fwrite(content.data(), 1, content.size(), stdout) == content.size();
    ok = std::fflush(stdout) == 0 && ok && !std::ferror(stdout);
    if (!ok) throw fileError("stdout", std::strerror(errno != 0 ? errno : EIO));
    return;
  }
  OutputFiles out;
  out.add(path, content);
  out.commit();
}

}  // namespace uvgen
