// What libuv tells about the system, through libuv and through the shim:
// interface addresses, compared with getifaddrs(). The shim declares
// uv_interface_address_t with libuv's layout (its address unions as bytes), so
// the same bytes must arrive through both. Unix only (getifaddrs); the target
// harness lists it as skipped on Windows.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cstring>
#include <set>
#include <string>

#include "scenario.h"

namespace {

union SocketAddress {
  sockaddr any;
  sockaddr_in v4;
  sockaddr_in6 v6;
};

std::string text(const SocketAddress& address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (address.any.sa_family == AF_INET) inet_ntop(AF_INET, &address.v4.sin_addr, buffer, sizeof buffer);
  if (address.any.sa_family == AF_INET6) inet_ntop(AF_INET6, &address.v6.sin6_addr, buffer, sizeof buffer);
  return std::to_string(address.any.sa_family) + " " + buffer;
}

// A member of the record, whatever its C type there (libuv's union, the
// shim's bytes), as a socket address.
template <typename Member>
SocketAddress addressIn(const Member& member) {
  static_assert(sizeof(Member) <= sizeof(SocketAddress), "the member holds a socket address");
  SocketAddress address;
  std::memset(&address, 0, sizeof address);
  std::memcpy(&address, &member, sizeof member);
  return address;
}

// "name family address" for every IPv4 and IPv6 address of an interface that
// is up and running: what libuv's Unix code lists.
std::set<std::string> systemAddresses() {
  std::set<std::string> out;
  ifaddrs* list = nullptr;
  REQUIRE(getifaddrs(&list) == 0);
  for (ifaddrs* entry = list; entry; entry = entry->ifa_next) {
    if (!(entry->ifa_flags & IFF_UP) || !(entry->ifa_flags & IFF_RUNNING) || !entry->ifa_addr) continue;
    if (entry->ifa_addr->sa_family != AF_INET && entry->ifa_addr->sa_family != AF_INET6) continue;
    SocketAddress address;
    std::memset(&address, 0, sizeof address);
    std::memcpy(&address, entry->ifa_addr,
                entry->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
    out.insert(std::string(entry->ifa_name) + " " + text(address));
  }
  freeifaddrs(list);
  return out;
}

}  // namespace

API_TEST("interface_addresses_are_the_systems_with_loopback_internal", "[shim][misc]") {
  using Api = TestType;
  typename Api::InterfaceAddress* addresses = nullptr;
  int count = 0;
  REQUIRE(Api::interface_addresses(&addresses, &count) == 0);
  REQUIRE(count > 0);
  std::set<std::string> listed;
  int loopback = 0;
  for (int i = 0; i < count; ++i) {
    const auto& entry = addresses[i];
    SocketAddress address = addressIn(entry.address);
    listed.insert(std::string(entry.name) + " " + text(address));
    if (address.any.sa_family == AF_INET && address.v4.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
      ++loopback;
      CHECK(entry.is_internal != 0);
      CHECK(text(addressIn(entry.netmask)) == std::to_string(AF_INET) + " 255.0.0.0");
    }
  }
  Api::free_interface_addresses(addresses, count);
  CHECK(listed == systemAddresses());
  CHECK(loopback == 1);
}
