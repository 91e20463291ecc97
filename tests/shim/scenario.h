// What every call-behaviour scenario needs: a real loop, a temporary folder
// for socket paths (a unique pipe name on Windows), and a check that no file
// descriptor (Windows: no handle) leaked.
#pragma once

#ifdef _WIN32
#include <winsock2.h>  // before windows.h, as uv.h has it
#include <windows.h>
#else
#include <dirent.h>
#endif

#include <chrono>
#include <csignal>
#include <string>
#include <thread>

#include "api.h"
#include "catch.h"
#include "process.h"

inline int openDescriptorCount() {
#ifdef _WIN32
  DWORD count = 0;
  REQUIRE(GetProcessHandleCount(GetCurrentProcess(), &count));
  return static_cast<int>(count);
#else
  int count = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (readdir(dir)) ++count;
    closedir(dir);
  }
  return count;
#endif
}

// Lets another process or thread make progress between two RUN_NOWAIT turns of a loop.
inline void pauseBriefly() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }

// libuv opens a process-wide signal pipe with the first loop and keeps it;
// open it before counting so it is not taken for a leak.
inline bool libuvGlobalsOpened() {
  static const bool opened = [] {
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_loop_close(&loop);
    return true;
  }();
  return opened;
}

// A scenario run once through libuv and once through the shim (UVGEN_TEST_APIS).
#define API_TEST(name, tags) TEMPLATE_TEST_CASE(name, tags, UVGEN_TEST_APIS)

template <class Api>
struct Scenario {
  bool globals_opened = libuvGlobalsOpened();
  typename Api::Loop loop;
  uvgen::test::TempDir dir;
  int descriptors_before = openDescriptorCount();

  Scenario() {
#ifdef SIGPIPE
    std::signal(SIGPIPE, SIG_IGN);  // a write to a closed socket must fail, not kill the test
#endif
    REQUIRE(Api::loop_init(&loop) == 0);
  }
  ~Scenario() {
    Api::run(&loop, Api::RUN_DEFAULT);  // let every close finish
    CHECK(Api::loop_close(&loop) == 0);
    CHECK(openDescriptorCount() == descriptors_before);
  }
  // Where a pipe is bound: a socket path in the folder on Unix; on Windows a pipe name, made
  // unique by the folder's name.
  std::string path(const std::string& name = "uvgen.sock") const {
#ifdef _WIN32
    std::string folder = dir.path().substr(dir.path().find_last_of("/\\") + 1);
    return "\\\\.\\pipe\\" + folder + "-" + name;
#else
    return dir.file(name);
#endif
  }
  void run() { REQUIRE(Api::run(&loop, Api::RUN_DEFAULT) == 0); }

  template <class H>
  void close(H* handle) {
    if (!Api::is_closing(reinterpret_cast<typename Api::Handle*>(handle)))
      Api::close(reinterpret_cast<typename Api::Handle*>(handle), nullptr);
  }
};

template <class Api, class H>
typename Api::Stream* stream(H* handle) {
  return reinterpret_cast<typename Api::Stream*>(handle);
}

template <class Api, class H>
typename Api::Handle* handle(H* h) {
  return reinterpret_cast<typename Api::Handle*>(h);
}

template <class Api, class R>
typename Api::Req* request(R* r) {
  return reinterpret_cast<typename Api::Req*>(r);
}

// Reads everything a stream sends until EOF or an error, into a string.
struct Received {
  std::string data;
  long status = 0;  // the first negative nread: UV_EOF, UV_ECONNRESET, ...
  char buffer[65536];
};

template <class Api>
void readInto(typename Api::Stream* s, Received* received) {
  Api::handle_set_data(handle<Api>(s), received);
  REQUIRE(Api::read_start(
              s,
              [](auto* h, size_t, auto* buf) {
                auto* r = static_cast<Received*>(Api::handle_get_data(h));
                buf->base = r->buffer;
                buf->len = sizeof r->buffer;
              },
              [](auto* s, auto nread, const auto* buf) {
                auto* r = static_cast<Received*>(Api::handle_get_data(handle<Api>(s)));
                if (nread > 0) r->data.append(buf->base, static_cast<size_t>(nread));
                if (nread < 0) {
                  r->status = nread;
                  Api::read_stop(s);
                }
              }) == 0);
}
