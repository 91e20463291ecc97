// The system utilities of libuv 1.44 beyond the documents, through libuv and
// through the shim, each compared with what the system itself says.
#ifndef _WIN32
#include <net/if.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "scenario.h"

#ifdef _WIN32
#include <tlhelp32.h>  // after windows.h, which scenario.h includes

namespace {

// The parent of this process as the Tool Help snapshot lists it.
int parentProcessId() {
  HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snapshot == INVALID_HANDLE_VALUE) return -1;
  PROCESSENTRY32 entry;
  entry.dwSize = sizeof entry;
  int parent = -1;
  for (BOOL more = Process32First(snapshot, &entry); more; more = Process32Next(snapshot, &entry))
    if (entry.th32ProcessID == GetCurrentProcessId()) parent = static_cast<int>(entry.th32ParentProcessID);
  CloseHandle(snapshot);
  return parent;
}

}  // namespace
#endif

API_TEST("process_ids_priority_memory_and_parallelism_are_the_systems", "[misc]") {
  using Api = TestType;
#ifdef _WIN32
  CHECK(Api::os_getpid() == static_cast<int>(GetCurrentProcessId()));
  CHECK(Api::os_getppid() == parentProcessId());
#else
  CHECK(Api::os_getpid() == getpid());
  CHECK(Api::os_getppid() == getppid());
  int priority = 100;
  REQUIRE(Api::os_getpriority(0, &priority) == 0);
  CHECK(priority == getpriority(PRIO_PROCESS, 0));
  if (priority < 19) {  // a lower priority needs no privilege
    REQUIRE(Api::os_setpriority(0, priority + 1) == 0);
    CHECK(getpriority(PRIO_PROCESS, 0) == priority + 1);
  }
#endif
  CHECK(Api::available_parallelism() >= 1u);
  CHECK(Api::get_free_memory() > 0u);
  CHECK(Api::get_free_memory() <= Api::get_total_memory());
  // 0 means no limit; a limit too small to run this program cannot be.
  const uint64_t constrained = Api::get_constrained_memory();
  CHECK((constrained == 0 || constrained >= (uint64_t{1} << 20)));
}

API_TEST("environment_variables_round_trip_and_are_listed", "[misc]") {
  using Api = TestType;
  const std::string name = std::string("UVGEN_TEST_") + Api::name;
  REQUIRE(Api::os_setenv(name.c_str(), "value one") == 0);
  char buffer[64];
  size_t size = sizeof buffer;
  REQUIRE(Api::os_getenv(name.c_str(), buffer, &size) == 0);
  CHECK(std::string(buffer) == "value one");
  CHECK(size == 9u);
  char small[4];
  size = sizeof small;
  CHECK(Api::os_getenv(name.c_str(), small, &size) == UV_ENOBUFS);
  CHECK(size == 10u);  // the length and its terminating NUL
#ifndef _WIN32
  CHECK(std::string(std::getenv(name.c_str())) == "value one");
#endif
  typename Api::EnvItem* items = nullptr;
  int count = 0;
  REQUIRE(Api::os_environ(&items, &count) == 0);
  int found = 0;
  for (int i = 0; i < count; ++i)
    if (name == items[i].name) found += std::string(items[i].value) == "value one" ? 1 : 100;
  CHECK(found == 1);
  Api::os_free_environ(items, count);
  REQUIRE(Api::os_unsetenv(name.c_str()) == 0);
  size = sizeof buffer;
  CHECK(Api::os_getenv(name.c_str(), buffer, &size) == UV_ENOENT);
}

API_TEST("host_and_system_names_are_the_systems", "[misc]") {
  using Api = TestType;
  char host[256];
  size_t size = sizeof host;
  REQUIRE(Api::os_gethostname(host, &size) == 0);
  CHECK(size == std::string(host).size());
  typename Api::SystemName system;
  REQUIRE(Api::os_uname(&system) == 0);
#ifdef _WIN32
  // "Windows_NT", or "MINGW32_NT-<major>.<minor>" from a MinGW build of libuv.
  const std::string sysname = system.sysname;
  CHECK((sysname == "Windows_NT" || sysname.rfind("MINGW32_NT-", 0) == 0));
  CHECK_FALSE(std::string(host).empty());
#else
  char expected_host[256] = {};
  REQUIRE(gethostname(expected_host, sizeof expected_host - 1) == 0);
  CHECK(std::string(host) == expected_host);
  struct utsname expected;
  REQUIRE(uname(&expected) == 0);
  CHECK(std::string(system.sysname) == expected.sysname);
  CHECK(std::string(system.release) == expected.release);
  CHECK(std::string(system.machine) == expected.machine);
  // Interface 1 (the loopback on Linux) by its name, as if_indextoname(3) gives it.
  char name[64];
  size = sizeof name;
  REQUIRE(Api::if_indextoname(1, name, &size) == 0);
  char expected_name[IF_NAMESIZE] = {};
  REQUIRE(if_indextoname(1, expected_name) != nullptr);
  CHECK(std::string(name) == expected_name);
  size = sizeof name;
  REQUIRE(Api::if_indextoiid(1, name, &size) == 0);
  CHECK(std::string(name) == expected_name);  // the name too, on Unix
#endif
}

API_TEST("gettimeofday_and_sleep_agree_with_the_clocks", "[misc]") {
  using Api = TestType;
  typename Api::TimeVal64 now;
  REQUIRE(Api::gettimeofday(&now) == 0);
  const long long system = static_cast<long long>(std::time(nullptr));
  CHECK(now.tv_sec >= system - 5);
  CHECK(now.tv_sec <= system + 5);
  CHECK(now.tv_usec >= 0);
  CHECK(now.tv_usec < 1000000);
  const uint64_t before = Api::hrtime();
  Api::sleep(50);
  CHECK(Api::hrtime() - before >= 50u * 1000 * 1000);
}

API_TEST("idle_time_counts_the_loops_wait_for_a_timer", "[misc][loop]") {
  using Api = TestType;
  Scenario<Api> s;
  REQUIRE(Api::loop_configure(&s.loop, Api::METRICS_IDLE_TIME, 0) == 0);  // the shim's takes the signal always
  typename Api::Timer timer;
  REQUIRE(Api::timer_init(&s.loop, &timer) == 0);
  REQUIRE(Api::timer_start(&timer, [](auto*) {}, 100, 0) == 0);
  Api::run(&s.loop, Api::RUN_DEFAULT);
  // The loop waited about 100 ms for the timer: most of it idle in the poll phase.
  CHECK(Api::metrics_idle_time(&s.loop) >= 50u * 1000 * 1000);
  s.close(&timer);
}

#ifndef _WIN32  // fork(2)
API_TEST("loop_works_in_a_forked_child_after_loop_fork", "[misc][loop]") {
  using Api = TestType;
  Scenario<Api> s;
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child: its loop reinitialized, a timer fires on it, then libuv lets go.
    int fired = 0;
    if (Api::loop_fork(&s.loop) != 0) _exit(2);
    typename Api::Timer timer;
    if (Api::timer_init(&s.loop, &timer) != 0) _exit(3);
    Api::handle_set_data(reinterpret_cast<typename Api::Handle*>(&timer), &fired);
    Api::timer_start(&timer, [](auto* t) { ++*static_cast<int*>(Api::handle_get_data(reinterpret_cast<typename Api::Handle*>(t))); }, 1, 0);
    Api::run(&s.loop, Api::RUN_DEFAULT);
    Api::library_shutdown();
    _exit(fired == 1 ? 0 : 4);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
#endif

namespace {

bool anyByteSet(const unsigned char* bytes, size_t size) {
  return std::any_of(bytes, bytes + size, [](unsigned char b) { return b != 0; });
}

}  // namespace

// Random bytes: 64 zero bytes from a working source have odds of 2^-512.
API_TEST("random_fills_a_buffer_at_once", "[misc]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Random req;
  unsigned char first[64] = {}, second[64] = {};
  REQUIRE(Api::random(&s.loop, &req, first, sizeof first, 0, nullptr) == 0);
  REQUIRE(Api::random(&s.loop, &req, second, sizeof second, 0, nullptr) == 0);
  CHECK(anyByteSet(first, sizeof first));
  CHECK(std::memcmp(first, second, sizeof first) != 0);
  CHECK(Api::random(&s.loop, &req, first, sizeof first, 1, nullptr) == UV_EINVAL);  // flags must be 0
}

API_TEST("random_fills_a_buffer_on_the_thread_pool", "[misc]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Random req;
  unsigned char bytes[64] = {};
  long filled = -1;
  Api::req_set_data(request<Api>(&req), &filled);
  REQUIRE(Api::random(&s.loop, &req, bytes, sizeof bytes, 0, [](auto* r, int status, void*, size_t size) {
            *static_cast<long*>(Api::req_get_data(request<Api>(r))) = status == 0 ? static_cast<long>(size) : status;
          }) == 0);
  Api::run(&s.loop, Api::RUN_DEFAULT);
  CHECK(filled == 64);
  CHECK(anyByteSet(bytes, sizeof bytes));
}

// A shared library of the system opened, one of its functions found and called.
API_TEST("dlopen_finds_and_calls_a_function_of_the_system_library", "[misc]") {
  using Api = TestType;
#ifdef _WIN32
  const char* name = "kernel32.dll";
  const char* function = "GetCurrentProcessId";
#else
  const char* name = "libc.so.6";
  const char* function = "getpid";
#endif
  typename Api::Library library;
  REQUIRE(Api::dlopen(name, &library) == 0);
  void* symbol = nullptr;
  REQUIRE(Api::dlsym(&library, function, &symbol) == 0);
  REQUIRE(symbol != nullptr);
#ifdef _WIN32
  CHECK(reinterpret_cast<DWORD(WINAPI*)(void)>(symbol)() == GetCurrentProcessId());
#else
  CHECK(reinterpret_cast<pid_t (*)(void)>(symbol)() == getpid());
#endif
  CHECK(Api::dlsym(&library, "uvgen_no_such_function", &symbol) == -1);
  CHECK_FALSE(std::string(Api::dlerror(&library)).empty());
  Api::dlclose(&library);

  typename Api::Library missing;
  CHECK(Api::dlopen("uvgen-no-such-library.so", &missing) == -1);
  CHECK_FALSE(std::string(Api::dlerror(&missing)).empty());
  Api::dlclose(&missing);
}
