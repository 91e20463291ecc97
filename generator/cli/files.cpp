#include "cli/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <random>
#include <set>
#include <string_view>
#include <thread>
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
  Fd(Fd&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd, other.fd);
    return *this;
  }
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

// Whether the open regular file holds exactly content.
bool sameContent(int fd, const std::string& path, const std::string& content) {
  std::size_t compared = 0;
  bool same = true;
  readChunks(fd, path, [&](std::string_view chunk) {
    same = chunk.size() <= content.size() - compared && chunk == std::string_view(content).substr(compared, chunk.size());
    compared += chunk.size();
    return same;
  });
  return same && compared == content.size();
}

// Opens the regular file `name` in the folder `dir` that fstatat() found
// there. O_NOFOLLOW and O_NONBLOCK: whatever replaced the file since then is
// neither followed nor waited on, and fstat() refuses it before any read.
Fd openRegularAt(int dir, const std::string& name, const std::string& path) {
  struct stat st;
  Fd in(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (in.fd < 0 || ::fstat(in.fd, &st) != 0) throw errnoError(path);
  if (!S_ISREG(st.st_mode)) throw fileError(path, notRegularReason(st.st_mode));
  return in;
}

// A path's names, without empty and "." ones: "/a//b/./c" -> "/", "a", "b", "c".
std::vector<std::string> partsOf(const std::string& path) {
  std::vector<std::string> parts;
  for (const fs::path& part : fs::path(path)) {
    std::string name = part.string();
    if (!name.empty() && name != ".") parts.push_back(name);
  }
  return parts;
}

std::string joined(const std::vector<std::string>& parts, std::size_t count) {
  std::string path;
  for (std::size_t i = 0; i < count; ++i) {
    if (!path.empty() && path.back() != '/') path += '/';
    path += parts[i];
  }
  return path.empty() ? "." : path;
}

std::string below(const std::string& folder, const std::string& name) {
  return folder.empty() || folder.back() == '/' ? folder + name : folder + "/" + name;
}

// The error for `name` in `dir` that openat(O_DIRECTORY | O_NOFOLLOW) just
// failed to open: a link, something other than a folder, or errno.
InputError folderError(int dir, const std::string& name, const std::string& path, const std::string& target) {
  const int saved = errno;
  struct stat st;
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(st.st_mode))
      return fileError(path, "is a symbolic link; uvgen does not follow links on the way to " + target);
    if (!S_ISDIR(st.st_mode)) return fileError(path, "is not a folder, and " + target + " goes in it");
  }
  errno = saved;
  return errnoError(path);
}

// --- outputs --------------------------------------------------------------------

// An output: its folder's names below the root, and its own name.
struct Target {
  const std::string* path;  // as the caller named it, for messages
  std::vector<std::string> folder;
  std::string name;
  const std::string* content;
};

struct Layout {
  std::string root;
  std::vector<Target> targets;
};

// The folder `parts` below the folder `dir` (root names it in messages), each
// name opened with O_NOFOLLOW. Missing folders are made when `create`, else
// the result is -1.
Fd openBelow(int dir, const std::string& root, const std::vector<std::string>& parts, bool create,
             const std::string& target) {
  Fd folder(::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.fd < 0) throw errnoError(root);
  std::string path = root;
  for (const std::string& name : parts) {
    path = below(path, name);
    Fd next(::openat(folder.fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (next.fd < 0 && errno == ENOENT) {
      if (!create) return Fd();
      if (::mkdirat(folder.fd, name.c_str(), 0777) != 0 && errno != EEXIST)
        throw errnoError(path, "cannot create the folder: ");
      next = Fd(::openat(folder.fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    }
    if (next.fd < 0) throw folderError(folder.fd, name, path, target);
    folder = std::move(next);
  }
  return folder;
}

// The root folder, opened following its own path as the user named it: -1
// when it does not exist and not `create`; else missing folders at its end
// are made and opened without following links.
Fd openRoot(const std::string& root, const std::string& target, bool create) {
  Fd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.fd >= 0) return fd;
  const std::vector<std::string> parts = partsOf(root);
  if (errno == ENOTDIR) {
    const int saved = errno;
    // Name the first part of the path that is not a folder.
    for (std::size_t count = 1; count <= parts.size(); ++count) {
      struct stat st;
      std::string prefix = joined(parts, count);
      if (::stat(prefix.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
        throw fileError(prefix, "is not a folder, and " + target + " goes in it");
    }
    errno = saved;
    throw errnoError(root);
  }
  if (errno != ENOENT) throw errnoError(root);
  if (!create) return Fd();
  // The deepest folder of the path that exists; the rest is made below it.
  std::size_t existing = parts.size();
  while (existing > 0) {
    fd = Fd(::open(joined(parts, --existing).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.fd >= 0) break;
    if (errno != ENOENT) throw errnoError(joined(parts, existing));
  }
  if (fd.fd < 0) throw errnoError(root);
  // The folders made for the root are made in a real folder, not through a link.
  struct stat st;
  if (existing > 0 && ::lstat(joined(parts, existing).c_str(), &st) == 0 && S_ISLNK(st.st_mode))
    throw fileError(joined(parts, existing), "is a symbolic link; uvgen does not make folders through links");
  std::vector<std::string> missing(parts.begin() + static_cast<std::ptrdiff_t>(existing), parts.end());
  for (const std::string& name : missing)
    if (name == "..") throw fileError(root, "does not exist, and uvgen does not make a folder followed by ..");
  return openBelow(fd.fd, joined(parts, existing), missing, true, target);
}

// Refuses a root where other users could plant a lock file or a journal: one
// they can write that is not sticky.
void checkLockFolder(int root_fd, const std::string& root) {
  struct stat st;
  if (::fstat(root_fd, &st) != 0) throw errnoError(root);
  const bool others_write = (st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != ::getegid());
  if (others_write && !(st.st_mode & S_ISVTX))
    throw fileError(root, "other users can write to this folder and it is not sticky; uvgen keeps its lock file and "
                          "journal only where no one else can plant them");
}

// Refuses a lock file or journal that is not the invoking user's own regular file.
void checkOwnFile(const struct stat& st, const std::string& path) {
  if (!S_ISREG(st.st_mode)) throw fileError(path, notRegularReason(st.st_mode));
  if (st.st_uid != ::geteuid())
    throw fileError(path, "belongs to another user (uid " + std::to_string(st.st_uid) +
                              "); uvgen uses only its own lock file and journal");
  if (st.st_nlink > 1) throw fileError(path, "has other hard links; it is not uvgen's");
}

int lockWaitSeconds() {
  const char* text = std::getenv(kLockWaitVariable);
  if (!text || !*text) return kLockWaitSeconds;
  char* end = nullptr;
  errno = 0;
  long seconds = std::strtol(text, &end, 10);
  if (errno != 0 || *end != '\0' || seconds < 0 || seconds > 86400 || !(*text >= '0' && *text <= '9'))
    throw fileError(kLockWaitVariable, "must be a whole number of seconds from 0 to 86400, not '" + std::string(text) + "'");
  return static_cast<int>(seconds);
}

// flock() on the lock file in the root, held until destruction. The holder
// removes the file before it unlocks, so that no lock file stays among the
// outputs; a waiter that then gets the lock on the removed file sees that
// the name no longer names it and starts again on the file now there.
class FolderLock {
 public:
  FolderLock(int root_fd, const std::string& root) : root_fd_(root_fd), path_(below(root, kLockName)) {
    checkLockFolder(root_fd, root);
    const int wait = lockWaitSeconds();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait);
    while (true) {
      struct stat st, now;
      // Opening a device can have effects of its own, and another user's
      // file is never used: look before opening.
      if (::fstatat(root_fd, kLockName, &st, AT_SYMLINK_NOFOLLOW) == 0) checkOwnFile(st, path_);
      Fd fd(::openat(root_fd, kLockName, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
      if (fd.fd < 0) throw errnoError(path_, "cannot open the lock file: ");
      if (::fstat(fd.fd, &st) != 0) throw errnoError(path_);
      // No link left: the run that held the lock removed the file between our open and this
      // look (it removes it before it unlocks). Start again on the file there now.
      if (st.st_nlink == 0) continue;
      checkOwnFile(st, path_);
      while (::flock(fd.fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) throw errnoError(path_, "cannot lock: ");
        if (std::chrono::steady_clock::now() >= deadline)
          throw fileError(path_, "another run has held this lock for " + std::to_string(wait) +
                                     " s; gave up (" + kLockWaitVariable + " sets the wait in seconds)");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (::fstatat(root_fd, kLockName, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_dev == st.st_dev &&
          now.st_ino == st.st_ino) {
        fd_ = std::move(fd);
        return;
      }
    }
  }
  ~FolderLock() { ::unlinkat(root_fd_, kLockName, 0); }  // before fd_ closes and unlocks
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int root_fd_;
  std::string path_;
  Fd fd_;
};

mode_t newFileMode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

// A new temporary file in the folder `dir` holding content, synced; returns
// its name. `target` names the file it is for in messages.
std::string stageTemp(int dir, const std::string& content, const std::string& target) {
  static const char kLetters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::string name;
  Fd out;
  for (int attempt = 0; out.fd < 0; ++attempt) {
    name = kTempPrefix;
    for (int i = 0; i < 6; ++i) name += kLetters[random() % (sizeof kLetters - 1)];
    out = Fd(::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, newFileMode()));
    if (out.fd < 0 && (errno != EEXIST || attempt == 100)) throw errnoError(target, "cannot write: ");
  }
  auto fail = [&] {
    int saved = errno;
    ::unlinkat(dir, name.c_str(), 0);
    errno = saved;
    return errnoError(target, "cannot write: ");
  };
  for (std::size_t done = 0; done < content.size();) {
    ssize_t wrote = ::write(out.fd, content.data() + done, content.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) throw fail();
    done += static_cast<std::size_t>(wrote);
  }
  if (::fsync(out.fd) != 0) throw fail();
  if (::close(std::exchange(out.fd, -1)) != 0) throw fail();
  return name;
}

bool isSafeRelative(const fs::path& path) {
  if (path.empty() || path.is_absolute()) return false;
  for (const fs::path& part : path)
    if (part == ".." || part == "." || part.empty()) return false;
  return true;
}

std::vector<std::string> namesOf(const fs::path& path) {
  std::vector<std::string> names;
  for (const fs::path& part : path) names.push_back(part.string());
  return names;
}

// Finishes the renames of a run that was killed after writing its journal.
// The journal lives in the root, whose lock we hold now.
void rollForward(int root_fd, const std::string& root) {
  const std::string journal = below(root, kJournalName);
  struct stat st;
  if (::fstatat(root_fd, kJournalName, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    throw errnoError(journal);
  }
  checkOwnFile(st, journal);
  Fd in = openRegularAt(root_fd, kJournalName, journal);
  if (::fstat(in.fd, &st) != 0) throw errnoError(journal);
  checkOwnFile(st, journal);
  const std::string text = readAll(in.fd, journal, kMaxInputBytes);
  const std::string header = kJournalHeader;
  std::vector<std::string> fields;
  if (text.compare(0, header.size(), header) == 0) {
    for (std::size_t at = header.size(); at < text.size();) {
      std::size_t nul = text.find('\0', at);
      if (nul == std::string::npos) break;
      fields.push_back(text.substr(at, nul - at));
      at = nul + 1;
    }
  }
  if (fields.empty() || fields.back() != kJournalEnd || fields.size() % 2 != 1)
    throw fileError(journal, "not a complete uvgen journal; remove it and run again");
  fields.pop_back();
  for (std::size_t i = 0; i < fields.size(); i += 2) {
    fs::path temp(fields[i]), target(fields[i + 1]);
    // Only renames uvgen itself journals: a temporary beside its target, below the root.
    if (!isSafeRelative(temp) || !isSafeRelative(target) || temp.parent_path() != target.parent_path() ||
        temp.filename().string().rfind(kTempPrefix, 0) != 0)
      throw fileError(journal, "names an unexpected rename (" + fields[i] + " -> " + fields[i + 1] + ")");
    const std::string target_path = below(root, fields[i + 1]);
    Fd folder = openBelow(root_fd, root, namesOf(target.parent_path()), false, target_path);
    if (folder.fd < 0) continue;  // nothing there to rename
    const std::string temp_name = temp.filename().string(), target_name = target.filename().string();
    if (::fstatat(folder.fd, temp_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // already renamed
    if (!S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || st.st_nlink != 1)
      throw fileError(journal, "names a temporary that uvgen did not make (" + fields[i] + ")");
    if (::fstatat(folder.fd, target_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) continue;
    if (::renameat(folder.fd, temp_name.c_str(), folder.fd, target_name.c_str()) != 0)
      throw errnoError(target_path, "cannot replace: ");
    ::fsync(folder.fd);
  }
  if (::unlinkat(root_fd, kJournalName, 0) != 0) throw errnoError(journal, "cannot remove: ");
  ::fsync(root_fd);
}

// The invoking user's temporaries in the folder: a killed run's, or a running one's.
std::vector<std::string> ownTempsIn(int dir) {
  std::vector<std::string> names;
  Fd listed(::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  DIR* entries = listed.fd >= 0 ? ::fdopendir(listed.fd) : nullptr;
  if (!entries) return names;
  listed.fd = -1;  // closedir closes it
  while (const dirent* entry = ::readdir(entries)) {
    struct stat st;
    if (std::string(entry->d_name).rfind(kTempPrefix, 0) == 0 &&
        ::fstatat(dir, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
        st.st_uid == ::geteuid())
      names.push_back(entry->d_name);
  }
  ::closedir(entries);
  return names;
}

void writeJournal(int root_fd, const std::string& root, const std::vector<std::pair<std::string, std::string>>& renames) {
  std::string text = kJournalHeader;
  for (const auto& [temp, target] : renames) {
    text += temp + '\0';
    text += target + '\0';
  }
  text += kJournalEnd;
  text += '\0';
  const std::string journal = below(root, kJournalName);
  std::string temp = stageTemp(root_fd, text, journal);
  if (::renameat(root_fd, temp.c_str(), root_fd, kJournalName) != 0) {
    int saved = errno;
    ::unlinkat(root_fd, temp.c_str(), 0);
    errno = saved;
    throw errnoError(journal, "cannot write: ");
  }
  ::fsync(root_fd);
}

// Checks that the target can be replaced by a regular file: every folder on
// its way below the root is a folder (not a link) and whatever is at the
// target is a regular file. Nothing is created; only folders are opened.
void checkTarget(int root_fd, const std::string& root, const Target& target) {
  Fd folder = openBelow(root_fd, root, target.folder, false, *target.path);
  struct stat st;
  if (folder.fd < 0 || ::fstatat(folder.fd, target.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (folder.fd < 0 || errno == ENOENT) return;
    throw errnoError(*target.path);
  }
  std::string reason = notRegularReason(st.st_mode);
  if (!reason.empty()) throw fileError(*target.path, reason + "; not replaced");
}

// Whether the regular file `name` in `dir` holds exactly content.
bool holdsContentAt(int dir, const std::string& name, const std::string& path, const std::string& content) {
  struct stat st;
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) return false;
  if (static_cast<std::size_t>(st.st_size) != content.size()) return false;
  try {
    Fd in = openRegularAt(dir, name, path);
    return sameContent(in.fd, path, content);
  } catch (const InputError&) {
    return false;
  }
}

// Where path leads once the folders that exist on its way are resolved
// (links followed): the resolved folder and the name, "" when unknown.
std::string resolvedPath(const std::string& path) {
  fs::path absolute = fs::absolute(fs::path(path));
  std::vector<std::string> parts = partsOf(absolute.parent_path().string());
  for (std::size_t existing = parts.size(); existing > 0; --existing) {
    char* real = ::realpath(joined(parts, existing).c_str(), nullptr);
    if (!real) continue;
    fs::path resolved(real);
    std::free(real);
    for (std::size_t i = existing; i < parts.size(); ++i) resolved /= parts[i];
    return (resolved.lexically_normal() / absolute.filename()).string();
  }
  return absolute.lexically_normal().string();
}

}  // namespace

std::string readTextFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw errnoError(path);
  // Pipes are fine (`--schema <(...)`); folders, sockets and devices are never read.
  auto refuse = [&](const struct stat& s) {
    if (S_ISDIR(s.st_mode)) throw fileError(path, "is a folder, not a file");
    if (S_ISCHR(s.st_mode) || S_ISBLK(s.st_mode)) throw fileError(path, "is a device, not a file");
    if (S_ISSOCK(s.st_mode)) throw fileError(path, "is a socket, not a file");
    if (S_ISREG(s.st_mode) && static_cast<std::size_t>(s.st_size) > kMaxInputBytes)
      throw fileError(path, "larger than uvgen's input limit of " + std::to_string(kMaxInputBytes >> 20) + " MiB");
  };
  refuse(st);
  // O_NONBLOCK: opening a FIFO that no one writes to does not wait for a
  // writer. Reads block again (a pipe's writer may be slow).
  Fd in(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (in.fd < 0) throw errnoError(path);
  if (::fstat(in.fd, &st) != 0) throw errnoError(path);
  refuse(st);  // it may have been replaced since stat()
  int flags = ::fcntl(in.fd, F_GETFL);
  if (flags < 0 || ::fcntl(in.fd, F_SETFL, flags & ~O_NONBLOCK) != 0) throw errnoError(path);
  return readAll(in.fd, path, kMaxInputBytes);
}

std::string readFileBelow(const std::string& folder, const std::string& relative) {
  const std::string path = below(folder, relative);
  std::vector<std::string> names;
  for (const fs::path& part : fs::path(relative)) {
    std::string name = part.string();
    if (part.is_absolute() || name == "/") throw fileError(path, "must be a relative path");
    if (name == "..") throw fileError(path, "must not climb out of its folder with ..");
    if (!name.empty() && name != ".") names.push_back(name);
  }
  if (names.empty()) throw fileError(path, "is not a file name");
  const std::string file = names.back();
  names.pop_back();
  Fd top(::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (top.fd < 0) throw errnoError(folder.empty() ? "." : folder);
  std::string reached = folder;
  for (const std::string& name : names) {
    reached = below(reached, name);
    Fd next(::openat(top.fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (next.fd < 0) throw folderError(top.fd, name, reached, path);
    top = std::move(next);
  }
  struct stat st;
  if (::fstatat(top.fd, file.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) throw errnoError(path);
  if (S_ISLNK(st.st_mode)) throw fileError(path, "is a symbolic link; uvgen reads only a regular file here, not a link");
  if (!S_ISREG(st.st_mode)) throw fileError(path, notRegularReason(st.st_mode));
  Fd in = openRegularAt(top.fd, file, path);
  if (::fstat(in.fd, &st) != 0) throw errnoError(path);
  if (static_cast<std::size_t>(st.st_size) > kMaxInputBytes)
    throw fileError(path, "larger than uvgen's input limit of " + std::to_string(kMaxInputBytes >> 20) + " MiB");
  return readAll(in.fd, path, kMaxInputBytes);
}

std::optional<std::string> readExistingOutput(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw errnoError(path);
  }
  if (!S_ISREG(st.st_mode)) throw fileError(path, notRegularReason(st.st_mode));
  Fd in = openRegularAt(AT_FDCWD, path, path);
  return readAll(in.fd, path, kMaxInputBytes);
}

bool holdsContent(const std::string& path, const std::string& content) {
  return holdsContentAt(AT_FDCWD, path, path, content);
}

void OutputFiles::add(const std::string& path, std::string content) { files_[path] = std::move(content); }

namespace {

// The root and every target's place below it.
Layout layoutOf(const std::optional<std::string>& given_root, const std::map<std::string, std::string>& files) {
  Layout layout;
  std::vector<std::string> root_parts;
  if (given_root) {
    root_parts = partsOf(*given_root);
  } else {
    // The deepest folder holding every file.
    bool first = true;
    for (const auto& [path, content] : files) {
      std::vector<std::string> parts = partsOf(path);
      if (!parts.empty()) parts.pop_back();
      if (first) root_parts = parts;
      std::size_t shared = 0;
      while (shared < root_parts.size() && shared < parts.size() && root_parts[shared] == parts[shared]) ++shared;
      root_parts.resize(shared);
      first = false;
    }
  }
  layout.root = given_root ? *given_root : joined(root_parts, root_parts.size());
  for (const auto& [path, content] : files) {
    std::vector<std::string> parts = partsOf(path);
    if (parts.size() <= root_parts.size() || !std::equal(root_parts.begin(), root_parts.end(), parts.begin()))
      throw fileError(path, "is not a file below " + layout.root);
    Target target{&path, {}, parts.back(), &content};
    target.folder.assign(parts.begin() + static_cast<std::ptrdiff_t>(root_parts.size()), parts.end() - 1);
    for (const std::string& name : target.folder)
      if (name == "..") throw fileError(path, "climbs out of " + layout.root + " with ..");
    if (target.name == ".." || target.name == "/") throw fileError(path, "is not a file name");
    layout.targets.push_back(std::move(target));
  }
  return layout;
}

}  // namespace

bool OutputFiles::writes(const std::string& path) const {
  if (files_.empty()) return false;
  const std::string wanted = resolvedPath(path);
  const Layout layout = layoutOf(root_, files_);
  for (const Target& target : layout.targets) {
    std::string joined_path = layout.root;
    for (const std::string& name : target.folder) joined_path = below(joined_path, name);
    if (resolvedPath(below(joined_path, target.name)) == wanted) return true;
  }
  return false;
}

std::vector<std::string> OutputFiles::commit(bool found_up_to_date) const {
  if (files_.empty()) return {};
  const Layout layout = layoutOf(root_, files_);
  const std::string& root = layout.root;
  const std::string& first = *layout.targets.front().path;
  // Refuse what cannot be replaced before touching anything.
  {
    Fd existing = openRoot(root, first, false);
    if (existing.fd >= 0)
      for (const Target& target : layout.targets) checkTarget(existing.fd, root, target);
  }

  // Every folder is opened once, without following links, and used by
  // descriptor from here on: a link swapped in now is not followed.
  Fd root_fd = openRoot(root, first, true);
  std::map<std::vector<std::string>, Fd> folders;
  for (const Target& target : layout.targets)
    if (!folders.count(target.folder))
      folders.emplace(target.folder, openBelow(root_fd.fd, root, target.folder, true, *target.path));
  if (!folders.count({})) folders.emplace(std::vector<std::string>{}, openBelow(root_fd.fd, root, {}, false, first));
  if (found_up_to_date) {
    // Nothing to write, and nothing a killed run left to finish or remove.
    struct stat st;
    bool leftovers = ::fstatat(root_fd.fd, kJournalName, &st, AT_SYMLINK_NOFOLLOW) == 0;
    for (const auto& [names, folder] : folders) leftovers = leftovers || !ownTempsIn(folder.fd).empty();
    if (!leftovers) return {};
  }
  FolderLock lock(root_fd.fd, root);

  // A killed run's renames first, then its litter, so what follows starts
  // from one run's complete output.
  rollForward(root_fd.fd, root);
  for (const auto& [names, folder] : folders)
    for (const std::string& name : ownTempsIn(folder.fd)) ::unlinkat(folder.fd, name.c_str(), 0);

  // Check again: another process may have changed the targets before we locked.
  for (const Target& target : layout.targets) checkTarget(root_fd.fd, root, target);
  struct Staged {
    const Target* target;
    int folder;
    std::string temp;
  };
  std::vector<Staged> staged;
  try {
    for (const Target& target : layout.targets) {
      const int folder = folders.at(target.folder).fd;
      if (!holdsContentAt(folder, target.name, *target.path, *target.content))
        staged.push_back({&target, folder, stageTemp(folder, *target.content, *target.path)});
    }
    if (!staged.empty()) {
      std::vector<std::pair<std::string, std::string>> renames;  // temp -> target, below the root
      for (const Staged& file : staged) {
        std::string folder_path;
        for (const std::string& name : file.target->folder) folder_path += name + "/";
        renames.emplace_back(folder_path + file.temp, folder_path + file.target->name);
      }
      writeJournal(root_fd.fd, root, renames);
    }
  } catch (...) {
    for (const Staged& file : staged) ::unlinkat(file.folder, file.temp.c_str(), 0);
    throw;
  }

  // From here on the journal lets the next run finish what this one started.
  std::vector<std::string> written;
  std::set<int> changed;
  for (const Staged& file : staged) {
    if (::renameat(file.folder, file.temp.c_str(), file.folder, file.target->name.c_str()) != 0)
      throw errnoError(*file.target->path, "cannot replace (the next run finishes the replacement): ");
    written.push_back(*file.target->path);
    changed.insert(file.folder);
  }
  for (int folder : changed) ::fsync(folder);
  if (!staged.empty()) {
    const std::string journal = below(root, kJournalName);
    if (::unlinkat(root_fd.fd, kJournalName, 0) != 0) throw errnoError(journal, "cannot remove: ");
    ::fsync(root_fd.fd);
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
