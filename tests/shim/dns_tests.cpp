// getaddrinfo and getnameinfo through libuv and through the shim: "localhost"
// resolves to 127.0.0.1 on the thread pool and at once (no callback), and
// 127.0.0.1 port 80 turns back into numeric text.
#ifndef _WIN32
#include <netdb.h>
#endif

#include <chrono>
#include <set>
#include <string>

#include "scenario.h"

namespace {

// The IPv4 addresses of a getaddrinfo result, as text.
std::set<std::string> ipv4Addresses(const struct addrinfo* list) {
  std::set<std::string> out;
  for (const struct addrinfo* ai = list; ai; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET) continue;
    char text[64] = {};
    REQUIRE(uv_ip4_name(reinterpret_cast<const sockaddr_in*>(ai->ai_addr), text, sizeof text) == 0);
    out.insert(text);
  }
  return out;
}

struct addrinfo ipv4Hints() {
  struct addrinfo hints = {};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  return hints;
}

struct Resolved {
  int status = 1;
  std::set<std::string> addresses;
  std::string host, service;
};

}  // namespace

API_TEST("getaddrinfo_resolves_localhost_on_the_thread_pool_and_getnameinfo_gives_numeric_text", "[shim][dns]") {
  using Api = TestType;
  Scenario<Api> s;
  const struct addrinfo hints = ipv4Hints();
  typename Api::AddrInfoRequest resolve;
  Resolved resolved;
  Api::req_set_data(request<Api>(&resolve), &resolved);
  REQUIRE(Api::getaddrinfo(&s.loop, &resolve,
                           [](auto* req, int status, struct addrinfo* res) {
                             auto* r = static_cast<Resolved*>(Api::req_get_data(request<Api>(req)));
                             r->status = status;
                             r->addresses = ipv4Addresses(res);
                             Api::freeaddrinfo(res);
                           },
                           "localhost", nullptr, &hints) == 0);

  sockaddr_in address{};
  REQUIRE(Api::ip4_addr("127.0.0.1", 80, &address) == 0);
  typename Api::NameInfoRequest name;
  Resolved named;
  Api::req_set_data(request<Api>(&name), &named);
  REQUIRE(Api::getnameinfo(&s.loop, &name,
                           [](auto* req, int status, const char* host, const char* service) {
                             auto* r = static_cast<Resolved*>(Api::req_get_data(request<Api>(req)));
                             r->status = status;
                             r->host = host;
                             r->service = service;
                           },
                           reinterpret_cast<const sockaddr*>(&address), NI_NUMERICHOST | NI_NUMERICSERV) == 0);
  s.run();
  CHECK(resolved.status == 0);
  CHECK(resolved.addresses.count("127.0.0.1") == 1);
  CHECK(named.status == 0);
  CHECK(named.host == "127.0.0.1");
  CHECK(named.service == "80");
}

API_TEST("getaddrinfo_and_getnameinfo_without_a_callback_answer_at_once_in_the_request", "[shim][dns]") {
  using Api = TestType;
  Scenario<Api> s;
  const struct addrinfo hints = ipv4Hints();
  typename Api::AddrInfoRequest resolve;
  REQUIRE(Api::getaddrinfo(&s.loop, &resolve, nullptr, "localhost", nullptr, &hints) == 0);
  CHECK(ipv4Addresses(Api::addrinfo(&resolve)).count("127.0.0.1") == 1);
  Api::freeaddrinfo(Api::addrinfo(&resolve));

  sockaddr_in address{};
  REQUIRE(Api::ip4_addr("127.0.0.1", 8080, &address) == 0);
  typename Api::NameInfoRequest name;
  REQUIRE(Api::getnameinfo(&s.loop, &name, nullptr, reinterpret_cast<const sockaddr*>(&address),
                           NI_NUMERICHOST | NI_NUMERICSERV) == 0);
  CHECK(std::string(Api::host(&name)) == "127.0.0.1");
  CHECK(std::string(Api::service(&name)) == "8080");
}
