/* A consumer of the shim written in C against the committed uvshim.h only
 * (no uv.h): a socketpair opened as two pipes, a message written on one and
 * read on the other. Exits 0 when everything behaved. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "uvshim.h"

struct received {
  char data[64];
  size_t length;
  char buffer[256];
};

static void on_alloc(uvshim_handle_t *handle, size_t suggested, uvshim_buf_t *buf) {
  struct received *r = uvshim_handle_get_data(handle);
  (void)suggested;
  buf->base = r->buffer;
  buf->len = sizeof r->buffer;
}

static void on_read(uvshim_stream_t *stream, intptr_t nread, const uvshim_buf_t *buf) {
  struct received *r = uvshim_stream_get_data(stream);
  if (nread > 0 && r->length + (size_t)nread < sizeof r->data) {
    memcpy(r->data + r->length, buf->base, (size_t)nread);
    r->length += (size_t)nread;
  }
  if (r->length >= 5 || nread < 0) {
    uvshim_close((uvshim_handle_t *)stream, NULL);
  }
}

static void on_write(uvshim_write_t *req, int32_t status) {
  if (status != 0) fprintf(stderr, "write failed: %s\n", uvshim_strerror(status));
  uvshim_close((uvshim_handle_t *)uvshim_write_get_handle(req), NULL);
}

int main(void) {
  if (uvshim_abi_version() != UVSHIM_ABI_VERSION) {
    fprintf(stderr, "library ABI %u, header ABI %d\n", uvshim_abi_version(), UVSHIM_ABI_VERSION);
    return 1;
  }
  uvshim_loop_t loop;
  uvshim_pipe_t left, right;
  uvshim_write_t write;
  int32_t fds[2];
  struct received received = {{0}, 0, {0}};
  char message[] = "hello";
  uvshim_buf_t buf = uvshim_buf_init(message, 5);
  if (uvshim_loop_init(&loop) != 0 || uvshim_socketpair(SOCK_STREAM, 0, fds, 0, 0) != 0) return 2;
  if (uvshim_pipe_init(&loop, &left, 0) != 0 || uvshim_pipe_init(&loop, &right, 0) != 0) return 3;
  if (uvshim_pipe_open(&left, fds[0]) != 0 || uvshim_pipe_open(&right, fds[1]) != 0) return 4;
  uvshim_pipe_set_data(&right, &received);
  if (uvshim_read_start((uvshim_stream_t *)&right, on_alloc, on_read) != 0) return 5;
  if (uvshim_write(&write, (uvshim_stream_t *)&left, &buf, 1, on_write) != 0) return 6;
  if (uvshim_run(&loop, UVSHIM_RUN_DEFAULT) != 0) return 7;
  if (uvshim_loop_close(&loop) != 0) return 8;
  if (received.length != 5 || memcmp(received.data, "hello", 5) != 0) return 9;
  printf("received \"%.*s\" through libuvshim %u\n", (int)received.length, received.data, uvshim_abi_version());
  return 0;
}
