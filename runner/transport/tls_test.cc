// Our TLS server (self-signed or from files) and our TLS client on loopback, in two threads.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "runner/transport/test_support.h"
#include "runner/transport/tls_cert.h"

namespace h2conform::transport {
namespace {

using testing::AcceptThread;
using testing::elapsed_ms;
using testing::in_ms;
using testing::receive_text;
using testing::send_text;
using testing::TempFile;

constexpr int kWaitMs = 5000;

std::unique_ptr<Listener> tls_listener(const TlsServerOptions& options = {},
                                       const std::string& host = "127.0.0.1") {
  ConnectError error;
  auto listener = listen({host, 0}, &options, &error);
  EXPECT_NE(listener, nullptr) << error.message;
  return listener;
}

TlsClientOptions insecure() {
  TlsClientOptions o;
  o.verify = false;
  return o;
}

// One handshake: the client connects while the listener accepts on another thread.
struct Handshake {
  std::unique_ptr<Connection> client;
  std::unique_ptr<Connection> server;
  std::string client_error;
  std::string server_error;
};

Handshake handshake(Listener& listener, const TlsClientOptions& options,
                    const std::string& host = "127.0.0.1") {
  Handshake h;
  AcceptThread accept(listener, in_ms(kWaitMs));
  ConnectError error;
  h.client = connect_tls({host, listener.port()}, options, in_ms(kWaitMs), &error);
  h.client_error = error.message;
  h.server = accept.join();
  h.server_error = accept.error();
  return h;
}

TEST(TlsLoopback, NegotiatesH2AndCarriesBytesBothWays) {
  auto listener = tls_listener();
  ASSERT_NE(listener, nullptr);
  Handshake h = handshake(*listener, insecure());
  ASSERT_NE(h.client, nullptr) << h.client_error;
  ASSERT_NE(h.server, nullptr) << h.server_error;
  EXPECT_EQ(h.client->alpn(), "h2");
  EXPECT_EQ(h.server->alpn(), "h2");
  EXPECT_EQ(h.client->describe(),
            "tls 127.0.0.1:" + std::to_string(listener->port()) + " TLSv1.3 alpn=h2");
  ASSERT_TRUE(send_text(*h.client, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", in_ms(kWaitMs)));
  EXPECT_EQ(receive_text(*h.server, 24, in_ms(kWaitMs)), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  const std::string big(200 * 1024, 'y');  // larger than the socket buffers: partial writes
  std::thread writer([&] { EXPECT_TRUE(send_text(*h.server, big, in_ms(kWaitMs))); });
  EXPECT_EQ(receive_text(*h.client, big.size(), in_ms(kWaitMs)), big);
  writer.join();
}

TEST(TlsLoopback, NoCommonAlpnProtocolGivesNone) {
  auto listener = tls_listener();
  ASSERT_NE(listener, nullptr);
  TlsClientOptions options = insecure();
  options.alpn = {"http/1.1"};
  Handshake h = handshake(*listener, options);
  ASSERT_NE(h.client, nullptr) << h.client_error;
  EXPECT_EQ(h.client->alpn(), "");
  EXPECT_NE(h.client->describe().find("alpn=none"), std::string::npos) << h.client->describe();
}

TEST(TlsLoopback, VerifyFailsAgainstSelfSignedCertificate) {
  auto listener = tls_listener();
  ASSERT_NE(listener, nullptr);
  Handshake h = handshake(*listener, TlsClientOptions{});
  EXPECT_EQ(h.client, nullptr);
  EXPECT_EQ(h.client_error, "tls handshake with 127.0.0.1:" + std::to_string(listener->port()) +
                                ": certificate verify failed: self-signed certificate");
  EXPECT_EQ(h.server, nullptr);
  EXPECT_NE(h.server_error.find("TLS alert from peer"), std::string::npos) << h.server_error;
}

struct VerifyRow {
  const char* name;
  const char* listen_host;
  const char* connect_host;
  const char* sni;
  bool ok;
  friend void PrintTo(const VerifyRow& row, std::ostream* os) { *os << row.name; }
};

struct RowName {
  template <typename Row>
  std::string operator()(const ::testing::TestParamInfo<Row>& row) const {
    return row.param.name;
  }
};

class TlsVerify : public ::testing::TestWithParam<VerifyRow> {};

TEST_P(TlsVerify, ChecksCertificateAgainstCaFileAndName) {
  const VerifyRow& row = GetParam();
  if (std::string(row.listen_host) == "::1" && !testing::ipv6_loopback_available()) GTEST_SKIP();
  auto listener = tls_listener({}, row.listen_host);
  ASSERT_NE(listener, nullptr);
  const TempFile ca(listener->certificate_pem());
  ASSERT_FALSE(ca.path().empty());
  TlsClientOptions options;
  options.ca_file = ca.path();
  options.sni = row.sni;
  Handshake h = handshake(*listener, options, row.connect_host);
  if (row.ok) {
    ASSERT_NE(h.client, nullptr) << h.client_error;
    EXPECT_EQ(h.client->alpn(), "h2");
  } else {
    EXPECT_EQ(h.client, nullptr);
    EXPECT_NE(h.client_error.find("certificate verify failed: "), std::string::npos)
        << h.client_error;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Names, TlsVerify,
    ::testing::Values(VerifyRow{"Ipv4Literal", "127.0.0.1", "127.0.0.1", "", true},
                      VerifyRow{"DnsName", "127.0.0.1", "localhost", "", true},
                      VerifyRow{"Ipv6Literal", "::1", "[::1]", "", true},
                      VerifyRow{"ExplicitSniMatches", "127.0.0.1", "127.0.0.1", "localhost", true},
                      VerifyRow{"ExplicitSniMismatch", "127.0.0.1", "127.0.0.1", "example.com",
                                false}),
    RowName());

TEST(TlsLoopback, ServerUsesCertificateAndKeyFiles) {
  detail::SelfSigned pair;
  std::string why;
  ASSERT_TRUE(detail::make_self_signed(&pair, &why)) << why;
  const TempFile cert(detail::certificate_to_pem(pair.cert.get()));
  const TempFile key(detail::private_key_to_pem(pair.key.get()));
  TlsServerOptions server;
  server.cert_file = cert.path();
  server.key_file = key.path();
  auto listener = tls_listener(server);
  ASSERT_NE(listener, nullptr);
  EXPECT_EQ(listener->certificate_pem(), detail::certificate_to_pem(pair.cert.get()));
  TlsClientOptions options;
  options.ca_file = cert.path();
  Handshake h = handshake(*listener, options);
  EXPECT_NE(h.client, nullptr) << h.client_error;
}

TEST(TlsListen, HalfConfiguredCertificateIsRejected) {
  TlsServerOptions server;
  server.cert_file = "cert.pem";
  ConnectError error;
  EXPECT_EQ(listen({"127.0.0.1", 0}, &server, &error), nullptr);
  EXPECT_NE(error.message.find("needs both cert_file and key_file"), std::string::npos)
      << error.message;
}

TEST(TlsLoopback, CipherListRestrictsTls12Suites) {
  TlsServerOptions server;
  server.ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384";
  auto listener = tls_listener(server);
  ASSERT_NE(listener, nullptr);
  TlsClientOptions options = insecure();
  options.max_version = TLS1_2_VERSION;
  options.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
  Handshake refused = handshake(*listener, options);
  EXPECT_EQ(refused.client, nullptr);
  EXPECT_NE(refused.client_error.find("TLS alert from peer: handshake failure"), std::string::npos)
      << refused.client_error;
  EXPECT_NE(refused.server_error.find("no shared cipher"), std::string::npos)
      << refused.server_error;

  options.ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384";
  Handshake agreed = handshake(*listener, options);
  ASSERT_NE(agreed.client, nullptr) << agreed.client_error;
  EXPECT_NE(agreed.client->describe().find(" TLSv1.2 alpn=h2"), std::string::npos)
      << agreed.client->describe();
}

struct BadOptionRow {
  const char* name;
  TlsClientOptions options;
  const char* message;
  friend void PrintTo(const BadOptionRow& row, std::ostream* os) { *os << row.name; }
};

class TlsClientOptionsError : public ::testing::TestWithParam<BadOptionRow> {};

TEST_P(TlsClientOptionsError, GivesClearErrorBeforeConnecting) {
  ConnectError error;
  const auto start = Clock::now();
  EXPECT_EQ(connect_tls({"127.0.0.1", 9}, GetParam().options, in_ms(kWaitMs), &error), nullptr);
  EXPECT_EQ(error.message, GetParam().message);
  EXPECT_LT(elapsed_ms(start), 1000);
}

TlsClientOptions with(void (*edit)(TlsClientOptions&)) {
  TlsClientOptions o;
  edit(o);
  return o;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, TlsClientOptionsError,
    ::testing::Values(
        BadOptionRow{"BogusCipherList", with([](TlsClientOptions& o) { o.ciphers = "BOGUS"; }),
                     "TLS cipher list \"BOGUS\": no cipher match"},
        BadOptionRow{"BogusCiphersuites",
                     with([](TlsClientOptions& o) { o.ciphersuites = "TLS_NOPE"; }),
                     "TLS 1.3 ciphersuites \"TLS_NOPE\": no cipher match"},
        BadOptionRow{"UnknownVersion", with([](TlsClientOptions& o) { o.min_version = 7; }),
                     "TLS min_version 7 is not a known version"},
        BadOptionRow{"EmptyAlpnName", with([](TlsClientOptions& o) { o.alpn = {""}; }),
                     "ALPN protocol name \"\" must be 1 to 255 bytes"},
        BadOptionRow{"MissingCaFile",
                     with([](TlsClientOptions& o) { o.ca_file = "no-such-ca.pem"; }),
                     "TLS CA file \"no-such-ca.pem\": no such file or directory"}),
    RowName());

TEST(TlsLoopback, PeerCloseGivesClosedWithOrWithoutCloseNotify) {
  auto listener = tls_listener();
  ASSERT_NE(listener, nullptr);
  std::uint8_t buf[16];
  Handshake notify = handshake(*listener, insecure());
  ASSERT_NE(notify.server, nullptr) << notify.server_error;
  ASSERT_TRUE(send_text(*notify.server, "last", in_ms(kWaitMs)));
  notify.server->shutdown_write();
  EXPECT_EQ(receive_text(*notify.client, 4, in_ms(kWaitMs)), "last");
  IoResult r = notify.client->read_some(buf, in_ms(kWaitMs));
  EXPECT_EQ(r.status, IoStatus::kClosed);
  EXPECT_EQ(r.detail, "TLS close_notify from peer");

  Handshake abrupt = handshake(*listener, insecure());
  ASSERT_NE(abrupt.server, nullptr) << abrupt.server_error;
  abrupt.server->close();
  r = abrupt.client->read_some(buf, in_ms(kWaitMs));
  EXPECT_EQ(r.status, IoStatus::kClosed);
  EXPECT_EQ(r.detail, "connection closed without TLS close_notify");
}

TEST(TlsLoopback, WritesAfterPeerVanishedGiveResetNotSigpipe) {
  auto listener = tls_listener();
  ASSERT_NE(listener, nullptr);
  Handshake h = handshake(*listener, insecure());
  ASSERT_NE(h.client, nullptr) << h.client_error;
  ASSERT_NE(h.server, nullptr) << h.server_error;
  h.server->close();
  const std::string chunk(64 * 1024, 'z');
  IoResult w;
  for (int i = 0; i < 8 && w.ok(); ++i) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(chunk.data());
    w = h.client->write_all({data, chunk.size()}, in_ms(kWaitMs));
  }
  EXPECT_EQ(w.status, IoStatus::kReset) << w.detail;  // reaching here means no SIGPIPE
}

TEST(TlsLoopback, ReadDeadlineGivesTimeoutWithinBound) {
  auto listener = tls_listener();
  ASSERT_NE(listener, nullptr);
  Handshake h = handshake(*listener, insecure());
  ASSERT_NE(h.client, nullptr) << h.client_error;
  const auto start = Clock::now();
  std::uint8_t buf[16];
  EXPECT_EQ(h.client->read_some(buf, in_ms(200)).status, IoStatus::kTimeout);
  EXPECT_GE(elapsed_ms(start), 195);
  EXPECT_LT(elapsed_ms(start), 2000);
}

TEST(TlsClient, HandshakeDeadlineHonouredAgainstSilentServer) {
  ConnectError error;
  auto silent = listen({"127.0.0.1", 0}, nullptr, &error);  // cleartext: never answers a hello
  ASSERT_NE(silent, nullptr) << error.message;
  const auto start = Clock::now();
  EXPECT_EQ(connect_tls({"127.0.0.1", silent->port()}, insecure(), in_ms(300), &error), nullptr);
  EXPECT_EQ(error.message, "tls handshake with 127.0.0.1:" + std::to_string(silent->port()) +
                               ": timed out after 300 ms");
  EXPECT_GE(elapsed_ms(start), 295);
  EXPECT_LT(elapsed_ms(start), 2000);
}

TEST(TlsClient, ResetDuringHandshakeIsReported) {
  const int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(lfd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::listen(lfd, 4), 0);
  ASSERT_EQ(::getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::thread aborter([lfd] {  // reads the ClientHello, then aborts with RST
    pollfd p{lfd, POLLIN, 0};
    if (::poll(&p, 1, kWaitMs) != 1) return;
    const int fd = ::accept(lfd, nullptr, nullptr);
    pollfd q{fd, POLLIN, 0};
    char hello[512];
    if (::poll(&q, 1, kWaitMs) == 1 && ::recv(fd, hello, sizeof hello, 0) > 0) {
      const linger abort_now{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now);
    }
    ::close(fd);
  });
  ConnectError error;
  EXPECT_EQ(connect_tls({"127.0.0.1", ntohs(addr.sin_port)}, insecure(), in_ms(kWaitMs), &error),
            nullptr);
  aborter.join();
  ::close(lfd);
  EXPECT_NE(error.message.find(": connection reset by peer"), std::string::npos) << error.message;
}

}  // namespace
}  // namespace h2conform::transport
