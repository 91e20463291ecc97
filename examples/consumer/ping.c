/* Sends "ping" across a socketpair through the shim and prints what arrived. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "uvshim.h"

static char arrived[16];
static char buffer[64];

static void on_alloc(uvshim_handle_t *handle, size_t suggested, uvshim_buf_t *buf) {
  (void)handle;
  (void)suggested;
  buf->base = buffer;
  buf->len = sizeof buffer;
}

static void on_read(uvshim_stream_t *stream, intptr_t nread, const uvshim_buf_t *buf) {
  if (nread > 0) {
    size_t room = sizeof arrived - 1 - strlen(arrived);
    strncat(arrived, buf->base, (size_t)nread < room ? (size_t)nread : room);
  }
  if (nread != 0) uvshim_close((uvshim_handle_t *)stream, NULL);
}

static void on_write(uvshim_write_t *req, int32_t status) {
  (void)status;
  uvshim_close((uvshim_handle_t *)uvshim_write_get_handle(req), NULL);
}

int main(void) {
  uvshim_loop_t loop;
  uvshim_pipe_t left, right;
  uvshim_write_t write;
  int32_t fds[2];
  char message[] = "ping";
  uvshim_buf_t buf = uvshim_buf_init(message, 4);
  if (uvshim_loop_init(&loop) || uvshim_socketpair(SOCK_STREAM, 0, fds, 0, 0)) return 1;
  uvshim_pipe_init(&loop, &left, 0);
  uvshim_pipe_init(&loop, &right, 0);
  uvshim_pipe_open(&left, fds[0]);
  uvshim_pipe_open(&right, fds[1]);
  uvshim_read_start((uvshim_stream_t *)&right, on_alloc, on_read);
  uvshim_write(&write, (uvshim_stream_t *)&left, &buf, 1, on_write);
  uvshim_run(&loop, UVSHIM_RUN_DEFAULT);
  if (uvshim_loop_close(&loop)) return 2;
  printf("arrived: %s\n", arrived);
  return strcmp(arrived, "ping") == 0 ? 0 : 3;
}
