// A deliberately hostile HTTP/2 "client" for client-testing mode's reliability tests: it dials
// h2conform's per-case listener and misbehaves in one way (the mode, hostile_peer.h), so that
// `h2conform client` can be shown to finish a whole run with bounded time and memory whatever a
// client does. h2conform runs it once per case: `--exec 'hostile_client MODE {url}'`.
//
// Usage: hostile_client MODE URL     (URL: http://127.0.0.1:PORT/... or https://...)
//   Loopback only; the connection is bounded like the server's (64 MiB written, 30 s); TLS
//   offers ALPN h2 and trusts any certificate. Exits 0 when its mode ran, 2 when it could not
//   connect, 64 on bad arguments.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <csignal>

#include <iostream>
#include <random>
#include <string>

#include "tests/hostile/hostile_peer.h"

namespace {

using namespace hostile;

struct Url {
  bool tls = false;
  int port = 0;
};

bool parse_url(const std::string& text, Url* url) {
  std::string rest;
  if (text.rfind("http://", 0) == 0) {
    rest = text.substr(7);
  } else if (text.rfind("https://", 0) == 0) {
    url->tls = true;
    rest = text.substr(8);
  } else {
    return false;
  }
  const std::string host = "127.0.0.1:";  // loopback only
  if (rest.rfind(host, 0) != 0) return false;
  url->port = std::atoi(rest.c_str() + host.size());
  return url->port > 0 && url->port < 65536;
}

int dial(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that closes while a TLS write is under way must not kill us: SSL_write has no
  // MSG_NOSIGNAL, so SIGPIPE is ignored (the write then fails with EPIPE).
  std::signal(SIGPIPE, SIG_IGN);
  if (argc != 3) {
    std::cerr << "usage: hostile_client MODE URL\n";
    return 64;
  }
  const std::string mode = argv[1];
  Url url;
  if (!parse_url(argv[2], &url)) {
    std::cerr << "hostile_client: the URL must be http(s)://127.0.0.1:PORT/...: " << argv[2] << "\n";
    return 64;
  }
  if (mode != "tls-garbage" && modes().count(mode) == 0) {
    std::cerr << "hostile_client: unknown mode \"" << mode << "\"\n";
    return 64;
  }
  const int fd = dial(url.port);
  if (fd < 0) {
    std::perror("hostile_client: connect");
    return 2;
  }
  if (mode == "tls-garbage") {  // bytes that are not a ClientHello
    Conn c(fd, nullptr, true);
    c.write(Bytes(4096, 0x16));
    c.drain(1000);
    return 0;
  }
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  if (url.tls) {
    ctx = SSL_CTX_new(TLS_client_method());
    static const unsigned char kAlpn[] = {2, 'h', '2'};
    SSL_CTX_set_alpn_protos(ctx, kAlpn, sizeof kAlpn);
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (SSL_connect(ssl) != 1) {
      std::cerr << "hostile_client: TLS handshake failed\n";
      SSL_free(ssl);
      SSL_CTX_free(ctx);
      ::close(fd);
      return 2;
    }
    timeval short_wait{0, 200000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &short_wait, sizeof short_wait);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &short_wait, sizeof short_wait);
  }
  {
    Conn c(fd, ssl, true);
    modes().at(mode)(c);
  }
  if (ctx != nullptr) SSL_CTX_free(ctx);
  return 0;
}
