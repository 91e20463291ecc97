// Nim programs using the generated modules, compiled by the build (tests/nim/*.nim) and run
// here against the real libuv: real sockets in a temporary folder and on 127.0.0.1, and a real
// child process. Each program checks every call's result and ends non-zero on any surprise.
// Every program runs as built by each Nim configuration (nim_compiler.h) in each flavour.
#include <unistd.h>

#include <csignal>

#include "catch.h"
#include "nim_compiler.h"
#include "process.h"

using uvgen::test::NimConfig;
using uvgen::test::ProcessResult;
using uvgen::test::runProcess;
using uvgen::test::TempDir;

namespace {

// The program as built by one configuration against one flavour of the modules.
ProcessResult runProgram(const NimConfig& config, const std::string& flavour, const std::string& program,
                         const std::vector<std::string>& args, const TempDir& dir) {
  std::vector<std::string> argv = {uvgen::test::nimProgram(config, flavour, program)};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv, dir.path());
}

// Every (configuration, flavour) pair the build compiled the programs for.
std::vector<std::pair<NimConfig, std::string>> configsAndFlavours() {
  std::vector<std::pair<NimConfig, std::string>> pairs;
  for (const NimConfig& config : uvgen::test::nimConfigs())
    for (const std::string& flavour : uvgen::test::nimFlavours()) pairs.emplace_back(config, flavour);
  return pairs;
}

}  // namespace

TEST_CASE("nim_pipe_echo_over_a_socket_path", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "pipe_echo", {dir.file("echo.sock")}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "echoed: hello over a pipe\n");
  }
}

TEST_CASE("nim_tcp_echo_on_loopback_port_0_found_with_getsockname", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "tcp_echo", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "echoed: hello over TCP\n");
  }
}

TEST_CASE("nim_pipe_getsockname_too_small_buffer_gives_enobufs_and_needed_size", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    std::string path = dir.file("name.sock");
    ProcessResult result = runProgram(config, flavour, "pipe_getsockname_enobufs", {path}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ENOBUFS, then " + std::to_string(path.size()) + " bytes: " + path + "\n");
  }
}

TEST_CASE("nim_try_write_writes_to_a_pipe_pair_at_once", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "try_write", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "tryWrite wrote 25 bytes: written without a request\n");
  }
}

TEST_CASE("nim_shutdown_then_peer_reads_eof", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "shutdown_eof", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "read last words, then EOF\n");
  }
}

TEST_CASE("nim_ipc_passes_a_tcp_connection_to_a_child_process", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "ipc_pass_tcp", {dir.file("ipc.sock")}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out ==
          "child: pendingCount=1 pendingType=hdlTcp\n"
          "client: the child process\n");
  }
}

TEST_CASE("nim_pipe_embedded_in_an_object_and_on_the_stack_uses_field_syntax", "[nim][program]") {
  // The shim flavour's Pipe is the shim's storage, which Nim knows the size of; the direct
  // flavour's is libuv 1.44's uv_pipe_t on x86_64.
  for (const auto& [flavour, size] : {std::pair<std::string, std::string>{"shim", "896"},
                                      std::pair<std::string, std::string>{"direct", "264"}}) {
    for (const NimConfig& config : uvgen::test::nimConfigs()) {
      INFO(config.name << ", flavour " << flavour);
      TempDir dir;
      ProcessResult result = runProgram(config, flavour, "embedded_handle", {}, dir);
      INFO(result.err);
      CHECK(result.exit_code == 0);
      CHECK(result.out == "embedded and standalone pipes work; Pipe is " + size + " bytes\n");
    }
  }
}

TEST_CASE("nim_program_importing_std_posix_nativesockets_and_net_with_uv_compiles_and_runs", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "posix_interop", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.rfind("posix interop: port ", 0) == 0);
    CHECK(result.out.find(", EADDRINUSE\n") != std::string::npos);
  }
}

TEST_CASE("nim_loop_configure_walk_print_handles_any_handle_and_version_constants", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "loop_and_handle_extras", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("[R--] pipe ") != std::string::npos);  // printAllHandles: referenced, not active
    CHECK(result.out.find("[R--] tcp ") != std::string::npos);
    CHECK(result.out.size() > 30);
    CHECK(result.out.substr(result.out.rfind('\n', result.out.size() - 2) + 1) == "walked 2 handles; libuv 1.44.2\n");
  }
}

TEST_CASE("nim_misc_utilities_allocator_title_memory_paths_addresses_and_clock", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "misc_utilities", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.rfind("misc utilities: title, memory, uptime, load, paths, addresses and the clock work\nrecords: ", 0) == 0);
    CHECK(result.out.find(" CPUs, user " + std::to_string(getuid()) + "\n") != std::string::npos);
  }
}

TEST_CASE("nim_interface_addresses_are_the_systems_and_loopback_is_127_0_0_1_slash_8", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "interface_addresses", {}, dir);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.rfind("interfaces: ", 0) == 0);
    CHECK(result.out.find("lo 127.0.0.1") != std::string::npos);
  }
}

TEST_CASE("nim_tty_on_a_pseudo_terminal_sizes_reads_raw_and_writes_cr_lf", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "tty", {}, dir);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "tty: 80x24, raw read abc, normal write shown as \"hello\\x0D\\x0A\"\n");
  }
}

TEST_CASE("nim_udp_datagrams_echoed_on_loopback_with_send_and_try_send", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "udp_echo", {}, dir);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "echo: hello over UDP; echo: again\n");
  }
}

TEST_CASE("nim_dns_resolves_localhost_and_names_127_0_0_1_with_and_without_callbacks", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "dns", {}, dir);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "localhost is 127.0.0.1; 127.0.0.1:80; 127.0.0.1:8080\n");
  }
}

TEST_CASE("nim_threadpool_squares_on_pool_threads_and_cancels_waiting_work", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "threadpool", {}, dir);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "squares: 1 .. 64; cancelled: ECANCELED\n");
  }
}

TEST_CASE("nim_fs_writes_on_the_pool_then_stats_renames_lists_reads_and_removes_at_once", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "fs", {}, dir);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "fs: wrote, stat'ed, renamed, listed and read back: hello from Nim\n");
  }
}

TEST_CASE("nim_process_stdout_through_a_pipe_exit_status_and_kill", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "process", {}, dir);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "child printed: from the child; exit status 7; killed by SIGTERM\n");
  }
}

TEST_CASE("nim_timers_idle_prepare_check_in_loop_order_and_async_from_a_thread", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "timers_and_loop_phases", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "timers ticked 3 times; idle, prepare, check in order; async woke the loop\n");
  }
}

TEST_CASE("nim_signal_sent_to_the_process_is_delivered_and_poll_sees_readable", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "signal_and_poll", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "signal " + std::to_string(SIGUSR1) + " delivered; poll saw readable\n");
  }
}

TEST_CASE("nim_fs_event_and_fs_poll_report_a_changed_file", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "fs_watch", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "fs event: watched.txt changed; fs poll saw it grow\n");
  }
}

TEST_CASE("nim_program_in_nimnode_style_runs_with_nimnode_names", "[nim][program]") {
  for (const auto& [config, flavour] : configsAndFlavours()) {
    INFO(config.name << ", flavour " << flavour);
    TempDir dir;
    ProcessResult result = runProgram(config, flavour, "nimnode_style", {}, dir);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out ==
          "poll: readable; fs event: watched.txt changed; detached child: exit status 3, its own session\n");
  }
}
