// The frame-type registry against RFC 9113 §6 and RFC 9218 §7.1, restated here row by row, and
// the codec following each row's facts.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "runner/wire/frame.h"
#include "runner/wire/frame_test_util.h"
#include "runner/wire/frame_types.h"

namespace h2conform::wire {
namespace {

using testing::hex;

struct RfcRow {
  const char* name;
  std::uint8_t code;
  const char* section;
  StreamRule stream_rule;
  SizeErrorScope size_error_scope;
  std::uint32_t min_payload;
  bool fixed_payload;
  const char* flags;  // "NAME=bit|NAME=bit", by ascending bit
  bool padded;
  bool field_block;
};

constexpr auto kAny = StreamRule::kAny;
constexpr auto kNonZero = StreamRule::kNonZero;
constexpr auto kZero = StreamRule::kZero;
constexpr auto kConnection = SizeErrorScope::kConnection;
constexpr auto kStream = SizeErrorScope::kStream;

// What each section says: stream-id rules in each §6.x; FRAME_SIZE_ERROR scope from §4.2 (field
// blocks, SETTINGS and stream-0 frames affect the connection) and §6.4, §6.9; lengths and flags
// from each frame's layout.
const RfcRow kRfcRows[] = {
    {"DATA", 0x0, "RFC 9113 §6.1", kNonZero, kStream, 0, false, "END_STREAM=1|PADDED=8", true, false},
    {"HEADERS", 0x1, "RFC 9113 §6.2", kNonZero, kConnection, 0, false,
     "END_STREAM=1|END_HEADERS=4|PADDED=8|PRIORITY=32", true, true},
    {"PRIORITY", 0x2, "RFC 9113 §6.3", kNonZero, kStream, 5, true, "", false, false},
    {"RST_STREAM", 0x3, "RFC 9113 §6.4", kNonZero, kConnection, 4, true, "", false, false},
    {"SETTINGS", 0x4, "RFC 9113 §6.5", kZero, kConnection, 0, false, "ACK=1", false, false},
    {"PUSH_PROMISE", 0x5, "RFC 9113 §6.6", kNonZero, kConnection, 4, false, "END_HEADERS=4|PADDED=8",
     true, true},
    {"PING", 0x6, "RFC 9113 §6.7", kZero, kConnection, 8, true, "ACK=1", false, false},
    {"GOAWAY", 0x7, "RFC 9113 §6.8", kZero, kConnection, 8, false, "", false, false},
    {"WINDOW_UPDATE", 0x8, "RFC 9113 §6.9", kAny, kConnection, 4, true, "", false, false},
    {"CONTINUATION", 0x9, "RFC 9113 §6.10", kNonZero, kConnection, 0, false, "END_HEADERS=4", false,
     true},
    {"PRIORITY_UPDATE", 0x10, "RFC 9218 §7.1", kZero, kConnection, 4, false, "", false, false},
};

void PrintTo(const RfcRow& row, std::ostream* os) { *os << row.name; }

std::string flags_text(const FrameTypeInfo& info) {
  std::string out;
  for (const FlagInfo& f : info.flags) {
    if (!out.empty()) out += '|';
    out.append(f.name).append("=").append(std::to_string(f.bit));
  }
  return out;
}

// A frame of `type` with `length` zero octets of payload on `stream`, no flags.
Bytes raw_frame(std::uint8_t type, std::uint32_t stream, std::uint32_t length) {
  Bytes out(kFrameHeaderSize + length, 0);
  for (int i = 0; i < 3; ++i) out[i] = static_cast<std::uint8_t>(length >> (16 - 8 * i));
  out[3] = type;
  for (int i = 0; i < 4; ++i) out[5 + i] = static_cast<std::uint8_t>(stream >> (24 - 8 * i));
  return out;
}

// A stream the row allows and one it forbids (0 when any stream is allowed).
std::uint32_t allowed_stream(const RfcRow& row) { return row.stream_rule == kZero ? 0 : 1; }

class FrameTypeRegistry : public ::testing::TestWithParam<RfcRow> {};

TEST_P(FrameTypeRegistry, RowStatesTheRfc) {
  const RfcRow& row = GetParam();
  const FrameTypeInfo* info = find_frame_type(row.code);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->code(), row.code);
  EXPECT_EQ(info->name, row.name);
  EXPECT_EQ(info->section, row.section);
  EXPECT_EQ(info->stream_rule, row.stream_rule);
  EXPECT_EQ(info->size_error_scope, row.size_error_scope);
  EXPECT_EQ(info->min_payload, row.min_payload);
  EXPECT_EQ(info->fixed_payload, row.fixed_payload);
  EXPECT_EQ(flags_text(*info), row.flags);
  EXPECT_EQ(info->padded, row.padded);
  EXPECT_EQ(info->field_block, row.field_block);
  EXPECT_EQ(info->padded, (info->flag_mask() & flags::kPadded) != 0) << "PADDED flag iff padded";
}

TEST_P(FrameTypeRegistry, FoundByNameAndByEnumerator) {
  const RfcRow& row = GetParam();
  ASSERT_NE(find_frame_type(row.name), nullptr);
  EXPECT_EQ(find_frame_type(row.name)->code(), row.code);
  EXPECT_EQ(&frame_type_info(find_frame_type(row.code)->type), find_frame_type(row.code));
  EXPECT_EQ(frame_type_name(row.code), row.name);
  EXPECT_EQ(parse_frame_type(row.name), row.code);
}

TEST_P(FrameTypeRegistry, FlagsFoundByNameAndBit) {
  const RfcRow& row = GetParam();
  for (const FlagInfo& f : find_frame_type(row.code)->flags) {
    EXPECT_EQ(find_flag(row.code, f.name), f.bit) << f.name;
    EXPECT_EQ(flag_name(row.code, f.bit), f.name);
    EXPECT_EQ(parse_flag(row.code, f.name), f.bit) << f.name;
  }
  EXPECT_FALSE(find_flag(row.code, "0x1")) << "numbers are parse_flag's, not find_flag's";
  EXPECT_EQ(flag_name(row.code, 0x40), "");
}

// RFC 9113 §4.1: every bit the row's restated flags do not name is an unused flag.
TEST_P(FrameTypeRegistry, UnusedFlagsAreTheBitsTheTypeDoesNotDefine) {
  const RfcRow& row = GetParam();
  std::uint8_t defined = 0;
  for (std::string_view text = row.flags; !text.empty();) {
    const std::size_t bar = text.find('|');
    const std::string_view one = text.substr(0, bar);
    defined = static_cast<std::uint8_t>(defined | std::stoi(std::string(one.substr(one.find('=') + 1))));
    text = bar == std::string_view::npos ? std::string_view() : text.substr(bar + 1);
  }
  for (int bit = 1; bit <= 0x80; bit <<= 1) {
    const auto b = static_cast<std::uint8_t>(bit);
    EXPECT_EQ(unused_flags(row.code, b), (defined & b) != 0 ? 0 : b) << "bit 0x" << std::hex << bit;
  }
  EXPECT_EQ(unused_flags(row.code, 0xff), static_cast<std::uint8_t>(~defined));
  EXPECT_EQ(unused_flags(row.code, defined), 0);
}

// An unknown type's flags are its own definition's: none of them is "unused" to this codec.
TEST(FrameTypeRegistryUnknown, HasNoUnusedFlags) {
  for (int code : {0x0a, 0x0b, 0x0f, 0x11, 0xbe, 0xff}) {
    const auto type = static_cast<std::uint8_t>(code);
    EXPECT_EQ(find_frame_type(type), nullptr) << code;
    EXPECT_EQ(unused_flags(type, 0xff), 0) << code;
  }
}

// The decoder applies the row: the wrong stream is a connection error of type PROTOCOL_ERROR.
TEST_P(FrameTypeRegistry, DecoderAppliesStreamRule) {
  const RfcRow& row = GetParam();
  if (row.stream_rule == kAny) GTEST_SKIP() << "any stream is allowed";
  const std::uint32_t wrong = row.stream_rule == kZero ? 3 : 0;
  const DecodeResult r = decode_frame(raw_frame(row.code, wrong, row.min_payload + 1));
  ASSERT_EQ(r.status, DecodeStatus::kError);
  EXPECT_EQ(r.error.code, ErrorCode::kProtocolError) << r.error.reason;
  EXPECT_EQ(r.error.scope_stream, 0u);
  EXPECT_NE(r.error.reason.find(row.section), std::string::npos) << r.error.reason;
}

// A payload one octet short of the row's minimum (or one past a fixed length) is a
// FRAME_SIZE_ERROR of the row's scope; the oversize limit uses the same scope.
TEST_P(FrameTypeRegistry, DecoderAppliesLengthAndScope) {
  const RfcRow& row = GetParam();
  const std::uint32_t stream = allowed_stream(row);
  const std::uint32_t scope = row.size_error_scope == kConnection ? 0 : stream;
  DecodeOptions small;
  small.max_frame_size = row.min_payload;
  const DecodeResult big = decode_frame(raw_frame(row.code, stream, row.min_payload + 1), small);
  ASSERT_EQ(big.status, DecodeStatus::kError);
  EXPECT_EQ(big.error.code, ErrorCode::kFrameSizeError);
  EXPECT_EQ(big.error.scope_stream, scope) << big.error.reason;
  if (row.min_payload == 0) return;
  // Padded types count their mandatory octets after Pad Length; unpadded frames here.
  const std::uint32_t wrong = row.fixed_payload ? row.min_payload + 1 : row.min_payload - 1;
  const DecodeResult r = decode_frame(raw_frame(row.code, stream, wrong));
  ASSERT_EQ(r.status, DecodeStatus::kError);
  EXPECT_EQ(r.error.code, ErrorCode::kFrameSizeError) << r.error.reason;
  EXPECT_EQ(r.error.scope_stream, scope) << r.error.reason;
}

INSTANTIATE_TEST_SUITE_P(Rfc, FrameTypeRegistry, ::testing::ValuesIn(kRfcRows),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(FrameTypeRegistryTable, HoldsExactlyTheRfcTypes) {
  EXPECT_EQ(std::size(kFrameTypes), std::size(kRfcRows));
  for (int type = 0; type < 256; ++type) {
    bool listed = false;
    for (const RfcRow& row : kRfcRows) listed = listed || row.code == type;
    EXPECT_EQ(find_frame_type(static_cast<std::uint8_t>(type)) != nullptr, listed) << type;
  }
  EXPECT_EQ(find_frame_type("ping"), nullptr);
  EXPECT_EQ(find_frame_type("0x6"), nullptr);
  EXPECT_FALSE(find_flag(0xa, "ACK"));
}

// Each payload alternative encodes as its PayloadType's row and decodes back to itself.
template <typename T>
void expect_alternative_round_trips(const T& payload, std::uint32_t stream) {
  const Frame frame{{0, 0, 0, false, stream}, payload};
  EXPECT_EQ(payload_type(frame), static_cast<std::uint8_t>(kPayloadType<T>));
  const DecodeResult r = decode_frame(encode_frame(frame));
  ASSERT_EQ(r.status, DecodeStatus::kComplete) << frame_type_name(payload_type(frame)) << ": "
                                               << r.error.reason;
  EXPECT_TRUE(std::holds_alternative<T>(r.frame.payload)) << frame_type_name(payload_type(frame));
  EXPECT_EQ(std::get<T>(r.frame.payload), payload);
}

TEST(FrameTypeRegistryTable, PayloadAlternativesEncodeAsTheirType) {
  expect_alternative_round_trips(DataFrame{{1, 2}, std::nullopt}, 1);
  expect_alternative_round_trips(HeadersFrame{{0x82}, std::nullopt, std::nullopt}, 1);
  expect_alternative_round_trips(PriorityFrame{{false, 3, 16}}, 1);
  expect_alternative_round_trips(RstStreamFrame{8}, 1);
  expect_alternative_round_trips(SettingsFrame{{{4, 100}}}, 0);
  expect_alternative_round_trips(PushPromiseFrame{false, 2, {0x82}, std::nullopt}, 1);
  expect_alternative_round_trips(PingFrame{{1, 2, 3, 4, 5, 6, 7, 8}}, 0);
  expect_alternative_round_trips(GoawayFrame{false, 1, 0, {}}, 0);
  expect_alternative_round_trips(WindowUpdateFrame{false, 10}, 1);
  expect_alternative_round_trips(ContinuationFrame{{0x82}}, 1);
  expect_alternative_round_trips(PriorityUpdateFrame{false, 1, "u=1"}, 0);
  const Frame unknown{{0, 0xfa, 0, false, 1}, UnknownFrame{{7}}};
  EXPECT_EQ(payload_type(unknown), 0xfa);
  EXPECT_EQ(encode_frame(unknown), hex("000001fa0000000001" "07"));
}

}  // namespace
}  // namespace h2conform::wire
