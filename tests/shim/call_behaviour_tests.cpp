// Each scenario runs twice, through raw libuv and through the shim, and
// asserts the same results: that is what proves the shim is libuv.
//
// On Windows (where uv.h brings in winsock2.h) a pipe is a named pipe, a pair of
// connected pipes is made by connecting to one, and the scenarios that need
// socketpair or fork do not exist; tests/targets/skipped.tsv says why.
#ifndef _WIN32
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cstring>
#include <utility>
#include <string>
#include <vector>

#include "scenario.h"

namespace {

// A connected pair of pipes: from a socketpair (on Windows: a client connected to a pipe name,
// and the accepted side), or from uv_pipe (left is its write end).
template <class Api>
struct PipePair {
  typename Api::Pipe left;
  typename Api::Pipe right;
};

#ifdef _WIN32
// Windows has no socketpair whose ends uv_pipe_open takes; the duplex pair it stands for is a
// client connected to a named pipe (left) and the connection the server accepted (right).
template <class Api>
void connectPipes(Scenario<Api>& s, PipePair<Api>& pair, int ipc) {
  struct Connecting {
    PipePair<Api>* pair;
    typename Api::Pipe server;
    typename Api::Connect connect;
    int connect_status = 1;
    bool accepted = false;
    bool closed = false;
  } c;
  c.pair = &pair;
  static int serial = 0;
  std::string name = s.path("pair" + std::to_string(++serial));
  REQUIRE(Api::pipe_init(&s.loop, &c.server, ipc) == 0);
  REQUIRE(Api::pipe_init(&s.loop, &pair.left, ipc) == 0);
  REQUIRE(Api::pipe_init(&s.loop, &pair.right, ipc) == 0);
  REQUIRE(Api::pipe_bind(&c.server, name.c_str()) == 0);
  Api::handle_set_data(handle<Api>(&c.server), &c);
  REQUIRE(Api::listen(stream<Api>(&c.server), 1, [](auto* listener, int status) {
            auto* self = static_cast<Connecting*>(Api::handle_get_data(handle<Api>(listener)));
            REQUIRE(status == 0);
            REQUIRE(Api::accept(listener, stream<Api>(&self->pair->right)) == 0);
            self->accepted = true;
          }) == 0);
  Api::req_set_data(request<Api>(&c.connect), &c);
  Api::pipe_connect(&c.connect, &pair.left, name.c_str(), [](auto* req, int status) {
    static_cast<Connecting*>(Api::req_get_data(request<Api>(req)))->connect_status = status;
  });
  while (c.connect_status == 1 || !c.accepted) Api::run(&s.loop, Api::RUN_ONCE);
  REQUIRE(c.connect_status == 0);
  // The server lives on this stack frame: wait until libuv is done with it.
  Api::close(handle<Api>(&c.server), [](auto* h) { static_cast<Connecting*>(Api::handle_get_data(h))->closed = true; });
  while (!c.closed) Api::run(&s.loop, Api::RUN_NOWAIT);
}
#endif

template <class Api>
void openPair(Scenario<Api>& s, PipePair<Api>& pair, bool use_socketpair = true, int ipc = 0) {
  int fds[2];
  if (use_socketpair) {
#ifdef _WIN32
    return connectPipes(s, pair, ipc);
#else
    REQUIRE(Api::socketpair(SOCK_STREAM, 0, fds, 0, 0) == 0);
#endif
  } else {
    REQUIRE(Api::pipe(fds, 0, 0) == 0);
    std::swap(fds[0], fds[1]);  // left writes, right reads
  }
  REQUIRE(Api::pipe_init(&s.loop, &pair.left, ipc) == 0);
  REQUIRE(Api::pipe_init(&s.loop, &pair.right, ipc) == 0);
  REQUIRE(Api::pipe_open(&pair.left, fds[0]) == 0);
  REQUIRE(Api::pipe_open(&pair.right, fds[1]) == 0);
}

template <class Api>
struct TcpPair {
  typename Api::Tcp server;
  typename Api::Tcp accepted;
  typename Api::Tcp client;
  typename Api::Connect connect;
  int connect_status = 1;
};

// A TCP server on 127.0.0.1 with port 0, a client connected to it, and the accepted side.
template <class Api>
void connectTcp(Scenario<Api>& s, TcpPair<Api>& pair) {
  sockaddr_in address;
  REQUIRE(Api::ip4_addr("127.0.0.1", 0, &address) == 0);
  REQUIRE(Api::tcp_init(&s.loop, &pair.server) == 0);
  REQUIRE(Api::tcp_init(&s.loop, &pair.accepted) == 0);
  REQUIRE(Api::tcp_init(&s.loop, &pair.client) == 0);
  REQUIRE(Api::tcp_bind(&pair.server, reinterpret_cast<const sockaddr*>(&address), 0) == 0);
  sockaddr_storage bound;
  int length = sizeof bound;
  REQUIRE(Api::tcp_getsockname(&pair.server, reinterpret_cast<sockaddr*>(&bound), &length) == 0);
  Api::handle_set_data(handle<Api>(&pair.server), &pair);
  REQUIRE(Api::listen(stream<Api>(&pair.server), 8, [](auto* listener, int status) {
            auto* self = static_cast<TcpPair<Api>*>(Api::handle_get_data(handle<Api>(listener)));
            REQUIRE(status == 0);
            REQUIRE(Api::accept(listener, stream<Api>(&self->accepted)) == 0);
          }) == 0);
  Api::req_set_data(request<Api>(&pair.connect), &pair);
  REQUIRE(Api::tcp_connect(&pair.connect, &pair.client, reinterpret_cast<const sockaddr*>(&bound),
                           [](auto* req, int status) {
                             static_cast<TcpPair<Api>*>(Api::req_get_data(request<Api>(req)))->connect_status = status;
                           }) == 0);
  typename Api::OsFd fd{};
  while (pair.connect_status == 1 || Api::fileno(handle<Api>(&pair.accepted), &fd) != 0)
    Api::run(&s.loop, Api::RUN_ONCE);
  REQUIRE(pair.connect_status == 0);
}

template <class Api>
void closeTcp(Scenario<Api>& s, TcpPair<Api>& pair) {
  s.close(&pair.server);
  s.close(&pair.accepted);
  s.close(&pair.client);
}

template <class Api>
int writeText(typename Api::Stream* s, typename Api::Write* req, const std::string& text, int* status) {
  typename Api::Buf buf = Api::buf_init(const_cast<char*>(text.data()), static_cast<unsigned>(text.size()));
  Api::req_set_data(request<Api>(req), status);
  return Api::write(req, s, &buf, 1, [](auto* r, int st) { *static_cast<int*>(Api::req_get_data(request<Api>(r))) = st; });
}

}  // namespace

API_TEST("pipe_bind_listen_connect_accept_write_read_shutdown_eof", "[pipe]") {
  using Api = TestType;
  Scenario<Api> s;
  struct State {
    typename Api::Pipe server, accepted, client;
    typename Api::Connect connect;
    typename Api::Write write;
    typename Api::Shutdown shutdown;
    Received server_side;
    int connect_status = 1, write_status = 1, shutdown_status = 1;
  } st;
  REQUIRE(Api::pipe_init(&s.loop, &st.server, 0) == 0);
  REQUIRE(Api::pipe_init(&s.loop, &st.accepted, 0) == 0);
  REQUIRE(Api::pipe_init(&s.loop, &st.client, 0) == 0);
  REQUIRE(Api::pipe_bind(&st.server, s.path().c_str()) == 0);
  Api::handle_set_data(handle<Api>(&st.server), &st);
  REQUIRE(Api::listen(stream<Api>(&st.server), 8, [](auto* listener, int status) {
            auto* self = static_cast<State*>(Api::handle_get_data(handle<Api>(listener)));
            REQUIRE(status == 0);
            REQUIRE(Api::accept(listener, stream<Api>(&self->accepted)) == 0);
            readInto<Api>(stream<Api>(&self->accepted), &self->server_side);
          }) == 0);
  Api::req_set_data(request<Api>(&st.connect), &st);
  Api::pipe_connect(&st.connect, &st.client, s.path().c_str(), [](auto* req, int status) {
    auto* self = static_cast<State*>(Api::req_get_data(request<Api>(req)));
    self->connect_status = status;
    REQUIRE(writeText<Api>(stream<Api>(&self->client), &self->write, "hello over a pipe", &self->write_status) == 0);
    Api::req_set_data(request<Api>(&self->shutdown), self);
    REQUIRE(Api::shutdown(&self->shutdown, stream<Api>(&self->client), [](auto* sreq, int st2) {
              static_cast<State*>(Api::req_get_data(request<Api>(sreq)))->shutdown_status = st2;
            }) == 0);
  });
  while (st.server_side.status == 0) Api::run(&s.loop, Api::RUN_NOWAIT), pauseBriefly();
  CHECK(st.connect_status == 0);
  CHECK(st.write_status == 0);
  CHECK(st.shutdown_status == 0);
  CHECK(st.server_side.data == "hello over a pipe");
  CHECK(st.server_side.status == UV_EOF);
  s.close(&st.server);
  s.close(&st.accepted);
  s.close(&st.client);
}

API_TEST("pipe_bind_error_addrinuse", "[pipe]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Pipe first, second;
  REQUIRE(Api::pipe_init(&s.loop, &first, 0) == 0);
  REQUIRE(Api::pipe_init(&s.loop, &second, 0) == 0);
  CHECK(Api::pipe_bind(&first, s.path().c_str()) == 0);
  CHECK(Api::pipe_bind(&second, s.path().c_str()) == UV_EADDRINUSE);
  s.close(&first);
  s.close(&second);
}

API_TEST("pipe_bind_twice_error_inval", "[pipe]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Pipe pipe;
  REQUIRE(Api::pipe_init(&s.loop, &pipe, 0) == 0);
  CHECK(Api::pipe_bind(&pipe, s.path("a.sock").c_str()) == 0);
  CHECK(Api::pipe_bind(&pipe, s.path("b.sock").c_str()) == UV_EINVAL);
  s.close(&pipe);
}

API_TEST("pipe_listen_without_bind_error_inval", "[pipe]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Pipe pipe;
  REQUIRE(Api::pipe_init(&s.loop, &pipe, 0) == 0);
  CHECK(Api::listen(stream<Api>(&pipe), 8, [](auto*, int) {}) == UV_EINVAL);
  s.close(&pipe);
}

API_TEST("pipe_connect_to_missing_path_gives_enoent_in_callback", "[pipe]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Pipe pipe;
  typename Api::Connect connect;
  int status = 1;
  REQUIRE(Api::pipe_init(&s.loop, &pipe, 0) == 0);
  Api::req_set_data(request<Api>(&connect), &status);
  Api::pipe_connect(&connect, &pipe, s.path("missing.sock").c_str(),
                    [](auto* req, int st) { *static_cast<int*>(Api::req_get_data(request<Api>(req))) = st; });
  s.run();
  CHECK(status == UV_ENOENT);
  s.close(&pipe);
}

API_TEST("pipe_getsockname_and_getpeername_before_bind_give_ebadf", "[pipe]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Pipe pipe;
  REQUIRE(Api::pipe_init(&s.loop, &pipe, 0) == 0);
  char name[256];
  size_t size = sizeof name;
  CHECK(Api::pipe_getsockname(&pipe, name, &size) == UV_EBADF);
  size = sizeof name;
  CHECK(Api::pipe_getpeername(&pipe, name, &size) == UV_EBADF);
  s.close(&pipe);
}

API_TEST("pipe_getsockname_with_small_buffer_gives_enobufs_and_needed_size", "[pipe]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Pipe pipe;
  REQUIRE(Api::pipe_init(&s.loop, &pipe, 0) == 0);
  REQUIRE(Api::pipe_bind(&pipe, s.path().c_str()) == 0);
  char name[4];
  size_t size = sizeof name;
  CHECK(Api::pipe_getsockname(&pipe, name, &size) == UV_ENOBUFS);
  CHECK(size == s.path().size() + 1);
  char full[256];
  size = sizeof full;
  REQUIRE(Api::pipe_getsockname(&pipe, full, &size) == 0);
  CHECK(std::string(full, size) == s.path());
  s.close(&pipe);
}

API_TEST("pipe_pending_instances_before_and_after_bind_changes_nothing_on_unix", "[pipe]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Pipe pipe;
  REQUIRE(Api::pipe_init(&s.loop, &pipe, 0) == 0);
  Api::pipe_pending_instances(&pipe, 4);
  CHECK(Api::pipe_bind(&pipe, s.path().c_str()) == 0);
  Api::pipe_pending_instances(&pipe, 8);
  CHECK(Api::listen(stream<Api>(&pipe), 8, [](auto*, int) {}) == 0);
  CHECK(Api::pipe_pending_count(&pipe) == 0);
  s.close(&pipe);
}

template <class Api>
void pingPong(bool use_socketpair) {
  Scenario<Api> s;
  PipePair<Api> pair;
  openPair(s, pair, use_socketpair);
  typename Api::Write write;
  int write_status = 1;
  Received received;
  readInto<Api>(stream<Api>(&pair.right), &received);
  REQUIRE(writeText<Api>(stream<Api>(&pair.left), &write, "ping", &write_status) == 0);
  // The write's completion and the read are separate events (on Windows
  // the read can come first): wait for both.
  while (received.data.size() < 4 || write_status == 1) Api::run(&s.loop, Api::RUN_NOWAIT), pauseBriefly();
  CHECK(received.data == "ping");
  CHECK(write_status == 0);
  s.close(&pair.left);
  s.close(&pair.right);
}

#ifndef _WIN32
API_TEST("socketpair_opened_as_pipes_ping_pong", "[pipe]") { pingPong<TestType>(true); }
#endif

API_TEST("uv_pipe_pair_opened_as_pipes_ping_pong", "[pipe]") { pingPong<TestType>(false); }

// More buffers than the shim converts on the stack where uv_buf_t's layout is
// not the shim's (Windows): an array allocated for the call; elsewhere the
// user's array itself.
API_TEST("write_of_twenty_buffers_arrives_whole_and_in_order", "[stream]") {
  using Api = TestType;
  Scenario<Api> s;
  PipePair<Api> pair;
  openPair(s, pair, false);
  std::vector<std::string> parts;
  std::vector<typename Api::Buf> bufs;
  std::string expected;
  for (int i = 0; i < 20; ++i) parts.push_back("part" + std::to_string(i) + ";");
  for (std::string& part : parts) {
    bufs.push_back(Api::buf_init(part.data(), static_cast<unsigned>(part.size())));
    expected += part;
  }
  typename Api::Write write;
  int write_status = 1;
  Api::req_set_data(request<Api>(&write), &write_status);
  Received received;
  readInto<Api>(stream<Api>(&pair.right), &received);
  REQUIRE(Api::write(&write, stream<Api>(&pair.left), bufs.data(), static_cast<unsigned>(bufs.size()),
                     [](auto* r, int st) { *static_cast<int*>(Api::req_get_data(request<Api>(r))) = st; }) == 0);
  while (received.data.size() < expected.size() || write_status == 1) Api::run(&s.loop, Api::RUN_NOWAIT), pauseBriefly();
  CHECK(received.data == expected);
  CHECK(write_status == 0);
  s.close(&pair.left);
  s.close(&pair.right);
}

API_TEST("set_blocking_then_try_write_writes_all", "[stream]") {
  using Api = TestType;
  Scenario<Api> s;
  PipePair<Api> pair;
  openPair(s, pair);
  REQUIRE(Api::stream_set_blocking(stream<Api>(&pair.left), 1) == 0);
  std::string text(1000, 'x');
  typename Api::Buf buf = Api::buf_init(text.data(), static_cast<unsigned>(text.size()));
  CHECK(Api::try_write(stream<Api>(&pair.left), &buf, 1) == 1000);
  s.close(&pair.left);
  s.close(&pair.right);
}

API_TEST("try_write_gives_eagain_when_full_and_write_queue_grows", "[stream]") {
  using Api = TestType;
  Scenario<Api> s;
  PipePair<Api> pair;
  openPair(s, pair);
  std::string chunk(65536, 'y');
  typename Api::Buf buf = Api::buf_init(chunk.data(), static_cast<unsigned>(chunk.size()));
  int rc = 0;
  for (int i = 0; i < 10000 && (rc = Api::try_write(stream<Api>(&pair.left), &buf, 1)) > 0; ++i) {
  }
  CHECK(rc == UV_EAGAIN);
  CHECK(Api::stream_get_write_queue_size(stream<Api>(&pair.left)) == 0);
  typename Api::Write first, second;
  int first_status = 1, second_status = 1;
  REQUIRE(writeText<Api>(stream<Api>(&pair.left), &first, chunk, &first_status) == 0);
  size_t after_first = Api::stream_get_write_queue_size(stream<Api>(&pair.left));
  REQUIRE(writeText<Api>(stream<Api>(&pair.left), &second, chunk, &second_status) == 0);
  size_t after_second = Api::stream_get_write_queue_size(stream<Api>(&pair.left));
  CHECK(after_first == chunk.size());
  CHECK(after_second == 2 * chunk.size());
  s.close(&pair.left);
  s.close(&pair.right);
  s.run();
  CHECK(first_status == UV_ECANCELED);
  CHECK(second_status == UV_ECANCELED);
}

API_TEST("write2_on_non_ipc_pipe_gives_einval", "[stream]") {
  using Api = TestType;
  Scenario<Api> s;
  PipePair<Api> pair, other;
  openPair(s, pair);
  openPair(s, other);
  typename Api::Write write;
  std::string text = "x";
  typename Api::Buf buf = Api::buf_init(text.data(), 1);
  CHECK(Api::write2(&write, stream<Api>(&pair.left), &buf, 1, stream<Api>(&other.left), [](auto*, int) {}) ==
        UV_EINVAL);
  s.close(&pair.left);
  s.close(&pair.right);
  s.close(&other.left);
  s.close(&other.right);
}

API_TEST("read_start_twice_gives_ealready", "[stream]") {
  using Api = TestType;
  Scenario<Api> s;
  PipePair<Api> pair;
  openPair(s, pair);
  Received received;
  readInto<Api>(stream<Api>(&pair.right), &received);
  CHECK(Api::read_start(
            stream<Api>(&pair.right), [](auto*, size_t, auto*) {}, [](auto*, auto, const auto*) {}) == UV_EALREADY);
  s.close(&pair.left);
  s.close(&pair.right);
}

API_TEST("is_readable_and_is_writable_after_shutdown_and_close", "[stream]") {
  using Api = TestType;
  Scenario<Api> s;
  PipePair<Api> pair;
  openPair(s, pair);
  CHECK(Api::is_readable(stream<Api>(&pair.left)) == 1);
  CHECK(Api::is_writable(stream<Api>(&pair.left)) == 1);
  typename Api::Shutdown shutdown;
  int status = 1;
  Api::req_set_data(request<Api>(&shutdown), &status);
  REQUIRE(Api::shutdown(&shutdown, stream<Api>(&pair.left),
                        [](auto* r, int st) { *static_cast<int*>(Api::req_get_data(request<Api>(r))) = st; }) == 0);
  while (status == 1) Api::run(&s.loop, Api::RUN_NOWAIT);
  CHECK(status == 0);
  CHECK(Api::is_readable(stream<Api>(&pair.left)) == 1);
  CHECK(Api::is_writable(stream<Api>(&pair.left)) == 0);
  s.close(&pair.left);
  CHECK(Api::is_readable(stream<Api>(&pair.left)) == 0);
  CHECK(Api::is_writable(stream<Api>(&pair.left)) == 0);
  s.close(&pair.right);
}

API_TEST("try_write_after_peer_closed_gives_epipe_or_econnreset", "[stream]") {
  using Api = TestType;
  Scenario<Api> s;
  PipePair<Api> pair;
  openPair(s, pair);
  s.close(&pair.right);
  s.run();
  std::string text = "late";
  typename Api::Buf buf = Api::buf_init(text.data(), 4);
  int rc = Api::try_write(stream<Api>(&pair.left), &buf, 1);
  CHECK((rc == UV_EPIPE || rc == UV_ECONNRESET));
  s.close(&pair.left);
}

API_TEST("tcp_echo_on_loopback_with_port_0_and_getsockname", "[tcp]") {
  using Api = TestType;
  Scenario<Api> s;
  TcpPair<Api> pair;
  connectTcp(s, pair);
  sockaddr_in name;
  int length = sizeof name;
  REQUIRE(Api::tcp_getsockname(&pair.server, reinterpret_cast<sockaddr*>(&name), &length) == 0);
  CHECK(length == sizeof(sockaddr_in));
  CHECK(ntohs(name.sin_port) != 0);
  sockaddr_in peer;
  length = sizeof peer;
  REQUIRE(Api::tcp_getpeername(&pair.client, reinterpret_cast<sockaddr*>(&peer), &length) == 0);
  CHECK(peer.sin_port == name.sin_port);
  Received received;
  readInto<Api>(stream<Api>(&pair.accepted), &received);
  typename Api::Write write;
  int write_status = 1;
  REQUIRE(writeText<Api>(stream<Api>(&pair.client), &write, "over tcp", &write_status) == 0);
  while (received.data.size() < 8) Api::run(&s.loop, Api::RUN_NOWAIT), pauseBriefly();
  CHECK(received.data == "over tcp");
  closeTcp(s, pair);
}

API_TEST("tcp_bind_ipv6only_on_ipv4_address_gives_einval", "[tcp]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Tcp tcp;
  REQUIRE(Api::tcp_init(&s.loop, &tcp) == 0);
  sockaddr_in address;
  REQUIRE(Api::ip4_addr("127.0.0.1", 0, &address) == 0);
  CHECK(Api::tcp_bind(&tcp, reinterpret_cast<const sockaddr*>(&address), UV_TCP_IPV6ONLY) == UV_EINVAL);
  s.close(&tcp);
}

API_TEST("tcp_init_ex_with_flags_47_gives_einval", "[tcp]") {
  using Api = TestType;
  Scenario<Api> s;
  typename Api::Tcp tcp;
  CHECK(Api::tcp_init_ex(&s.loop, &tcp, 47) == UV_EINVAL);
}

API_TEST("tcp_nodelay_keepalive_and_simultaneous_accepts_succeed", "[tcp]") {
  using Api = TestType;
  Scenario<Api> s;
  TcpPair<Api> pair;
  connectTcp(s, pair);
  CHECK(Api::tcp_nodelay(&pair.client, 1) == 0);
  CHECK(Api::tcp_keepalive(&pair.client, 1, 60) == 0);
  CHECK(Api::tcp_keepalive(&pair.client, 0, 0) == 0);
  CHECK(Api::tcp_simultaneous_accepts(&pair.server, 1) == 0);
  closeTcp(s, pair);
}

API_TEST("tcp_connect_to_closed_port_gives_econnrefused", "[tcp]") {
  using Api = TestType;
  Scenario<Api> s;
  // Bind a socket to get a free port, then close it so nothing listens there.
  typename Api::Tcp probe, client;
  REQUIRE(Api::tcp_init(&s.loop, &probe) == 0);
  sockaddr_in address;
  REQUIRE(Api::ip4_addr("127.0.0.1", 0, &address) == 0);
  REQUIRE(Api::tcp_bind(&probe, reinterpret_cast<const sockaddr*>(&address), 0) == 0);
  int length = sizeof address;
  REQUIRE(Api::tcp_getsockname(&probe, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  s.close(&probe);
  s.run();
  REQUIRE(Api::tcp_init(&s.loop, &client) == 0);
  typename Api::Connect connect;
  int status = 1;
  Api::req_set_data(request<Api>(&connect), &status);
  REQUIRE(Api::tcp_connect(&connect, &client, reinterpret_cast<const sockaddr*>(&address),
                           [](auto* r, int st) { *static_cast<int*>(Api::req_get_data(request<Api>(r))) = st; }) == 0);
  s.run();
  CHECK(status == UV_ECONNREFUSED);
  s.close(&client);
}

API_TEST("tcp_close_reset_gives_peer_econnreset", "[tcp]") {
  using Api = TestType;
  Scenario<Api> s;
  TcpPair<Api> pair;
  connectTcp(s, pair);
  Received received;
  readInto<Api>(stream<Api>(&pair.accepted), &received);
  CHECK(Api::tcp_close_reset(&pair.client, nullptr) == 0);
  while (received.status == 0) Api::run(&s.loop, Api::RUN_NOWAIT), pauseBriefly();
  CHECK(received.status == UV_ECONNRESET);
  s.close(&pair.server);
  s.close(&pair.accepted);
}

#ifndef _WIN32
namespace {

// The child of the IPC scenario: receives two handles over the IPC pipe on
// fd, accepts them by their pending type, and answers on each. Exit status 0
// when everything matched.
template <class Api>
int ipcChild(int fd) {
  struct Child {
    typename Api::Loop loop;
    typename Api::Pipe ipc;
    typename Api::Tcp tcp;
    typename Api::Pipe pipe;
    typename Api::Write tcp_write, pipe_write;
    int accepted = 0;
    int failures = 0;
    char buffer[64];
  } child;
  if (Api::loop_init(&child.loop) != 0) return 10;
  if (Api::pipe_init(&child.loop, &child.ipc, 1) != 0 || Api::pipe_open(&child.ipc, fd) != 0) return 11;
  Api::handle_set_data(handle<Api>(&child.ipc), &child);
  Api::read_start(
      stream<Api>(&child.ipc),
      [](auto* h, size_t, auto* buf) {
        auto* c = static_cast<Child*>(Api::handle_get_data(h));
        buf->base = c->buffer;
        buf->len = sizeof c->buffer;
      },
      [](auto* s, auto nread, const auto*) {
        auto* c = static_cast<Child*>(Api::handle_get_data(handle<Api>(s)));
        auto* ipc = reinterpret_cast<typename Api::Pipe*>(s);
        if (nread < 0) {
          Api::read_stop(s);
          return;
        }
        while (Api::pipe_pending_count(ipc) > 0) {
          static const std::string answer_tcp = "tcp from child", answer_pipe = "pipe from child";
          if (Api::pipe_pending_type(ipc) == Api::TCP) {
            Api::tcp_init(&c->loop, &c->tcp);
            if (Api::accept(s, stream<Api>(&c->tcp)) != 0) ++c->failures;
            typename Api::Buf buf = Api::buf_init(const_cast<char*>(answer_tcp.data()), answer_tcp.size());
            Api::write(&c->tcp_write, stream<Api>(&c->tcp), &buf, 1,
                       [](auto* r, int) { Api::close(handle<Api>(reinterpret_cast<typename Api::Tcp*>(
                                                         Api::req_get_data(request<Api>(r)))), nullptr); });
            Api::req_set_data(request<Api>(&c->tcp_write), &c->tcp);
          } else if (Api::pipe_pending_type(ipc) == Api::NAMED_PIPE) {
            Api::pipe_init(&c->loop, &c->pipe, 0);
            if (Api::accept(s, stream<Api>(&c->pipe)) != 0) ++c->failures;
            typename Api::Buf buf = Api::buf_init(const_cast<char*>(answer_pipe.data()), answer_pipe.size());
            Api::write(&c->pipe_write, stream<Api>(&c->pipe), &buf, 1,
                       [](auto* r, int) { Api::close(handle<Api>(reinterpret_cast<typename Api::Pipe*>(
                                                         Api::req_get_data(request<Api>(r)))), nullptr); });
            Api::req_set_data(request<Api>(&c->pipe_write), &c->pipe);
          } else {
            ++c->failures;
            return;
          }
          if (++c->accepted == 2) Api::close(handle<Api>(ipc), nullptr);
        }
      });
  Api::run(&child.loop, Api::RUN_DEFAULT);
  if (Api::loop_close(&child.loop) != 0) return 12;
  if (child.accepted != 2) return 13;
  return child.failures;
}

}  // namespace

API_TEST("ipc_write2_sends_a_tcp_and_a_pipe_handle_to_another_process", "[ipc]") {
  using Api = TestType;
  Scenario<Api> s;
  int ipc_fds[2];
  REQUIRE(Api::socketpair(SOCK_STREAM, 0, ipc_fds, 0, 0) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(ipc_fds[0]);
    _exit(ipcChild<Api>(ipc_fds[1]));
  }
  close(ipc_fds[1]);

  typename Api::Pipe ipc;
  REQUIRE(Api::pipe_init(&s.loop, &ipc, 1) == 0);
  REQUIRE(Api::pipe_open(&ipc, ipc_fds[0]) == 0);
  TcpPair<Api> tcp;
  connectTcp(s, tcp);
  PipePair<Api> pipes;
  openPair(s, pipes);

  Received over_tcp, over_pipe;
  readInto<Api>(stream<Api>(&tcp.client), &over_tcp);
  readInto<Api>(stream<Api>(&pipes.right), &over_pipe);
  std::string tag_tcp = "t", tag_pipe = "p";
  typename Api::Buf buf_tcp = Api::buf_init(tag_tcp.data(), 1), buf_pipe = Api::buf_init(tag_pipe.data(), 1);
  typename Api::Write send_tcp, send_pipe;
  int sent = 0;
  Api::req_set_data(request<Api>(&send_tcp), &sent);
  Api::req_set_data(request<Api>(&send_pipe), &sent);
  auto on_sent = [](auto* r, int status) {
    REQUIRE(status == 0);
    ++*static_cast<int*>(Api::req_get_data(request<Api>(r)));
  };
  REQUIRE(Api::write2(&send_tcp, stream<Api>(&ipc), &buf_tcp, 1, stream<Api>(&tcp.accepted), on_sent) == 0);
  REQUIRE(Api::write2(&send_pipe, stream<Api>(&ipc), &buf_pipe, 1, stream<Api>(&pipes.left), on_sent) == 0);
  while (sent < 2) Api::run(&s.loop, Api::RUN_NOWAIT), pauseBriefly();
  // The child owns the connections now; the parent's copies go.
  s.close(&tcp.accepted);
  s.close(&pipes.left);
  while (over_tcp.status == 0 || over_pipe.status == 0) Api::run(&s.loop, Api::RUN_NOWAIT), pauseBriefly();
  int child_status = 0;
  REQUIRE(waitpid(pid, &child_status, 0) == pid);
  CHECK(WIFEXITED(child_status));
  CHECK(WEXITSTATUS(child_status) == 0);
  CHECK(over_tcp.data == "tcp from child");
  CHECK(over_tcp.status == UV_EOF);
  CHECK(over_pipe.data == "pipe from child");
  CHECK(over_pipe.status == UV_EOF);
  s.close(&ipc);
  s.close(&tcp.server);
  s.close(&tcp.client);
  s.close(&pipes.right);
}
#endif  // _WIN32

// uv_walk calls its callback for each handle before it returns; the shim carries the user's
// callback and argument through libuv's `void *arg` rather than a trailer slot.
API_TEST("walk_visits_each_handle_of_the_loop_with_the_argument_before_returning", "[shim][handle]") {
  Scenario<TestType> s;
  typename TestType::Pipe pipe;
  typename TestType::Tcp tcp;
  REQUIRE(TestType::pipe_init(&s.loop, &pipe, 0) == 0);
  REQUIRE(TestType::tcp_init(&s.loop, &tcp) == 0);
  struct Seen {
    std::vector<void*> handles;
  } seen;
  TestType::walk(
      &s.loop, [](typename TestType::Handle* h, void* arg) { static_cast<Seen*>(arg)->handles.push_back(h); },
      &seen);
  REQUIRE(seen.handles.size() == 2);
  CHECK(std::find(seen.handles.begin(), seen.handles.end(), static_cast<void*>(&pipe)) != seen.handles.end());
  CHECK(std::find(seen.handles.begin(), seen.handles.end(), static_cast<void*>(&tcp)) != seen.handles.end());
  s.close(&pipe);
  s.close(&tcp);
}
