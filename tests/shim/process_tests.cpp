// Child processes through libuv and through the shim: a child's stdout
// arrives through a pipe and its exit status is right, and a child killed
// with a signal reports it. Through the shim the options and their stdio
// array are the shim's records, converted by uvshim_spawn. Unix only (the
// children are /bin/sh); the target harness lists them as skipped on Windows
// and under qemu-aarch64, which hangs in a forked guest process.
#include <csignal>
#include <cstring>
#include <string>

#include "scenario.h"

namespace {

struct Exit {
  bool exited = false;
  int64_t status = -1;
  int signal = -1;
};

template <class Api>
void onExit(typename Api::ProcessOptions& options) {
  options.exit_cb = [](auto* process, auto status, auto signal) {
    auto* exit = static_cast<Exit*>(Api::handle_get_data(handle<Api>(process)));
    exit->exited = true;
    exit->status = status;
    exit->signal = signal;
    Api::close(handle<Api>(process), nullptr);
  };
}

}  // namespace

API_TEST("spawned_childs_stdout_arrives_through_a_pipe_and_its_exit_status_is_right", "[shim][process]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Pipe out;
  REQUIRE(Api::pipe_init(&s.loop, &out, 0) == 0);
  typename Api::StdioContainer stdio[3];
  std::memset(stdio, 0, sizeof stdio);
  using Flags = decltype(stdio[0].flags);
  stdio[0].flags = static_cast<Flags>(UV_IGNORE);
  stdio[1].flags = static_cast<Flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[1].data.stream = stream<Api>(&out);
  stdio[2].flags = static_cast<Flags>(UV_INHERIT_FD);
  stdio[2].data.fd = 2;
  char sh[] = "sh", dash_c[] = "-c", script[] = "echo from the child; exit 7";
  char* args[] = {sh, dash_c, script, nullptr};
  typename Api::ProcessOptions options;
  std::memset(&options, 0, sizeof options);
  options.file = "/bin/sh";
  options.args = args;
  options.stdio_count = 3;
  options.stdio = stdio;
  onExit<Api>(options);

  typename Api::Process child;
  Exit exit;
  Api::handle_set_data(handle<Api>(&child), &exit);
  REQUIRE(Api::spawn(&s.loop, &child, &options) == 0);
  CHECK(Api::process_get_pid(&child) > 0);
  Received received;
  readInto<Api>(stream<Api>(&out), &received);
  s.run();
  CHECK(exit.exited);
  CHECK(exit.status == 7);
  CHECK(exit.signal == 0);
  CHECK(received.data == "from the child\n");
  CHECK(received.status == UV_EOF);
  s.close(&out);
}

API_TEST("killed_child_reports_the_signal", "[shim][process]") {
  using Api = TestType;
  Scenario<Api> s;
  char sh[] = "sh", dash_c[] = "-c", script[] = "sleep 30";
  char* args[] = {sh, dash_c, script, nullptr};
  typename Api::ProcessOptions options;
  std::memset(&options, 0, sizeof options);
  options.file = "/bin/sh";
  options.args = args;
  onExit<Api>(options);
  typename Api::Process child;
  Exit exit;
  Api::handle_set_data(handle<Api>(&child), &exit);
  REQUIRE(Api::spawn(&s.loop, &child, &options) == 0);
  CHECK(Api::process_kill(&child, SIGTERM) == 0);
  s.run();
  CHECK(exit.exited);
  CHECK(exit.signal == SIGTERM);
}
