// The hostile peers' modes (hostile_peer.h).
#include "tests/hostile/hostile_peer.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <random>

namespace hostile {

std::atomic<bool> g_stop{false};

Conn::Conn(int fd, SSL* ssl, bool client) : fd_(fd), ssl_(ssl), client_(client), born_(Clock::now()) {}

Conn::~Conn() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ::close(fd_);
}

bool Conn::alive() const {
  return !g_stop && !broken_ && written_ < kMaxBytesPerConnection && Clock::now() - born_ < kMaxConnectionLife;
}

bool Conn::write(const Bytes& b) {
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

bool Conn::drain(int ms) {
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

void Conn::hold() {
  while (alive()) {
    pollfd p{fd_, POLLRDHUP, 0};
    if (::poll(&p, 1, 200) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0) return;
  }
}

void Conn::reset() {
  linger l{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

bool Conn::wait_for(short events, int ms) {
  pollfd p{fd_, events, 0};
  const int r = ::poll(&p, 1, ms);
  if (r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0 && (p.revents & events) == 0) broken_ = true;
  return r > 0 && (p.revents & events) != 0;
}

namespace {

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
const std::string kClientMagic = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// As a client, the connection preface's first part (RFC 9113 §3.4); nothing as a server.
bool magic(Conn& c) { return !c.client() || c.write(Bytes(kClientMagic.begin(), kClientMagic.end())); }

// Our connection preface and an ACK of the peer's SETTINGS, after reading a little.
bool greet(Conn& c) { return magic(c) && c.write(kSettings) && c.drain(50) && c.write(kSettingsAck); }

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

}  // namespace

const std::map<std::string, Mode>& modes() {
  static const std::map<std::string, Mode> m = {
      {"garbage", [](Conn& c) {
         std::mt19937 rng(1);
         Bytes junk(4096);
         for (auto& x : junk) x = static_cast<std::uint8_t>(rng());
         c.write(junk);
         c.drain(1000);
       }},
      {"close-after-preface", [](Conn& c) {
         if (magic(c)) c.write(kSettings);
       }},
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
         c.write(frame(0x1, 0x0, 1, {0x88}));  // HEADERS (:status 200), no END_HEADERS
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
         if (!magic(c)) return;
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

}  // namespace hostile
