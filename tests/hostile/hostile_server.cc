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

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "runner/transport/tls_cert.h"
#include "tests/hostile/hostile_peer.h"

namespace {

using namespace hostile;

constexpr auto kMaxServerLife = std::chrono::minutes(10);

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
    Conn c(fd, nullptr, false);
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
  Conn c(fd, ssl, false);
  modes().at(mode)(c);
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that closes while a TLS write is under way must not kill us: SSL_write has no
  // MSG_NOSIGNAL, so SIGPIPE is ignored (the write then fails with EPIPE).
  std::signal(SIGPIPE, SIG_IGN);
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
