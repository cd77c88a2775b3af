// What one case takes from a target is bounded (connection/session.h PeerBudget, the field block
// cap): past a bound the case ends as an error naming it, and below it nothing changes.
#include <gtest/gtest.h>

#include <string>

#include "runner/engine/connection/connection_state.h"
#include "runner/engine/connection/session.h"
#include "runner/engine/script/engine_test_util.h"

namespace h2conform::engine {
namespace {

using testing::FakeClock;
using testing::FakePeer;
using testing::make;
using wire::FrameType;

class PeerBudgetTest : public ::testing::Test {
 protected:
  CaseResult run(const std::string& steps) { return testing::run_against(peer, clock, steps); }
  static wire::Bytes pings(std::uint64_t count) {
    const wire::Bytes one = wire::encode_frame(make(wire::PingFrame{}));
    wire::Bytes out;
    for (std::uint64_t i = 0; i < count; ++i) out.insert(out.end(), one.begin(), one.end());
    return out;
  }
  std::size_t pings_we_sent() const {
    std::size_t n = 0;
    for (const auto& f : peer.received) n += f.header.type == static_cast<std::uint8_t>(FrameType::kPing) ? 1 : 0;
    return n;
  }

  FakeClock clock;
  FakePeer peer;
};

constexpr const char* kPingThenAck = R"([{"handshake": {}},
  {"send": {"type": "PING", "data_hex": "0102030405060708"}},
  {"expect": {"frame": {"type": "PING", "flags": ["ACK"], "data_hex": "0102030405060708"}}}])";

TEST_F(PeerBudgetTest, AFloodPastTheFrameBoundEndsTheCaseAsAnErrorNamingIt) {
  peer.initial = testing::settings();
  const wire::Bytes flood = pings(PeerBudget::kMaxFrames + 10);
  peer.initial.insert(peer.initial.end(), flood.begin(), flood.end());
  const CaseResult r = run(kPingThenAck);
  EXPECT_EQ(r.verdict, Verdict::kError) << r.reason;
  EXPECT_NE(r.reason.find("more than " + std::to_string(PeerBudget::kMaxFrames) + " frames"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("PING"), std::string::npos) << r.reason;
  // Our automatic PING ACKs stopped at their own bound, and the transcript says so.
  EXPECT_LE(pings_we_sent(), PeerBudget::kMaxAutomaticReplies + 2);
  bool noted = false;
  for (const auto& e : r.transcript) noted = noted || e.event.find("automatic replies stopped") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST_F(PeerBudgetTest, TrafficBelowTheBoundsChangesNothing) {
  peer.initial = testing::settings();
  const wire::Bytes some = pings(1000);
  peer.initial.insert(peer.initial.end(), some.begin(), some.end());
  const CaseResult r = run(kPingThenAck);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason;
  EXPECT_GE(pings_we_sent(), 1001u) << "every PING below the bound is acknowledged";
}

TEST_F(PeerBudgetTest, EndlessContinuationEndsAsAnErrorAtTheFieldBlockCap) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type != static_cast<std::uint8_t>(FrameType::kHeaders)) return;
    p.send(wire::encode_frame(make(wire::HeadersFrame{{0x88}, std::nullopt, std::nullopt}, f.header.stream_id, 0)));
    const wire::Bytes cont =
        wire::encode_frame(make(wire::ContinuationFrame{wire::Bytes(16000, 0x88)}, f.header.stream_id, 0));
    for (std::size_t sent = 0; sent <= kMaxFieldBlockBytes; sent += 16000) p.send(cont);
  };
  const CaseResult r = run(R"([{"handshake": {}},
    {"send": {"type": "HEADERS", "stream": "$next_stream", "request": {}, "flags": ["END_STREAM", "END_HEADERS"]}},
    {"expect": {"response": {}}}])");
  EXPECT_EQ(r.verdict, Verdict::kError) << r.reason;
  EXPECT_NE(r.reason.find("MiB of field block on stream 1 without END_HEADERS"), std::string::npos) << r.reason;
}

}  // namespace
}  // namespace h2conform::engine
