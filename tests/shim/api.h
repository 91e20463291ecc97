// The same calls through raw libuv and through the shim, so that each
// call-behaviour scenario is written once and run against both. Scenarios
// take the API as a template parameter: Api::pipe_bind(...), Api::Pipe, ...
#pragma once

#include <uv.h>

#ifndef UVGEN_TEST_WITHOUT_SHIM
#include "uvshim.h"
#endif

// Every function a scenario calls, by its name without the uv_/uvshim_ prefix.
#define UVGEN_API_FUNCTIONS(X)                                                                             \
  X(loop_init) X(loop_close) X(run) X(close) X(is_active) X(is_closing) X(fileno) X(handle_set_data)        \
  X(handle_get_data) X(req_set_data) X(req_get_data) X(pipe_init) X(pipe_open) X(pipe_bind) X(pipe_connect) \
  X(pipe_getsockname) X(pipe_getpeername) X(pipe_pending_instances) X(pipe_pending_count)                   \
  X(pipe_pending_type) X(pipe) X(socketpair) X(listen) X(accept) X(read_start) X(read_stop) X(write)        \
  X(write2) X(try_write) X(shutdown) X(is_readable) X(is_writable) X(stream_set_blocking)                   \
  X(stream_get_write_queue_size) X(tcp_init) X(tcp_init_ex) X(tcp_open) X(tcp_nodelay) X(tcp_keepalive)    \
  X(tcp_simultaneous_accepts) X(tcp_bind) X(tcp_getsockname) X(tcp_getpeername) X(tcp_connect)             \
  X(tcp_close_reset) X(ip4_addr) X(buf_init) X(walk) X(now) X(timer_init) X(timer_start) X(timer_stop)         \
  X(timer_again) X(timer_set_repeat) X(timer_get_repeat) X(timer_get_due_in) X(idle_init) X(idle_start)     \
  X(idle_stop) X(prepare_init) X(prepare_start) X(prepare_stop) X(check_init) X(check_start) X(check_stop)  \
  X(async_init) X(async_send) X(signal_init) X(signal_start) X(signal_start_oneshot) X(signal_stop)          \
  X(poll_init) X(poll_start) X(poll_stop) X(fs_event_init) X(fs_event_start) X(fs_event_stop)                \
  X(fs_event_getpath) X(fs_poll_init) X(fs_poll_start) X(fs_poll_stop) X(fs_poll_getpath)  \
  X(interface_addresses) X(free_interface_addresses) X(tty_init) X(tty_reset_mode) X(tty_get_winsize) \
  X(guess_handle) X(udp_init) X(udp_bind) X(udp_connect) X(udp_getsockname) X(udp_getpeername) X(udp_send) \
  X(udp_try_send) X(udp_recv_start) X(udp_recv_stop) X(udp_get_send_queue_count) \
  X(getaddrinfo) X(freeaddrinfo) X(getnameinfo) X(queue_work) X(cancel)  \
  X(fs_req_cleanup) X(fs_get_result) X(fs_get_path) X(fs_get_statbuf) X(fs_get_type) X(fs_open) X(fs_close) X(fs_read)  \
  X(fs_write) X(fs_stat) X(fs_rename) X(fs_unlink) X(fs_mkdtemp) X(fs_rmdir) X(fs_scandir) X(fs_scandir_next)  \
  X(fs_fstat) X(fs_chown) X(fs_fchown) X(fs_lchown) X(fs_statfs) X(fs_get_ptr)  \
  X(fs_opendir) X(fs_readdir) X(fs_closedir)  \
  X(os_getpid) X(os_getppid) X(os_getpriority) X(os_setpriority) X(available_parallelism) X(get_free_memory)  \
  X(get_total_memory) X(get_constrained_memory) X(os_setenv) X(os_getenv) X(os_unsetenv) X(os_environ)  \
  X(os_free_environ) X(os_gethostname) X(os_uname) X(if_indextoname) X(if_indextoiid) X(gettimeofday) X(sleep)  \
  X(hrtime) X(loop_configure) X(metrics_idle_time) X(loop_fork) X(library_shutdown) X(random) X(dlopen) X(dlclose)  \
  X(dlsym) X(dlerror)  \
  X(spawn) X(process_kill) X(process_get_pid)

struct Libuv {
  static constexpr const char* name = "libuv";
  using Loop = uv_loop_t;
  using Handle = uv_handle_t;
  using Stream = uv_stream_t;
  using Pipe = uv_pipe_t;
  using Tcp = uv_tcp_t;
  using Req = uv_req_t;
  using Connect = uv_connect_t;
  using Write = uv_write_t;
  using Shutdown = uv_shutdown_t;
  using Buf = uv_buf_t;
  using Timer = uv_timer_t;
  using Idle = uv_idle_t;
  using Prepare = uv_prepare_t;
  using Check = uv_check_t;
  using Async = uv_async_t;
  using Signal = uv_signal_t;
  using Poll = uv_poll_t;
  using FsEvent = uv_fs_event_t;
  using FsPoll = uv_fs_poll_t;
  using InterfaceAddress = uv_interface_address_t;
  using Tty = uv_tty_t;
  using Udp = uv_udp_t;
  using UdpSend = uv_udp_send_t;
  // Not GetAddrInfo/GetNameInfo: Windows' ws2tcpip.h defines those as macros.
  using AddrInfoRequest = uv_getaddrinfo_t;
  using NameInfoRequest = uv_getnameinfo_t;
  using Work = uv_work_t;
  using Fs = uv_fs_t;
  using Dirent = uv_dirent_t;
  using StatFs = uv_statfs_t;
  using Dir = uv_dir_t;
  using EnvItem = uv_env_item_t;
  using SystemName = uv_utsname_t;
  using TimeVal64 = uv_timeval64_t;
  using Random = uv_random_t;
  using Library = uv_lib_t;
  static constexpr uv_loop_option METRICS_IDLE_TIME = UV_METRICS_IDLE_TIME;
  // libuv's directory has plain fields; the shim's, accessors.
  static void dir_set_dirents(Dir* dir, Dirent* dirents, size_t n) {
    dir->dirents = dirents;
    dir->nentries = n;
  }
  using Process = uv_process_t;
  using ProcessOptions = uv_process_options_t;
  using StdioContainer = uv_stdio_container_t;
  static constexpr int FS_OPEN = UV_FS_OPEN;
  static constexpr int FS_WRITE = UV_FS_WRITE;
  static const char* host(const uv_getnameinfo_t* req) { return req->host; }
  static const char* service(const uv_getnameinfo_t* req) { return req->service; }
  static struct addrinfo* addrinfo(const uv_getaddrinfo_t* req) { return req->addrinfo; }
  using OsFd = uv_os_fd_t;  // what uv_fileno gives: an int on Unix, a HANDLE on Windows
  static constexpr uv_run_mode RUN_DEFAULT = UV_RUN_DEFAULT;
  static constexpr uv_run_mode RUN_ONCE = UV_RUN_ONCE;
  static constexpr uv_run_mode RUN_NOWAIT = UV_RUN_NOWAIT;
  static constexpr int TCP = UV_TCP;
  static constexpr int NAMED_PIPE = UV_NAMED_PIPE;
  static constexpr int TTY = UV_TTY;
  static constexpr uv_tty_mode_t TTY_MODE_NORMAL = UV_TTY_MODE_NORMAL;
  static constexpr uv_tty_mode_t TTY_MODE_RAW = UV_TTY_MODE_RAW;
  // uv.h overloads it for C++ (an int mode); the scenarios call the C function.
  static constexpr int (*tty_set_mode)(uv_tty_t*, uv_tty_mode_t) = uv_tty_set_mode;
#define UVGEN_LIBUV_FUNCTION(name) static constexpr auto name = uv_##name;
  UVGEN_API_FUNCTIONS(UVGEN_LIBUV_FUNCTION)
#undef UVGEN_LIBUV_FUNCTION
};

// A target the shim is not built for (see tests/targets/) defines UVGEN_TEST_WITHOUT_SHIM and runs
// the scenarios through libuv alone; the harness lists the shim's half as skipped there.
#ifdef UVGEN_TEST_WITHOUT_SHIM
#define UVGEN_TEST_APIS Libuv
#else
#define UVGEN_TEST_APIS Libuv, Shim

struct Shim {
  static constexpr const char* name = "shim";
  using Loop = uvshim_loop_t;
  using Handle = uvshim_handle_t;
  using Stream = uvshim_stream_t;
  using Pipe = uvshim_pipe_t;
  using Tcp = uvshim_tcp_t;
  using Req = uvshim_req_t;
  using Connect = uvshim_connect_t;
  using Write = uvshim_write_t;
  using Shutdown = uvshim_shutdown_t;
  using Buf = uvshim_buf_t;
  using Timer = uvshim_timer_t;
  using Idle = uvshim_idle_t;
  using Prepare = uvshim_prepare_t;
  using Check = uvshim_check_t;
  using Async = uvshim_async_t;
  using Signal = uvshim_signal_t;
  using Poll = uvshim_poll_t;
  using FsEvent = uvshim_fs_event_t;
  using FsPoll = uvshim_fs_poll_t;
  using InterfaceAddress = uvshim_interface_address_t;
  using Tty = uvshim_tty_t;
  using Udp = uvshim_udp_t;
  using UdpSend = uvshim_udp_send_t;
  using AddrInfoRequest = uvshim_getaddrinfo_t;
  using NameInfoRequest = uvshim_getnameinfo_t;
  using Work = uvshim_work_t;
  using Fs = uvshim_fs_t;
  using Dirent = uvshim_dirent_t;
  using StatFs = uvshim_statfs_t;
  using Dir = uvshim_dir_t;
  using EnvItem = uvshim_env_item_t;
  using SystemName = uvshim_utsname_t;
  using TimeVal64 = uvshim_timeval64_t;
  using Random = uvshim_random_t;
  using Library = uvshim_lib_t;
  static constexpr int32_t METRICS_IDLE_TIME = UVSHIM_METRICS_IDLE_TIME;
  static void dir_set_dirents(Dir* dir, Dirent* dirents, size_t n) {
    uvshim_dir_set_dirents(dir, dirents);
    uvshim_dir_set_nentries(dir, n);
  }
  using Process = uvshim_process_t;
  using ProcessOptions = uvshim_process_options_t;
  using StdioContainer = uvshim_stdio_container_t;
  static constexpr int FS_OPEN = UVSHIM_FS_OPEN;
  static constexpr int FS_WRITE = UVSHIM_FS_WRITE;
  static constexpr auto host = uvshim_getnameinfo_get_host;
  static constexpr auto service = uvshim_getnameinfo_get_service;
  static constexpr auto addrinfo = uvshim_getaddrinfo_get_addrinfo;
  using OsFd = uvshim_os_fd_t;
  static constexpr int32_t RUN_DEFAULT = UVSHIM_RUN_DEFAULT;
  static constexpr int32_t RUN_ONCE = UVSHIM_RUN_ONCE;
  static constexpr int32_t RUN_NOWAIT = UVSHIM_RUN_NOWAIT;
  static constexpr int TCP = UVSHIM_TCP;
  static constexpr int NAMED_PIPE = UVSHIM_NAMED_PIPE;
  static constexpr int TTY = UVSHIM_TTY;
  static constexpr int32_t TTY_MODE_NORMAL = UVSHIM_TTY_MODE_NORMAL;
  static constexpr int32_t TTY_MODE_RAW = UVSHIM_TTY_MODE_RAW;
  static constexpr auto tty_set_mode = uvshim_tty_set_mode;
#define UVGEN_SHIM_FUNCTION(name) static constexpr auto name = uvshim_##name;
  UVGEN_API_FUNCTIONS(UVGEN_SHIM_FUNCTION)
#undef UVGEN_SHIM_FUNCTION
};
#endif
