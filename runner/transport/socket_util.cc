#include "runner/transport/socket_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace h2conform::transport::detail {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int Fd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void Fd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string errno_text(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string format_address(const sockaddr* addr, socklen_t len) {
  char host[INET6_ADDRSTRLEN] = {};
  if (addr->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(in->sin_port));
  }
  if (addr->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(in6->sin6_port));
  }
  return "?";
}

std::string peer_address(int fd) {
  sockaddr_storage storage{};
  socklen_t len = sizeof storage;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &len) != 0) return "?";
  return format_address(reinterpret_cast<const sockaddr*>(&storage), len);
}

std::string strip_brackets(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

bool is_ip_literal(const std::string& host) {
  const std::string bare = strip_brackets(host);
  in6_addr buf{};
  return inet_pton(AF_INET, bare.c_str(), &buf) == 1 ||
         inet_pton(AF_INET6, bare.c_str(), &buf) == 1;
}

std::string format_endpoint(const Endpoint& endpoint) {
  const std::string bare = strip_brackets(endpoint.host);
  const bool v6 = bare.find(':') != std::string::npos;
  return (v6 ? "[" + bare + "]" : bare) + ":" + std::to_string(endpoint.port);
}

long long millis_between(Deadline from, Deadline to) {
  if (to <= from) return 0;
  return std::chrono::round<std::chrono::milliseconds>(to - from).count();
}

// Milliseconds for poll(), rounded up so a wait never ends just before the deadline.
static int poll_timeout(Deadline deadline) {
  const auto now = Clock::now();
  if (deadline <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
  return ms > 60'000 ? 60'000 : static_cast<int>(ms);
}

WaitResult wait_fd(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int timeout = poll_timeout(deadline);
    const int rc = ::poll(&p, 1, timeout);
    if (rc > 0) return WaitResult::kReady;
    if (rc < 0 && errno != EINTR) return WaitResult::kError;
    if (rc == 0 && Clock::now() >= deadline) return WaitResult::kTimeout;
  }
}

void ack_quickly(int fd) {
#ifdef TCP_QUICKACK
  int one = 1;
  (void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
  (void)fd;
#endif
}

bool prepare_stream_socket(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return false;
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return false;
  int one = 1;
#ifdef SO_NOSIGPIPE
  // Platforms without MSG_NOSIGNAL: a write to a dead peer must not raise SIGPIPE.
  if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one) != 0) return false;
#endif
  return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0;
}

AddrInfoPtr resolve(const Endpoint& endpoint, bool passive, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  const std::string host = strip_brackets(endpoint.host);
  const std::string port = std::to_string(endpoint.port);
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &list);
  if (rc != 0) {
    *error = "resolve " + (host.empty() ? std::string("(any)") : host) + ": " + gai_strerror(rc);
    return {nullptr, &freeaddrinfo};
  }
  return {list, &freeaddrinfo};
}

IoResult io_error(int err) {
  if (err == ECONNRESET || err == EPIPE) return {IoStatus::kReset, 0, errno_text(err)};
  return {IoStatus::kError, 0, errno_text(err)};
}

}  // namespace h2conform::transport::detail
