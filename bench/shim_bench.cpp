// Side by side in one run: the cost of cheap calls through the shim against
// libuv directly, and a pipe pump (1 GiB through a Unix socket in 64 KiB
// writes, like libuv's own pump benchmark) through each. Prints each figure
// and the ratios. Usage: shim_bench [GiB to pump, default 1]
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "api.h"

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

template <class Api>
struct Pump {
  typename Api::Loop loop;
  typename Api::Pipe writer, reader;
  typename Api::Write write;
  typename Api::Buf chunk;
  std::vector<char> out = std::vector<char>(64 * 1024, 'p');
  std::vector<char> in = std::vector<char>(64 * 1024);
  uint64_t to_write = 0, written = 0, read = 0;

  static void writeNext(Pump* self) {
    self->chunk = Api::buf_init(self->out.data(), static_cast<unsigned>(self->out.size()));
    Api::write(&self->write, reinterpret_cast<typename Api::Stream*>(&self->writer), &self->chunk, 1,
               [](auto* req, int status) {
                 auto* p = static_cast<Pump*>(Api::req_get_data(reinterpret_cast<typename Api::Req*>(req)));
                 if (status != 0) std::abort();
                 p->written += p->out.size();
                 if (p->written < p->to_write)
                   writeNext(p);
                 else
                   Api::close(reinterpret_cast<typename Api::Handle*>(&p->writer), nullptr);
               });
  }

  // Seconds to move `bytes` from writer to reader.
  double run(uint64_t bytes) {
    to_write = bytes;
    int fds[2];
    if (Api::loop_init(&loop) != 0 || Api::socketpair(SOCK_STREAM, 0, fds, 0, 0) != 0) std::abort();
    Api::pipe_init(&loop, &writer, 0);
    Api::pipe_init(&loop, &reader, 0);
    Api::pipe_open(&writer, fds[0]);
    Api::pipe_open(&reader, fds[1]);
    Api::req_set_data(reinterpret_cast<typename Api::Req*>(&write), this);
    Api::handle_set_data(reinterpret_cast<typename Api::Handle*>(&reader), this);
    auto start = Clock::now();
    Api::read_start(
        reinterpret_cast<typename Api::Stream*>(&reader),
        [](auto* h, size_t, auto* buf) {
          auto* p = static_cast<Pump*>(Api::handle_get_data(h));
          buf->base = p->in.data();
          buf->len = p->in.size();
        },
        [](auto* s, auto nread, const auto*) {
          auto* p = static_cast<Pump*>(Api::handle_get_data(reinterpret_cast<typename Api::Handle*>(s)));
          if (nread > 0) p->read += static_cast<uint64_t>(nread);
          if (nread < 0 || p->read >= p->to_write) Api::close(reinterpret_cast<typename Api::Handle*>(s), nullptr);
        });
    writeNext(this);
    Api::run(&loop, Api::RUN_DEFAULT);
    double seconds = secondsSince(start);
    if (read != bytes || Api::loop_close(&loop) != 0) std::abort();
    return seconds;
  }
};

// Nanoseconds per call of a cheap function, best of several rounds.
template <typename Call>
double nanosecondsPerCall(Call call) {
  const int calls = 20'000'000;
  double best = 1e9;
  for (int round = 0; round < 5; ++round) {
    auto start = Clock::now();
    for (int i = 0; i < calls; ++i) call();
    best = std::min(best, secondsSince(start) * 1e9 / calls);
  }
  return best;
}

template <class Api>
struct CheapCalls {
  double is_readable, queue_size;
};

template <class Api>
CheapCalls<Api> measureCheapCalls() {
  typename Api::Loop loop;
  typename Api::Pipe pipe;
  int fds[2];
  Api::loop_init(&loop);
  Api::socketpair(SOCK_STREAM, 0, fds, 0, 0);
  Api::pipe_init(&loop, &pipe, 0);
  Api::pipe_open(&pipe, fds[0]);
  auto* stream = reinterpret_cast<typename Api::Stream*>(&pipe);
  volatile int sink = 0;
  CheapCalls<Api> result;
  result.is_readable = nanosecondsPerCall([&] { sink = sink + Api::is_readable(stream); });
  result.queue_size = nanosecondsPerCall([&] { sink = sink + static_cast<int>(Api::stream_get_write_queue_size(stream)); });
  Api::close(reinterpret_cast<typename Api::Handle*>(&pipe), nullptr);
  Api::run(&loop, Api::RUN_DEFAULT);
  Api::loop_close(&loop);
  ::close(fds[1]);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  double gib = argc > 1 ? std::atof(argv[1]) : 1.0;
  uint64_t bytes = static_cast<uint64_t>(gib * 1024 * 1024 * 1024);
  bytes -= bytes % (64 * 1024);

  auto direct_calls = measureCheapCalls<Libuv>();
  auto shim_calls = measureCheapCalls<Shim>();
  std::printf("cheap calls (ns per call, best of 5 x 20M)   libuv    shim   added\n");
  std::printf("  is_readable                              %6.2f  %6.2f  %+6.2f\n", direct_calls.is_readable,
              shim_calls.is_readable, shim_calls.is_readable - direct_calls.is_readable);
  std::printf("  stream_get_write_queue_size              %6.2f  %6.2f  %+6.2f\n", direct_calls.queue_size,
              shim_calls.queue_size, shim_calls.queue_size - direct_calls.queue_size);

  // Alternate the two pumps so that drift in machine load affects both alike.
  std::vector<double> direct_rates, shim_rates;
  const int rounds = 5;
  auto rate = [&](double seconds) { return bytes / seconds / (1024.0 * 1024 * 1024); };
  Pump<Libuv>().run(bytes / 8);  // warm up
  for (int round = 0; round < rounds; ++round) {
    if (round % 2) shim_rates.push_back(rate(Pump<Shim>().run(bytes)));
    direct_rates.push_back(rate(Pump<Libuv>().run(bytes)));
    if (round % 2 == 0) shim_rates.push_back(rate(Pump<Shim>().run(bytes)));
  }
  std::sort(direct_rates.begin(), direct_rates.end());
  std::sort(shim_rates.begin(), shim_rates.end());
  double direct = direct_rates[rounds / 2], shim = shim_rates[rounds / 2];
  std::printf("pipe pump, %.2f GiB in 64 KiB writes (median of %d)\n", bytes / (1024.0 * 1024 * 1024), rounds);
  std::printf("  C through libuv  %7.3f GiB/s\n", direct);
  std::printf("  C through shim   %7.3f GiB/s   ratio shim/libuv %.3f (target at least 0.97)\n", shim, shim / direct);
  return 0;
}
