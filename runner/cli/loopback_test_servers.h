// Loopback targets for the CLI tests: a socket that refuses or never answers, and a server that
// sends its SETTINGS and then nothing more. Each is bound to 127.0.0.1 on a free port and
// closed by its destructor; nothing waits without a deadline.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace h2conform::cli::testing {

// A TCP socket bound to 127.0.0.1 on a free port; listening (the kernel accepts connections
// into the backlog, nobody reads or writes) or not (connections are refused).
class LoopbackSocket {
 public:
  explicit LoopbackSocket(bool listening);
  ~LoopbackSocket() { close_now(); }
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;
  void close_now();
  std::string port() const { return std::to_string(port_); }
  bool ok() const { return port_ != 0; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// An empty SETTINGS frame (RFC 9113 §3.4): the first thing an HTTP/2 server sends.
inline const std::string kEmptySettings("\x00\x00\x00\x04\x00\x00\x00\x00\x00", 9);

// Every connection it accepts gets `greeting` and nothing more; it never reads. With the default
// greeting it speaks just enough HTTP/2 to pass the preflight, and cases against it run into
// their timeouts. The accept loop polls a stop flag every 20 ms and ends after 300 s at the latest.
class GreetingServer {
 public:
  explicit GreetingServer(std::string greeting = kEmptySettings);
  ~GreetingServer();
  GreetingServer(const GreetingServer&) = delete;
  GreetingServer& operator=(const GreetingServer&) = delete;
  std::string port() const { return socket_.port(); }
  bool ok() const { return socket_.ok(); }

 private:
  void serve();
  LoopbackSocket socket_{true};
  std::string greeting_;
  std::atomic<bool> stop_{false};
  std::vector<int> clients_;  // owned by the serving thread until it is joined
  std::thread thread_;
};

}  // namespace h2conform::cli::testing
