// A deliberately fragile HTTP/2 server for the network fuzz mode's tests (`h2conform fuzz`).
//
// It speaks just enough cleartext HTTP/2 to pass the fuzzer's checks: its SETTINGS first,
// SETTINGS and PING acknowledged, every complete request answered with a bare 200 (HPACK
// static index 8), GOAWAY FRAME_SIZE_ERROR for a frame over 16384 octets. The planted bug:
// a PING carrying the unused flag 0x8 (which RFC 9113 §4.1 says MUST be ignored) after a
// HEADERS frame on the same connection aborts the process. `--fixed` leaves the bug out.
//
// Usage: fragile_server (--port N | --port-file FILE) [--fixed] [--max-seconds S]
// Loopback only; one thread per connection (at most 64 at once), each read bounded by 10 s,
// the whole process by --max-seconds (default 300).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr char kMagic[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::size_t kMagicSize = 24;
constexpr std::uint32_t kMaxFrame = 16384;
constexpr int kMaxConnections = 64;

std::atomic<int> g_open{0};
bool g_fixed = false;

bool read_all(int fd, std::uint8_t* buf, std::size_t n) {
  while (n > 0) {
    const ssize_t r = ::read(fd, buf, n);
    if (r <= 0) return false;
    buf += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

bool write_all(int fd, const std::vector<std::uint8_t>& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t w = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (w <= 0) return false;
    done += static_cast<std::size_t>(w);
  }
  return true;
}

std::vector<std::uint8_t> frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                                const std::vector<std::uint8_t>& payload) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  std::vector<std::uint8_t> out = {static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                                   static_cast<std::uint8_t>(n),       type,
                                   flags,                              static_cast<std::uint8_t>(stream >> 24),
                                   static_cast<std::uint8_t>(stream >> 16), static_cast<std::uint8_t>(stream >> 8),
                                   static_cast<std::uint8_t>(stream)};
  for (std::uint8_t b : payload) out.push_back(b);
  return out;
}

void serve(int fd) {
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::uint8_t magic[kMagicSize];
  if (read_all(fd, magic, kMagicSize) && std::memcmp(magic, kMagic, kMagicSize) == 0 &&
      write_all(fd, frame(0x4, 0, 0, {}))) {
    bool saw_headers = false;
    std::vector<std::uint8_t> payload;
    for (int frames = 0; frames < 100000; ++frames) {
      std::uint8_t h[9];
      if (!read_all(fd, h, 9)) break;
      const std::uint32_t length = (std::uint32_t{h[0]} << 16) | (std::uint32_t{h[1]} << 8) | h[2];
      const std::uint8_t type = h[3], flags = h[4];
      const std::uint32_t stream = ((std::uint32_t{h[5]} << 24) | (std::uint32_t{h[6]} << 16) |
                                    (std::uint32_t{h[7]} << 8) | h[8]) & 0x7fffffffu;
      if (length > kMaxFrame) {
        write_all(fd, frame(0x7, 0, 0, {0, 0, 0, 0, 0, 0, 0, 0x6}));  // GOAWAY FRAME_SIZE_ERROR
        break;
      }
      payload.resize(length);
      if (!read_all(fd, payload.data(), length)) break;
      bool ok = true;
      switch (type) {
        case 0x1:  // HEADERS
          saw_headers = true;
          if ((flags & 0x4) != 0 && (stream & 1) == 1) ok = write_all(fd, frame(0x1, 0x5, stream, {0x88}));
          break;
        case 0x9:  // CONTINUATION
          if ((flags & 0x4) != 0 && (stream & 1) == 1) ok = write_all(fd, frame(0x1, 0x5, stream, {0x88}));
          break;
        case 0x4:  // SETTINGS
          if ((flags & 0x1) == 0) ok = write_all(fd, frame(0x4, 0x1, 0, {}));
          break;
        case 0x6:  // PING
          if (!g_fixed && saw_headers && (flags & 0x8) != 0) std::abort();  // the planted bug
          if ((flags & 0x1) == 0 && length == 8) ok = write_all(fd, frame(0x6, 0x1, 0, payload));
          break;
        case 0x7:  // GOAWAY
          ok = false;
          break;
        default:
          break;
      }
      if (!ok) break;
    }
  }
  ::close(fd);
  g_open.fetch_sub(1);
}

}  // namespace

int main(int argc, char** argv) {
  int port = -1;
  std::string port_file;
  long max_seconds = 300;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--port" && i + 1 < argc) port = std::atoi(argv[++i]);
    else if (a == "--port-file" && i + 1 < argc) port_file = argv[++i];
    else if (a == "--fixed") g_fixed = true;
    else if (a == "--max-seconds" && i + 1 < argc) max_seconds = std::atol(argv[++i]);
    else {
      std::fprintf(stderr, "usage: fragile_server (--port N | --port-file FILE) [--fixed] [--max-seconds S]\n");
      return 64;
    }
  }
  if (port < 0 && port_file.empty()) port = 0;
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);  // the planted abort leaves no core file behind
  std::signal(SIGPIPE, SIG_IGN);
  const int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port < 0 ? 0 : port));
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(lfd, 64) != 0) {
    std::perror("fragile_server: bind/listen");
    return 1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (!port_file.empty()) {
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << ntohs(addr.sin_port) << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{lfd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(1, left.count()))) <= 0) continue;
    const int fd = ::accept(lfd, nullptr, nullptr);
    if (fd < 0) continue;
    if (g_open.load() >= kMaxConnections) {
      ::close(fd);
      continue;
    }
    g_open.fetch_add(1);
    std::thread(serve, fd).detach();
  }
  return 0;
}
