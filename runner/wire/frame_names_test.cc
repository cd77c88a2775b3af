// RFC spellings and their parsers.
#include <gtest/gtest.h>

#include "runner/wire/frame.h"
#include "runner/wire/hex.h"

namespace h2conform::wire {
namespace {

struct NameRow {
  std::uint32_t value;
  const char* text;
};

const NameRow kFrameTypes[] = {{0x0, "DATA"}, {0x1, "HEADERS"}, {0x2, "PRIORITY"},
                               {0x3, "RST_STREAM"}, {0x4, "SETTINGS"}, {0x5, "PUSH_PROMISE"},
                               {0x6, "PING"}, {0x7, "GOAWAY"}, {0x8, "WINDOW_UPDATE"},
                               {0x9, "CONTINUATION"}, {0x10, "PRIORITY_UPDATE"}, {0x1f, "0x1f"}};
const NameRow kErrorCodes[] = {{0x0, "NO_ERROR"}, {0x1, "PROTOCOL_ERROR"}, {0x6, "FRAME_SIZE_ERROR"},
                               {0xb, "ENHANCE_YOUR_CALM"}, {0xd, "HTTP_1_1_REQUIRED"},
                               {0xdeadbeef, "0xdeadbeef"}};
const NameRow kSettings[] = {{0x1, "SETTINGS_HEADER_TABLE_SIZE"}, {0x5, "SETTINGS_MAX_FRAME_SIZE"},
                             {0x8, "SETTINGS_ENABLE_CONNECT_PROTOCOL"},
                             {0x9, "SETTINGS_NO_RFC7540_PRIORITIES"}, {0x7, "0x7"}};

TEST(FrameNames, FrameTypesRoundTrip) {
  for (const NameRow& row : kFrameTypes) {
    EXPECT_EQ(frame_type_name(static_cast<std::uint8_t>(row.value)), row.text);
    EXPECT_EQ(parse_frame_type(row.text), row.value) << row.text;
  }
  EXPECT_EQ(to_string(FrameType::kWindowUpdate), "WINDOW_UPDATE");
}

TEST(FrameNames, ErrorCodesRoundTrip) {
  for (const NameRow& row : kErrorCodes) {
    EXPECT_EQ(error_code_name(row.value), row.text);
    EXPECT_EQ(parse_error_code(row.text), row.value) << row.text;
  }
  EXPECT_EQ(to_string(ErrorCode::kProtocolError), "PROTOCOL_ERROR");
}

TEST(FrameNames, SettingsRoundTrip) {
  for (const NameRow& row : kSettings) {
    EXPECT_EQ(setting_name(static_cast<std::uint16_t>(row.value)), row.text);
    EXPECT_EQ(parse_setting_id(row.text), row.value) << row.text;
  }
  EXPECT_EQ(parse_setting_id("MAX_FRAME_SIZE"), 0x5);
  EXPECT_EQ(parse_setting_id("INITIAL_WINDOW_SIZE"), 0x4);
}

TEST(FrameNames, ParsesNumbers) {
  EXPECT_EQ(parse_frame_type("7"), 7);
  EXPECT_EQ(parse_frame_type("0xff"), 0xff);
  EXPECT_EQ(parse_error_code("0x1"), 1u);
  EXPECT_EQ(parse_error_code("4294967295"), 0xffffffffu);
}

TEST(FrameNames, RejectsUnknownText) {
  EXPECT_FALSE(parse_frame_type("data"));
  EXPECT_FALSE(parse_frame_type("0x100"));
  EXPECT_FALSE(parse_frame_type("256"));
  EXPECT_FALSE(parse_frame_type(""));
  EXPECT_FALSE(parse_frame_type("0x"));
  EXPECT_FALSE(parse_error_code("PROTOCOL"));
  EXPECT_FALSE(parse_error_code("4294967296"));
  EXPECT_FALSE(parse_setting_id("0x10000"));
  EXPECT_FALSE(parse_setting_id("FRAME_SIZE"));
  EXPECT_FALSE(parse_flag(0x0, "ACK"));
  EXPECT_FALSE(parse_flag(0x1, "7x"));
}

TEST(FrameNames, FlagsPerType) {
  EXPECT_EQ(parse_flag(0x1, "PRIORITY"), flags::kPriority);
  EXPECT_EQ(parse_flag(0x4, "ACK"), flags::kAck);
  EXPECT_EQ(parse_flag(0x9, "END_HEADERS"), flags::kEndHeaders);
  EXPECT_EQ(parse_flag(0x0, "0x40"), 0x40);
  EXPECT_EQ(flags_to_string(0x1, 0x25), "END_STREAM|END_HEADERS|PRIORITY");
  EXPECT_EQ(flags_to_string(0x0, 0x41), "END_STREAM|0x40");
  EXPECT_EQ(flags_to_string(0x6, 0x01), "ACK");
  EXPECT_EQ(flags_to_string(0x2, 0x01), "0x1");
  EXPECT_EQ(flags_to_string(0x0, 0x00), "0x0");
}

TEST(Hex, ParsesAndPrints) {
  EXPECT_EQ(parse_hex("00aB ff\n"), (Bytes{0x00, 0xab, 0xff}));
  EXPECT_FALSE(parse_hex("abc"));
  EXPECT_FALSE(parse_hex("zz"));
  EXPECT_FALSE(parse_hex("a b"));
  EXPECT_EQ(to_hex(Bytes{0x0f, 0xa0}), "0fa0");
}

}  // namespace
}  // namespace h2conform::wire
