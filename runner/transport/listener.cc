// Server side: bind and listen, accept within a deadline, and (for TLS) finish the handshake.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "runner/transport/tls_server.h"

namespace h2conform::transport {
namespace detail {
namespace {

class SocketListener final : public Listener {
 public:
  SocketListener(Fd fd, std::uint16_t port, std::unique_ptr<ServerTls> tls)
      : fd_(std::move(fd)), port_(port), tls_(std::move(tls)) {}

  std::unique_ptr<Connection> accept(Deadline deadline, ConnectError* error) override {
    const long long budget_ms = millis_between(Clock::now(), deadline);
    std::string peer;
    std::string why;
    Fd client = accept_socket(deadline, budget_ms, &peer, &why);
    if (!client.valid()) return fail<Connection>(error, why);
    if (!tls_) return make_tcp_connection(std::move(client), std::move(peer));

    ERR_clear_error();
    SslPtr ssl(SSL_new(tls_->ctx.get()));
    BIO* bio = ssl ? new_socket_bio(client.get()) : nullptr;
    if (bio == nullptr) return fail<Connection>(error, "TLS session: " + take_ssl_errors());
    SSL_set_bio(ssl.get(), bio, bio);
    SSL_set_accept_state(ssl.get());
    auto conn = std::make_unique<TlsConnection>(std::move(client), std::move(ssl), peer);
    IoResult r = conn->handshake(deadline);
    if (r.status == IoStatus::kTimeout)
      r.detail = "timed out after " + std::to_string(budget_ms) + " ms";
    if (r.ok() && tls_->request_certificate_after_handshake) r = conn->request_client_certificate(deadline);
    if (!r.ok()) return fail<Connection>(error, "tls handshake with " + peer + ": " + r.detail);
    return conn;
  }

  std::uint16_t port() const override { return port_; }
  bool wait_for_client(Deadline deadline) override {
    return fd_.valid() && wait_fd(fd_.get(), POLLIN, deadline) == WaitResult::kReady;
  }
  void close() override { fd_.reset(); }
  std::string certificate_pem() const override { return tls_ ? tls_->cert_pem : std::string(); }

 private:
  Fd accept_socket(Deadline deadline, long long budget_ms, std::string* peer, std::string* why) {
    const std::string where = "accept on port " + std::to_string(port_) + ": ";
    for (;;) {
      if (!fd_.valid()) {
        *why = where + "listener closed";
        return {};
      }
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      Fd client(::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC));
      if (client.valid()) {
        if (!prepare_stream_socket(client.get())) continue;  // the client is already gone
        *peer = format_address(reinterpret_cast<const sockaddr*>(&addr), len);
        return client;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED) {
        *why = where + errno_text(errno);
        return {};
      }
      const WaitResult w = wait_fd(fd_.get(), POLLIN, deadline);
      if (w == WaitResult::kTimeout)
        *why = where + "timed out after " + std::to_string(budget_ms) + " ms";
      if (w == WaitResult::kError) *why = where + errno_text(errno);
      if (w != WaitResult::kReady) return {};
    }
  }

  Fd fd_;
  std::uint16_t port_;
  std::unique_ptr<ServerTls> tls_;
};

constexpr int kBacklog = 64;

// Binds and listens on one resolved address; returns the socket or says why not.
Fd bind_one(const addrinfo& ai, std::string* why) {
  Fd fd(::socket(ai.ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol));
  int one = 1;
  if (!fd.valid() || setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      ::bind(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0 || ::listen(fd.get(), kBacklog) != 0) {
    *why = errno_text(errno);
    return {};
  }
  return fd;
}

std::uint16_t bound_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
}

}  // namespace
}  // namespace detail

std::unique_ptr<Listener> listen(const Endpoint& endpoint, const TlsServerOptions* tls,
                                 ConnectError* error) {
  using namespace detail;
  std::string why;
  std::unique_ptr<ServerTls> server_tls;
  if (tls != nullptr && !(server_tls = make_server_tls(*tls, &why)))
    return fail<Listener>(error, why);
  AddrInfoPtr list = resolve(endpoint, true, &why);
  if (!list) return fail<Listener>(error, why);
  std::string failures;
  for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
    Fd fd = bind_one(*ai, &why);
    if (fd.valid()) {
      const std::uint16_t port = bound_port(fd.get());
      return std::make_unique<SocketListener>(std::move(fd), port, std::move(server_tls));
    }
    failures += (failures.empty() ? "" : "; ") +
                ("listen " + format_address(ai->ai_addr, ai->ai_addrlen) + ": " + why);
  }
  return fail<Listener>(
      error, failures.empty() ? "listen " + format_endpoint(endpoint) + ": no address" : failures);
}

}  // namespace h2conform::transport
