// Where the shim is deliberately safer than libuv, and what its ABI promises.
#include <cstring>
#include <string>

#include "scenario.h"

TEST_CASE("shim_null_handle_or_request_gives_einval", "[shim]") {
  Scenario<Shim> s;
  char name[16];
  size_t size = sizeof name;
  uvshim_buf_t buf = uvshim_buf_init(name, 1);
  uvshim_write_t write;
  uvshim_pipe_t pipe;
  CHECK(uvshim_pipe_init(&s.loop, nullptr, 0) == UV_EINVAL);
  CHECK(uvshim_pipe_init(nullptr, &pipe, 0) == UV_EINVAL);
  CHECK(uvshim_pipe_bind(nullptr, s.path().c_str()) == UV_EINVAL);
  CHECK(uvshim_pipe_getsockname(nullptr, name, &size) == UV_EINVAL);
  CHECK(uvshim_read_start(nullptr, nullptr, nullptr) == UV_EINVAL);
  CHECK(uvshim_write(nullptr, nullptr, &buf, 1, nullptr) == UV_EINVAL);
  CHECK(uvshim_write(&write, nullptr, &buf, 1, nullptr) == UV_EINVAL);
  CHECK(uvshim_try_write(nullptr, &buf, 1) == UV_EINVAL);
  CHECK(uvshim_tcp_init(&s.loop, nullptr) == UV_EINVAL);
  CHECK(uvshim_pipe_connect(nullptr, nullptr, "x", nullptr) == UV_EINVAL);
  CHECK(uvshim_shutdown(nullptr, nullptr, nullptr) == UV_EINVAL);
  CHECK(uvshim_stream_get_write_queue_size(nullptr) == 0u);
  CHECK(uvshim_handle_get_data(nullptr) == nullptr);
  CHECK(uvshim_pipe_get_loop(nullptr) == nullptr);
  uvshim_close(nullptr, nullptr);  // nothing to report from a void function; it must not crash
  uvshim_walk(&s.loop, nullptr, nullptr);  // libuv would call a NULL callback
}

// A predicate's answer is its return value: for a NULL object it must be "no",
// not UV_EINVAL, which C and Nim would read as "yes".
TEST_CASE("shim_predicates_answer_no_for_null", "[shim]") {
  CHECK(uvshim_is_readable(nullptr) == 0);
  CHECK(uvshim_is_writable(nullptr) == 0);
  CHECK(uvshim_is_active(nullptr) == 0);
  CHECK(uvshim_is_closing(nullptr) == 0);
  CHECK(uvshim_has_ref(nullptr) == 0);
  CHECK(uvshim_loop_alive(nullptr) == 0);
}

#ifndef _WIN32  // Windows pipe names have no sun_path to overflow
namespace {

std::string nameLongerThanSunPath(const uvgen::test::TempDir& dir) {
  // sockaddr_un's sun_path holds 108 bytes on Linux, the terminating NUL included.
  return dir.path() + "/" + std::string(120, 'n') + ".sock";
}

}  // namespace

TEST_CASE("shim_pipe_bind_with_name_longer_than_sun_path_gives_enametoolong", "[shim]") {
  Scenario<Shim> s;
  uvshim_pipe_t pipe;
  REQUIRE(uvshim_pipe_init(&s.loop, &pipe, 0) == 0);
  std::string name = nameLongerThanSunPath(s.dir);
  CHECK(uvshim_pipe_bind(&pipe, name.c_str()) == UV_ENAMETOOLONG);
  CHECK_FALSE(uvgen::test::fileExists(name.substr(0, 107)));
  s.close(&pipe);
}

TEST_CASE("libuv_pipe_bind_with_name_longer_than_sun_path_binds_a_truncated_path", "[shim]") {
  // The behaviour the shim guards against, shown on libuv 1.44 itself.
  Scenario<Libuv> s;
  uv_pipe_t pipe;
  REQUIRE(uv_pipe_init(&s.loop, &pipe, 0) == 0);
  std::string name = nameLongerThanSunPath(s.dir);
  CHECK(uv_pipe_bind(&pipe, name.c_str()) == 0);
  CHECK(uvgen::test::fileExists(name.substr(0, 107)));
  s.close(&pipe);
}

TEST_CASE("shim_pipe_connect_with_name_longer_than_sun_path_gives_enametoolong", "[shim]") {
  Scenario<Shim> s;
  uvshim_pipe_t pipe;
  uvshim_connect_t connect;
  REQUIRE(uvshim_pipe_init(&s.loop, &pipe, 0) == 0);
  bool called = false;
  uvshim_req_set_data(reinterpret_cast<uvshim_req_t*>(&connect), &called);
  CHECK(uvshim_pipe_connect(&connect, &pipe, nameLongerThanSunPath(s.dir).c_str(), [](uvshim_connect_t* req, int32_t) {
          *static_cast<bool*>(uvshim_req_get_data(reinterpret_cast<uvshim_req_t*>(req))) = true;
        }) == UV_ENAMETOOLONG);
  s.close(&pipe);
  s.run();
  CHECK_FALSE(called);
}

#endif

TEST_CASE("shim_abi_version_of_library_matches_header", "[shim]") {
  CHECK(uvshim_abi_version() == UVSHIM_ABI_VERSION);
}

TEST_CASE("shim_storage_sizes_and_alignment_are_the_header_constants", "[shim]") {
  CHECK(sizeof(uvshim_loop_t) == UVSHIM_LOOP_SIZE);
  CHECK(sizeof(uvshim_pipe_t) == UVSHIM_PIPE_SIZE);
  CHECK(sizeof(uvshim_tcp_t) == UVSHIM_TCP_SIZE);
  CHECK(sizeof(uvshim_write_t) == UVSHIM_WRITE_SIZE);
  CHECK(sizeof(uvshim_connect_t) == UVSHIM_CONNECT_SIZE);
  CHECK(sizeof(uvshim_shutdown_t) == UVSHIM_SHUTDOWN_SIZE);
  CHECK(alignof(uvshim_pipe_t) == UVSHIM_STORAGE_ALIGN);
  CHECK(alignof(uvshim_write_t) == UVSHIM_STORAGE_ALIGN);
  CHECK(sizeof(uvshim_buf_t) == 2 * sizeof(void*));
}

TEST_CASE("shim_callbacks_leave_the_user_data_alone", "[shim]") {
  Scenario<Shim> s;
  uvshim_pipe_t pipe;
  REQUIRE(uvshim_pipe_init(&s.loop, &pipe, 0) == 0);
  int marker = 0;
  uvshim_pipe_set_data(&pipe, &marker);
  REQUIRE(uvshim_pipe_bind(&pipe, s.path().c_str()) == 0);
  REQUIRE(uvshim_listen(reinterpret_cast<uvshim_stream_t*>(&pipe), 4, [](uvshim_stream_t*, int32_t) {}) == 0);
  CHECK(uvshim_pipe_get_data(&pipe) == &marker);
  CHECK(uvshim_handle_get_data(reinterpret_cast<uvshim_handle_t*>(&pipe)) == &marker);
  CHECK(uvshim_pipe_get_type(&pipe) == UVSHIM_NAMED_PIPE);
  CHECK(uvshim_pipe_get_loop(&pipe) == &s.loop);
  CHECK(uvshim_pipe_get_ipc(&pipe) == 0);
  uvshim_close(reinterpret_cast<uvshim_handle_t*>(&pipe), [](uvshim_handle_t* h) {
    *static_cast<int*>(uvshim_handle_get_data(h)) = 42;
  });
  s.run();
  CHECK(marker == 42);
}

TEST_CASE("shim_spawn_refuses_options_it_cannot_convert_without_starting_anything", "[shim]") {
  // uvshim_spawn converts the options into libuv's first: a missing stdio
  // array or a negative count is UV_EINVAL there, before libuv sees them.
  Scenario<Shim> s;
  char sh[] = "sh";
  char* args[] = {sh, nullptr};
  uvshim_process_options_t options;
  std::memset(&options, 0, sizeof options);
  options.file = "/bin/sh";
  options.args = args;
  uvshim_process_t child;
  options.stdio_count = 2;  // and no stdio
  CHECK(uvshim_spawn(&s.loop, &child, &options) == UV_EINVAL);
  options.stdio_count = -1;
  CHECK(uvshim_spawn(&s.loop, &child, &options) == UV_EINVAL);
  CHECK(uvshim_spawn(&s.loop, &child, nullptr) == UV_EINVAL);
  CHECK(uvshim_spawn(&s.loop, nullptr, &options) == UV_EINVAL);
  CHECK(uvshim_loop_alive(&s.loop) == 0);  // no handle was started
}
