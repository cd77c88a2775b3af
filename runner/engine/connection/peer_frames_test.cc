// ConnectionState::on_received: the rules on received frames that depend on an endpoint's role
// rather than on a frame's syntax, which the codec leaves to the engine.
#include <gtest/gtest.h>

#include "runner/engine/connection/connection_state.h"
#include "runner/wire/hex.h"
#include "runner/wire/make_frame.h"

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

struct HeaderBitsRow {
  const char* name;
  const char* wire;       // frames the target sends, in order; all but the last must pass
  const char* violation;  // a part of the last frame's violation, "" for none
  friend void PrintTo(const HeaderBitsRow& row, std::ostream* os) { *os << row.name; }
};

class PeerFramesHeaderBits : public ::testing::TestWithParam<HeaderBitsRow> {};

// RFC 9113 §4.1: the target leaves the reserved bit and the flags its frame type does not define
// unset in every frame it sends, whichever role it plays; frames of unknown type are left alone.
TEST_P(PeerFramesHeaderBits, JudgesTheReservedBitAndUnusedFlags) {
  const HeaderBitsRow& row = GetParam();
  const std::optional<wire::Bytes> bytes = wire::parse_hex(row.wire);
  ASSERT_TRUE(bytes.has_value());
  for (Role role : {Role::kClient, Role::kServer}) {
    ConnectionState state(role);
    wire::ByteView rest(*bytes);
    std::string violation;
    while (!rest.empty()) {
      ASSERT_TRUE(violation.empty()) << "an earlier frame failed: " << violation;
      const wire::DecodeResult d = wire::decode_frame(rest);
      ASSERT_EQ(d.status, wire::DecodeStatus::kComplete) << d.error.reason;
      violation = state.on_received(d.frame).violation;
      rest = rest.subspan(d.consumed);
    }
    if (std::string(row.violation).empty()) {
      EXPECT_EQ(violation, "");
    } else {
      EXPECT_NE(violation.find(row.violation), std::string::npos) << violation;
    }
  }
}

constexpr const char* kUnusedFlagsRule =
    "(RFC 9113 §4.1, 9113-4.1-3: \"Unused flags MUST be ignored on receipt and MUST be left unset (0x00) when sending.\")";
constexpr const char* kReservedBitRule =
    "(RFC 9113 §4.1, 9113-4.1-4: \"The semantics of this bit are undefined, and the bit MUST remain unset (0x00) when "
    "sending and MUST be ignored when receiving.\")";

INSTANTIATE_TEST_SUITE_P(
    Rows, PeerFramesHeaderBits,
    ::testing::Values(
        HeaderBitsRow{"DataDefinedFlags", "000004000900000001" "01616200", ""},
        HeaderBitsRow{"DataPriorityBitIsUnused", "000002002100000001" "6869",
                      "the target sent DATA on stream 1 with flags END_STREAM|0x20, setting 0x20, which DATA does not define "},
        HeaderBitsRow{"DataUnusedFlagQuotesTheRule", "000002004000000001" "6869", kUnusedFlagsRule},
        HeaderBitsRow{"HeadersEveryDefinedFlag", "000007012d00000001" "00" "000000000f" "82", ""},
        HeaderBitsRow{"HeadersEveryUnusedFlag", "00000101d700000001" "82",
                      "HEADERS on stream 1 with flags END_STREAM|END_HEADERS|0xd2, setting 0xd2, which HEADERS does not define"},
        HeaderBitsRow{"PriorityNoFlags", "000005020000000003" "0000000110", ""},
        HeaderBitsRow{"PriorityAnyFlag", "000005020100000003" "0000000110",
                      "PRIORITY on stream 3 with flags 0x1, setting 0x1, which PRIORITY does not define"},
        HeaderBitsRow{"RstStreamAnyFlag", "000004030800000001" "00000008", "setting 0x8, which RST_STREAM does not define"},
        HeaderBitsRow{"SettingsAck", "000000040100000000", ""},
        HeaderBitsRow{"SettingsUnusedFlag", "000000040200000000", "SETTINGS on stream 0 with flags 0x2, setting 0x2"},
        HeaderBitsRow{"PushPromiseDefinedFlags", "000004050400000001" "00000002", ""},
        HeaderBitsRow{"PushPromiseEndStreamIsUnused", "000004050500000001" "00000002",
                      "with flags END_HEADERS|0x1, setting 0x1, which PUSH_PROMISE does not define"},
        HeaderBitsRow{"PingAck", "000008060100000000" "0102030405060708", ""},
        HeaderBitsRow{"PingAckAndUnusedFlag", "000008068100000000" "0102030405060708", "with flags ACK|0x80, setting 0x80"},
        HeaderBitsRow{"GoawayAnyFlag", "000008071000000000" "0000000000000000", "setting 0x10, which GOAWAY does not define"},
        HeaderBitsRow{"WindowUpdateAnyFlag", "000004080100000000" "00000001", "setting 0x1, which WINDOW_UPDATE does not define"},
        HeaderBitsRow{"ContinuationEndHeaders", "000001010000000001" "82" "000001090400000001" "84", ""},
        HeaderBitsRow{"ContinuationEndStreamIsUnused", "000001010000000001" "82" "000001090500000001" "84",
                      "CONTINUATION on stream 1 with flags END_HEADERS|0x1, setting 0x1, which CONTINUATION does not define"},
        HeaderBitsRow{"PriorityUpdateAnyFlag", "000007100100000000" "00000001" "753d31", "which PRIORITY_UPDATE does not define"},
        HeaderBitsRow{"ReservedBitOnData", "000002000180000001" "6869",
                      "the target sent DATA on stream 1 with the reserved bit of the frame header set "},
        HeaderBitsRow{"ReservedBitQuotesTheRule", "000000040180000000", kReservedBitRule},
        HeaderBitsRow{"ReservedBitBeforeUnusedFlags", "000008068180000000" "0102030405060708", "PING on stream 0 with the reserved bit"},
        HeaderBitsRow{"UnknownTypeLeftAlone", "000000beff80000000", ""},
        HeaderBitsRow{"WindowUpdateIncrementBitIsNotTheHeaders", "000004080000000000" "80000001", ""},
        HeaderBitsRow{"PriorityExclusiveBitIsNotTheHeaders", "000005020000000003" "8000000110", ""}),
    [](const auto& row) { return std::string(row.param.name); });

// The target's own sending, judged on every frame (RFC 9113 §6.9.1, §6.1, §6.8, §5.1).
class PeerSending : public ::testing::Test {
 protected:
  ConnectionState state{Role::kClient};
  std::string receive(wire::Payload payload, std::uint32_t stream, std::uint8_t flags = 0) {
    // Through the codec, as the session delivers frames: the header's length is the wire's.
    const wire::DecodeResult d = wire::decode_frame(wire::encode_frame(wire::make_frame(std::move(payload), stream, flags)));
    EXPECT_EQ(d.status, wire::DecodeStatus::kComplete);
    return state.on_received(d.frame).violation;
  }
  static wire::DataFrame data(std::size_t n, std::optional<std::size_t> pad = std::nullopt) {
    wire::DataFrame d{wire::Bytes(n, 'x'), std::nullopt};
    if (pad) d.padding = wire::Padding{static_cast<std::uint8_t>(*pad), wire::Bytes(*pad, 0)};
    return d;
  }
  void open_stream(std::uint32_t id) {
    state.on_sent(wire::make_frame(wire::HeadersFrame{}, id, wire::flags::kEndHeaders | wire::flags::kEndStream),
                  wire::flags::kEndHeaders | wire::flags::kEndStream);
  }
};

TEST_F(PeerSending, DataWithinTheWindowsPasses) {
  state.set_auto_window_update(false);
  open_stream(1);
  EXPECT_EQ(receive(data(16384), 1), "");
  EXPECT_EQ(receive(data(16384), 1), "");
  EXPECT_EQ(receive(data(16384), 1), "");
  EXPECT_EQ(receive(data(16383), 1), "") << "exactly 65535 octets";
}

TEST_F(PeerSending, DataBeyondTheStreamWindowFails) {
  state.set_auto_window_update(false);
  open_stream(1);
  state.on_sent(wire::make_frame(wire::WindowUpdateFrame{false, 100000}, 0, 0), 0);  // a larger connection window
  for (int i = 0; i < 3; ++i) ASSERT_EQ(receive(data(16384), 1), "");
  std::string v = receive(data(16384), 1);
  EXPECT_NE(v.find("with only 16383 left in our stream window"), std::string::npos) << v;
  EXPECT_NE(v.find("§6.9.1"), std::string::npos) << v;
}

TEST_F(PeerSending, PaddingCountsAgainstTheWindow) {
  state.set_auto_window_update(false);
  open_stream(1);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(receive(data(16384), 1), "");
  ASSERT_EQ(receive(data(16335), 1), "");  // 48 octets left
  // 40 octets of data and 1 + 10 of padding: 51 > 48.
  std::string v = receive(data(40, 10), 1, wire::flags::kPadded);
  EXPECT_NE(v.find("51 flow-controlled octets"), std::string::npos) << v;
}

TEST_F(PeerSending, TheConnectionWindowIsSharedByStreams) {
  state.set_auto_window_update(false);
  for (std::uint32_t id : {1u, 3u, 5u, 7u, 9u}) open_stream(id);
  for (std::uint32_t id : {1u, 3u, 5u}) ASSERT_EQ(receive(data(16384), id), "");
  ASSERT_EQ(receive(data(16383), 7), "");
  std::string v = receive(data(1), 9);
  EXPECT_NE(v.find("in our connection window"), std::string::npos) << v;
}

TEST_F(PeerSending, OurWindowUpdatesReopenTheWindow) {
  state.set_auto_window_update(false);
  open_stream(1);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(receive(data(16384), 1), "");
  for (std::uint32_t id : {0u, 1u}) {
    state.on_sent(wire::make_frame(wire::WindowUpdateFrame{false, 100}, id, 0), 0);
  }
  EXPECT_EQ(receive(data(100), 1), "");
}

TEST_F(PeerSending, RawBytesEndTheJudgementOfWindows) {
  state.set_auto_window_update(false);
  open_stream(1);
  state.on_raw_sent();  // they may have carried a WINDOW_UPDATE
  for (int i = 0; i < 5; ++i) EXPECT_EQ(receive(data(16384), 1), "");
}

TEST_F(PeerSending, GoawayLastStreamIdMayNotGrow) {
  EXPECT_EQ(receive(wire::GoawayFrame{false, 5, 0, {}}, 0), "");
  EXPECT_EQ(receive(wire::GoawayFrame{false, 3, 0, {}}, 0), "");
  std::string v = receive(wire::GoawayFrame{false, 7, 0, {}}, 0);
  EXPECT_NE(v.find("raised last_stream_id from 3 to 7"), std::string::npos) << v;
}

TEST_F(PeerSending, NothingButPriorityAfterItsOwnReset) {
  open_stream(1);
  ASSERT_EQ(receive(wire::RstStreamFrame{8}, 1), "");
  EXPECT_EQ(receive(wire::PriorityFrame{}, 1), "");
  std::string v = receive(data(1), 1);
  EXPECT_NE(v.find("after resetting it with RST_STREAM"), std::string::npos) << v;
}

// RFC 9113 §5.4.2: "Normally, an endpoint SHOULD NOT send more than one RST_STREAM frame for any
// stream": a SHOULD NOT, so a second reset breaks no MUST; the first one's code stays.
TEST_F(PeerSending, ASecondResetOfTheSameStreamIsNoViolation) {
  open_stream(1);
  ASSERT_EQ(receive(wire::RstStreamFrame{0}, 1), "");
  EXPECT_EQ(receive(wire::RstStreamFrame{5}, 1), "");
  ASSERT_NE(state.stream(1), nullptr);
  EXPECT_EQ(state.stream(1)->peer_reset, 0u);
}

// Playing the server, the client's field blocks are judged as a request, then as its trailers
// (RFC 9113 §8.1, §8.2, §8.3.1); the first problem stays on the stream for `check_fields`.
struct RequestRow {
  const char* name;
  std::vector<hpack::HeaderList> blocks;  // HEADERS on stream 1, in order
  const char* problem;                    // a part of the expected problem, "" for none
  friend void PrintTo(const RequestRow& row, std::ostream* os) { *os << row.name; }
};

class PeerRequests : public ::testing::TestWithParam<RequestRow> {};

TEST_P(PeerRequests, JudgesAClientsFieldBlocks) {
  const RequestRow& row = GetParam();
  ConnectionState state(Role::kServer);
  hpack::Encoder encoder;
  for (std::size_t i = 0; i < row.blocks.size(); ++i) {
    const bool last = i + 1 == row.blocks.size();
    const std::uint8_t flags = wire::flags::kEndHeaders | (last ? wire::flags::kEndStream : 0);
    const wire::Frame frame = wire::make_frame(wire::HeadersFrame{encoder.encode(row.blocks[i]), std::nullopt, std::nullopt}, 1, flags);
    const wire::DecodeResult d = wire::decode_frame(wire::encode_frame(frame));
    ASSERT_EQ(d.status, wire::DecodeStatus::kComplete);
    ASSERT_EQ(state.on_received(d.frame).violation, "");
  }
  ASSERT_NE(state.stream(1), nullptr);
  const std::string& problem = state.stream(1)->field_problem;
  if (std::string(row.problem).empty()) {
    EXPECT_EQ(problem, "");
  } else {
    EXPECT_NE(problem.find(row.problem), std::string::npos) << problem;
  }
}

const hpack::HeaderList kGet = {{":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", "/"}};

hpack::HeaderList get_with(std::vector<hpack::HeaderField> extra) {
  hpack::HeaderList out = kGet;
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, PeerRequests,
    ::testing::Values(
        RequestRow{"WellFormedGet", {kGet}, ""},
        RequestRow{"GetWithTrailers", {kGet, {{"x-checksum", "1"}}}, ""},
        RequestRow{"MissingPath", {{{":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"}}}, ":path"},
        RequestRow{"ResponsePseudoHeader", {get_with({{":status", "200"}})}, ":status"},
        RequestRow{"UpperCaseName", {get_with({{"X-Upper", "1"}})}, "upper"},
        RequestRow{"ConnectionHeader", {get_with({{"connection", "close"}})}, "connection"},
        RequestRow{"PseudoHeaderInTrailers", {kGet, {{":path", "/"}}}, "trailer"}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::engine
