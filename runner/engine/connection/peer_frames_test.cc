// ConnectionState::on_received: the rules on received frames that depend on an endpoint's role
// rather than on a frame's syntax, which the codec leaves to the engine.
#include <gtest/gtest.h>

#include "runner/engine/connection/connection_state.h"
#include "runner/wire/hex.h"

namespace h2conform::engine {
namespace {

struct PromisedIdRow {
  const char* name;
  const char* wire;         // one PUSH_PROMISE on stream 1
  const char* violation;    // a part of the expected violation, "" for none
  friend void PrintTo(const PromisedIdRow& row, std::ostream* os) { *os << row.name; }
};

class PeerFramesPromisedId : public ::testing::TestWithParam<PromisedIdRow> {};

// RFC 9113 §5.1.1, §6.6: a promised stream is server-initiated (even, non-zero). The codec
// decodes any id; the connection model rejects the others before they change any state, as a
// connection error of type PROTOCOL_ERROR, whichever role we play.
TEST_P(PeerFramesPromisedId, JudgesThePromisedStreamId) {
  const PromisedIdRow& row = GetParam();
  const wire::DecodeResult decoded = wire::decode_frame(*wire::parse_hex(row.wire));
  ASSERT_EQ(decoded.status, wire::DecodeStatus::kComplete) << decoded.error.reason;
  for (Role role : {Role::kClient, Role::kServer}) {
    ConnectionState state(role);
    const PeerFrameEffects fx = state.on_received(decoded.frame);
    if (std::string(row.violation).empty()) {
      EXPECT_EQ(fx.violation, "");
      continue;
    }
    EXPECT_NE(fx.violation.find(row.violation), std::string::npos) << fx.violation;
    EXPECT_NE(fx.violation.find("a connection error of type PROTOCOL_ERROR"), std::string::npos) << fx.violation;
    EXPECT_EQ(state.stream(1), nullptr) << "the rejected frame changed no stream";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, PeerFramesPromisedId,
    ::testing::Values(
        PromisedIdRow{"OddPromisedId", "00000405000000000100000001", "promised stream id 1 is not a valid server-initiated (even, non-zero) id (RFC 9113 §6.6) (a connection error of type PROTOCOL_ERROR, at octet 9 of the frame)"},
        PromisedIdRow{"ZeroPromisedId", "00000405040000000100000000", "promised stream id 0 is not a valid server-initiated"},
        PromisedIdRow{"PaddedOddPromisedId", "0000060508000000010100000003AA", "promised stream id 3 is not a valid server-initiated (even, non-zero) id (RFC 9113 §6.6) (a connection error of type PROTOCOL_ERROR, at octet 10"},
        PromisedIdRow{"EvenPromisedId", "00000405000000000100000002", ""}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::engine
