// The preflight against in-memory targets: the reference server speaks HTTP/2; fakes answer in
// HTTP/1.x, with TLS records, garbage, silence or a close. No network, no sleeps.
#include "runner/engine/run/preflight.h"

#include <gtest/gtest.h>

#include "runner/engine/connection/factories.h"
#include "tests/reference/mutants.h"

namespace h2conform::engine {
namespace {

using namespace std::chrono_literals;
using Outcome = PreflightResult::Outcome;

transport::Bytes bytes_of(std::string_view text) { return transport::Bytes(text.begin(), text.end()); }

// A target that sends `greeting` once it has our preface, then closes when `close` is set.
std::unique_ptr<ConnectionSource> greeting_factory(std::string greeting, bool close) {
  return make_callback_source([greeting, close](transport::Deadline, std::string*) {
    transport::SyncPeer peer;
    auto sent = std::make_shared<bool>(false);
    peer.on_bytes = [greeting, close, sent](std::span<const std::uint8_t>, transport::Bytes* reply, bool* closed) {
      if (!*sent) reply->insert(reply->end(), greeting.begin(), greeting.end());
      *sent = true;
      if (close) *closed = true;
    };
    return transport::sync_connection(std::move(peer));
  });
}

Target target() {
  Target t;
  t.authority = "example.test";
  t.scheme = "http";
  return t;
}

TEST(Preflight, TheReferenceServerSpeaksHttp2AndAnswersTheGet) {
  auto factory = make_callback_source([](transport::Deadline, std::string*) {
    return transport::sync_connection(reference::make_reference_peer());
  });
  const PreflightResult r = preflight(*factory, target(), 1000ms);
  EXPECT_EQ(r.outcome, Outcome::kHttp2) << r.finding;
  EXPECT_EQ(r.finding, "");
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(*r.status, 200);
  EXPECT_EQ(r.warning, "");
}

TEST(Preflight, UnreachableTargetKeepsTheConnectErrorWithAHint) {
  auto factory = make_callback_source([](transport::Deadline, std::string* error) {
    *error = "connect 127.0.0.1:1: connection refused";
    return std::unique_ptr<transport::Connection>();
  });
  const PreflightResult r = preflight(*factory, target(), 1000ms);
  EXPECT_EQ(r.outcome, Outcome::kUnreachable);
  EXPECT_EQ(r.finding, "connect 127.0.0.1:1: connection refused (is the server running on that port?)");
}

struct GreetingRow {
  const char* name;
  std::string greeting;
  bool close;
  std::string finding;
};

class PreflightGreeting : public ::testing::TestWithParam<GreetingRow> {};

TEST_P(PreflightGreeting, NamesWhatTheTargetSaid) {
  const GreetingRow& row = GetParam();
  auto factory = greeting_factory(row.greeting, row.close);
  const PreflightResult r = preflight(*factory, target(), 1000ms);
  EXPECT_EQ(r.outcome, Outcome::kNotHttp2);
  EXPECT_EQ(r.finding, row.finding);
}

INSTANTIATE_TEST_SUITE_P(
    Answers, PreflightGreeting,
    ::testing::Values(
        GreetingRow{"Http1", "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n", true,
                    "answered HTTP/1.1 400 Bad Request, not HTTP/2 (prior knowledge); is it an h2c port?"},
        GreetingRow{"TlsAlert", std::string("\x15\x03\x03\x00\x02\x02\x32", 7), true,
                    "answered with a TLS alert record, not cleartext HTTP/2; is it a TLS port? (try -t)"},
        GreetingRow{"CloseWithoutAWord", "", true,
                    "closed the connection without answering the HTTP/2 connection preface; is it a TLS port? "
                    "(try -t)"},
        GreetingRow{"Silence", "", false,
                    "sent nothing within 1000 ms of the HTTP/2 connection preface (an HTTP/2 server sends its "
                    "SETTINGS at once, RFC 9113 §3.4); is it a TLS port? (try -t)"},
        GreetingRow{"ErrorPageWithoutStatusLine", "<!DOCTYPE HTML>\n<html><body>Error code: 505</body></html>\n",
                    true,
                    "answered with text (\"<!DOCTYPE HTML> ...\"), not HTTP/2 (prior knowledge); is it an h2c "
                    "port?"},
        GreetingRow{"Garbage", std::string("\xde\xad\xbe\xef\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c", 17),
                    false,
                    "sent bytes that are not HTTP/2 (deadbeef000102030405060708090a0b...), not the SETTINGS frame "
                    "an HTTP/2 server sends first (RFC 9113 §3.4)"},
        GreetingRow{"FewBytesThenClose", "\x01\x02", true,
                    "sent 2 bytes (0102) and closed the connection, not an HTTP/2 SETTINGS frame"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(Preflight, AFirstFrameOtherThanSettingsIsLeftToTheCases) {
  // A PING first is HTTP/2 spoken badly: the handshake of every case judges it (RFC 9113 §3.4).
  EXPECT_EQ(classify_first_bytes(bytes_of(std::string("\0\0\x08\x06\0\0\0\0\0", 9)), false, false), "");
  EXPECT_EQ(classify_first_bytes(bytes_of(std::string("\0\0\0\x04\0\0\0\0\0", 9)), true, false), "");
  // An unknown type with a huge length is not.
  EXPECT_NE(classify_first_bytes(bytes_of(std::string("\xff\xff\xff\x4f\0\0\0\0\0", 9)), false, false), "");
}

TEST(Preflight, Http1OverTlsSaysItSelectedH2) {
  EXPECT_EQ(classify_first_bytes(bytes_of("HTTP/1.1 400 Bad Request\r\n"), true, true),
            "answered HTTP/1.1 400 Bad Request, not HTTP/2 (although it selected ALPN h2)");
}

struct ConnectErrorRow {
  const char* name;
  std::string error;
  bool tls;
  std::string explained;
};

class PreflightConnectError : public ::testing::TestWithParam<ConnectErrorRow> {};

TEST_P(PreflightConnectError, AddsTheFix) {
  EXPECT_EQ(explain_connect_error(GetParam().error, GetParam().tls), GetParam().explained);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, PreflightConnectError,
    ::testing::Values(
        ConnectErrorRow{"SelfSigned", "tls handshake with 127.0.0.1:8443: certificate verify failed: self-signed certificate",
                        true,
                        "tls handshake with 127.0.0.1:8443: certificate verify failed: self-signed certificate (use -k "
                        "to skip certificate verification)"},
        ConnectErrorRow{"CleartextPortWithTls", "tls handshake with 127.0.0.1:80: wrong version number", true,
                        "tls handshake with 127.0.0.1:80: wrong version number: the port does not speak TLS; for "
                        "cleartext HTTP/2 (h2c) drop -t"},
        ConnectErrorRow{"NoAlpnH2", "the server did not select ALPN h2 (got \"http/1.1\")", true,
                        "the server did not select ALPN h2 (got \"http/1.1\"): HTTP/2 is not enabled on this TLS port"},
        ConnectErrorRow{"NoApplicationProtocolAlert",
                        "tls handshake with 127.0.0.1:8443: TLS alert from peer: no application protocol", true,
                        "tls handshake with 127.0.0.1:8443: TLS alert from peer: no application protocol: HTTP/2 is "
                        "not enabled on this TLS port"},
        ConnectErrorRow{"Other", "resolve nosuchhost.invalid: Name or service not known", false,
                        "resolve nosuchhost.invalid: Name or service not known"}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::engine
