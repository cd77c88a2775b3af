// A deliberately hostile HTTP/2 "server" on loopback, for the reliability tests: every accepted
// connection gets one misbehaviour (the mode), so that h2conform can be shown to finish a whole
// run with bounded time and memory whatever a target does.
//
// Usage: hostile_server MODE [--tls] [--port-file FILE]
//   Listens on 127.0.0.1 (an ephemeral port, written to FILE or printed), serves each connection
//   on its own thread, and exits when stdin reaches end of file (the test closes it) or after
//   10 minutes. Every connection is bounded: at most 64 MiB written and 30 s of life.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "runner/transport/tls_cert.h"

namespace {

using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kMaxBytesPerConnection = 64u << 20;
constexpr auto kMaxConnectionLife = std::chrono::seconds(30);
constexpr auto kMaxServerLife = std::chrono::minutes(10);

std::atomic<bool> g_stop{false};

// One accepted connection, cleartext or TLS, with the bounds every mode obeys.
class Conn {
 public:
  Conn(int fd, SSL* ssl) : fd_(fd), ssl_(ssl), born_(Clock::now()) {}
  ~Conn() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    ::close(fd_);
  }
  bool alive() const {
    return !g_stop && !broken_ && written_ < kMaxBytesPerConnection && Clock::now() - born_ < kMaxConnectionLife;
  }
  // Writes all of `b` unless the bounds or the peer stop it; false when the connection is done.
  bool write(const Bytes& b) {
    std::size_t off = 0;
    while (off < b.size() && alive()) {
      const std::size_t n = std::min<std::size_t>(b.size() - off, kMaxBytesPerConnection - written_);
      long w = 0;
      if (ssl_ != nullptr) {
        w = SSL_write(ssl_, b.data() + off, static_cast<int>(n));
      } else {
        if (!wait_for(POLLOUT, 200)) continue;
        w = ::send(fd_, b.data() + off, n, MSG_NOSIGNAL);
      }
      if (w <= 0) {
        if (ssl_ == nullptr && w < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        broken_ = true;
        return false;
      }
      off += static_cast<std::size_t>(w);
      written_ += static_cast<std::size_t>(w);
    }
    return off == b.size();
  }
  // Reads and drops what the client sent, for up to `ms`; false when the client closed.
  bool drain(int ms) {
    const auto until = Clock::now() + std::chrono::milliseconds(ms);
    std::uint8_t buf[16384];
    while (alive() && Clock::now() < until) {
      if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (!wait_for(POLLIN, static_cast<int>(std::max<long>(left, 0)))) return alive();
      }
      const long r = ssl_ != nullptr ? SSL_read(ssl_, buf, sizeof buf) : ::recv(fd_, buf, sizeof buf, 0);
      if (r <= 0) {
        if (ssl_ == nullptr && r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (ssl_ != nullptr && SSL_get_error(ssl_, static_cast<int>(r)) == SSL_ERROR_WANT_READ) continue;
        broken_ = true;
        return false;
      }
    }
    return alive();
  }
  // Waits until the client closes or a bound ends the connection, reading nothing.
  void hold() {
    while (alive()) {
      pollfd p{fd_, POLLRDHUP, 0};
      if (::poll(&p, 1, 200) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0) return;
    }
  }
  void reset() {
    linger l{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }
  SSL* ssl() { return ssl_; }
  int fd() const { return fd_; }

 private:
  bool wait_for(short events, int ms) {
    pollfd p{fd_, events, 0};
    const int r = ::poll(&p, 1, ms);
    if (r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0 && (p.revents & events) == 0) broken_ = true;
    return r > 0 && (p.revents & events) != 0;
  }
  int fd_;
  SSL* ssl_;
  Clock::time_point born_;
  std::size_t written_ = 0;
  bool broken_ = false;
};

Bytes frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, const Bytes& payload) {
  const std::size_t n = payload.size();
  Bytes out{static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n),
            type, flags,
            static_cast<std::uint8_t>(stream >> 24), static_cast<std::uint8_t>(stream >> 16),
            static_cast<std::uint8_t>(stream >> 8), static_cast<std::uint8_t>(stream)};
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}
Bytes repeat(const Bytes& unit, std::size_t times) {
  Bytes out;
  out.reserve(unit.size() * times);
  for (std::size_t i = 0; i < times; ++i) out.insert(out.end(), unit.begin(), unit.end());
  return out;
}

const Bytes kSettings = frame(0x4, 0, 0, {});
const Bytes kSettingsAck = frame(0x4, 0x1, 0, {});

// The server's connection preface and an ACK of the client's SETTINGS, after reading a little.
bool greet(Conn& c) { return c.write(kSettings) && c.drain(50) && c.write(kSettingsAck); }

// Writes `unit` over and over (reading what the client sends now and then) until a bound ends it.
void flood(Conn& c, const Bytes& unit) {
  const Bytes batch = repeat(unit, std::max<std::size_t>(1, 16384 / unit.size()));
  for (int i = 0; c.alive(); ++i) {
    if (!c.write(batch)) return;
    if (i % 64 == 0 && !c.drain(0)) return;
  }
}

// A HPACK literal with incremental indexing, new name "x", of a `size`-octet value (RFC 7541
// §6.2.1), then `refs` indexed references to it (index 62: the newest dynamic entry).
Bytes hpack_bomb_block(std::size_t size, std::size_t refs) {
  Bytes b{0x40, 0x01, 'x'};
  // value length as a 7-bit prefix integer
  std::size_t v = size;
  if (v < 127) {
    b.push_back(static_cast<std::uint8_t>(v));
  } else {
    b.push_back(0x7f);
    v -= 127;
    while (v >= 128) {
      b.push_back(static_cast<std::uint8_t>(0x80 | (v & 0x7f)));
      v >>= 7;
    }
    b.push_back(static_cast<std::uint8_t>(v));
  }
  b.insert(b.end(), size, 'a');
  b.insert(b.end(), refs, 0xbe);  // indexed field 62
  return b;
}

using Mode = std::function<void(Conn&)>;

const std::map<std::string, Mode>& modes() {
  static const std::map<std::string, Mode> m = {
      {"garbage", [](Conn& c) {
         std::mt19937 rng(1);
         Bytes junk(4096);
         for (auto& x : junk) x = static_cast<std::uint8_t>(rng());
         c.write(junk);
         c.drain(1000);
       }},
      {"close-after-preface", [](Conn& c) { c.write(kSettings); }},
      {"reset-mid-frame", [](Conn& c) {
         if (!greet(c)) return;
         c.write({0x00, 0x00, 0x08, 0x06});  // half a PING header
         c.reset();
       }},
      {"huge-frame-trickle", [](Conn& c) {
         if (!greet(c)) return;
         c.write({0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01});  // DATA, 16 MiB - 1
         while (c.alive() && c.write({'x'}) && c.drain(100)) {
         }
       }},
      {"endless-continuation", [](Conn& c) {
         if (!greet(c) || !c.drain(20)) return;
         c.write(frame(0x1, 0x0, 1, {0x88}));  // HEADERS :status 200, no END_HEADERS
         flood(c, frame(0x9, 0x0, 1, Bytes(16384, 0x88)));
       }},
      {"hpack-bomb", [](Conn& c) {
         if (!greet(c) || !c.drain(20)) return;
         // One 4000-octet entry, then 12000 references: 48 MB of fields per block, every block.
         const Bytes block = hpack_bomb_block(4000, 12000);
         for (std::uint32_t stream = 1; c.alive() && stream < 200; stream += 2) {
           if (!c.write(frame(0x1, 0x4, stream, block)) || !c.drain(5)) return;
         }
       }},
      {"table-size-update-max", [](Conn& c) {
         if (!greet(c) || !c.drain(20)) return;
         // Dynamic Table Size Update to 2^32-1 (RFC 7541 §6.3), then :status 200.
         c.write(frame(0x1, 0x5, 1, {0x3f, 0xe0, 0xff, 0xff, 0xff, 0x0f, 0x88}));
         c.drain(30000);
       }},
      {"settings-flood", [](Conn& c) {
         if (greet(c)) flood(c, kSettings);
       }},
      {"ping-flood", [](Conn& c) {
         if (greet(c)) flood(c, frame(0x6, 0, 0, Bytes(8, 0x42)));
       }},
      {"window-update-flood", [](Conn& c) {
         if (greet(c)) flood(c, frame(0x8, 0, 0, {0, 0, 0, 1}));
       }},
      {"empty-data-flood", [](Conn& c) {
         if (!greet(c) || !c.drain(20)) return;
         c.write(frame(0x1, 0x4, 1, {0x88}));  // :status 200 on stream 1
         flood(c, frame(0x0, 0, 1, {}));
       }},
      {"never-reads", [](Conn& c) {
         int small = 4096;
         ::setsockopt(c.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
         c.write(frame(0x4, 0, 0, {0x00, 0x04, 0, 0, 0, 0}));  // SETTINGS_INITIAL_WINDOW_SIZE 0
         c.hold();
       }},
      {"slowloris", [](Conn& c) {
         if (!greet(c)) return;
         const Bytes ping = frame(0x6, 0, 0, Bytes(8, 0x42));
         for (std::size_t i = 0; c.alive(); i = (i + 1) % ping.size()) {
           if (!c.write({ping[i]}) || !c.drain(300)) return;
         }
       }},
      {"silent", [](Conn& c) { c.hold(); }},
      {"close-notify-mid-frame", [](Conn& c) {
         if (!greet(c) || !c.drain(20)) return;
         c.write({0x00, 0x00, 0x08, 0x06, 0x00});  // part of a PING header
         if (c.ssl() != nullptr) SSL_shutdown(c.ssl());
         c.drain(1000);
       }},
  };
  return m;
}

SSL_CTX* make_tls_context() {
  h2conform::transport::detail::SelfSigned pair;
  std::string error;
  if (!h2conform::transport::detail::make_self_signed(&pair, &error)) {
    std::cerr << "hostile_server: " << error << "\n";
    return nullptr;
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate(ctx, pair.cert.get());
  SSL_CTX_use_PrivateKey(ctx, pair.key.get());
  SSL_CTX_set_alpn_select_cb(
      ctx,
      [](SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char*, unsigned int, void*) {
        static const unsigned char h2[] = {'h', '2'};
        *out = h2;
        *outlen = 2;
        return SSL_TLSEXT_ERR_OK;
      },
      nullptr);
  return ctx;
}

void serve(int fd, SSL_CTX* tls, const std::string& mode) {
  if (mode == "tls-garbage") {  // answers the ClientHello with bytes that are not TLS
    Conn c(fd, nullptr);
    c.drain(100);
    c.write(Bytes(4096, 0x17));
    c.drain(1000);
    return;
  }
  SSL* ssl = nullptr;
  if (tls != nullptr) {
    ssl = SSL_new(tls);
    SSL_set_fd(ssl, fd);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (SSL_accept(ssl) != 1) {
      SSL_free(ssl);
      ::close(fd);
      return;
    }
    timeval none{0, 200000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof none);
  }
  Conn c(fd, ssl);
  modes().at(mode)(c);
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode, port_file;
  bool tls = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--tls") tls = true;
    else if (a == "--port-file" && i + 1 < argc) port_file = argv[++i];
    else if (mode.empty()) mode = a;
    else { std::cerr << "hostile_server: unexpected argument " << a << "\n"; return 64; }
  }
  if (mode != "tls-garbage" && modes().count(mode) == 0) {
    std::cerr << "hostile_server: unknown mode \"" << mode << "\"; modes: tls-garbage";
    for (const auto& [name, _] : modes()) std::cerr << " " << name;
    std::cerr << "\n";
    return 64;
  }
  SSL_CTX* ctx = tls && mode != "tls-garbage" ? make_tls_context() : nullptr;
  if (tls && mode != "tls-garbage" && ctx == nullptr) return 2;

  const int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(lfd, 128) != 0 ||
      ::getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("hostile_server: listen");
    return 2;
  }
  const int port = ntohs(addr.sin_port);
  if (!port_file.empty()) {
    std::ofstream(port_file + ".tmp") << port << "\n";
    std::rename((port_file + ".tmp").c_str(), port_file.c_str());
  } else {
    std::cout << port << std::endl;
  }

  std::thread([] {  // stdin at end of file: the test is done with us
    char b[64];
    while (::read(0, b, sizeof b) > 0) {
    }
    g_stop = true;
  }).detach();
  const auto end = Clock::now() + kMaxServerLife;
  std::vector<std::thread> workers;
  while (!g_stop && Clock::now() < end) {
    pollfd p{lfd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    const int fd = ::accept(lfd, nullptr, nullptr);
    if (fd < 0) continue;
    workers.emplace_back(serve, fd, ctx, mode);
  }
  g_stop = true;
  for (auto& w : workers) w.join();
  return 0;
}
