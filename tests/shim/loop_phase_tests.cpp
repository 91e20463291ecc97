// Timers, idle, prepare and check handles, and async wake-ups, through libuv
// and through the shim (each scenario runs against both, as in
// call_behaviour_tests.cpp).
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "scenario.h"

namespace {

// What the callbacks saw, in order.
struct Events {
  std::vector<std::string> seen;
  int repeats = 0;
};

template <class Api, class H>
Events& eventsOf(H* h) {
  return *static_cast<Events*>(Api::handle_get_data(handle<Api>(h)));
}

}  // namespace

API_TEST("timers_fire_in_timeout_order_and_a_repeating_timer_repeats_until_stopped", "[shim][timer]") {
  Scenario<TestType> s;
  Events events;
  typename TestType::Timer late, early, repeating;
  for (auto* timer : {&late, &early, &repeating}) {
    REQUIRE(TestType::timer_init(&s.loop, timer) == 0);
    TestType::handle_set_data(handle<TestType>(timer), &events);
  }
  REQUIRE(TestType::timer_start(&late, [](auto* timer) { eventsOf<TestType>(timer).seen.push_back("late"); }, 30, 0) == 0);
  REQUIRE(TestType::timer_start(&early, [](auto* timer) { eventsOf<TestType>(timer).seen.push_back("early"); }, 1, 0) == 0);
  REQUIRE(TestType::timer_start(&repeating, [](auto* timer) {
            Events& e = eventsOf<TestType>(timer);
            e.seen.push_back("tick");
            if (++e.repeats == 3) REQUIRE(TestType::timer_stop(timer) == 0);
          }, 5, 5) == 0);
  CHECK(TestType::timer_get_repeat(&repeating) == 5u);
  CHECK(TestType::timer_get_due_in(&late) <= 30u);
  CHECK(TestType::timer_get_due_in(&late) > 0u);
  s.run();
  // Due timers run in the order of their due times, even when the loop ran late: "early"
  // (1 ms) before "late" (30 ms); the repeating one's ticks may come on either side of "late".
  REQUIRE(events.seen.size() == 5);
  CHECK(events.seen.front() == "early");
  CHECK(std::count(events.seen.begin(), events.seen.end(), "tick") == 3);
  CHECK(std::count(events.seen.begin(), events.seen.end(), "late") == 1);
  CHECK(events.repeats == 3);
  CHECK(TestType::timer_get_due_in(&late) == 0u);
  // again() on a timer that was never started with a repeat restarts nothing: EINVAL.
  typename TestType::Timer idle_timer;
  REQUIRE(TestType::timer_init(&s.loop, &idle_timer) == 0);
  CHECK(TestType::timer_again(&idle_timer) == UV_EINVAL);
  TestType::timer_set_repeat(&idle_timer, 7);
  CHECK(TestType::timer_get_repeat(&idle_timer) == 7u);
  for (auto* timer : {&late, &early, &repeating, &idle_timer}) s.close(timer);
}

// libuv's loop iteration: idle handles, then prepare, then poll for i/o, then check.
API_TEST("idle_prepare_and_check_run_in_libuv_loop_order", "[shim][loop]") {
  Scenario<TestType> s;
  Events events;
  typename TestType::Idle idle;
  typename TestType::Prepare prepare;
  typename TestType::Check check;
  REQUIRE(TestType::idle_init(&s.loop, &idle) == 0);
  REQUIRE(TestType::prepare_init(&s.loop, &prepare) == 0);
  REQUIRE(TestType::check_init(&s.loop, &check) == 0);
  for (auto* h : {handle<TestType>(&idle), handle<TestType>(&prepare), handle<TestType>(&check)})
    TestType::handle_set_data(h, &events);
  REQUIRE(TestType::idle_start(&idle, [](auto* h) { eventsOf<TestType>(h).seen.push_back("idle"); }) == 0);
  REQUIRE(TestType::prepare_start(&prepare, [](auto* h) { eventsOf<TestType>(h).seen.push_back("prepare"); }) == 0);
  REQUIRE(TestType::check_start(&check, [](auto* h) { eventsOf<TestType>(h).seen.push_back("check"); }) == 0);
  REQUIRE(TestType::run(&s.loop, TestType::RUN_ONCE) != 0);  // still alive: the handles are active
  REQUIRE(TestType::run(&s.loop, TestType::RUN_ONCE) != 0);
  CHECK(events.seen == std::vector<std::string>{"idle", "prepare", "check", "idle", "prepare", "check"});
  REQUIRE(TestType::idle_stop(&idle) == 0);
  REQUIRE(TestType::prepare_stop(&prepare) == 0);
  REQUIRE(TestType::check_stop(&check) == 0);
  events.seen.clear();
  REQUIRE(TestType::run(&s.loop, TestType::RUN_NOWAIT) == 0);
  CHECK(events.seen.empty());
  s.close(&idle);
  s.close(&prepare);
  s.close(&check);
}

API_TEST("async_send_from_another_thread_wakes_the_loop", "[shim][async]") {
  Scenario<TestType> s;
  Events events;
  typename TestType::Async async;
  REQUIRE(TestType::async_init(&s.loop, &async, [](auto* h) {
            eventsOf<TestType>(h).seen.push_back("woken");
            TestType::close(handle<TestType>(h), nullptr);
          }) == 0);
  TestType::handle_set_data(handle<TestType>(&async), &events);
  std::thread sender([&] { CHECK(TestType::async_send(&async) == 0); });
  s.run();  // returns once the callback closed the only handle
  sender.join();
  CHECK(events.seen == std::vector<std::string>{"woken"});
}
