// `h2conform client --exec CMD`: the client under test is a shell command, run once per case.
//
// Contract: the command runs through /bin/sh -c with the placeholders {url} {host} {port}
// {scheme} {authority} {path} {ca} {case} replaced by shell-quoted values, in its own process
// group, stdin /dev/null; its stdout is read and only counted, the last kStderrTail bytes of
// its stderr kept. finish() waits for it until the deadline (on the process's own evidence:
// a pidfd and its pipes, no sleeps), then sends SIGTERM to its group, waits kTermGrace, sends
// SIGKILL and reaps it. It signals only the process group it made. Nothing here throws.
#pragma once

#include <chrono>
#include <cstddef>
#include <sys/types.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "runner/engine/connection/client_launcher.h"

namespace h2conform::cli {

inline constexpr std::size_t kStderrTail = 2048;
inline constexpr std::chrono::milliseconds kTermGrace{500};

// 'value' for a POSIX shell: single quotes, and ' written as '\''.
std::string shell_quote(const std::string& value);

// The command with every known {placeholder} replaced by its quoted value; unknown braces stay.
std::string substitute_placeholders(const std::string& command, const engine::ClientEndpoint& endpoint);

// The process groups of the clients that are running (not yet reaped), for an aborted run.
struct LiveClients {
  std::mutex mutex;
  std::set<pid_t> groups;
};

class ExecLauncher final : public engine::ClientLauncher {
 public:
  explicit ExecLauncher(std::string command) : command_(std::move(command)), live_(std::make_shared<LiveClients>()) {}
  std::unique_ptr<engine::LaunchedClient> launch(const engine::ClientEndpoint& endpoint, std::string* error) override;
  // SIGKILL to the group of every client still running: a run given up on (a second Ctrl-C)
  // leaves none behind. Only groups this launcher made and has not reaped yet.
  void kill_running();

 private:
  std::string command_;
  std::shared_ptr<LiveClients> live_;
};

}  // namespace h2conform::cli
