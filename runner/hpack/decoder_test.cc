// Decoder: RFC 7541 Appendix C.2 to C.6 with table states, and every error path.
#include <gtest/gtest.h>

#include <functional>

#include "runner/hpack/hpack.h"
#include "runner/hpack/test_util.h"

namespace h2conform::hpack {
namespace {

using testing::from_hex;

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs pairs_of(const HeaderList& list) {
  Pairs out;
  for (const auto& f : list) out.emplace_back(f.name, f.value);
  return out;
}

Pairs table_of(const DynamicTable& t) {
  Pairs out;
  for (std::size_t i = 1; i <= t.count(); ++i) out.emplace_back(t.at(i)->name, t.at(i)->value);
  return out;
}

struct Step {
  const char* hex;
  Pairs headers;
  Pairs table;  // newest first
  std::size_t table_size;
};

void run_steps(Decoder& d, const std::vector<Step>& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE("block " + std::to_string(i + 1));
    HeaderList out;
    const auto err = d.decode(from_hex(steps[i].hex), &out);
    ASSERT_FALSE(err) << err->reason << " at " << err->offset;
    EXPECT_EQ(pairs_of(out), steps[i].headers);
    EXPECT_EQ(table_of(d.table()), steps[i].table);
    EXPECT_EQ(d.table().size(), steps[i].table_size);
  }
}

TEST(HpackDecoder, C2_1_LiteralWithIndexing) {
  Decoder d;
  run_steps(d, {{"400a637573746f6d2d6b65790d637573746f6d2d686561646572",
                 {{"custom-key", "custom-header"}}, {{"custom-key", "custom-header"}}, 55}});
}

TEST(HpackDecoder, C2_2_LiteralWithoutIndexing) {
  Decoder d;
  run_steps(d, {{"040c2f73616d706c652f70617468", {{":path", "/sample/path"}}, {}, 0}});
}

TEST(HpackDecoder, C2_3_LiteralNeverIndexed) {
  Decoder d;
  HeaderList out;
  ASSERT_FALSE(d.decode(from_hex("100870617373776f726406736563726574"), &out));
  EXPECT_EQ(pairs_of(out), (Pairs{{"password", "secret"}}));
  EXPECT_TRUE(out[0].never_index);
  EXPECT_EQ(d.table().count(), 0u);
}

TEST(HpackDecoder, C2_4_IndexedField) {
  Decoder d;
  run_steps(d, {{"82", {{":method", "GET"}}, {}, 0}});
}

const Pairs kReq1 = {{":method", "GET"}, {":scheme", "http"}, {":path", "/"},
                     {":authority", "www.example.com"}};
const Pairs kReq2 = {{":method", "GET"}, {":scheme", "http"}, {":path", "/"},
                     {":authority", "www.example.com"}, {"cache-control", "no-cache"}};
const Pairs kReq3 = {{":method", "GET"}, {":scheme", "https"}, {":path", "/index.html"},
                     {":authority", "www.example.com"}, {"custom-key", "custom-value"}};
const Pairs kReqTable1 = {{":authority", "www.example.com"}};
const Pairs kReqTable2 = {{"cache-control", "no-cache"}, {":authority", "www.example.com"}};
const Pairs kReqTable3 = {{"custom-key", "custom-value"}, {"cache-control", "no-cache"},
                          {":authority", "www.example.com"}};

TEST(HpackDecoder, C3_RequestsWithoutHuffman) {
  Decoder d;
  run_steps(d, {{"828684410f7777772e6578616d706c652e636f6d", kReq1, kReqTable1, 57},
                {"828684be58086e6f2d6361636865", kReq2, kReqTable2, 110},
                {"828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565", kReq3, kReqTable3,
                 164}});
}

TEST(HpackDecoder, C4_RequestsWithHuffman) {
  Decoder d;
  run_steps(d, {{"828684418cf1e3c2e5f23a6ba0ab90f4ff", kReq1, kReqTable1, 57},
                {"828684be5886a8eb10649cbf", kReq2, kReqTable2, 110},
                {"828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf", kReq3, kReqTable3, 164}});
}

const char* kDate1 = "Mon, 21 Oct 2013 20:13:21 GMT";
const char* kDate2 = "Mon, 21 Oct 2013 20:13:22 GMT";
const char* kLoc = "https://www.example.com";
const char* kCookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
const Pairs kResp1 = {{":status", "302"}, {"cache-control", "private"}, {"date", kDate1},
                      {"location", kLoc}};
const Pairs kResp2 = {{":status", "307"}, {"cache-control", "private"}, {"date", kDate1},
                      {"location", kLoc}};
const Pairs kResp3 = {{":status", "200"}, {"cache-control", "private"}, {"date", kDate2},
                      {"location", kLoc}, {"content-encoding", "gzip"}, {"set-cookie", kCookie}};
const Pairs kRespTable1 = {{"location", kLoc}, {"date", kDate1}, {"cache-control", "private"},
                           {":status", "302"}};
const Pairs kRespTable2 = {{":status", "307"}, {"location", kLoc}, {"date", kDate1},
                           {"cache-control", "private"}};
const Pairs kRespTable3 = {{"set-cookie", kCookie}, {"content-encoding", "gzip"},
                           {"date", kDate2}};

TEST(HpackDecoder, C5_ResponsesWithoutHuffman) {
  Decoder d;
  d.reset_table_size(256);
  run_steps(d, {{"4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a"
                 "323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
                 kResp1, kRespTable1, 222},
                {"4803333037c1c0bf", kResp2, kRespTable2, 222},
                {"88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69"
                 "707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d6178"
                 "2d6167653d333630303b2076657273696f6e3d31",
                 kResp3, kRespTable3, 215}});
}

TEST(HpackDecoder, C6_ResponsesWithHuffman) {
  Decoder d;
  d.reset_table_size(256);
  run_steps(d, {{"488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29"
                 "ad171863c78f0b97c8e9ae82ae43d3",
                 kResp1, kRespTable1, 222},
                {"4883640effc1c0bf", kResp2, kRespTable2, 222},
                {"88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7"
                 "f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d50"
                 "07",
                 kResp3, kRespTable3, 215}});
}

TEST(HpackDecoder, CallbackVariantDeliversTheSameFields) {
  Decoder d;
  Pairs got;
  bool never = false;
  auto sink = [&](std::string_view n, std::string_view v, bool ni) {
    got.emplace_back(n, v);
    never = never || ni;
  };
  ASSERT_FALSE(d.decode_each(from_hex("828684418cf1e3c2e5f23a6ba0ab90f4ff"), sink));
  EXPECT_EQ(got, kReq1);
  EXPECT_FALSE(never);
}

TEST(HpackDecoder, SizeUpdatesAtTheStartAreApplied) {
  Decoder d;
  HeaderList out;
  // Two updates (RFC 7541 §4.2: smallest, then final), then a literal with indexing.
  ASSERT_FALSE(d.decode(from_hex("203fe10f 4001610162"), &out));
  EXPECT_EQ(d.table().max_size(), 2048u);
  EXPECT_EQ(d.table().count(), 1u);
  ASSERT_FALSE(d.decode(from_hex("20"), &out));  // to zero: empties the table
  EXPECT_EQ(d.table().count(), 0u);
}

TEST(HpackDecoder, LoweredLimitRequiresSizeUpdateInNextBlock) {
  Decoder d;
  d.set_protocol_max_table_size(100);
  HeaderList out;
  const auto err = d.decode(from_hex("82"), &out);
  ASSERT_TRUE(err);
  EXPECT_NE(err->reason.find("lowered to 100"), std::string::npos) << err->reason;
  Decoder d2;
  d2.set_protocol_max_table_size(100);
  ASSERT_FALSE(d2.decode(from_hex("3f4582"), &out));  // update to 100, then :method GET
  EXPECT_EQ(d2.table().max_size(), 100u);
}

TEST(HpackDecoder, LoweredLimitRejectsAnEmptyNextBlock) {
  // RFC 7541 §4.2: the update must begin the first block after the change, even an empty one
  // (corpus: fuzzers/corpus/hpack_differential/fc3d7d4e..., found by comparing with nghttp2).
  Decoder d;
  d.set_protocol_max_table_size(100);
  HeaderList out;
  const auto err = d.decode(ByteView{}, &out);
  ASSERT_TRUE(err);
  EXPECT_NE(err->reason.find("lowered to 100"), std::string::npos) << err->reason;
  EXPECT_EQ(err->offset, 0u);
  Decoder same;  // an unchanged limit asks for nothing, so an empty block is fine
  same.set_protocol_max_table_size(kDefaultTableSize);
  EXPECT_FALSE(same.decode(ByteView{}, &out));
}

TEST(HpackDecoder, FirstUpdateMustSignalTheSmallestLimit) {
  // RFC 7541 §4.2: the limit went to 0 and back to 4096 between two blocks, so the first
  // update must be to 0 at most (corpus: fuzzers/corpus/hpack_differential/b2641f3e...).
  Decoder d;
  d.set_protocol_max_table_size(0);
  d.set_protocol_max_table_size(kDefaultTableSize);
  HeaderList out;
  const auto err = d.decode(from_hex("3430"), &out);  // updates to 20, then 16
  ASSERT_TRUE(err);
  EXPECT_NE(err->reason.find("smallest"), std::string::npos) << err->reason;
  EXPECT_EQ(err->offset, 0u);
  Decoder ok;
  ok.set_protocol_max_table_size(0);
  ok.set_protocol_max_table_size(kDefaultTableSize);
  ASSERT_FALSE(ok.decode(from_hex("203fe11f 82"), &out));  // 0, then the final 4096
  EXPECT_EQ(ok.table().max_size(), kDefaultTableSize);
  ASSERT_FALSE(ok.decode(from_hex("3fe11f"), &out));  // a later block may use the final limit
}

TEST(HpackDecoder, RaisedLimitNeedsNoSizeUpdate) {
  Decoder d;
  d.set_protocol_max_table_size(8192);
  HeaderList out;
  ASSERT_FALSE(d.decode(from_hex("82"), &out));
  ASSERT_FALSE(d.decode(from_hex("3fe13f"), &out));  // 8192 is now allowed
  EXPECT_EQ(d.table().max_size(), 8192u);
}

struct ErrorRow {
  const char* name;
  std::function<void(BlockWriter&)> write;
  std::size_t offset;
  const char* reason;
  DecoderLimits limits = {};
};

class HpackDecoderErrors : public ::testing::TestWithParam<ErrorRow> {};

TEST_P(HpackDecoderErrors, RejectsWithReasonAndOffset) {
  const ErrorRow& row = GetParam();
  DynamicTable scratch;
  BlockWriter w(&scratch);
  row.write(w);
  Decoder d(row.limits);
  HeaderList out;
  const auto err = d.decode(w.bytes(), &out);
  ASSERT_TRUE(err) << testing::to_hex(w.bytes());
  EXPECT_NE(err->reason.find(row.reason), std::string::npos) << err->reason;
  EXPECT_EQ(err->offset, row.offset) << err->reason;
}

Bytes hex(const char* h) { return from_hex(h); }

INSTANTIATE_TEST_SUITE_P(
    Rows, HpackDecoderErrors,
    ::testing::Values(
        ErrorRow{"IndexZero", [](BlockWriter& w) { w.indexed(0); }, 0, "index 0"},
        ErrorRow{"IndexPastStaticTable", [](BlockWriter& w) { w.indexed(62); }, 0,
                 "index 62 is past the end"},
        ErrorRow{"IndexPastDynamicTable",
                 [](BlockWriter& w) { w.literal("a", "b", Indexing::kIncremental, false);
                                      w.indexed(63); }, 5, "index 63 is past the end"},
        ErrorRow{"NameIndexPastTable",
                 [](BlockWriter& w) { w.literal_indexed_name(70, "v", Indexing::kWithout, false); },
                 0, "index 70"},
        ErrorRow{"SizeUpdateAboveLimit", [](BlockWriter& w) { w.size_update(4097); }, 0,
                 "exceeds the limit 4096"},
        ErrorRow{"SizeUpdateAfterField",
                 [](BlockWriter& w) { w.indexed(2); w.size_update(0); }, 1, "after a header field"},
        ErrorRow{"IndexOverflow", [](BlockWriter& w) { w.overflowing_integer(0x80, 7, 4); }, 0,
                 "exceeds 2^32-1"},
        ErrorRow{"IndexTooLong", [](BlockWriter& w) { w.raw(hex("ff808080808000")); }, 0,
                 "more than 5 continuation"},
        ErrorRow{"SizeUpdateOverflow", [](BlockWriter& w) { w.overflowing_integer(0x20, 5, 5); },
                 0, "exceeds 2^32-1"},
        ErrorRow{"StringLengthOverflow",
                 [](BlockWriter& w) { w.raw(hex("00")); w.overflowing_integer(0x00, 7, 4); }, 1,
                 "string length exceeds"},
        ErrorRow{"TruncatedIndex", [](BlockWriter& w) { w.raw(hex("ff80")); }, 0,
                 "ends inside index"},
        ErrorRow{"TruncatedNameLength", [](BlockWriter& w) { w.raw(hex("40")); }, 1,
                 "ends before a string literal"},
        ErrorRow{"TruncatedValue", [](BlockWriter& w) { w.raw(hex("0001610561")); }, 3,
                 "string length 5 runs past the end of the block (1 octets left)"},
        ErrorRow{"HuffmanEos",
                 [](BlockWriter& w) { w.literal_bad_huffman("n", "v", 0, false, true); }, 3,
                 "EOS"},
        ErrorRow{"HuffmanLongPadding",
                 [](BlockWriter& w) { w.literal_bad_huffman("n", "abc", 9, false, false); }, 3,
                 "longer than 7 bits"},
        ErrorRow{"HuffmanZeroPadding",
                 [](BlockWriter& w) { w.literal_bad_huffman("n", "abc", 0, true, false); }, 3,
                 "not all ones"},
        ErrorRow{"HuffmanInName", [](BlockWriter& w) { w.raw(hex("0081ff0161")); }, 1,
                 "longer than 7 bits"},
        ErrorRow{"StringOverLimit",
                 [](BlockWriter& w) { w.literal("name", "0123456789", Indexing::kWithout, false); },
                 6, "exceeds the limit of 8", DecoderLimits{SIZE_MAX, 8, 100}},
        ErrorRow{"HuffmanStringOverLimit",
                 [](BlockWriter& w) { w.literal("name", "0123456789", Indexing::kWithout, true); },
                 5, "over the limit of 8", DecoderLimits{SIZE_MAX, 8, 100}},
        ErrorRow{"HeaderListOverLimit",
                 [](BlockWriter& w) { w.indexed(2); w.indexed(4); }, 1, "header list size 80",
                 DecoderLimits{60, 100, 100}},
        ErrorRow{"TooManyFields",
                 [](BlockWriter& w) { for (int i = 0; i < 4; ++i) w.indexed(2); }, 3,
                 "more than 3 fields", DecoderLimits{SIZE_MAX, 100, 3}}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(HpackDecoder, DuplicateEntriesAreNotAnError) {
  Decoder d;  // RFC 7541 §2.3.2
  HeaderList out;
  ASSERT_FALSE(d.decode(from_hex("4001610162 4001610162 be bf"), &out));
  EXPECT_EQ(out.size(), 4u);
  EXPECT_EQ(d.table().count(), 2u);
}

TEST(HpackDecoder, LiteralWithDynamicNameSurvivesEvictingThatName) {
  Decoder d;
  d.reset_table_size(40);  // room for one entry of size <= 40
  HeaderList out;
  // Insert ("abc","d") (36), then a literal with indexing naming index 62 with value "e":
  // inserting it evicts the entry its name came from (RFC 7541 §4.4).
  ASSERT_FALSE(d.decode(from_hex("40036162630164 7e0165"), &out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].name, "abc");
  EXPECT_EQ(out[1].value, "e");
  EXPECT_EQ(d.table().at(1)->name, "abc");
}

// Found by hpack_decoder_fuzzer: max_string_length limits string literals only; a name taken
// from the static table (here access-control-allow-origin, 27 octets) is not a literal.
TEST(HpackDecoder, StringLimitDoesNotApplyToStaticTableNames) {
  Decoder d(DecoderLimits{SIZE_MAX, 16, 100});
  HeaderList out;
  ASSERT_FALSE(d.decode(from_hex("540161"), &out));  // literal with indexing, name index 20
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "access-control-allow-origin");
  const auto err = d.decode(from_hex("0011616161616161616161616161616161616101"), &out);
  ASSERT_TRUE(err);  // a 17-octet literal name is over the limit
  EXPECT_NE(err->reason.find("exceeds the limit of 16"), std::string::npos) << err->reason;
}

}  // namespace
}  // namespace h2conform::hpack
