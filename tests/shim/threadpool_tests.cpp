// The thread pool through libuv and through the shim: work runs on pool
// threads and its completion on the loop's thread, in the request it was
// queued with; work still waiting for a thread can be cancelled.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>
#include <vector>

#include "scenario.h"

namespace {

struct Job {
  int input = 0;
  int output = 0;
  std::thread::id ran_on;
  std::thread::id completed_on;
  int status = 1;
};

// libuv's pool size: UV_THREADPOOL_SIZE, or 4.
int poolSize() {
  const char* size = std::getenv("UV_THREADPOOL_SIZE");
  return size && std::atoi(size) > 0 ? std::min(std::atoi(size), 1024) : 4;
}

std::atomic<bool> release_blockers{false};

}  // namespace

API_TEST("queue_work_runs_on_pool_threads_and_completes_on_the_loop_thread", "[shim][threadpool]") {
  using Api = TestType;
  Scenario<Api> s;
  std::vector<Job> jobs(8);
  std::vector<typename Api::Work> requests(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    jobs[i].input = static_cast<int>(i);
    Api::req_set_data(request<Api>(&requests[i]), &jobs[i]);
    REQUIRE(Api::queue_work(
                &s.loop, &requests[i],
                [](auto* req) {
                  auto* job = static_cast<Job*>(Api::req_get_data(request<Api>(req)));
                  job->output = job->input * job->input;
                  job->ran_on = std::this_thread::get_id();
                },
                [](auto* req, int status) {
                  auto* job = static_cast<Job*>(Api::req_get_data(request<Api>(req)));
                  job->status = status;
                  job->completed_on = std::this_thread::get_id();
                }) == 0);
  }
  s.run();
  for (const Job& job : jobs) {
    CHECK(job.status == 0);
    CHECK(job.output == job.input * job.input);
    CHECK(job.ran_on != std::this_thread::get_id());
    CHECK(job.completed_on == std::this_thread::get_id());
  }
}

API_TEST("cancel_of_work_waiting_for_a_thread_gives_ecanceled", "[shim][threadpool]") {
  using Api = TestType;
  Scenario<Api> s;
  // Every pool thread waits on a flag, so one more request waits for a thread.
  release_blockers = false;
  std::vector<typename Api::Work> blockers(static_cast<size_t>(poolSize()));
  std::vector<Job> blocked(blockers.size());
  auto block = [](auto*) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!release_blockers && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  auto done = [](auto* req, int status) { static_cast<Job*>(Api::req_get_data(request<Api>(req)))->status = status; };
  for (size_t i = 0; i < blockers.size(); ++i) {
    Api::req_set_data(request<Api>(&blockers[i]), &blocked[i]);
    REQUIRE(Api::queue_work(&s.loop, &blockers[i], block, done) == 0);
  }
  typename Api::Work waiting;
  Job cancelled;
  Api::req_set_data(request<Api>(&waiting), &cancelled);
  REQUIRE(Api::queue_work(
              &s.loop, &waiting, [](auto* req) { static_cast<Job*>(Api::req_get_data(request<Api>(req)))->output = 1; },
              done) == 0);
  CHECK(Api::cancel(request<Api>(&waiting)) == 0);
  release_blockers = true;
  s.run();
  CHECK(cancelled.status == UV_ECANCELED);
  CHECK(cancelled.output == 0);  // the work never ran
  for (const Job& job : blocked) CHECK(job.status == 0);
}
