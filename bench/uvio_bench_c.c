/* The pump and the ping-pong of bench/uvio_bench.py in C against libuv, the yardstick of
 * bench/uvio_bench.nim. Usage: uvio_bench_c pump|pingpong
 * The pump: 1 GiB through a socketpair in 64 KiB writes, 16 in flight (GiB/s). The ping-pong:
 * 100,000 round trips of 64 bytes, one in flight (round trips per second). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <uv.h>

enum { CHUNK = 64 * 1024, IN_FLIGHT = 16, MESSAGE = 64, ROUND_TRIPS = 100000 };
static const long long PUMP_BYTES = 1024LL * 1024 * 1024;

static uv_loop_t loop;
static uv_pipe_t left, right;
static char chunk[CHUNK], in_buffer[CHUNK];
static long long queued, received;
static uv_write_t writes[IN_FLIGHT];
static int trips, got;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf) {
  (void)h; (void)size;
  *buf = uv_buf_init(in_buffer, sizeof in_buffer);
}

static void pump_next(uv_write_t *req);

static void on_pump_write(uv_write_t *req, int status) {
  if (status != 0) abort();
  if (queued < PUMP_BYTES) pump_next(req);
}

static void pump_next(uv_write_t *req) {
  uv_buf_t buf = uv_buf_init(chunk, CHUNK);
  queued += CHUNK;
  if (uv_write(req, (uv_stream_t *)&left, &buf, 1, on_pump_write) != 0) abort();
}

static void on_pump_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  (void)buf;
  if (n < 0) abort();
  received += n;
  if (received >= PUMP_BYTES) {
    uv_close((uv_handle_t *)s, NULL);
    uv_close((uv_handle_t *)&left, NULL);
  }
}

static uv_write_t ping_req, pong_req;
static char ping[MESSAGE], pong[MESSAGE];

static void on_written(uv_write_t *req, int status) { (void)req; if (status != 0) abort(); }

static void send_ping(void) {
  uv_buf_t buf = uv_buf_init(ping, MESSAGE);
  if (uv_write(&ping_req, (uv_stream_t *)&left, &buf, 1, on_written) != 0) abort();
}

static void on_echo_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  if (n < 0) abort();
  if (n == 0) return;
  memcpy(pong, buf->base, (size_t)n);
  uv_buf_t out = uv_buf_init(pong, (unsigned)n);
  if (uv_write(&pong_req, s, &out, 1, on_written) != 0) abort();
}

static void on_ping_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  (void)buf;
  if (n < 0) abort();
  got += (int)n;
  if (got < MESSAGE) return;
  got = 0;
  if (++trips == ROUND_TRIPS) {
    uv_close((uv_handle_t *)s, NULL);
    uv_close((uv_handle_t *)&right, NULL);
  } else {
    send_ping();
  }
}

int main(int argc, char **argv) {
  uv_os_sock_t fds[2];
  if (argc != 2) { fprintf(stderr, "usage: uvio_bench_c pump|pingpong\n"); return 2; }
  if (uv_loop_init(&loop) != 0 || uv_socketpair(SOCK_STREAM, 0, fds, 0, 0) != 0) return 1;
  uv_pipe_init(&loop, &left, 0);
  uv_pipe_init(&loop, &right, 0);
  uv_pipe_open(&left, fds[0]);
  uv_pipe_open(&right, fds[1]);
  double start = now();
  if (strcmp(argv[1], "pump") == 0) {
    uv_read_start((uv_stream_t *)&right, on_alloc, on_pump_read);
    for (int i = 0; i < IN_FLIGHT; i++) pump_next(&writes[i]);
    uv_run(&loop, UV_RUN_DEFAULT);
    printf("%.3f\n", PUMP_BYTES / (now() - start) / (1024.0 * 1024 * 1024));
  } else {
    memset(ping, 'p', MESSAGE);
    uv_read_start((uv_stream_t *)&right, on_alloc, on_echo_read);
    uv_read_start((uv_stream_t *)&left, on_alloc, on_ping_read);
    send_ping();
    uv_run(&loop, UV_RUN_DEFAULT);
    printf("%.0f\n", ROUND_TRIPS / (now() - start));
  }
  return uv_loop_close(&loop) == 0 ? 0 : 1;
}
