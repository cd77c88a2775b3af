// Encoder and BlockWriter: RFC 7541 Appendix C outputs, round trips for every representation
// and option, size updates, and the invalid-encoding knobs.
#include <gtest/gtest.h>

#include "runner/hpack/hpack.h"
#include "runner/hpack/test_util.h"

namespace h2conform::hpack {
namespace {

using testing::to_hex;

HeaderList fields(std::initializer_list<std::pair<const char*, const char*>> list) {
  HeaderList out;
  for (const auto& [n, v] : list) out.push_back(HeaderField{n, v});
  return out;
}

TEST(HpackEncoder, C3_RequestsWithoutHuffman) {
  Encoder e;
  EncoderOptions o;
  o.huffman = HuffmanMode::kNever;
  EXPECT_EQ(to_hex(e.encode(fields({{":method", "GET"}, {":scheme", "http"}, {":path", "/"},
                                     {":authority", "www.example.com"}}), o)),
            "828684410f7777772e6578616d706c652e636f6d");
  EXPECT_EQ(to_hex(e.encode(fields({{":method", "GET"}, {":scheme", "http"}, {":path", "/"},
                                     {":authority", "www.example.com"},
                                     {"cache-control", "no-cache"}}), o)),
            "828684be58086e6f2d6361636865");
  EXPECT_EQ(to_hex(e.encode(fields({{":method", "GET"}, {":scheme", "https"},
                                     {":path", "/index.html"}, {":authority", "www.example.com"},
                                     {"custom-key", "custom-value"}}), o)),
            "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565");
  EXPECT_EQ(e.table().size(), 164u);
}

TEST(HpackEncoder, C4_RequestsWithHuffman) {
  Encoder e;
  EXPECT_EQ(to_hex(e.encode(fields({{":method", "GET"}, {":scheme", "http"}, {":path", "/"},
                                     {":authority", "www.example.com"}}))),
            "828684418cf1e3c2e5f23a6ba0ab90f4ff");
  EXPECT_EQ(to_hex(e.encode(fields({{":method", "GET"}, {":scheme", "http"}, {":path", "/"},
                                     {":authority", "www.example.com"},
                                     {"cache-control", "no-cache"}}))),
            "828684be5886a8eb10649cbf");
  EXPECT_EQ(to_hex(e.encode(fields({{":method", "GET"}, {":scheme", "https"},
                                     {":path", "/index.html"}, {":authority", "www.example.com"},
                                     {"custom-key", "custom-value"}}))),
            "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf");
}

const char* kCookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

std::vector<std::string> encode_responses(HuffmanMode mode) {
  Encoder e;
  e.table().set_max_size(256);  // agreed out of band, as in Appendix C.5
  EncoderOptions o;
  o.huffman = mode;
  const char* date1 = "Mon, 21 Oct 2013 20:13:21 GMT";
  const char* loc = "https://www.example.com";
  return {
      to_hex(e.encode(fields({{":status", "302"}, {"cache-control", "private"}, {"date", date1},
                              {"location", loc}}), o)),
      to_hex(e.encode(fields({{":status", "307"}, {"cache-control", "private"}, {"date", date1},
                              {"location", loc}}), o)),
      to_hex(e.encode(fields({{":status", "200"}, {"cache-control", "private"},
                              {"date", "Mon, 21 Oct 2013 20:13:22 GMT"}, {"location", loc},
                              {"content-encoding", "gzip"}, {"set-cookie", kCookie}}), o))};
}

TEST(HpackEncoder, C5_ResponsesWithoutHuffman) {
  const auto blocks = encode_responses(HuffmanMode::kNever);
  EXPECT_EQ(blocks[0], "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a3133"
                       "3a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d");
  EXPECT_EQ(blocks[1], "4803333037c1c0bf");
  EXPECT_EQ(blocks[2], "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a"
                       "69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d"
                       "61782d6167653d333630303b2076657273696f6e3d31");
}

TEST(HpackEncoder, C6_ResponsesWithHuffman) {
  const auto blocks = encode_responses(HuffmanMode::kAlways);
  EXPECT_EQ(blocks[0], "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d"
                       "29ad171863c78f0b97c8e9ae82ae43d3");
  EXPECT_EQ(blocks[1], "4883640effc1c0bf");
  EXPECT_EQ(blocks[2], "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821d"
                       "d7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b10"
                       "63d5007");
}

HeaderList sample_list(int round) {
  HeaderList l = fields({{":method", "GET"}, {":path", "/index.html"}, {":authority", "example.org"},
                         {"accept-encoding", "gzip, deflate"}, {"x-empty", ""},
                         {"cookie", "a=1"}, {"cookie", "session=0123456789abcdef0123456789"},
                         {"authorization", "Basic dXNlcjpwYXNz"}, {"user-agent", "test/1.0"}});
  l.push_back(HeaderField{"x-round", std::to_string(round)});
  l.push_back(HeaderField{"x-bytes", std::string("\x00\x01\xfe", 3)});
  l.push_back(HeaderField{"x-secret", "hunter2", true});
  l.push_back(HeaderField{"x-long", std::string(5000, 'z')});  // larger than the table
  l.push_back(HeaderField{":path", "/index.html"});
  return l;
}

struct OptionRow {
  HuffmanMode huffman;
  Indexing indexing;
  bool dynamic;
  bool selective;
};

class HpackEncoderRoundTrip : public ::testing::TestWithParam<OptionRow> {};

TEST_P(HpackEncoderRoundTrip, DecodesToTheSameFields) {
  const OptionRow& row = GetParam();
  EncoderOptions o{row.huffman, row.indexing, row.dynamic, row.selective};
  Encoder e;
  Decoder d;
  for (int round = 0; round < 4; ++round) {
    const HeaderList in = sample_list(round % 2);
    HeaderList out;
    const Bytes block = e.encode(in, o);
    const auto err = d.decode(block, &out);
    ASSERT_FALSE(err) << err->reason << " at " << err->offset;
    ASSERT_EQ(out, in) << "round " << round;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const bool sensitive = in[i].never_index || row.indexing == Indexing::kNever ||
                             (row.selective && (in[i].name == "authorization" ||
                                                (in[i].name == "cookie" && in[i].value.size() < 20)));
      EXPECT_EQ(out[i].never_index, sensitive) << in[i].name;
    }
    EXPECT_EQ(d.table().count(), e.table().count());
    EXPECT_EQ(d.table().size(), e.table().size());
    if (!row.dynamic || row.indexing != Indexing::kIncremental) {
      EXPECT_EQ(e.table().count(), 0u);
    }
  }
}

std::vector<OptionRow> all_option_rows() {
  std::vector<OptionRow> rows;
  for (auto h : {HuffmanMode::kAuto, HuffmanMode::kAlways, HuffmanMode::kNever}) {
    for (auto i : {Indexing::kIncremental, Indexing::kWithout, Indexing::kNever}) {
      for (bool dyn : {true, false}) {
        for (bool sel : {false, true}) rows.push_back({h, i, dyn, sel});
      }
    }
  }
  return rows;
}

std::string option_row_name(const ::testing::TestParamInfo<OptionRow>& row) {
  static const char* const kHuffman[] = {"HuffAuto", "HuffAlways", "HuffNever"};
  static const char* const kIndexing[] = {"Incremental", "Without", "Never"};
  const OptionRow& r = row.param;
  return std::string(kHuffman[static_cast<int>(r.huffman)]) +
         kIndexing[static_cast<int>(r.indexing)] + (r.dynamic ? "Dynamic" : "StaticOnly") +
         (r.selective ? "Selective" : "");
}

INSTANTIATE_TEST_SUITE_P(Options, HpackEncoderRoundTrip, ::testing::ValuesIn(all_option_rows()),
                         option_row_name);

TEST(HpackEncoder, RepeatedFieldsBecomeOneOctetIndices) {
  Encoder e;
  const HeaderList l = fields({{"x-a", "1"}, {"x-b", "2"}});
  e.encode(l);
  EXPECT_EQ(to_hex(e.encode(l)), "bfbe");
}

TEST(HpackEncoder, SelectiveIndexingSkipsVolatileFields) {
  Encoder e;
  EncoderOptions o;
  o.selective_indexing = true;
  e.encode(fields({{":path", "/a"}, {"content-length", "5"}, {"x-keep", "1"}}), o);
  EXPECT_EQ(e.table().count(), 1u);
  EXPECT_EQ(e.table().at(1)->name, "x-keep");
}

TEST(HpackEncoder, AnnouncesTableSizeChangesSmallestFirst) {
  Encoder e;
  e.set_max_table_size(0);
  e.set_max_table_size(2048);
  ASSERT_EQ(e.pending_size_update(), 2048u);
  EXPECT_EQ(to_hex(e.encode(fields({{":method", "GET"}}))), "203fe10f82");
  EXPECT_FALSE(e.pending_size_update());
  e.set_max_table_size(100);
  EXPECT_EQ(to_hex(e.encode({})), "3f45");
  Decoder d;
  d.set_protocol_max_table_size(100);
  HeaderList out;
  EXPECT_FALSE(d.decode(testing::from_hex("3f45"), &out));
}

TEST(HpackEncoder, ManyEntriesStayFindableAcrossIndexRebuilds) {
  Encoder e;
  e.set_max_table_size(1 << 20);
  Decoder d;
  d.set_protocol_max_table_size(1 << 20);
  for (int block = 0; block < 20; ++block) {
    HeaderList l;
    for (int i = 0; i < 300; ++i) l.push_back(HeaderField{"x-" + std::to_string(i % 97),
                                                          std::to_string(i + block * 150)});
    const Bytes wire = e.encode(l);
    HeaderList out;
    ASSERT_FALSE(d.decode(wire, &out));
    ASSERT_EQ(out, l);
  }
  HeaderList again{HeaderField{"x-5", "2855"}};  // inserted in the last block
  const Bytes wire = e.encode(again);  // index 61 + 295: three octets
  EXPECT_EQ(to_hex(wire), "ffe501");
}

TEST(HpackEncoder, FindsEntriesInsertedThroughBlockWriter) {
  Encoder e;
  BlockWriter w(&e.table());
  w.literal("x-custom", "v", Indexing::kIncremental, false);
  EXPECT_EQ(to_hex(e.encode(fields({{"x-custom", "v"}}))), "be");
}

TEST(HpackBlockWriter, EveryValidRepresentationRoundTrips) {
  DynamicTable table;
  BlockWriter w(&table);
  w.size_update(1024);
  w.indexed(2);
  w.literal("new", "one", Indexing::kIncremental, true);
  w.literal("plain", "two", Indexing::kWithout, false);
  w.literal("secret", "three", Indexing::kNever, true);
  w.literal_indexed_name(62, "four", Indexing::kIncremental, false);  // name "new"
  w.literal_indexed_name(4, "/five", Indexing::kWithout, true);
  w.literal_indexed_name(23, "six", Indexing::kNever, false);
  w.indexed(62);
  Decoder d;
  HeaderList out;
  const auto err = d.decode(w.bytes(), &out);
  ASSERT_FALSE(err) << err->reason;
  const HeaderList want = fields({{":method", "GET"}, {"new", "one"}, {"plain", "two"},
                                  {"secret", "three"}, {"new", "four"}, {":path", "/five"},
                                  {"authorization", "six"}, {"new", "four"}});
  EXPECT_EQ(out, want);
  EXPECT_TRUE(out[3].never_index);
  EXPECT_TRUE(out[6].never_index);
  EXPECT_EQ(d.table().count(), table.count());
  EXPECT_EQ(d.table().max_size(), 1024u);
  EXPECT_EQ(table.max_size(), 1024u);
}

TEST(HpackBlockWriter, InvalidIndicesLeaveTheTableAlone) {
  DynamicTable table;
  BlockWriter w(&table);
  w.indexed(0);
  w.literal_indexed_name(99, "v", Indexing::kIncremental, false);
  EXPECT_EQ(table.count(), 0u);
  EXPECT_EQ(to_hex(w.bytes()), "807f240176");
}

TEST(HpackBlockWriter, OverflowingIntegerShape) {
  BlockWriter w(nullptr);
  w.overflowing_integer(0x80, 7, 2);
  EXPECT_EQ(to_hex(w.take()), "ffffff7f");
}

}  // namespace
}  // namespace h2conform::hpack
