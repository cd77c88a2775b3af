// Starts a peer recipe (peers/NAME.sh) as a child process on a free loopback port and always
// stops it. Every wait is bounded: readiness ends on a successful connect or a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace h2conform::peers {

// A loopback port that was free a moment ago (bound with port 0, then released).
std::uint16_t pick_free_port();

class PeerProcess {
 public:
  // recipe: path of peers/NAME.sh; mode: "tls" or "clear"; workdir: created if missing.
  PeerProcess(std::filesystem::path recipe, std::string mode, std::filesystem::path workdir);
  ~PeerProcess();  // stop()
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  // Spawns the recipe and waits until the port accepts TCP connections. False with *error on
  // spawn failure, early exit (its stderr is in the message) or the deadline.
  bool start(std::chrono::milliseconds ready_within, std::string* error);
  // SIGTERM, then SIGKILL if it has not exited within the grace period. Safe to call twice.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
  bool running();
  // The recipe's exit code once it has exited (as running() or stop() saw it); -1 before, or
  // when a signal ended it. A recipe exits 77 for a mode its server cannot do (peers/lib.sh).
  int exit_code() const { return exit_code_; }
  std::uint16_t port() const { return port_; }
  std::string stderr_text() const;

 private:
  std::filesystem::path recipe_;
  std::string mode_;
  std::filesystem::path workdir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// Runs a command and returns its standard output (for "nghttpd --version"), empty on failure.
std::string capture_output(const std::string& command);

}  // namespace h2conform::peers
