// sync_connection(): a synchronous peer driven by our writes, with no threads and no waiting.
#include <gtest/gtest.h>

#include "runner/transport/test_support.h"

namespace h2conform::transport {
namespace {

using testing::in_ms;
using testing::receive_text;
using testing::send_text;

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

TEST(SyncConnection, InitialBytesAreQueuedAtCreation) {
  auto conn = sync_connection({bytes_of("SETTINGS"), nullptr, nullptr});
  EXPECT_EQ(receive_text(*conn, 8, in_ms(0)), "SETTINGS");
}

TEST(SyncConnection, WriteHandsBytesToPeerAndQueuesReply) {
  std::string seen;
  SyncPeer peer;
  peer.on_bytes = [&](std::span<const std::uint8_t> bytes, Bytes* reply, bool* closed) {
    seen.append(bytes.begin(), bytes.end());
    reply->insert(reply->end(), bytes.rbegin(), bytes.rend());
    (void)closed;
  };
  auto conn = sync_connection(std::move(peer));
  ASSERT_TRUE(send_text(*conn, "ping", in_ms(0)));
  EXPECT_EQ(seen, "ping");
  EXPECT_EQ(receive_text(*conn, 4, in_ms(0)), "gnip");
}

TEST(SyncConnection, IdleReadCallsOnIdleWithDeadlineThenTimesOut) {
  std::vector<Deadline> idles;
  SyncPeer peer;
  peer.on_idle = [&](Deadline d) { idles.push_back(d); };
  auto conn = sync_connection(std::move(peer));
  const Deadline deadline = in_ms(2000);
  std::uint8_t buf[4];
  const IoResult r = conn->read_some(buf, deadline);
  EXPECT_EQ(r.status, IoStatus::kTimeout);
  ASSERT_EQ(idles.size(), 1u);
  EXPECT_EQ(idles[0], deadline);
}

TEST(SyncConnection, PeerCloseGivesClosedAfterDrainingAndStopsWrites) {
  int calls = 0;
  SyncPeer peer;
  peer.on_bytes = [&](std::span<const std::uint8_t>, Bytes* reply, bool* closed) {
    ++calls;
    *reply = bytes_of("GOAWAY");
    *closed = true;
  };
  peer.on_idle = [&](Deadline) { ADD_FAILURE() << "on_idle called after close"; };
  auto conn = sync_connection(std::move(peer));
  ASSERT_TRUE(send_text(*conn, "bad", in_ms(0)));
  EXPECT_EQ(receive_text(*conn, 6, in_ms(0)), "GOAWAY");
  std::uint8_t buf[4];
  EXPECT_EQ(conn->read_some(buf, in_ms(0)).status, IoStatus::kClosed);
  EXPECT_EQ(conn->write_all(buf, in_ms(0)).status, IoStatus::kClosed);
  EXPECT_EQ(calls, 1);
}

TEST(SyncConnection, LocalCloseAndShutdownAreErrors) {
  auto conn = sync_connection({bytes_of("x"), nullptr, nullptr});
  std::uint8_t buf[4] = {};
  conn->shutdown_write();
  EXPECT_EQ(conn->write_all(buf, in_ms(0)).status, IoStatus::kError);
  conn->close();
  EXPECT_EQ(conn->read_some(buf, in_ms(0)).status, IoStatus::kError);
}

}  // namespace
}  // namespace h2conform::transport
