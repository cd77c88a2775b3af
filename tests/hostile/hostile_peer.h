// The misbehaviours of the hostile peers (hostile_server, hostile_client): one connection, one
// mode, every connection bounded to 64 MiB written and 30 s of life. As a client, a mode starts
// with the client connection preface where an HTTP/2 client would (RFC 9113 §3.4), so that each
// misbehaviour reaches the same place in the tested peer's receive path in both roles.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace hostile {

using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kMaxBytesPerConnection = 64u << 20;
constexpr auto kMaxConnectionLife = std::chrono::seconds(30);

// Set when the program is asked to stop; every connection then ends.
extern std::atomic<bool> g_stop;

// One connection, cleartext or TLS, with the bounds every mode obeys. `client`: we dialed.
class Conn {
 public:
  Conn(int fd, SSL* ssl, bool client);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  bool alive() const;
  // Writes all of `b` unless the bounds or the peer stop it; false when the connection is done.
  bool write(const Bytes& b);
  // Reads and drops what the peer sent, for up to `ms`; false when the peer closed.
  bool drain(int ms);
  // Waits until the peer closes or a bound ends the connection, reading nothing.
  void hold();
  void reset();  // the close becomes a TCP reset
  SSL* ssl() { return ssl_; }
  int fd() const { return fd_; }
  bool client() const { return client_; }

 private:
  bool wait_for(short events, int ms);
  int fd_;
  SSL* ssl_;
  bool client_;
  Clock::time_point born_;
  std::size_t written_ = 0;
  bool broken_ = false;
};

using Mode = std::function<void(Conn&)>;
// Every mode by name, for both roles (tls-garbage is the programs' own: it never makes a Conn).
const std::map<std::string, Mode>& modes();

}  // namespace hostile
