// Internal helpers for the socket-based transports: an owning file descriptor, address
// formatting, errno text, and poll() against an absolute deadline. Not part of the API.
#pragma once

#include <netdb.h>
#include <sys/socket.h>

#include <memory>
#include <string>

#include "runner/transport/transport.h"

namespace h2conform::transport::detail {

// Owns one file descriptor; closes it on destruction. Move-only.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();
  void reset();

 private:
  int fd_ = -1;
};

// strerror() with a lower-case first letter: "connection refused".
std::string errno_text(int err);

// "127.0.0.1:443" or "[::1]:443", numeric.
std::string format_address(const sockaddr* addr, socklen_t len);
// The peer address of a connected socket, formatted as above ("?" if unknown).
std::string peer_address(int fd);
// "host:port" for messages, with brackets around IPv6 literals.
std::string format_endpoint(const Endpoint& endpoint);

// "[::1]" -> "::1"; anything else unchanged.
std::string strip_brackets(const std::string& host);
// True for IPv4 and IPv6 literals (brackets allowed).
bool is_ip_literal(const std::string& host);

// Milliseconds from `from` to `to`, rounded to the nearest, never negative.
long long millis_between(Deadline from, Deadline to);

enum class WaitResult { kReady, kTimeout, kError };
// poll()s `fd` for `events` until the deadline; retries on EINTR. kError leaves errno set.
// kReady also covers POLLHUP/POLLERR so the caller's next syscall reports the cause.
WaitResult wait_fd(int fd, short events, Deadline deadline);

// Sets O_NONBLOCK, FD_CLOEXEC and (for TCP) TCP_NODELAY. Returns false with errno set.
bool prepare_stream_socket(int fd);

// Asks the kernel to acknowledge received bytes at once rather than after its delayed-ACK timer
// (Linux TCP_QUICKACK; the kernel may leave quick-ACK mode, so it is set after every read).
// A target that writes a response in several small writes without TCP_NODELAY otherwise waits
// about 40 ms for our ACK before its second write (Nagle's algorithm): Hypercorn did, on every
// request. Best effort: a platform or socket without it keeps the default.
void ack_quickly(int fd);

// Maps a failed recv()/send() errno to an IoResult: ECONNRESET/EPIPE -> kReset, else kError.
IoResult io_error(int err);

// getaddrinfo() results, freed on destruction.
using AddrInfoPtr = std::unique_ptr<addrinfo, void (*)(addrinfo*)>;
// Resolves host:port for TCP (AI_PASSIVE when `passive`); empty host means any address.
// On failure returns null and sets *error ("resolve nosuch.invalid: Name or service not known").
AddrInfoPtr resolve(const Endpoint& endpoint, bool passive, std::string* error);

// Resolves `endpoint` and connects to each address in turn within the deadline. On success
// returns the connected non-blocking socket and its formatted peer address.
Fd dial(const Endpoint& endpoint, Deadline deadline, std::string* peer, std::string* error);

// A TCP connection over a connected non-blocking socket; `peer` is its formatted address.
std::unique_ptr<Connection> make_tcp_connection(Fd fd, std::string peer);

// Sets *error (if non-null) and returns nullptr, for the factory functions.
template <typename T>
std::unique_ptr<T> fail(ConnectError* error, std::string message) {
  if (error != nullptr) error->message = std::move(message);
  return nullptr;
}

}  // namespace h2conform::transport::detail
