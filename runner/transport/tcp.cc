// TCP client: resolve, connect each address in turn within the deadline, then non-blocking
// reads and writes that poll() against the caller's deadline.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "runner/transport/socket_util.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0  // SO_NOSIGPIPE is set on the socket instead
#endif

namespace h2conform::transport {
namespace detail {
namespace {

class TcpConnection final : public Connection {
 public:
  TcpConnection(Fd fd, std::string peer) : fd_(std::move(fd)), peer_(std::move(peer)) {}

  IoResult write_all(std::span<const std::uint8_t> data, Deadline deadline) override {
    std::size_t sent = 0;
    while (sent < data.size()) {
      if (!fd_.valid()) return {IoStatus::kError, sent, "connection closed locally"};
      const ssize_t n =
          ::send(fd_.get(), data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        return with_count(io_error(errno), sent);
      const WaitResult w = wait_fd(fd_.get(), POLLOUT, deadline);
      if (w == WaitResult::kTimeout) {
        return {IoStatus::kTimeout, sent, std::to_string(data.size() - sent) + " bytes unsent"};
      }
      if (w == WaitResult::kError) return with_count(io_error(errno), sent);
    }
    return {IoStatus::kOk, sent, {}};
  }

  IoResult read_some(std::span<std::uint8_t> buf, Deadline deadline) override {
    if (buf.empty()) return {};
    for (;;) {
      if (!fd_.valid()) return {IoStatus::kError, 0, "connection closed locally"};
      const ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
      if (n > 0) {
        ack_quickly(fd_.get());
        return {IoStatus::kOk, static_cast<std::size_t>(n), {}};
      }
      if (n == 0) return {IoStatus::kClosed, 0, "connection closed by peer"};
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return io_error(errno);
      const WaitResult w = wait_fd(fd_.get(), POLLIN, deadline);
      if (w == WaitResult::kTimeout) return {IoStatus::kTimeout, 0, "no bytes before the deadline"};
      if (w == WaitResult::kError) return io_error(errno);
    }
  }

  void shutdown_write() override {
    if (fd_.valid()) ::shutdown(fd_.get(), SHUT_WR);
  }
  void close() override { fd_.reset(); }
  std::string describe() const override { return "tcp " + peer_; }

 private:
  static IoResult with_count(IoResult r, std::size_t n) {
    r.n = n;
    return r;
  }

  Fd fd_;
  std::string peer_;
};

// One non-blocking connect attempt. On failure returns an invalid Fd and says why.
Fd connect_one(const addrinfo& ai, Deadline deadline, long long budget_ms, std::string* why) {
  Fd fd(::socket(ai.ai_family, SOCK_STREAM | SOCK_CLOEXEC, ai.ai_protocol));
  if (!fd.valid() || !prepare_stream_socket(fd.get())) {
    *why = errno_text(errno);
    return {};
  }
  if (::connect(fd.get(), ai.ai_addr, ai.ai_addrlen) == 0) return fd;
  if (errno != EINPROGRESS) {
    *why = errno_text(errno);
    return {};
  }
  const WaitResult w = wait_fd(fd.get(), POLLOUT, deadline);
  if (w != WaitResult::kReady) {
    *why = w == WaitResult::kTimeout ? "timed out after " + std::to_string(budget_ms) + " ms"
                                     : errno_text(errno);
    return {};
  }
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    *why = errno_text(err);
    return {};
  }
  return fd;
}

}  // namespace

Fd dial(const Endpoint& endpoint, Deadline deadline, std::string* peer, std::string* error) {
  const long long budget_ms = millis_between(Clock::now(), deadline);
  std::string why;
  AddrInfoPtr list = resolve(endpoint, false, &why);
  if (!list) {
    *error = why;
    return {};
  }
  std::string failures;
  for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
    const std::string address = format_address(ai->ai_addr, ai->ai_addrlen);
    Fd fd = connect_one(*ai, deadline, budget_ms, &why);
    if (fd.valid()) {
      *peer = address;
      return fd;
    }
    failures += (failures.empty() ? "" : "; ") + ("connect " + address + ": " + why);
  }
  *error = failures.empty() ? "connect " + format_endpoint(endpoint) + ": no address" : failures;
  return {};
}

std::unique_ptr<Connection> make_tcp_connection(Fd fd, std::string peer) {
  return std::make_unique<TcpConnection>(std::move(fd), std::move(peer));
}

}  // namespace detail

std::unique_ptr<Connection> connect_tcp(const Endpoint& endpoint, Deadline deadline,
                                        ConnectError* error) {
  std::string peer;
  std::string why;
  detail::Fd fd = detail::dial(endpoint, deadline, &peer, &why);
  if (!fd.valid()) return detail::fail<Connection>(error, why);
  return detail::make_tcp_connection(std::move(fd), std::move(peer));
}

}  // namespace h2conform::transport
