// File-system requests through libuv and through the shim, on a real folder:
// the file system's status; a file written, closed, given to its owner, stat'ed, renamed, listed,
// read back and removed, once at once (no callbacks) and once on the thread pool (callbacks).
#include <chrono>
#include <string>
#include <vector>

#include "scenario.h"

#ifdef __linux__
#include <sys/vfs.h>
#endif

namespace {

// Runs one request at once (no callback) and cleans it up: its result.
template <class Api, class Call>
long now(Call call) {
  typename Api::Fs req;
  int returned = call(&req);
  long result = static_cast<long>(Api::fs_get_result(&req));
  CHECK(returned == result);
  Api::fs_req_cleanup(&req);
  return result;
}

}  // namespace

API_TEST("fs_requests_without_callbacks_round_trip_a_file", "[shim][fs]") {
  using Api = TestType;
  Scenario<Api> s;
  auto* loop = &s.loop;
  // A folder of our own, made by libuv.
  typename Api::Fs made;
  const std::string tpl = s.dir.file("fs-XXXXXX");
  REQUIRE(Api::fs_mkdtemp(loop, &made, tpl.c_str(), nullptr) == 0);
  const std::string folder = Api::fs_get_path(&made);
  Api::fs_req_cleanup(&made);
  CHECK(folder.size() == tpl.size());
  const std::string first = folder + "/first.txt", second = folder + "/second.txt";

  // The file system holding the folder: on Linux, what statfs(2) says.
  typename Api::Fs fs_status;
  REQUIRE(Api::fs_statfs(loop, &fs_status, folder.c_str(), nullptr) == 0);
  const auto* status = static_cast<const typename Api::StatFs*>(Api::fs_get_ptr(&fs_status));
  REQUIRE(status != nullptr);
  CHECK(status->f_bsize > 0);
  CHECK(status->f_blocks > 0);
  CHECK(status->f_bfree <= status->f_blocks);
#ifdef __linux__
  struct statfs expected;
  REQUIRE(statfs(folder.c_str(), &expected) == 0);
  CHECK(status->f_type == static_cast<uint64_t>(expected.f_type));
  CHECK(status->f_bsize == static_cast<uint64_t>(expected.f_bsize));
  CHECK(status->f_blocks == static_cast<uint64_t>(expected.f_blocks));
  CHECK(status->f_files == static_cast<uint64_t>(expected.f_files));
#endif
  Api::fs_req_cleanup(&fs_status);

  const long file = now<Api>([&](auto* req) {
    return Api::fs_open(loop, req, first.c_str(), UV_FS_O_CREAT | UV_FS_O_WRONLY | UV_FS_O_TRUNC, 0644, nullptr);
  });
  REQUIRE(file >= 0);
  std::string text = "hello, file system";
  typename Api::Buf out = Api::buf_init(&text[0], static_cast<unsigned>(text.size()));
  CHECK(now<Api>([&](auto* req) { return Api::fs_write(loop, req, static_cast<int>(file), &out, 1, -1, nullptr); }) ==
        static_cast<long>(text.size()));
  // Owner and group: given the file's own ids back, chown succeeds for any user.
  typename Api::Fs owner;
  REQUIRE(Api::fs_fstat(loop, &owner, static_cast<int>(file), nullptr) == 0);
  const auto uid = static_cast<unsigned>(Api::fs_get_statbuf(&owner)->st_uid);
  const auto gid = static_cast<unsigned>(Api::fs_get_statbuf(&owner)->st_gid);
  Api::fs_req_cleanup(&owner);
  CHECK(now<Api>([&](auto* req) { return Api::fs_fchown(loop, req, static_cast<int>(file), uid, gid, nullptr); }) == 0);
  CHECK(now<Api>([&](auto* req) { return Api::fs_close(loop, req, static_cast<int>(file), nullptr); }) == 0);
  CHECK(now<Api>([&](auto* req) { return Api::fs_chown(loop, req, first.c_str(), uid, gid, nullptr); }) == 0);
  CHECK(now<Api>([&](auto* req) { return Api::fs_lchown(loop, req, first.c_str(), uid, gid, nullptr); }) == 0);
#ifndef _WIN32  // libuv 1.44's chown on Windows does nothing, not even look for the file (src/win/fs.c)
  const std::string missing = folder + "/missing.txt";
  CHECK(now<Api>([&](auto* req) { return Api::fs_chown(loop, req, missing.c_str(), uid, gid, nullptr); }) == UV_ENOENT);
  // Another owner: root may give the file away (the ids arrive as passed), anyone else gets EPERM.
  const long given = now<Api>([&](auto* req) { return Api::fs_chown(loop, req, first.c_str(), uid + 1, gid, nullptr); });
  if (given == 0) {
    typename Api::Fs after;
    REQUIRE(Api::fs_stat(loop, &after, first.c_str(), nullptr) == 0);
    CHECK(Api::fs_get_statbuf(&after)->st_uid == uid + 1);
    Api::fs_req_cleanup(&after);
  } else {
    CHECK(given == UV_EPERM);
  }
#endif

  typename Api::Fs stat;
  REQUIRE(Api::fs_stat(loop, &stat, first.c_str(), nullptr) == 0);
  CHECK(Api::fs_get_statbuf(&stat)->st_size == text.size());
  Api::fs_req_cleanup(&stat);

  CHECK(now<Api>([&](auto* req) { return Api::fs_rename(loop, req, first.c_str(), second.c_str(), nullptr); }) == 0);
  typename Api::Fs list;
  REQUIRE(Api::fs_scandir(loop, &list, folder.c_str(), 0, nullptr) == 1);
  typename Api::Dirent entry;
  REQUIRE(Api::fs_scandir_next(&list, &entry) == 0);
  CHECK(std::string(entry.name) == "second.txt");
  CHECK(entry.type == UV_DIRENT_FILE);
  CHECK(Api::fs_scandir_next(&list, &entry) == UV_EOF);
  Api::fs_req_cleanup(&list);

  // The same folder as a directory stream: opened, read into our own entries, closed.
  typename Api::Fs opening;
  REQUIRE(Api::fs_opendir(loop, &opening, folder.c_str(), nullptr) == 0);
  auto* dir = static_cast<typename Api::Dir*>(Api::fs_get_ptr(&opening));
  Api::fs_req_cleanup(&opening);
  REQUIRE(dir != nullptr);
  typename Api::Dirent entries[4];
  Api::dir_set_dirents(dir, entries, 4);
  typename Api::Fs reading;
  REQUIRE(Api::fs_readdir(loop, &reading, dir, nullptr) == 1);
  CHECK(std::string(entries[0].name) == "second.txt");
  CHECK(entries[0].type == UV_DIRENT_FILE);
  Api::fs_req_cleanup(&reading);
  CHECK(now<Api>([&](auto* req) { return Api::fs_readdir(loop, req, dir, nullptr); }) == 0);  // the end
  CHECK(now<Api>([&](auto* req) { return Api::fs_closedir(loop, req, dir, nullptr); }) == 0);

  const long again = now<Api>([&](auto* req) { return Api::fs_open(loop, req, second.c_str(), UV_FS_O_RDONLY, 0, nullptr); });
  REQUIRE(again >= 0);
  char buffer[64] = {};
  typename Api::Buf in = Api::buf_init(buffer, sizeof buffer);
  CHECK(now<Api>([&](auto* req) { return Api::fs_read(loop, req, static_cast<int>(again), &in, 1, 0, nullptr); }) ==
        static_cast<long>(text.size()));
  CHECK(std::string(buffer) == text);
  CHECK(now<Api>([&](auto* req) { return Api::fs_close(loop, req, static_cast<int>(again), nullptr); }) == 0);

  CHECK(now<Api>([&](auto* req) { return Api::fs_unlink(loop, req, second.c_str(), nullptr); }) == 0);
  CHECK(now<Api>([&](auto* req) { return Api::fs_unlink(loop, req, second.c_str(), nullptr); }) == UV_ENOENT);
  CHECK(now<Api>([&](auto* req) { return Api::fs_rmdir(loop, req, folder.c_str(), nullptr); }) == 0);
}

API_TEST("fs_requests_with_callbacks_complete_on_the_loop_in_order", "[shim][fs]") {
  using Api = TestType;
  Scenario<Api> s;
  const std::string path = s.dir.file("async.txt");
  struct Steps {
    std::vector<int> types;
    std::vector<long> results;
  } steps;
  auto record = [](auto* req) {
    auto* st = static_cast<Steps*>(Api::req_get_data(request<Api>(req)));
    st->types.push_back(static_cast<int>(Api::fs_get_type(req)));
    st->results.push_back(static_cast<long>(Api::fs_get_result(req)));
  };
  typename Api::Fs open_req;
  Api::req_set_data(request<Api>(&open_req), &steps);
  REQUIRE(Api::fs_open(&s.loop, &open_req, path.c_str(), UV_FS_O_CREAT | UV_FS_O_WRONLY, 0644, record) == 0);
  s.run();
  REQUIRE(steps.results.size() == 1);
  const int file = static_cast<int>(steps.results[0]);
  REQUIRE(file >= 0);
  Api::fs_req_cleanup(&open_req);

  std::string text = "written on the thread pool";
  typename Api::Buf out = Api::buf_init(&text[0], static_cast<unsigned>(text.size()));
  typename Api::Fs write_req;
  Api::req_set_data(request<Api>(&write_req), &steps);
  REQUIRE(Api::fs_write(&s.loop, &write_req, file, &out, 1, 0, record) == 0);
  s.run();
  Api::fs_req_cleanup(&write_req);
  typename Api::Fs close_req;
  REQUIRE(Api::fs_close(&s.loop, &close_req, file, nullptr) == 0);
  Api::fs_req_cleanup(&close_req);

  CHECK(steps.types == std::vector<int>{Api::FS_OPEN, Api::FS_WRITE});
  CHECK(steps.results[1] == static_cast<long>(text.size()));
}
