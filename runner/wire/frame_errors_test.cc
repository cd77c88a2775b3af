// Every decoder error rule (RFC 9113 §4.2, §6; RFC 9218 §7.1), three ways: code, scope, offset
// and a reason that names the problem.
#include <gtest/gtest.h>

#include "runner/wire/frame.h"
#include "runner/wire/frame_test_util.h"

namespace h2conform::wire {
namespace {

using testing::hex;

constexpr auto kProtocol = ErrorCode::kProtocolError;
constexpr auto kFrameSize = ErrorCode::kFrameSizeError;

struct ErrorRow {
  const char* name;
  const char* wire;
  ErrorCode code;
  std::uint32_t scope;  // 0: connection error
  std::size_t offset;
  const char* reason_part;
  DecodeOptions options = {};
};

const ErrorRow kErrorRows[] = {
    // Stream-id rules.
    {"DataOnStreamZero", "000001000000000000AA", kProtocol, 0, 5, "DATA frame on stream 0"},
    {"HeadersOnStreamZero", "000001010400000000AA", kProtocol, 0, 5, "HEADERS frame on stream 0"},
    {"PriorityOnStreamZero", "0000050200000000000000000110", kProtocol, 0, 5, "PRIORITY frame on stream 0"},
    {"RstStreamOnStreamZero", "000004030000000000AAAAAAAA", kProtocol, 0, 5, "RST_STREAM frame on stream 0"},
    {"PushPromiseOnStreamZero", "00000405000000000077777777", kProtocol, 0, 5, "PUSH_PROMISE frame on stream 0"},
    {"ContinuationOnStreamZero", "000001090400000000AA", kProtocol, 0, 5, "CONTINUATION frame on stream 0"},
    {"SettingsOnStream", "000006040000000001AAAABBBBBBBB", kProtocol, 0, 5, "SETTINGS frame on stream 1"},
    {"PingOnStream", "0000080600000000030000000000000000", kProtocol, 0, 5, "PING frame on stream 3"},
    {"GoawayOnStream", "0000080700000000010000000200000003", kProtocol, 0, 5, "GOAWAY frame on stream 1"},
    {"PriorityUpdateOnStream", "00000410000000000100000001", kProtocol, 0, 5, "PRIORITY_UPDATE frame on stream 1"},
    // Padding (RFC 9113 §6.1, §6.2, §6.6).
    {"DataPadLengthEqualsPayload", "00000400080000000104AAAAAA", kProtocol, 0, 9, "Pad Length 4 is not smaller than payload length 4"},
    {"DataPadLengthAbovePayload", "000002000800000001FF00", kProtocol, 0, 9, "Pad Length 255"},
    {"DataPaddedWithoutPadLength", "000000000800000001", kFrameSize, 1, 0, "no room for Pad Length"},
    {"HeadersPadLengthEqualsPayload", "00000401080000000104AAAAAA", kProtocol, 0, 9, "Pad Length 4"},
    {"HeadersPaddedWithoutPadLength", "000000010C00000001", kFrameSize, 0, 0, "no room for Pad Length"},
    {"HeadersPadOverlapsPriority", "0000060128000000010100000003FF", kProtocol, 0, 9, "overlaps the 5 mandatory octets"},
    {"HeadersPriorityTooShort", "000004012400000001AAAAAAAA", kFrameSize, 0, 0, "shorter than 5 mandatory octets"},
    {"PushPromisePadLengthEqualsPayload", "00000405080000000104AAAAAA", kProtocol, 0, 9, "Pad Length 4"},
    {"PushPromisePaddedTooShort", "0000040508000000010000AAAA", kFrameSize, 0, 0, "shorter than Pad Length plus 4"},
    {"PushPromisePadOverlapsPromisedId", "000006050800000001" "020000000200", kProtocol, 0, 9, "overlaps the 4 mandatory octets"},
    {"NonZeroPaddingRejectedWhenAsked", "000003000800000001020001", kProtocol, 0, 11, "padding octet 1 is not zero", {.reject_nonzero_padding = true}},
    // Lengths per type.
    {"PriorityLengthEight", "00000802000000000280000001FFAAAAAA", kFrameSize, 2, 0, "PRIORITY payload length 8 is not 5"},
    {"PriorityLengthFour", "00000402000000000280000001", kFrameSize, 2, 0, "is not 5"},
    {"RstStreamLengthThree", "000003030000000001000000", kFrameSize, 0, 0, "RST_STREAM payload length 3 is not 4"},
    {"SettingsNotMultipleOfSix", "000008040000000000AAAABBBBBBBBCCCC", kFrameSize, 0, 0, "SETTINGS payload length 8 is not a multiple of 6"},
    {"SettingsAckWithPayload", "000006040100000000000100001000", kFrameSize, 0, 0, "is not 0 with ACK"},
    {"PushPromiseTooShort", "000003050400000001000002", kFrameSize, 0, 0, "shorter than 4 mandatory octets"},
    {"PingLengthFour", "000004060000000000AAAAAAAA", kFrameSize, 0, 0, "PING payload length 4 is not 8"},
    {"PingLengthNine", "000009060000000000" "0000000000000000FF", kFrameSize, 0, 0, "is not 8"},
    {"GoawayLengthSeven", "00000707000000000000000000000000", kFrameSize, 0, 0, "GOAWAY payload length 7 is less than 8"},
    {"WindowUpdateLengthTwo", "0000020800000000015566", kFrameSize, 0, 0, "WINDOW_UPDATE payload length 2 is not 4"},
    {"WindowUpdateLengthFiveOnStream", "0000050800000000010000000100", kFrameSize, 0, 0, "is not 4"},
    {"PriorityUpdateTooShort", "000003100000000000000001", kFrameSize, 0, 0, "is less than 4"},
    // Field values.
    {"WindowUpdateZeroOnStream", "00000408000000000100000000", kProtocol, 1, 9, "increment is 0"},
    {"WindowUpdateZeroOnConnection", "00000408000000000000000000", kProtocol, 0, 9, "increment is 0"},
    {"WindowUpdateZeroWithReservedBit", "00000408000000000780000000", kProtocol, 7, 9, "increment is 0"},
    {"PriorityUpdateZeroPrioritizedId", "0000051000000000000000000075", kProtocol, 0, 9, "prioritized stream id is 0"},
    // Size limit (RFC 9113 §4.2); reported from the header alone.
    {"DataAboveDefaultMax", "004001000000000001", kFrameSize, 1, 0, "DATA frame length 16385 exceeds SETTINGS_MAX_FRAME_SIZE 16384"},
    {"HeadersAboveDefaultMax", "004001010400000001", kFrameSize, 0, 0, "exceeds SETTINGS_MAX_FRAME_SIZE"},
    {"UnknownAboveMaxOnStream", "FFFFFFEE0000000003", kFrameSize, 3, 0, "0xee frame length 16777215"},
    {"RstStreamAboveSmallLimit", "00000403000000000500000008", kFrameSize, 0, 0, "exceeds", {.max_frame_size = 3}},
    {"WindowUpdateAboveSmallLimit", "000004080000000005000003E8", kFrameSize, 0, 0, "exceeds", {.max_frame_size = 3}},
    {"PriorityAboveSmallLimitIsStreamError", "0000050200000000090000000B07", kFrameSize, 9, 0, "exceeds", {.max_frame_size = 4}},
    {"PingAboveSmallLimit", "0000080600000000000000000000000000", kFrameSize, 0, 0, "exceeds SETTINGS_MAX_FRAME_SIZE 4", {.max_frame_size = 4}},
};

void PrintTo(const ErrorRow& row, std::ostream* os) { *os << row.name; }

class FrameDecoderErrors : public ::testing::TestWithParam<ErrorRow> {};

TEST_P(FrameDecoderErrors, ReportsErrorThreeWays) {
  const ErrorRow& row = GetParam();
  const Bytes wire = hex(row.wire);
  ASSERT_GE(wire.size(), kFrameHeaderSize);
  const std::size_t frame_size = kFrameHeaderSize + decode_frame_header(wire).length;
  for (const auto& way : testing::decode_three_ways(wire, row.options)) {
    SCOPED_TRACE(way.name);
    ASSERT_EQ(way.results.size(), 1u);
    const DecodeResult& r = way.results[0];
    ASSERT_EQ(r.status, DecodeStatus::kError) << summarize(r.frame);
    EXPECT_EQ(to_string(r.error.code), to_string(row.code)) << r.error.reason;
    EXPECT_EQ(r.error.scope_stream, row.scope) << r.error.reason;
    EXPECT_EQ(r.error.offset, row.offset) << r.error.reason;
    EXPECT_NE(r.error.reason.find(row.reason_part), std::string::npos) << r.error.reason;
    EXPECT_EQ(r.consumed, frame_size);
    EXPECT_EQ(way.left_over, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, FrameDecoderErrors, ::testing::ValuesIn(kErrorRows),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(FrameDecoder, OversizedReportedBeforePayloadArrives) {
  const DecodeResult r = decode_frame(hex("004001000000000001"));
  ASSERT_EQ(r.status, DecodeStatus::kError);
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_EQ(r.header.length, 16385u);
}

TEST(FrameDecoder, ErrorReportsHeader) {
  const DecodeResult r = decode_frame(hex("000004060000000000AAAAAAAA"));
  ASSERT_EQ(r.status, DecodeStatus::kError);
  EXPECT_EQ(r.header.type, 0x6);
  EXPECT_EQ(r.header.length, 4u);
  EXPECT_TRUE(r.error.is_connection_error());
}

}  // namespace
}  // namespace h2conform::wire
