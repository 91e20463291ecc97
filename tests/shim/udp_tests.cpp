// UDP handles through libuv and through the shim: datagrams both ways between
// two handles on loopback, the sender's address as the receiver sees it, a
// connected handle sending without an address, and try_send.
#include <chrono>
#include <string>
#include <vector>

#include "scenario.h"

namespace {

// What one handle received: each datagram's text and its sender's port.
struct Datagrams {
  std::vector<std::string> texts;
  std::vector<int> ports;
  char buffer[2048];
};

int portOf(const sockaddr_storage& address) {
  return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
}

template <class Api>
int boundPort(typename Api::Udp* udp) {
  sockaddr_storage name{};
  int length = sizeof name;
  REQUIRE(Api::udp_getsockname(udp, reinterpret_cast<sockaddr*>(&name), &length) == 0);
  REQUIRE(name.ss_family == AF_INET);
  return portOf(name);
}

template <class Api>
void receiveInto(typename Api::Udp* udp, Datagrams* into) {
  Api::handle_set_data(handle<Api>(udp), into);
  REQUIRE(Api::udp_recv_start(
              udp,
              [](auto* h, size_t, auto* buf) {
                auto* d = static_cast<Datagrams*>(Api::handle_get_data(h));
                buf->base = d->buffer;
                buf->len = sizeof d->buffer;
              },
              [](auto* u, auto nread, const auto* buf, const sockaddr* from, auto) {
                auto* d = static_cast<Datagrams*>(Api::handle_get_data(handle<Api>(u)));
                if (nread <= 0 || !from) return;  // nothing more to read now
                d->texts.emplace_back(buf->base, static_cast<size_t>(nread));
                d->ports.push_back(ntohs(reinterpret_cast<const sockaddr_in*>(from)->sin_port));
              }) == 0);
}

template <class Api>
void bindLoopback(typename Api::Udp* udp) {
  sockaddr_in any{};
  REQUIRE(Api::ip4_addr("127.0.0.1", 0, &any) == 0);
  REQUIRE(Api::udp_bind(udp, reinterpret_cast<const sockaddr*>(&any), 0) == 0);
}

}  // namespace

API_TEST("udp_datagrams_go_both_ways_on_loopback_with_the_senders_port", "[shim][udp]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Udp a, b;
  REQUIRE(Api::udp_init(&s.loop, &a) == 0);
  REQUIRE(Api::udp_init(&s.loop, &b) == 0);
  bindLoopback<Api>(&a);
  bindLoopback<Api>(&b);
  const int port_a = boundPort<Api>(&a), port_b = boundPort<Api>(&b);
  CHECK(port_a != port_b);
  Datagrams at_a, at_b;
  receiveInto<Api>(&a, &at_a);
  receiveInto<Api>(&b, &at_b);

  // a -> b with a send request.
  sockaddr_in to_b{};
  REQUIRE(Api::ip4_addr("127.0.0.1", port_b, &to_b) == 0);
  std::string ping = "ping";
  typename Api::Buf buf = Api::buf_init(&ping[0], static_cast<unsigned>(ping.size()));
  typename Api::UdpSend send_req;
  int status = 1;
  Api::req_set_data(request<Api>(&send_req), &status);
  REQUIRE(Api::udp_send(&send_req, &a, &buf, 1, reinterpret_cast<const sockaddr*>(&to_b),
                        [](auto* r, int st) { *static_cast<int*>(Api::req_get_data(request<Api>(r))) = st; }) == 0);

  // b -> a: b connects to a and sends without an address, at once.
  sockaddr_in to_a{};
  REQUIRE(Api::ip4_addr("127.0.0.1", port_a, &to_a) == 0);
  REQUIRE(Api::udp_connect(&b, reinterpret_cast<const sockaddr*>(&to_a)) == 0);
  sockaddr_storage peer{};
  int peer_length = sizeof peer;
  REQUIRE(Api::udp_getpeername(&b, reinterpret_cast<sockaddr*>(&peer), &peer_length) == 0);
  CHECK(portOf(peer) == port_a);
  std::string pong = "pong";
  typename Api::Buf pong_buf = Api::buf_init(&pong[0], static_cast<unsigned>(pong.size()));
  CHECK(Api::udp_try_send(&b, &pong_buf, 1, nullptr) == 4);

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((at_a.texts.empty() || at_b.texts.empty() || status == 1) && std::chrono::steady_clock::now() < deadline)
    Api::run(&s.loop, Api::RUN_NOWAIT), pauseBriefly();
  CHECK(status == 0);
  CHECK(Api::udp_get_send_queue_count(&a) == 0u);
  CHECK(at_b.texts == std::vector<std::string>{"ping"});
  CHECK(at_b.ports == std::vector<int>{port_a});
  CHECK(at_a.texts == std::vector<std::string>{"pong"});
  CHECK(at_a.ports == std::vector<int>{port_b});
  CHECK(Api::udp_recv_stop(&a) == 0);
  CHECK(Api::udp_recv_stop(&b) == 0);
  s.close(&a);
  s.close(&b);
}
