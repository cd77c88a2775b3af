// TCP client and cleartext listener on loopback: refusal, deadlines, round trips, close, reset.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "runner/transport/test_support.h"

namespace h2conform::transport {
namespace {

using testing::elapsed_ms;
using testing::in_ms;
using testing::receive_text;
using testing::send_text;

// A port that was free a moment ago: bound, read back, released.
std::uint16_t closed_port(const std::string& host) {
  ConnectError error;
  auto listener = listen({host, 0}, nullptr, &error);
  if (!listener) return 0;
  const std::uint16_t port = listener->port();
  listener->close();
  return port;
}

struct ToStringRow {
  IoStatus status;
  const char* text;
};

TEST(IoStatus, ToStringNamesEveryStatus) {
  const ToStringRow rows[] = {{IoStatus::kOk, "ok"},
                              {IoStatus::kTimeout, "timeout"},
                              {IoStatus::kClosed, "closed"},
                              {IoStatus::kReset, "reset"},
                              {IoStatus::kError, "error"}};
  for (const ToStringRow& row : rows) EXPECT_EQ(to_string(row.status), row.text);
}

TEST(TcpConnect, RefusedOnClosedIpv4PortQuicklyWithAddress) {
  const std::uint16_t port = closed_port("127.0.0.1");
  ASSERT_NE(port, 0);
  const auto start = Clock::now();
  ConnectError error;
  EXPECT_EQ(connect_tcp({"127.0.0.1", port}, in_ms(5000), &error), nullptr);
  EXPECT_EQ(error.message, "connect 127.0.0.1:" + std::to_string(port) + ": connection refused");
  EXPECT_LT(elapsed_ms(start), 1000);
}

TEST(TcpConnect, RefusedOnClosedIpv6PortNamesBracketedAddress) {
  if (!testing::ipv6_loopback_available()) GTEST_SKIP() << "::1 is not available here";
  const std::uint16_t port = closed_port("::1");
  ASSERT_NE(port, 0);
  ConnectError error;
  EXPECT_EQ(connect_tcp({"[::1]", port}, in_ms(5000), &error), nullptr);
  EXPECT_EQ(error.message, "connect [::1]:" + std::to_string(port) + ": connection refused");
}

TEST(TcpConnect, PastDeadlineTimesOutAtOnce) {
  ConnectError error;
  auto listener = listen({"127.0.0.1", 0}, nullptr, &error);
  ASSERT_NE(listener, nullptr) << error.message;
  // A loopback connect may complete in the connect() call itself; either outcome is bounded.
  auto conn =
      connect_tcp({"127.0.0.1", listener->port()}, Clock::now() - std::chrono::seconds(1), &error);
  if (!conn) {
    EXPECT_NE(error.message.find("timed out after 0 ms"), std::string::npos) << error.message;
  }
}

// A listening socket with backlog 0 whose accept queue is full drops further SYNs, so a connect
// to it hangs on loopback. Returns the port, or 0 if this kernel did not make one hang.
class FullBacklog {
 public:
  FullBacklog() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listen_fd_, 0) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return;
    }
    for (int i = 0; i < 8 && port_ == 0; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      clients_.push_back(fd);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0) continue;
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 300) == 0) port_ = ntohs(addr.sin_port);  // this one hangs: queue full
    }
  }
  ~FullBacklog() {
    for (int fd : clients_) ::close(fd);
    ::close(listen_fd_);
  }
  std::uint16_t port() const { return port_; }

 private:
  int listen_fd_ = -1;
  std::vector<int> clients_;
  std::uint16_t port_ = 0;
};

TEST(TcpConnect, DeadlineHonouredWhenPeerNeverAnswers) {
  FullBacklog backlog;
  if (backlog.port() == 0) GTEST_SKIP() << "could not make a loopback connect hang";
  const auto start = Clock::now();
  ConnectError error;
  EXPECT_EQ(connect_tcp({"127.0.0.1", backlog.port()}, in_ms(400), &error), nullptr);
  const long long took = elapsed_ms(start);
  EXPECT_EQ(error.message,
            "connect 127.0.0.1:" + std::to_string(backlog.port()) + ": timed out after 400 ms");
  EXPECT_GE(took, 390);
  EXPECT_LT(took, 2000);
}

class TcpRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(TcpRoundTrip, BytesFlowBothWaysThenCloseIsSeen) {
  const std::string host = GetParam();
  if (host.find(':') != std::string::npos && !testing::ipv6_loopback_available()) {
    GTEST_SKIP() << "::1 is not available here";
  }
  ConnectError error;
  auto listener = listen({host, 0}, nullptr, &error);
  ASSERT_NE(listener, nullptr) << error.message;
  auto client = connect_tcp({host, listener->port()}, in_ms(5000), &error);
  ASSERT_NE(client, nullptr) << error.message;
  auto server = listener->accept(in_ms(5000), &error);
  ASSERT_NE(server, nullptr) << error.message;
  EXPECT_EQ(client->describe().rfind("tcp ", 0), 0u);
  EXPECT_EQ(client->alpn(), "");

  ASSERT_TRUE(send_text(*client, "PRI * HTTP/2.0", in_ms(5000)));
  EXPECT_EQ(receive_text(*server, 14, in_ms(5000)), "PRI * HTTP/2.0");
  ASSERT_TRUE(send_text(*server, "pong", in_ms(5000)));
  EXPECT_EQ(receive_text(*client, 4, in_ms(5000)), "pong");

  server->shutdown_write();
  std::uint8_t buf[8];
  const IoResult r = client->read_some(buf, in_ms(5000));
  EXPECT_EQ(r.status, IoStatus::kClosed) << r.detail;
  ASSERT_TRUE(send_text(*client, "after", in_ms(5000)));  // half-close: the other way still works
  EXPECT_EQ(receive_text(*server, 5, in_ms(5000)), "after");
}

struct HostName {
  std::string operator()(const ::testing::TestParamInfo<const char*>& row) const {
    const std::string host = row.param;
    if (host == "127.0.0.1") return "Ipv4";
    if (host == "::1") return "Ipv6";
    if (host == "[::1]") return "Ipv6Bracketed";
    return "Localhost";
  }
};

INSTANTIATE_TEST_SUITE_P(Loopback, TcpRoundTrip,
                         ::testing::Values("127.0.0.1", "::1", "[::1]", "localhost"), HostName());

TEST(TcpRead, DeadlineGivesTimeoutWithinBound) {
  ConnectError error;
  auto listener = listen({"127.0.0.1", 0}, nullptr, &error);
  ASSERT_NE(listener, nullptr) << error.message;
  auto client = connect_tcp({"127.0.0.1", listener->port()}, in_ms(5000), &error);
  ASSERT_NE(client, nullptr) << error.message;
  const auto start = Clock::now();
  std::uint8_t buf[8];
  const IoResult r = client->read_some(buf, in_ms(200));
  EXPECT_EQ(r.status, IoStatus::kTimeout);
  EXPECT_GE(elapsed_ms(start), 195);
  EXPECT_LT(elapsed_ms(start), 2000);
}

// A raw server that aborts the connection (SO_LINGER 0 sends RST) as soon as it accepts.
TEST(TcpRead, PeerResetGivesResetAndWritesNeverRaiseSigpipe) {
  const int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(lfd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::listen(lfd, 4), 0);
  ASSERT_EQ(::getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ConnectError error;
  auto client = connect_tcp({"127.0.0.1", ntohs(addr.sin_port)}, in_ms(5000), &error);
  ASSERT_NE(client, nullptr) << error.message;
  const int sfd = ::accept(lfd, nullptr, nullptr);  // already queued: returns at once
  ASSERT_GE(sfd, 0);
  const linger abort_now{1, 0};
  ASSERT_EQ(::setsockopt(sfd, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now), 0);
  ::close(sfd);
  ::close(lfd);

  std::uint8_t buf[8];
  const IoResult r = client->read_some(buf, in_ms(5000));
  EXPECT_EQ(r.status, IoStatus::kReset) << r.detail;
  EXPECT_EQ(r.detail, "connection reset by peer");
  const std::string chunk(64 * 1024, 'x');
  IoResult w;
  for (int i = 0; i < 4 && w.ok(); ++i) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(chunk.data());
    w = client->write_all({data, chunk.size()}, in_ms(2000));
  }
  EXPECT_EQ(w.status, IoStatus::kReset) << w.detail;  // still alive: no SIGPIPE
}

TEST(TcpListen, AcceptDeadlineGivesTimeout) {
  ConnectError error;
  auto listener = listen({"127.0.0.1", 0}, nullptr, &error);
  ASSERT_NE(listener, nullptr) << error.message;
  const auto start = Clock::now();
  EXPECT_EQ(listener->accept(in_ms(150), &error), nullptr);
  EXPECT_NE(error.message.find("timed out after 150 ms"), std::string::npos) << error.message;
  EXPECT_LT(elapsed_ms(start), 2000);
}

TEST(TcpListen, PortInUseIsReported) {
  ConnectError error;
  auto first = listen({"127.0.0.1", 0}, nullptr, &error);
  ASSERT_NE(first, nullptr) << error.message;
  EXPECT_EQ(listen({"127.0.0.1", first->port()}, nullptr, &error), nullptr);
  EXPECT_EQ(error.message,
            "listen 127.0.0.1:" + std::to_string(first->port()) + ": address already in use");
}

TEST(TcpConnection, CallsAfterCloseFailWithoutCrashing) {
  ConnectError error;
  auto listener = listen({"127.0.0.1", 0}, nullptr, &error);
  ASSERT_NE(listener, nullptr) << error.message;
  auto client = connect_tcp({"127.0.0.1", listener->port()}, in_ms(5000), &error);
  ASSERT_NE(client, nullptr) << error.message;
  client->close();
  client->close();
  std::uint8_t buf[4] = {};
  EXPECT_EQ(client->read_some(buf, in_ms(100)).status, IoStatus::kError);
  EXPECT_EQ(client->write_all(buf, in_ms(100)).status, IoStatus::kError);
}

}  // namespace
}  // namespace h2conform::transport
