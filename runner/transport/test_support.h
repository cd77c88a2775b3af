// Helpers shared by the transport tests: deadlines, whole-message reads, temporary files,
// and a listener accepting on its own thread.
#pragma once

#include <string>
#include <thread>

#include "runner/transport/transport.h"

namespace h2conform::transport::testing {

Deadline in_ms(int ms);
long long elapsed_ms(Clock::time_point since);

// Writes the text; true when all of it went out.
bool send_text(Connection& conn, const std::string& text, Deadline deadline);
// Reads until `want` bytes arrived, the peer closed, or the deadline; returns what came.
std::string receive_text(Connection& conn, std::size_t want, Deadline deadline);

// True when an IPv6 socket can bind to ::1 here.
bool ipv6_loopback_available();

// A file in the temporary directory, removed on destruction.
class TempFile {
 public:
  explicit TempFile(const std::string& content);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs listener.accept(deadline) on a thread; join() waits for it (bounded by that deadline).
class AcceptThread {
 public:
  AcceptThread(Listener& listener, Deadline deadline);
  ~AcceptThread();
  AcceptThread(const AcceptThread&) = delete;
  AcceptThread& operator=(const AcceptThread&) = delete;
  // Waits for the accept to finish and returns its connection (null on failure, see error()).
  std::unique_ptr<Connection> join();
  const std::string& error() const { return error_.message; }

 private:
  std::unique_ptr<Connection> conn_;
  ConnectError error_;
  std::thread thread_;
};

}  // namespace h2conform::transport::testing
