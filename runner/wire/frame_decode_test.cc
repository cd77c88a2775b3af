// Valid frames of every type, decoded three ways, re-encoded byte for byte, and round trips.
#include <gtest/gtest.h>

#include "runner/wire/frame.h"
#include "runner/wire/frame_test_util.h"

namespace h2conform::wire {
namespace {

using testing::ascii;
using testing::hex;
using testing::make_frame;

struct ValidRow {
  const char* name;
  const char* wire;
  Frame expected;
};

Padding pad(std::uint8_t n, std::string_view bytes) { return Padding{n, ascii(bytes)}; }
Bytes zeros(std::size_t n) { return Bytes(n, 0); }

const ValidRow kValidRows[] = {
    {"DataPadded", "0000140008000000020648656C6C6F2C20776F726C6421486F77647921",
     make_frame(0x0, 0x08, 2, DataFrame{ascii("Hello, world!"), pad(6, "Howdy!")}, 20)},
    {"DataEmptyEndStream", "000000000100000001", make_frame(0x0, 0x01, 1, DataFrame{}, 0)},
    {"DataAllPadding", "000003000800000001020000",
     make_frame(0x0, 0x08, 1, DataFrame{{}, Padding{2, zeros(2)}}, 3)},
    {"DataUnknownFlagsKept", "00000100760000000161",
     make_frame(0x0, 0x76, 1, DataFrame{ascii("a"), {}}, 1)},
    {"DataReservedBit", "000000000080000001", make_frame(0x0, 0, 1, DataFrame{}, 0, true)},
    {"HeadersPlain", "00000D010400000001746869732069732064756D6D79",
     make_frame(0x1, 0x04, 1, HeadersFrame{ascii("this is dummy"), {}, {}}, 13)},
    {"HeadersPriorityPadded", "00000A012C0000000102800000" "03FF61620000",
     make_frame(0x1, 0x2C, 1,
                HeadersFrame{ascii("ab"), Padding{2, zeros(2)}, PriorityFields{true, 3, 256}}, 10)},
    {"PriorityNormal", "0000050200000000090000000B07",
     make_frame(0x2, 0, 9, PriorityFrame{{false, 11, 8}}, 5)},
    {"PriorityExclusiveWeightOne", "0000050200000000098000000B00",
     make_frame(0x2, 0, 9, PriorityFrame{{true, 11, 1}}, 5)},
    {"RstStreamCancel", "00000403000000000500000008",
     make_frame(0x3, 0, 5, RstStreamFrame{8}, 4)},
    {"RstStreamUnknownCode", "000004030000000005DEADBEEF",
     make_frame(0x3, 0, 5, RstStreamFrame{0xdeadbeef}, 4)},
    {"SettingsTwo", "00000C040000000000000100002000000300001388",
     make_frame(0x4, 0, 0, SettingsFrame{{{1, 8192}, {3, 5000}}}, 12)},
    {"SettingsEmpty", "000000040000000000", make_frame(0x4, 0, 0, SettingsFrame{}, 0)},
    {"SettingsAck", "000000040100000000", make_frame(0x4, 0x01, 0, SettingsFrame{}, 0)},
    {"SettingsUnknownAndDuplicateKept", "00000C040000000000009900000001009900000002",
     make_frame(0x4, 0, 0, SettingsFrame{{{0x99, 1}, {0x99, 2}}}, 12)},
    {"PushPromisePadded", "000018050C0000000A060000000C746869732069732064756D6D79486F77647921",
     make_frame(0x5, 0x0C, 10,
                PushPromiseFrame{false, 12, ascii("this is dummy"), pad(6, "Howdy!")}, 24)},
    {"PushPromiseReservedBit", "000004050400000001" "80000002",
     make_frame(0x5, 0x04, 1, PushPromiseFrame{true, 2, {}, {}}, 4)},
    // Syntax only: which promised ids a receiver accepts is its role's rule (the engine's).
    {"PushPromiseOddPromisedId", "00000405000000000100000001",
     make_frame(0x5, 0, 1, PushPromiseFrame{false, 1, {}, {}}, 4)},
    {"PushPromiseZeroPromisedId", "00000405040000000100000000",
     make_frame(0x5, 0x04, 1, PushPromiseFrame{false, 0, {}, {}}, 4)},
    {"PingNormal", "0000080600000000006465616462656566",
     make_frame(0x6, 0, 0, PingFrame{{'d', 'e', 'a', 'd', 'b', 'e', 'e', 'f'}}, 8)},
    {"PingAck", "0000080601000000000102030405060708",
     make_frame(0x6, 0x01, 0, PingFrame{{1, 2, 3, 4, 5, 6, 7, 8}}, 8)},
    {"GoawayWithDebug", "0000170700000000000000001E00000009687061636B2069732062726F6B656E",
     make_frame(0x7, 0, 0, GoawayFrame{false, 30, 9, ascii("hpack is broken")}, 23)},
    {"GoawayReservedLastStream", "00000807000000000080000001" "00000000",
     make_frame(0x7, 0, 0, GoawayFrame{true, 1, 0, {}}, 8)},
    {"WindowUpdateStream", "000004080000000032000003E8",
     make_frame(0x8, 0, 50, WindowUpdateFrame{false, 1000}, 4)},
    {"WindowUpdateConnectionMax", "0000040800000000007FFFFFFF",
     make_frame(0x8, 0, 0, WindowUpdateFrame{false, kMaxWindowSize}, 4)},
    {"WindowUpdateReservedBit", "00000408000000000080000001",
     make_frame(0x8, 0, 0, WindowUpdateFrame{true, 1}, 4)},
    {"ContinuationNormal", "00000D090000000032746869732069732064756D6D79",
     make_frame(0x9, 0, 50, ContinuationFrame{ascii("this is dummy")}, 13)},
    {"ContinuationEmpty", "000000090400000003", make_frame(0x9, 0x04, 3, ContinuationFrame{}, 0)},
    {"PriorityUpdateNormal", "000009100000000000" "00000001753D332C69",
     make_frame(0x10, 0, 0, PriorityUpdateFrame{false, 1, "u=3,i"}, 9)},
    {"PriorityUpdateEmptyValue", "000004100000000000" "00000005",
     make_frame(0x10, 0, 0, PriorityUpdateFrame{false, 5, ""}, 4)},
    {"UnknownTypeOnStreamZero", "000002FAFF00000000ABCD",
     make_frame(0xFA, 0xFF, 0, UnknownFrame{{0xAB, 0xCD}}, 2)},
    {"UnknownTypeBetweenDefined", "0000010A0000000007EE",
     make_frame(0x0A, 0, 7, UnknownFrame{{0xEE}}, 1)},
};

void PrintTo(const ValidRow& row, std::ostream* os) { *os << row.name; }

class FrameDecoderValid : public ::testing::TestWithParam<ValidRow> {};

TEST_P(FrameDecoderValid, DecodesThreeWays) {
  const ValidRow& row = GetParam();
  const Bytes wire = hex(row.wire);
  ASSERT_FALSE(wire.empty());
  for (const auto& way : testing::decode_three_ways(wire)) {
    SCOPED_TRACE(way.name);
    ASSERT_EQ(way.results.size(), 1u);
    const DecodeResult& r = way.results[0];
    ASSERT_EQ(r.status, DecodeStatus::kComplete) << r.error.reason;
    EXPECT_EQ(r.consumed, wire.size());
    EXPECT_EQ(r.frame, row.expected) << summarize(r.frame);
    EXPECT_EQ(way.left_over, 0u);
  }
}

TEST_P(FrameDecoderValid, ReencodesByteForByte) {
  const Bytes wire = hex(GetParam().wire);
  const DecodeResult r = decode_frame(wire);
  ASSERT_EQ(r.status, DecodeStatus::kComplete);
  EXPECT_EQ(encode_frame(r.frame), wire);
}

TEST_P(FrameDecoderValid, ShortInputNeedsMore) {
  const Bytes wire = hex(GetParam().wire);
  for (std::size_t n = 0; n < wire.size(); ++n) {
    const DecodeResult r = decode_frame(ByteView(wire).first(n));
    EXPECT_EQ(r.status, DecodeStatus::kNeedMore) << "prefix of " << n;
    EXPECT_EQ(r.consumed, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, FrameDecoderValid, ::testing::ValuesIn(kValidRows),
                         [](const auto& p) { return std::string(p.param.name); });

// Model frames of every type: encode, then decode, must give the same frame back.
struct RoundTripRow {
  const char* name;
  Frame frame;  // header.length is filled in from the encoding
  std::uint8_t wire_flags;  // the flags octet on the wire: PADDED and PRIORITY follow the payload
};

const RoundTripRow kRoundTripRows[] = {
    {"Data", make_frame(0x0, 0x01, 1, DataFrame{ascii("body"), Padding{3, zeros(3)}}), 0x09},
    {"Headers", make_frame(0x1, 0x05, 3, HeadersFrame{ascii("frag"), {}, PriorityFields{false, 1, 42}}), 0x25},
    {"Priority", make_frame(0x2, 0, 5, PriorityFrame{{true, 0x7fffffff, 256}}), 0x00},
    {"RstStream", make_frame(0x3, 0, 7, RstStreamFrame{2}), 0x00},
    {"Settings", make_frame(0x4, 0, 0, SettingsFrame{{{4, 65535}, {5, 16384}, {9, 1}}}), 0x00},
    {"PushPromise", make_frame(0x5, 0x04, 1, PushPromiseFrame{false, 4, ascii("x"), Padding{1, zeros(1)}}), 0x0c},
    {"Ping", make_frame(0x6, 0x01, 0, PingFrame{{9, 8, 7, 6, 5, 4, 3, 2}}), 0x01},
    {"Goaway", make_frame(0x7, 0, 0, GoawayFrame{false, 3, 11, ascii("calm down")}), 0x00},
    {"WindowUpdate", make_frame(0x8, 0, 0, WindowUpdateFrame{false, 65535}), 0x00},
    {"Continuation", make_frame(0x9, 0x04, 3, ContinuationFrame{ascii("more")}), 0x04},
    {"PriorityUpdate", make_frame(0x10, 0, 0, PriorityUpdateFrame{false, 3, "u=0"}), 0x00},
    {"Unknown", make_frame(0xBB, 0x42, 9, UnknownFrame{ascii("opaque")}), 0x42},
};

void PrintTo(const RoundTripRow& row, std::ostream* os) { *os << row.name; }

class FrameRoundTrip : public ::testing::TestWithParam<RoundTripRow> {};

TEST_P(FrameRoundTrip, EncodeThenDecodeIsEqual) {
  Frame expected = GetParam().frame;
  const Bytes wire = encode_frame(expected);
  expected.header.length = static_cast<std::uint32_t>(wire.size() - kFrameHeaderSize);
  expected.header.type = payload_type(expected);
  EXPECT_EQ(wire[4], GetParam().wire_flags) << "the encoder sets PADDED and PRIORITY from the payload";
  expected.header.flags = GetParam().wire_flags;
  for (const auto& way : testing::decode_three_ways(wire)) {
    SCOPED_TRACE(way.name);
    ASSERT_EQ(way.results.size(), 1u);
    ASSERT_EQ(way.results[0].status, DecodeStatus::kComplete) << way.results[0].error.reason;
    EXPECT_EQ(way.results[0].frame, expected) << summarize(way.results[0].frame);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryType, FrameRoundTrip, ::testing::ValuesIn(kRoundTripRows),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(FrameDecoder, AcceptsFrameOfExactlyMaxFrameSize) {
  const Frame f = make_frame(0x0, 0, 1, DataFrame{Bytes(kDefaultMaxFrameSize, 0x5a), {}});
  const Bytes wire = encode_frame(f);
  const DecodeResult r = decode_frame(wire);
  ASSERT_EQ(r.status, DecodeStatus::kComplete) << r.error.reason;
  EXPECT_EQ(r.header.length, kDefaultMaxFrameSize);
}

TEST(FrameDecoder, AcceptsLargerFramesWhenLimitRaised) {
  const Frame f = make_frame(0x0, 0, 1, DataFrame{Bytes(70000, 1), {}});
  const Bytes wire = encode_frame(f);
  EXPECT_EQ(decode_frame(wire).status, DecodeStatus::kError);
  EXPECT_EQ(decode_frame(wire, {.max_frame_size = kMaxAllowedFrameSize}).status,
            DecodeStatus::kComplete);
}

TEST(FrameDecoder, NonZeroPaddingAcceptedUnlessAsked) {
  const Bytes wire = hex("000003000800000001020001");
  EXPECT_EQ(decode_frame(wire).status, DecodeStatus::kComplete);
}

TEST(FrameDecoder, HeaderFieldsDecodeBigEndian) {
  const Bytes wire = hex("123456" "AB" "CD" "F2345678");
  const FrameHeader h = decode_frame_header(wire);
  EXPECT_EQ(h.length, 0x123456u);
  EXPECT_EQ(h.type, 0xAB);
  EXPECT_EQ(h.flags, 0xCD);
  EXPECT_TRUE(h.reserved);
  EXPECT_EQ(h.stream_id, 0x72345678u);
}

}  // namespace
}  // namespace h2conform::wire
