// PushChecks: the rules for frames a server pushes or pads, one row per rule.
#include "runner/engine/connection/push_checks.h"

#include <gtest/gtest.h>

#include "runner/engine/case/script.h"
#include "runner/wire/make_frame.h"

namespace h2conform::engine {
namespace {

using wire::FrameType;

wire::Frame settings(std::uint16_t id, std::uint32_t value) { return wire::make_frame(wire::SettingsFrame{{{id, value}}}, 0); }
wire::Frame request(std::uint32_t stream) {
  return wire::make_frame(wire::HeadersFrame{{0x82}, std::nullopt, std::nullopt}, stream, wire::flags::kEndHeaders | wire::flags::kEndStream);
}
wire::Frame promise(std::uint32_t on, std::uint32_t promised) {
  return wire::make_frame(wire::PushPromiseFrame{false, promised, {0x82}, std::nullopt}, on, wire::flags::kEndHeaders);
}
wire::Frame headers(std::uint32_t stream, std::uint8_t flags = wire::flags::kEndHeaders) {
  return wire::make_frame(wire::HeadersFrame{{0x88}, std::nullopt, std::nullopt}, stream, flags);
}
wire::Frame data(std::uint32_t stream, std::uint8_t flags = 0, std::optional<wire::Padding> pad = std::nullopt) {
  return wire::make_frame(wire::DataFrame{{'x'}, std::move(pad)}, stream, flags | (pad ? wire::flags::kPadded : 0));
}

struct Step {
  bool ours;
  wire::Frame frame;
};
struct Row {
  const char* name;
  std::vector<Step> steps;
  std::string violation;  // a part of the expected violation, "" for none
  friend void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }
};

class PushChecksRules : public ::testing::TestWithParam<Row> {};

// Frames go through a connection model too, so stream states are real.
TEST_P(PushChecksRules, JudgesEachFrame) {
  ConnectionState state(Role::kClient);
  PushChecks checks;
  std::string got;
  for (const Step& s : GetParam().steps) {
    if (s.ours) {
      state.on_sent(s.frame, s.frame.header.flags);
      checks.on_sent(s.frame);
      continue;
    }
    state.on_received(s.frame);
    got = checks.on_received(s.frame, state);
    if (!got.empty()) break;
  }
  if (GetParam().violation.empty()) {
    EXPECT_EQ(got, "");
  } else {
    EXPECT_NE(got.find(GetParam().violation), std::string::npos) << got;
  }
}

constexpr std::uint16_t kMaxConcurrent = 3;
INSTANTIATE_TEST_SUITE_P(
    Rows, PushChecksRules,
    ::testing::Values(
        Row{"GoodPush", {{true, request(1)}, {false, promise(1, 2)}, {false, headers(1)}, {false, headers(2)},
                         {false, data(2, wire::flags::kEndStream)}}, ""},
        Row{"OddPromisedId", {{true, request(1)}, {false, promise(1, 3)}}, "§6.6, §5.1.1"},
        Row{"PromisedIdNotIncreasing", {{true, request(1)}, {false, promise(1, 4)}, {false, promise(1, 2)}}, "after promising stream 4"},
        Row{"PushOnClosedStream", {{true, request(1)}, {false, headers(1, wire::flags::kEndHeaders | wire::flags::kEndStream)},
                                   {false, promise(1, 2)}}, "§6.6, §8.4.1"},
        Row{"PushOnEvenStream", {{false, promise(2, 4)}}, "§6.6, §8.4.1"},
        Row{"DataBeforeHeaders", {{true, request(1)}, {false, promise(1, 2)}, {false, data(2)}}, "§5.1"},
        Row{"RstOnReservedIsFine", {{true, request(1)}, {false, promise(1, 2)},
                                    {false, wire::make_frame(wire::RstStreamFrame{8}, 2)}}, ""},
        Row{"OverConcurrencyLimit", {{true, settings(kMaxConcurrent, 0)}, {true, request(1)}, {false, promise(1, 2)},
                                     {false, headers(2)}}, "§5.1.2"},
        Row{"WithinConcurrencyLimit", {{true, settings(kMaxConcurrent, 1)}, {true, request(1)}, {false, promise(1, 2)},
                                       {false, promise(1, 4)}, {false, headers(2)}, {false, data(2, wire::flags::kEndStream)},
                                       {false, headers(4)}}, ""},
        Row{"PushAfterOurGoaway", {{true, request(1)}, {true, wire::make_frame(wire::GoawayFrame{false, 0, 0, {}}, 0)}, {true, request(3)},
                                   {false, promise(3, 2)}}, "§6.8"},
        Row{"PushForEarlierRequestAfterGoaway", {{true, request(1)}, {true, wire::make_frame(wire::GoawayFrame{false, 0, 0, {}}, 0)},
                                                 {false, promise(1, 2)}}, ""},
        Row{"ZeroPadding", {{true, request(1)}, {false, data(1, 0, wire::Padding{3, {0, 0, 0}})}}, ""},
        Row{"NonZeroPadding", {{true, request(1)}, {false, data(1, 0, wire::Padding{3, {0, 7, 0}})}}, "§6.1"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(PushChecks, CountsWhatItObserved) {
  ConnectionState state(Role::kClient);
  PushChecks checks;
  for (const wire::Frame& f : {request(1)}) {
    state.on_sent(f, f.header.flags);
    checks.on_sent(f);
  }
  const wire::Frame padded = data(1, 0, wire::Padding{2, {0, 0}});
  const wire::Frame p = promise(1, 2);
  for (const wire::Frame* f : {&p, &padded}) {
    state.on_received(*f);
    EXPECT_EQ(checks.on_received(*f, state), "");
  }
  EXPECT_EQ(observed_count(checks.observed(), "push_promise"), 1u);
  EXPECT_EQ(observed_count(checks.observed(), "padded_data"), 1u);
  EXPECT_EQ(observed_count(checks.observed(), "padded_headers"), 0u);
  EXPECT_EQ(observed_count(checks.observed(), "unknown"), std::nullopt);
}

// What differs between the roles goes through RoleTraits (RFC 9113 §5.1.1, §6.5.2).
// The loader accepts exactly the names the connection counts.
TEST(PushChecks, CountsEveryObservationTheLoaderAccepts) {
  for (std::string_view name : kObservationNames) {
    EXPECT_TRUE(observed_count(PeerObservations{}, std::string(name)).has_value()) << name;
  }
  EXPECT_FALSE(observed_count(PeerObservations{}, "padded_settings").has_value());
}

TEST(RoleTraits, FollowTheTargetsRole) {
  const RoleTraits client = traits_for(our_role_for_target("server"));
  EXPECT_EQ(client.first_stream_id, 1u);
  EXPECT_TRUE(client.peer_may_open(2));
  EXPECT_FALSE(client.peer_may_open(3));
  EXPECT_FALSE(client.peer_may_open(0));
  EXPECT_FALSE(client.peer_may_enable_push);
  EXPECT_TRUE(client.judges_server_messages);
  const RoleTraits server = traits_for(our_role_for_target("client"));
  EXPECT_EQ(server.first_stream_id, 2u);
  EXPECT_TRUE(server.reads_client_preface);
  EXPECT_TRUE(server.peer_may_open(1));
  EXPECT_FALSE(server.peer_may_open(2));
  EXPECT_TRUE(server.peer_may_enable_push);
  EXPECT_FALSE(server.judges_server_messages);
}

}  // namespace
}  // namespace h2conform::engine
