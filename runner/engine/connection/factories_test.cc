// The accepting source on loopback: it hands over the next peer that connects, cleartext or
// TLS with ALPN h2, and gives up at its deadline.
#include "runner/engine/connection/factories.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>

namespace h2conform::engine {
namespace {

using namespace std::chrono_literals;

transport::Deadline in(std::chrono::milliseconds ms) { return transport::Clock::now() + ms; }

TEST(AcceptingSource, HandsOverACleartextPeerWithItsFirstBytes) {
  std::string error;
  auto source = make_accepting_source({}, &error);
  ASSERT_NE(source, nullptr) << error;
  EXPECT_FALSE(source->is_tls());
  EXPECT_FALSE(source->can_vary_tls());
  ASSERT_NE(source->port(), 0);
  transport::ConnectError e;
  auto client = transport::connect_tcp({"127.0.0.1", source->port()}, in(2000ms), &e);
  ASSERT_NE(client, nullptr) << e.message;
  const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  ASSERT_TRUE(client->write_all({reinterpret_cast<const std::uint8_t*>(preface.data()), preface.size()}, in(2000ms)).ok());
  auto accepted = source->open(in(2000ms), &error);
  ASSERT_NE(accepted, nullptr) << error;
  std::uint8_t buf[3];
  auto r = accepted->read_some(buf, in(2000ms));
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), r.n), std::string("PRI").substr(0, r.n));
}

TEST(AcceptingSource, EndsAtTheDeadlineWhenNobodyConnects) {
  std::string error;
  auto source = make_accepting_source({}, &error);
  ASSERT_NE(source, nullptr) << error;
  const auto start = transport::Clock::now();
  EXPECT_EQ(source->open(start + 100ms, &error), nullptr);
  EXPECT_GE(transport::Clock::now() - start, 90ms);
  EXPECT_LT(transport::Clock::now() - start, 2000ms);
  EXPECT_NE(error.find("timed out"), std::string::npos) << error;
}

TEST(AcceptingSource, TwoSourcesNeverShareAConnection) {
  std::string error;
  auto a = make_accepting_source({}, &error);
  auto b = make_accepting_source({}, &error);
  ASSERT_TRUE(a && b) << error;
  EXPECT_NE(a->port(), b->port());
  transport::ConnectError e;
  auto client = transport::connect_tcp({"127.0.0.1", a->port()}, in(2000ms), &e);
  ASSERT_NE(client, nullptr) << e.message;
  EXPECT_EQ(b->open(in(100ms), &error), nullptr);
  EXPECT_NE(a->open(in(2000ms), &error), nullptr) << error;
}

// Connects a TLS client to `source` on another thread while the source accepts.
std::unique_ptr<transport::Connection> accept_tls(AcceptingSource& source, std::vector<std::string> alpn,
                                                  std::string* error) {
  transport::TlsClientOptions options;
  options.alpn = std::move(alpn);
  options.verify = false;
  auto client = std::async(std::launch::async, [&source, options] {
    transport::ConnectError e;
    return transport::connect_tls({"127.0.0.1", source.port()}, options, in(2000ms), &e);
  });
  auto accepted = source.open(in(2000ms), error);
  client.get();
  return accepted;
}

TEST(AcceptingSource, TlsPeerMustAgreeOnH2) {
  std::string error;
  auto source = make_accepting_source({"127.0.0.1", 0, true, {}, {}}, &error);
  ASSERT_NE(source, nullptr) << error;
  EXPECT_TRUE(source->is_tls());
  EXPECT_FALSE(source->can_vary_tls());
  EXPECT_NE(source->certificate_pem().find("BEGIN CERTIFICATE"), std::string::npos);
  auto h2 = accept_tls(*source, {"h2"}, &error);
  ASSERT_NE(h2, nullptr) << error;
  EXPECT_EQ(h2->alpn(), "h2");
  error.clear();
  EXPECT_EQ(accept_tls(*source, {"http/1.1"}, &error), nullptr);
  EXPECT_NE(error, "");
}

// Client testing gives every case's listener the run's one certificate, so a client trusts one
// CA file for the whole run.
TEST(AcceptingSource, ServesTheCertificateItIsGiven) {
  std::string error;
  AcceptingOptions options{"127.0.0.1", 0, true, {}, {}};
  ASSERT_TRUE(transport::make_self_signed_pem(&options.cert_pem, &options.key_pem, &error)) << error;
  auto a = make_accepting_source(options, &error);
  auto b = make_accepting_source(options, &error);
  ASSERT_NE(a, nullptr) << error;
  ASSERT_NE(b, nullptr) << error;
  EXPECT_EQ(a->certificate_pem(), options.cert_pem);
  EXPECT_EQ(b->certificate_pem(), options.cert_pem);
  auto h2 = accept_tls(*a, {"h2"}, &error);
  ASSERT_NE(h2, nullptr) << error;
  options.key_pem = "not a key";
  EXPECT_EQ(make_accepting_source(options, &error), nullptr);
  EXPECT_NE(error.find("PEM"), std::string::npos) << error;
}

TEST(AcceptingSource, WaitsForAPeerWithoutAcceptingIt) {
  std::string error;
  auto source = make_accepting_source({}, &error);
  ASSERT_NE(source, nullptr) << error;
  EXPECT_FALSE(source->wait_for_peer(in(20ms)));
  transport::ConnectError e;
  auto client = transport::connect_tcp({"127.0.0.1", source->port()}, in(2000ms), &e);
  ASSERT_NE(client, nullptr) << e.message;
  EXPECT_TRUE(source->wait_for_peer(in(2000ms)));
  EXPECT_TRUE(source->wait_for_peer(in(2000ms)));  // still waiting: nothing was accepted
  EXPECT_NE(source->open(in(2000ms), &error), nullptr) << error;
}

}  // namespace
}  // namespace h2conform::engine
