// Signal and poll handles through libuv and through the shim: a signal sent to
// the process reaches the loop, and a poll handle sees a socket become readable.
// Unix only (kill, socketpair); the target harness lists them as skipped on Windows.
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

#include "scenario.h"

namespace {

struct Seen {
  int calls = 0;
  int value = 0;
};

template <class Api, class H>
Seen& seenBy(H* h) {
  return *static_cast<Seen*>(Api::handle_get_data(handle<Api>(h)));
}

}  // namespace

API_TEST("signal_sent_to_the_process_reaches_the_loop_once_with_oneshot", "[shim][signal]") {
  Scenario<TestType> s;
  Seen seen;
  typename TestType::Signal signal;
  REQUIRE(TestType::signal_init(&s.loop, &signal) == 0);
  TestType::handle_set_data(handle<TestType>(&signal), &seen);
  REQUIRE(TestType::signal_start_oneshot(&signal, [](auto* h, int signum) {
            Seen& seen = seenBy<TestType>(h);
            ++seen.calls;
            seen.value = signum;
          }, SIGUSR1) == 0);
  REQUIRE(kill(getpid(), SIGUSR1) == 0);
  REQUIRE(TestType::run(&s.loop, TestType::RUN_ONCE) == 0);  // the one-shot handle stopped: nothing left
  CHECK(seen.calls == 1);
  CHECK(seen.value == SIGUSR1);
  // Started again for good, then stopped: a second signal is delivered, a third is not.
  REQUIRE(TestType::signal_start(&signal, [](auto* h, int) { ++seenBy<TestType>(h).calls; }, SIGUSR1) == 0);
  REQUIRE(kill(getpid(), SIGUSR1) == 0);
  TestType::run(&s.loop, TestType::RUN_ONCE);  // blocks until the signal's wake-up arrives
  CHECK(seen.calls == 2);
  REQUIRE(TestType::signal_stop(&signal) == 0);
  s.close(&signal);
}

API_TEST("poll_sees_a_socketpair_end_become_readable", "[shim][poll]") {
  Scenario<TestType> s;
  int fds[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  Seen seen;
  typename TestType::Poll poll;
  REQUIRE(TestType::poll_init(&s.loop, &poll, fds[0]) == 0);
  TestType::handle_set_data(handle<TestType>(&poll), &seen);
  REQUIRE(TestType::poll_start(&poll, UV_READABLE, [](auto* h, int status, int events) {
            Seen& seen = seenBy<TestType>(h);
            ++seen.calls;
            seen.value = status == 0 ? events : status;
            REQUIRE(TestType::poll_stop(h) == 0);
          }) == 0);
  REQUIRE(write(fds[1], "x", 1) == 1);
  s.run();
  CHECK(seen.calls == 1);
  CHECK(seen.value == UV_READABLE);
  s.close(&poll);
  s.run();
  close(fds[0]);
  close(fds[1]);
}
