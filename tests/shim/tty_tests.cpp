// TTY handles through libuv and through the shim, on a real pseudo-terminal:
// the window size set on the master side, raw mode delivering input without a
// newline, normal mode's output processing, and resetting the mode. Unix only
// (posix_openpt); the target harness lists it as skipped on Windows.
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "scenario.h"

namespace {

// Both ends of a new pseudo-terminal, closed at the end of the scenario.
struct PseudoTerminal {
  int master = -1;
  int slave = -1;
  PseudoTerminal() {
    master = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(grantpt(master) == 0);
    REQUIRE(unlockpt(master) == 0);
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    REQUIRE(slave >= 0);
  }
  ~PseudoTerminal() {
    close(slave);
    close(master);
  }
  // What the terminal shows: what the master reads within a second.
  std::string readShown(size_t bytes) const {
    std::string shown;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (shown.size() < bytes && std::chrono::steady_clock::now() < deadline) {
      pollfd ready{master, POLLIN, 0};
      if (poll(&ready, 1, 50) != 1) continue;
      char buffer[256];
      ssize_t n = read(master, buffer, sizeof buffer);
      if (n > 0) shown.append(buffer, static_cast<size_t>(n));
    }
    return shown;
  }
};

bool canonical(int fd) {
  termios mode{};
  REQUIRE(tcgetattr(fd, &mode) == 0);
  return (mode.c_lflag & ICANON) != 0;
}

}  // namespace

API_TEST("tty_on_a_pseudo_terminal_has_its_size_reads_raw_and_writes_with_output_processing", "[shim][tty]") {
  using Api = TestType;
  PseudoTerminal pty;
  winsize size{};
  size.ws_row = 24;
  size.ws_col = 80;
  REQUIRE(ioctl(pty.master, TIOCSWINSZ, &size) == 0);
  {
    Scenario<Api> s;
    CHECK(Api::guess_handle(pty.slave) == Api::TTY);
    typename Api::Tty tty;
    REQUIRE(Api::tty_init(&s.loop, &tty, pty.slave, 1) == 0);
    int width = 0, height = 0;
    REQUIRE(Api::tty_get_winsize(&tty, &width, &height) == 0);
    CHECK(width == 80);
    CHECK(height == 24);

    // Raw mode: three bytes without a newline reach the reader at once.
    REQUIRE(Api::tty_set_mode(&tty, Api::TTY_MODE_RAW) == 0);
    CHECK_FALSE(canonical(pty.slave));
    Received received;
    readInto<Api>(stream<Api>(&tty), &received);
    REQUIRE(write(pty.master, "abc", 3) == 3);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (received.data.size() < 3 && std::chrono::steady_clock::now() < deadline)
      Api::run(&s.loop, Api::RUN_NOWAIT), pauseBriefly();
    CHECK(received.data == "abc");
    REQUIRE(Api::read_stop(stream<Api>(&tty)) == 0);

    // Normal mode: the terminal turns the written newline into CR LF.
    REQUIRE(Api::tty_set_mode(&tty, Api::TTY_MODE_NORMAL) == 0);
    CHECK(canonical(pty.slave));
    std::string text = "hello\n";
    typename Api::Buf buf = Api::buf_init(&text[0], static_cast<unsigned>(text.size()));
    typename Api::Write write_req;
    int status = 1;
    Api::req_set_data(request<Api>(&write_req), &status);
    REQUIRE(Api::write(&write_req, stream<Api>(&tty), &buf, 1,
                       [](auto* r, int st) { *static_cast<int*>(Api::req_get_data(request<Api>(r))) = st; }) == 0);
    while (status == 1) Api::run(&s.loop, Api::RUN_NOWAIT);
    CHECK(status == 0);
    CHECK(pty.readShown(7) == "hello\r\n");

    // Back to raw, then reset: the mode the terminal had before libuv changed it.
    REQUIRE(Api::tty_set_mode(&tty, Api::TTY_MODE_RAW) == 0);
    CHECK(Api::tty_reset_mode() == 0);
    CHECK(canonical(pty.slave));
    s.close(&tty);
  }
}
