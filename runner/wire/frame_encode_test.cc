// EncodeOverrides write the intended wrong bytes, and the decoder rejects them as intended.
#include <gtest/gtest.h>

#include "runner/wire/frame.h"
#include "runner/wire/frame_test_util.h"
#include "runner/wire/hex.h"

namespace h2conform::wire {
namespace {

using testing::ascii;
using testing::hex;
using testing::make_frame;

struct OverrideRow {
  const char* name;
  Frame frame;
  EncodeOverrides overrides;
  const char* expected_wire;
  std::optional<ErrorCode> decode_error;  // what decode_frame says about the bytes
};

const Frame kPing = make_frame(0x6, 0, 0, PingFrame{{1, 2, 3, 4, 5, 6, 7, 8}});
const Frame kData = make_frame(0x0, 0, 1, DataFrame{ascii("ab"), {}});
const Frame kPaddedData = make_frame(0x0, 0, 1, DataFrame{ascii("ab"), Padding{2, Bytes(2, 0)}});

const OverrideRow kOverrideRows[] = {
    {"NoOverrides", kPing, {}, "0000080600000000000102030405060708", std::nullopt},
    {"LengthShorterThanPayload", kPing, {.length = 7},
     "0000070600000000000102030405060708", ErrorCode::kFrameSizeError},
    {"FlagsReplaced", kPing, {.flags = 0xFF}, "00000806FF000000000102030405060708", std::nullopt},
    {"ReservedBitSet", kPing, {.reserved = true}, "0000080600800000000102030405060708", std::nullopt},
    {"PadLengthBeyondPayload", kPaddedData, {.pad_length = 10}, "000005000800000001" "0A61620000",
     ErrorCode::kProtocolError},
    {"PadLengthOnUnpaddedFrame", kData, {.pad_length = 5}, "000003000800000001" "056162",
     ErrorCode::kProtocolError},
    {"TruncatePayload", kPing, {.truncate_payload = 4}, "00000406000000000001020304",
     ErrorCode::kFrameSizeError},
    {"TruncateLongerThanPayloadIsNoOp", kPing, {.truncate_payload = 100},
     "0000080600000000000102030405060708", std::nullopt},
    {"AppendPayload", kPing, {.append_payload = {0xEE}}, "000009060000000000" "0102030405060708EE",
     ErrorCode::kFrameSizeError},
    {"TypeReplaced", kPing, {.type = 0x2}, "0000080200000000000102030405060708",
     ErrorCode::kProtocolError},
    {"FlagsOverrideBeatsComputedPadded", kPaddedData, {.flags = 0x01},
     "000005000100000001" "0261620000", std::nullopt},
    {"SettingsLengthSeven", make_frame(0x4, 0, 0, SettingsFrame{{{1, 4096}}}), {.append_payload = {0}},
     "000007040000000000" "00010000100000", ErrorCode::kFrameSizeError},
    {"ComputedFlagsFollowPayload", make_frame(0x1, 0x28, 1, HeadersFrame{ascii("h"), {}, {}}), {},
     "000001010000000001" "68", std::nullopt},
    {"WeightAndExclusive", make_frame(0x2, 0, 3, PriorityFrame{{true, 1, 256}}), {},
     "000005020000000003" "80000001FF", std::nullopt},
    {"ReservedFieldBits", make_frame(0x7, 0, 0, GoawayFrame{true, 5, 1, {}}), {},
     "000008070000000000" "8000000500000001", std::nullopt},
    {"StreamIdOnStreamZeroFrame", make_frame(0x7, 0, 9, GoawayFrame{false, 5, 1, {}}), {},
     "000008070000000009" "0000000500000001", ErrorCode::kProtocolError},
    {"WindowUpdateZero", make_frame(0x8, 0, 0, WindowUpdateFrame{false, 0}), {},
     "000004080000000000" "00000000", ErrorCode::kProtocolError},
    {"LengthAboveLimit", kData, {.length = 0x4001},
     "004001000000000001" "6162", ErrorCode::kFrameSizeError},
};

void PrintTo(const OverrideRow& row, std::ostream* os) { *os << row.name; }

class FrameEncoderOverrides : public ::testing::TestWithParam<OverrideRow> {};

TEST_P(FrameEncoderOverrides, WritesIntendedBytes) {
  const OverrideRow& row = GetParam();
  const Bytes wire = encode_frame(row.frame, row.overrides);
  EXPECT_EQ(to_hex(wire), to_hex(hex(row.expected_wire)));
  Bytes appended = {0x99};
  append_frame(appended, row.frame, row.overrides);
  EXPECT_EQ(ByteView(appended).subspan(1).size(), wire.size());
  EXPECT_TRUE(std::equal(wire.begin(), wire.end(), appended.begin() + 1));
}

TEST_P(FrameEncoderOverrides, DecoderSeesTheIntendedProblem) {
  const OverrideRow& row = GetParam();
  const DecodeResult r = decode_frame(encode_frame(row.frame, row.overrides));
  if (!row.decode_error) {
    EXPECT_EQ(r.status, DecodeStatus::kComplete) << r.error.reason;
    return;
  }
  if (r.status == DecodeStatus::kNeedMore) {
    // A length longer than the payload leaves the frame incomplete; only the limit is checked.
    FAIL() << "bytes are an incomplete frame";
  }
  ASSERT_EQ(r.status, DecodeStatus::kError);
  EXPECT_EQ(r.error.code, *row.decode_error) << r.error.reason;
}

INSTANTIATE_TEST_SUITE_P(Rows, FrameEncoderOverrides, ::testing::ValuesIn(kOverrideRows),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(FrameEncoder, PayloadTypeFollowsAlternative) {
  EXPECT_EQ(payload_type(kPing), 0x6);
  EXPECT_EQ(payload_type(make_frame(0x0, 0, 0, PriorityUpdateFrame{})), 0x10);
  EXPECT_EQ(payload_type(make_frame(0xCC, 0, 0, UnknownFrame{})), 0xCC);
}

TEST(FrameEncoder, LengthIsRecomputedNotCopied) {
  Frame f = kPing;
  f.header.length = 99;
  EXPECT_EQ(encode_frame(f)[2], 8);
}

TEST(FrameSummary, NamesTypeFlagsAndFields) {
  Frame f = make_frame(0x1, 0x05, 1, HeadersFrame{Bytes(12, 0), {}, {}}, 12);
  EXPECT_EQ(summarize(f), "HEADERS stream=1 flags=END_STREAM|END_HEADERS len=12 fragment=12B");
  Frame g = make_frame(0x7, 0, 0, GoawayFrame{false, 3, 1, ascii("bad\n")}, 12);
  EXPECT_EQ(summarize(g),
            "GOAWAY stream=0 len=12 last_stream_id=3 error_code=PROTOCOL_ERROR debug=\"bad\\x0a\"");
  Frame s = make_frame(0x4, 0, 0, SettingsFrame{{{5, 16384}, {0x77, 1}}}, 12);
  EXPECT_EQ(summarize(s), "SETTINGS stream=0 len=12 SETTINGS_MAX_FRAME_SIZE=16384 0x77=1");
}

}  // namespace
}  // namespace h2conform::wire
