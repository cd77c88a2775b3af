// Send steps run from the typed script: the loader's defaults reach the wire as the format
// says (cases/README.md "send"), and the transcript shows overrides as the case wrote them.
#include <chrono>

#include <gtest/gtest.h>

#include "runner/engine/script/engine_test_util.h"

namespace h2conform::engine {
namespace {

using testing::FakeClock;
using testing::FakePeer;
using wire::FrameType;

CaseResult run_steps(const std::string& steps, FakePeer& peer) {
  FakeClock clock;
  return testing::run_against(peer, clock, steps);
}

// The last frame of `type` the peer received, or nullptr.
const wire::Frame* last_of(const FakePeer& peer, FrameType type) {
  const wire::Frame* found = nullptr;
  for (const auto& f : peer.received) {
    if (f.header.type == static_cast<std::uint8_t>(type)) found = &f;
  }
  return found;
}

struct WireRow {
  const char* name;
  const char* send;  // one send step after the handshake
  FrameType type;
  void (*check)(const wire::Frame& frame);
};

class SendDefaults : public ::testing::TestWithParam<WireRow> {};

TEST_P(SendDefaults, ReachTheWire) {
  FakePeer peer;
  CaseResult r = run_steps(std::string(R"([{"handshake": {}}, )") + GetParam().send + "]", peer);
  ASSERT_EQ(r.verdict, Verdict::kPass) << r.reason;
  const wire::Frame* f = last_of(peer, GetParam().type);
  ASSERT_NE(f, nullptr);
  GetParam().check(*f);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, SendDefaults,
    ::testing::Values(
        WireRow{"rstStreamCancel", R"({"send": {"type": "RST_STREAM", "stream": 1}})", FrameType::kRstStream,
                [](const wire::Frame& f) { EXPECT_EQ(std::get<wire::RstStreamFrame>(f.payload).error_code, 0x8u); }},
        WireRow{"goawayNoErrorLastStreamZero", R"({"send": {"type": "GOAWAY"}})", FrameType::kGoaway,
                [](const wire::Frame& f) {
                  EXPECT_EQ(std::get<wire::GoawayFrame>(f.payload).error_code, 0x0u);
                  EXPECT_EQ(std::get<wire::GoawayFrame>(f.payload).last_stream_id, 0u);
                  EXPECT_EQ(f.header.stream_id, 0u);
                }},
        WireRow{"windowUpdateOne", R"({"send": {"type": "WINDOW_UPDATE"}})", FrameType::kWindowUpdate,
                [](const wire::Frame& f) { EXPECT_EQ(std::get<wire::WindowUpdateFrame>(f.payload).increment, 1u); }},
        WireRow{"pingZeros", R"({"send": {"type": "PING"}})", FrameType::kPing,
                [](const wire::Frame& f) {
                  EXPECT_EQ(std::get<wire::PingFrame>(f.payload).opaque, (std::array<std::uint8_t, 8>{}));
                  EXPECT_EQ(f.header.flags, 0);
                }},
        WireRow{"priorityFields", R"({"send": {"type": "PRIORITY", "stream": 1}})", FrameType::kPriority,
                [](const wire::Frame& f) {
                  const auto& p = std::get<wire::PriorityFrame>(f.payload).priority;
                  EXPECT_EQ(p.stream_dependency, 0u);
                  EXPECT_FALSE(p.exclusive);
                  EXPECT_EQ(p.weight, 16);
                }},
        WireRow{"settingsInOrder", R"({"send": {"type": "SETTINGS", "settings": [["MAX_FRAME_SIZE", 16385], ["ENABLE_PUSH", 0]]}})",
                FrameType::kSettings,
                [](const wire::Frame& f) {
                  const auto& s = std::get<wire::SettingsFrame>(f.payload).settings;
                  ASSERT_EQ(s.size(), 2u);
                  EXPECT_EQ(s[0].id, 0x5);
                  EXPECT_EQ(s[0].value, 16385u);
                  EXPECT_EQ(s[1].id, 0x2);
                }},
        WireRow{"headersEndHeadersOnly", R"({"send": {"type": "HEADERS", "stream": "$next_stream", "request": {}}})",
                FrameType::kHeaders,
                [](const wire::Frame& f) {
                  EXPECT_EQ(f.header.flags, wire::flags::kEndHeaders);
                  EXPECT_EQ(f.header.stream_id, 1u);
                }}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(SendStep, TranscriptShowsOverridesAsWritten) {
  FakePeer peer;
  CaseResult r = run_steps(R"([{"handshake": {}},
      {"send": {"type": "PING", "length": 8, "reserved": true, "append_hex": "", "note": "why"}}])", peer);
  ASSERT_EQ(r.verdict, Verdict::kPass) << r.reason;
  bool shown = false;
  for (const auto& e : r.transcript) {
    shown = shown || e.summary.find("overrides: length=8, reserved=true, append_hex=\"\"; why") != std::string::npos;
  }
  EXPECT_TRUE(shown);
}

TEST(SendStep, AValueOutOfRangeWhenItRunsIsAHarnessError) {
  FakePeer peer;  // within the loader's bound as written, beyond it once evaluated
  CaseResult r = run_steps(R"([{"handshake": {}},
      {"send": {"type": "DATA", "stream": 1, "length": "$max_frame_size + 16777215"}}])", peer);
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.reason.find("send: length: value"), std::string::npos) << r.reason;
}

// "$scheme_index" in a block follows the run's scheme: the octet on the wire is the indexed
// field ":scheme: http" (0x86) over cleartext and ":scheme: https" (0x87) over TLS.
TEST(SendStep, SchemeIndexFollowsTheRunsScheme) {
  for (const auto& [scheme, octet] : {std::pair<std::string, std::uint8_t>{"http", 0x86}, {"https", 0x87}}) {
    FakePeer peer;
    FakeClock clock;
    Case c = testing::make_case(R"([{"handshake": {}},
        {"send": {"type": "HEADERS", "stream": 1, "flags": ["END_STREAM", "END_HEADERS"],
                  "block": [{"indexed": 2}, {"indexed": "$scheme_index"}]}}])");
    auto source = peer.factory(&clock);
    RunOptions options;
    options.clock = &clock;
    options.timeout = std::chrono::milliseconds(1000);
    Target target;
    target.authority = "example.test";
    target.scheme = scheme;
    CaseResult r = run_case(c, *source, target, options);
    ASSERT_EQ(r.verdict, Verdict::kPass) << scheme << ": " << r.reason;
    const wire::Frame* f = last_of(peer, FrameType::kHeaders);
    ASSERT_NE(f, nullptr) << scheme;
    EXPECT_EQ(std::get<wire::HeadersFrame>(f->payload).fragment, (wire::Bytes{0x82, octet})) << scheme;
  }
}

}  // namespace
}  // namespace h2conform::engine
