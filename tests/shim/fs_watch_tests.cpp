// FS event and FS poll handles through libuv and through the shim: a change to
// a file in a temporary folder is reported, with the file's name, or with the
// file's old and new status.
#include <fstream>
#include <string>

#include "scenario.h"

namespace {

struct Watched {
  std::string path;
  int calls = 0;
  std::string filename;
  int events = 0;
  uint64_t old_size = 0, new_size = 0;
  int status = 1;
};

template <class Api, class H>
Watched& watchedBy(H* h) {
  return *static_cast<Watched*>(Api::handle_get_data(handle<Api>(h)));
}

void append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::app);
  out << text;
}

}  // namespace

API_TEST("fs_event_reports_a_change_of_a_file_in_the_watched_folder", "[shim][fs_event]") {
  Scenario<TestType> s;
  Watched watched;
  watched.path = s.dir.file("watched.txt");
  append(watched.path, "before");
  typename TestType::FsEvent event;
  REQUIRE(TestType::fs_event_init(&s.loop, &event) == 0);
  TestType::handle_set_data(handle<TestType>(&event), &watched);
  REQUIRE(TestType::fs_event_start(&event, [](auto* h, const char* filename, int events, int status) {
            Watched& w = watchedBy<TestType>(h);
            ++w.calls;
            w.filename = filename ? filename : "";
            w.events |= events;
            w.status = status;
            REQUIRE(TestType::fs_event_stop(h) == 0);
          }, s.dir.path().c_str(), 0) == 0);
  char path[4096];
  size_t size = sizeof path;
  REQUIRE(TestType::fs_event_getpath(&event, path, &size) == 0);
  CHECK(std::string(path, size) == s.dir.path());
  append(watched.path, " and after");
  s.run();
  CHECK(watched.calls == 1);
  CHECK(watched.status == 0);
  CHECK(watched.filename == "watched.txt");
  CHECK((watched.events & UV_CHANGE) != 0);
  s.close(&event);
}

// The poll's first status is taken on the thread pool, at a time the test cannot see: a timer
// grows the file every 30 ms until the poll reports a change (and gives up after 3 s, which
// fails the test rather than hanging it).
API_TEST("fs_poll_reports_a_files_old_and_new_size", "[shim][fs_poll]") {
  Scenario<TestType> s;
  Watched watched;
  watched.path = s.dir.file("polled.txt");
  append(watched.path, "12345");
  typename TestType::FsPoll poll;
  typename TestType::Timer grow;
  REQUIRE(TestType::fs_poll_init(&s.loop, &poll) == 0);
  REQUIRE(TestType::timer_init(&s.loop, &grow) == 0);
  struct Test {
    Watched* watched;
    typename TestType::FsPoll* poll;
    typename TestType::Timer* grow;
    int ticks = 0;
  } test{&watched, &poll, &grow};
  TestType::handle_set_data(handle<TestType>(&poll), &test);
  TestType::handle_set_data(handle<TestType>(&grow), &test);
  REQUIRE(TestType::fs_poll_start(&poll, [](auto* h, int status, const auto* prev, const auto* curr) {
            Test& t = *static_cast<Test*>(TestType::handle_get_data(handle<TestType>(h)));
            ++t.watched->calls;
            t.watched->status = status;
            t.watched->old_size = prev->st_size;
            t.watched->new_size = curr->st_size;
            REQUIRE(TestType::fs_poll_stop(h) == 0);
            REQUIRE(TestType::timer_stop(t.grow) == 0);
          }, watched.path.c_str(), 10) == 0);
  REQUIRE(TestType::timer_start(&grow, [](auto* h) {
            Test& t = *static_cast<Test*>(TestType::handle_get_data(handle<TestType>(h)));
            append(t.watched->path, "67");
            if (++t.ticks == 100) {
              REQUIRE(TestType::timer_stop(h) == 0);
              REQUIRE(TestType::fs_poll_stop(t.poll) == 0);
            }
          }, 30, 30) == 0);
  char path[4096];
  size_t size = sizeof path;
  REQUIRE(TestType::fs_poll_getpath(&poll, path, &size) == 0);
  CHECK(std::string(path, size) == watched.path);
  s.run();
  CHECK(watched.calls == 1);
  CHECK(watched.status == 0);
  CHECK(watched.old_size >= 5u);
  CHECK(watched.new_size > watched.old_size);
  CHECK((watched.new_size - watched.old_size) % 2 == 0);  // grown by whole appends
  s.close(&poll);
  s.close(&grow);
}
