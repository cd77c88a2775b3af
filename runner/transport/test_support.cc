#include "runner/transport/test_support.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace h2conform::transport::testing {

Deadline in_ms(int ms) { return Clock::now() + std::chrono::milliseconds(ms); }

long long elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

bool send_text(Connection& conn, const std::string& text, Deadline deadline) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(text.data());
  return conn.write_all({data, text.size()}, deadline).ok();
}

std::string receive_text(Connection& conn, std::size_t want, Deadline deadline) {
  std::string got;
  std::uint8_t buf[4096];
  while (got.size() < want) {
    const IoResult r = conn.read_some(
        std::span<std::uint8_t>(buf, std::min(sizeof buf, want - got.size())), deadline);
    if (!r.ok()) break;
    got.append(reinterpret_cast<const char*>(buf), r.n);
  }
  return got;
}

bool ipv6_loopback_available() {
  const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

TempFile::TempFile(const std::string& content) {
  std::string pattern = (std::filesystem::temp_directory_path() / "h2c-transport-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) return;
  path_ = pattern;
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

TempFile::~TempFile() {
  if (!path_.empty()) std::remove(path_.c_str());
}

AcceptThread::AcceptThread(Listener& listener, Deadline deadline)
    : thread_([this, &listener, deadline] { conn_ = listener.accept(deadline, &error_); }) {}

AcceptThread::~AcceptThread() {
  if (thread_.joinable()) thread_.join();
}

std::unique_ptr<Connection> AcceptThread::join() {
  if (thread_.joinable()) thread_.join();
  return std::move(conn_);
}

}  // namespace h2conform::transport::testing
