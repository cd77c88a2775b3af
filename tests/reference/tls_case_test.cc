// TLS-level cases (a case's "tls" field, tls_renegotiate) cannot run in memory, so each runs here
// against our own TLS server (transport::listen) with the reference server behind it, once
// configured right (the case must pass) and once wrong (it must fail or, where the case says
// so, skip). Loopback only; every wait is bounded.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "runner/engine/engine.h"
#include "runner/engine/connection/factories.h"
#include "runner/wire/frame.h"
#include "runner/wire/make_frame.h"
#include "tests/reference/reference_server.h"

namespace h2conform::reference {
namespace {

namespace fs = std::filesystem;
using engine::Verdict;
using transport::Clock;

constexpr auto kSlice = std::chrono::milliseconds(100);  // how often the server looks at `stop`
// How long one accept (the TCP connection and its TLS handshake) may take. Long, so that a
// handshake on a loaded machine is never cut off; the destructor wakes a waiting accept.
constexpr auto kAcceptWait = std::chrono::seconds(10);

fs::path dir_from(const char* env, const char* configured) {
  const char* v = std::getenv(env);
  return fs::path(v != nullptr && *v != '\0' ? v : configured);
}

const engine::Catalogue& catalogue() {
  static const engine::Catalogue c = [] {
    const auto source = dir_from("H2CONFORM_SOURCE_DIR", H2CONFORM_CONFIGURED_SOURCE_DIR);
    return engine::load_catalogue(source / "cases", engine::load_requirements(source / "specs"));
  }();
  return c;
}

const engine::Case* find_case(const std::string& id) {
  for (const auto& c : catalogue().cases)
    if (c.id == id) return &c;
  return nullptr;
}

// Our TLS listener with the reference server behind it, serving one connection at a time.
class TlsReference {
 public:
  // goaway_at_once: instead of serving, end every connection with GOAWAY INADEQUATE_SECURITY
  // before any SETTINGS, as RFC 9113 §9.2 lets a server do when TLS falls short.
  TlsReference(transport::TlsServerOptions tls, bool require_alpn_h2, bool goaway_at_once = false)
      : require_h2_(require_alpn_h2), goaway_at_once_(goaway_at_once) {
    transport::ConnectError e;
    listener_ = transport::listen({"127.0.0.1", 0}, &tls, &e);
    EXPECT_NE(listener_, nullptr) << e.message;
    if (listener_) thread_ = std::thread([this] { accept_loop(); });
  }
  ~TlsReference() {
    stop_ = true;
    if (thread_.joinable()) {
      // A plain TCP connection, closed at once, ends a waiting accept (its handshake fails).
      transport::ConnectError e;
      transport::connect_tcp({"127.0.0.1", port()}, Clock::now() + kAcceptWait, &e);
      thread_.join();
    }
  }
  std::uint16_t port() const { return listener_ ? listener_->port() : 0; }
  std::string certificate() const { return listener_ ? listener_->certificate_pem() : std::string(); }

 private:
  void accept_loop() {
    while (!stop_) {
      transport::ConnectError e;
      auto conn = listener_->accept(Clock::now() + kAcceptWait, &e);
      if (conn) serve(*conn);
    }
  }
  // A server that insists on ALPN h2 closes other connections (RFC 9113 §3.2, §3.3).
  void serve(transport::Connection& conn) {
    if (require_h2_ && conn.alpn() != "h2") return conn.close();
    if (goaway_at_once_) {
      const auto code = static_cast<std::uint32_t>(wire::ErrorCode::kInadequateSecurity);
      const Bytes goaway = wire::encode_frame(wire::make_frame(wire::GoawayFrame{false, 0, code, {}}, 0, 0));
      if (conn.write_all(goaway, Clock::now() + std::chrono::seconds(5)).ok()) conn.shutdown_write();
      return;
    }
    ReferenceServer server;
    const Bytes hello = server.initial_bytes();
    if (!conn.write_all(hello, Clock::now() + std::chrono::seconds(5)).ok()) return;
    std::vector<std::uint8_t> buf(16384);
    while (!stop_) {
      transport::IoResult r = conn.read_some(buf, Clock::now() + kSlice);
      if (r.status == transport::IoStatus::kTimeout) continue;
      if (!r.ok()) return;
      Bytes reply;
      bool closed = false;
      server.on_bytes(ByteView(buf.data(), r.n), &reply, &closed);
      if (!reply.empty() && !conn.write_all(reply, Clock::now() + std::chrono::seconds(5)).ok()) return;
      if (closed) return conn.shutdown_write();
    }
  }

  bool require_h2_;
  bool goaway_at_once_;
  std::unique_ptr<transport::Listener> listener_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct Row {
  const char* name;
  const char* case_id;
  transport::TlsServerOptions server;
  bool require_alpn_h2 = true;
  Verdict want = Verdict::kPass;
  enum class Trust { kOff, kServer, kOther } trust = Trust::kOff;
  bool goaway_at_once = false;  // the server's first frame is GOAWAY INADEQUATE_SECURITY
  friend void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }
};

transport::TlsServerOptions server(std::function<void(transport::TlsServerOptions&)> change = {}) {
  transport::TlsServerOptions o;
  if (change) change(o);
  return o;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".pem");
  std::ofstream(path) << text;
  return path.string();
}

engine::CaseResult run(const Row& row, TlsReference& peer) {
  transport::TlsClientOptions client;
  client.verify = row.trust != Row::Trust::kOff;
  if (row.trust == Row::Trust::kServer) client.ca_file = write_temp("tls-case-ca", peer.certificate());
  if (row.trust == Row::Trust::kOther) {
    transport::ConnectError e;
    transport::TlsServerOptions other;
    auto unrelated = transport::listen({"127.0.0.1", 0}, &other, &e);  // only for its certificate
    client.ca_file = write_temp("tls-case-other-ca", unrelated ? unrelated->certificate_pem() : "");
  }
  auto factory = engine::make_tls_source({"127.0.0.1", peer.port()}, client);
  engine::Target target;
  target.authority = "localhost:" + std::to_string(peer.port());
  engine::RunOptions options;
  options.timeout = std::chrono::milliseconds(2000);
  const engine::Case* c = find_case(row.case_id);
  EXPECT_NE(c, nullptr) << row.case_id;
  if (c == nullptr) return {};
  engine::CaseResult r = engine::run_case(*c, *factory, target, options);
  if (!client.ca_file.empty()) fs::remove(client.ca_file);
  return r;
}

class TlsCase : public ::testing::TestWithParam<Row> {};

TEST_P(TlsCase, GivesTheVerdictOfItsServer) {
  const Row& row = GetParam();
  TlsReference peer(row.server, row.require_alpn_h2, row.goaway_at_once);
  ASSERT_NE(peer.port(), 0);
  const engine::CaseResult r = run(row, peer);
  std::cout << "[tls_case] " << row.name << ": " << engine::to_string(r.verdict) << ": " << r.reason << "\n";
  EXPECT_EQ(engine::to_string(r.verdict), engine::to_string(row.want))
      << r.reason << "\n  expected: " << r.expected << "\n  observed: " << r.observed;
}

using T = transport::TlsServerOptions;
INSTANTIATE_TEST_SUITE_P(
    RightAndWrong, TlsCase,
    ::testing::Values(
        Row{"H2cRefused", "rfc9113/3.2/server-never-selects-h2c", server()},
        Row{"H2cNotSelected", "rfc9113/3.2/server-never-selects-h2c", server(), false},  // 3.3's matter
        Row{"H2cSelected", "rfc9113/3.2/server-never-selects-h2c",
            server([](T& o) { o.alpn = {"h2c", "h2"}; }), false, Verdict::kFail},
        Row{"NoAlpnClosed", "rfc9113/3.3/no-http2-over-tls-without-alpn", server()},
        Row{"NoAlpnSpeaksH2", "rfc9113/3.3/no-http2-over-tls-without-alpn", server(), false, Verdict::kFail},
        Row{"Tls11Refused", "rfc9113/9.2/tls-1.1-not-used", server()},
        Row{"Tls11Accepted", "rfc9113/9.2/tls-1.1-not-used",
            server([](T& o) { o.legacy = true; o.min_version = 0x0301; }), true, Verdict::kFail},
        Row{"Tls11EndedBeforeSettings", "rfc9113/9.2/tls-1.1-not-used",
            server([](T& o) { o.legacy = true; o.min_version = 0x0301; }), true, Verdict::kPass, Row::Trust::kOff,
            true},
        Row{"SniAccepted", "rfc9113/9.2/sni-supported", server()},
        Row{"SniRejected", "rfc9113/9.2/sni-supported", server([](T& o) { o.reject_sni = true; }), true,
            Verdict::kFail},
        Row{"CertificateTrusted", "rfc9113/9.1.1/certificate-passes-client-checks", server(), true, Verdict::kPass,
            Row::Trust::kServer},
        Row{"CertificateUntrusted", "rfc9113/9.1.1/certificate-passes-client-checks", server(), true,
            Verdict::kFail, Row::Trust::kOther},
        Row{"CertificateChecksOff", "rfc9113/9.1.1/certificate-passes-client-checks", server(), true,
            Verdict::kSkip},
        Row{"RenegotiationRefused", "rfc9113/9.2.1/renegotiation-refused", server()},
        Row{"RenegotiationAccepted", "rfc9113/9.2.1/renegotiation-refused",
            server([](T& o) { o.allow_client_renegotiation = true; }), true, Verdict::kFail},
        Row{"NoHelloRequest", "rfc9113/9.2.1/no-renegotiation-after-preface", server()},
        Row{"HelloRequestSent", "rfc9113/9.2.1/no-renegotiation-after-preface",
            server([](T& o) { o.request_certificate_after_handshake = true; }), true, Verdict::kFail},
        Row{"NoCertificateRequest", "rfc9113/9.2.3/no-post-handshake-certificate-request", server()},
        Row{"CertificateRequestSent", "rfc9113/9.2.3/no-post-handshake-certificate-request",
            server([](T& o) { o.request_certificate_after_handshake = true; }), true, Verdict::kFail},
        Row{"MandatorySuite", "rfc9113/9.2.2/mandatory-cipher-suite", server([](T& o) { o.rsa_key = true; })},
        Row{"MandatorySuiteMissing", "rfc9113/9.2.2/mandatory-cipher-suite",
            server([](T& o) { o.rsa_key = true; o.ciphers = "ECDHE-RSA-AES256-GCM-SHA384"; }), true, Verdict::kFail},
        Row{"EcCertificateSkips", "rfc9113/9.2.2/mandatory-cipher-suite", server(), true, Verdict::kSkip},
        Row{"ProhibitedSuitesRefused", "rfc9113/9.2.2/prohibited-suites-only",
            server([](T& o) { o.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305"; })},
        Row{"ProhibitedSuiteUsed", "rfc9113/9.2.2/prohibited-suites-only", server(), true, Verdict::kFail},
        Row{"ProhibitedSuiteEndedBeforeSettings", "rfc9113/9.2.2/prohibited-suites-only", server(), true,
            Verdict::kPass, Row::Trust::kOff, true},
        Row{"NoCompression", "rfc9113/9.2.1/no-tls-compression", server()},
        Row{"NoTls12ForCompression", "rfc9113/9.2.1/no-tls-compression",
            server([](T& o) { o.min_version = 0x0304; }), true, Verdict::kSkip},
        Row{"EcdheGroups", "rfc9113/9.2.1/ecdhe-key-exchange", server()},
        Row{"NoEcdheGroup", "rfc9113/9.2.1/ecdhe-key-exchange",
            server([](T& o) { o.groups = "ffdhe2048"; }), true, Verdict::kFail}),
    [](const auto& row) { return std::string(row.param.name); });

// A raw TCP server answering any ClientHello with a canned TLS 1.2 ServerHello that selects
// DEFLATE compression (method 1): what a server with TLS compression enabled would send.
TEST(TlsCaseCompression, FailsWhenTheServerHelloSelectsCompression) {
  transport::ConnectError e;
  auto listener = transport::listen({"127.0.0.1", 0}, nullptr, &e);
  ASSERT_NE(listener, nullptr) << e.message;
  std::thread server([&] {
    auto conn = listener->accept(Clock::now() + std::chrono::seconds(5), nullptr);
    if (!conn) return;
    std::uint8_t buf[4096];
    conn->read_some(buf, Clock::now() + std::chrono::seconds(5));
    Bytes hello{22, 3, 3, 0, 42, 2, 0, 0, 38, 3, 3};
    hello.insert(hello.end(), 32, 0x11);                 // random
    hello.insert(hello.end(), {0, 0xc0, 0x2f, 1});       // no session id, suite, compression 1
    conn->write_all(hello, Clock::now() + std::chrono::seconds(5));
    conn->read_some(buf, Clock::now() + std::chrono::seconds(5));  // until the probe closes
  });
  transport::TlsClientOptions client;
  client.verify = false;
  auto factory = engine::make_tls_source({"127.0.0.1", listener->port()}, client);
  engine::Target target;
  target.authority = "localhost";
  const engine::Case* c = find_case("rfc9113/9.2.1/no-tls-compression");
  ASSERT_NE(c, nullptr);
  const auto r = engine::run_case(*c, *factory, target, {});
  server.join();
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.reason;
  EXPECT_EQ(r.observed, "ServerHello with compression method 1, cipher suite 49199, version 3.3");
}

TEST(TlsCaseFactory, CasesWithTlsSkipWhereTlsCannotVary) {
  const engine::Case* c = find_case("rfc9113/9.2/sni-supported");
  ASSERT_NE(c, nullptr);
  auto tcp = engine::make_tcp_source({"127.0.0.1", 1});
  auto callback = engine::make_callback_source([](transport::Deadline, std::string*) { return nullptr; }, true);
  engine::Target target;
  target.authority = "localhost:1";
  const auto over_tcp = engine::run_case(*c, *tcp, target, {});
  const auto over_callback = engine::run_case(*c, *callback, target, {});
  EXPECT_EQ(over_tcp.verdict, Verdict::kSkip);
  EXPECT_EQ(over_tcp.reason, "the case runs over TLS only");
  EXPECT_EQ(over_callback.verdict, Verdict::kSkip);
  EXPECT_EQ(over_callback.reason, "the case needs its own TLS handshake, which this connection factory cannot make");
}

}  // namespace
}  // namespace h2conform::reference
