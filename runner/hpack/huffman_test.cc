// Huffman code (RFC 7541 §5.2, Appendix B): RFC strings, every symbol at every bit offset,
// padding and EOS errors.
#include <gtest/gtest.h>

#include <random>

#include "runner/hpack/hpack.h"
#include "runner/hpack/internal.h"
#include "runner/hpack/test_util.h"

namespace h2conform::hpack {
namespace {

using testing::from_hex;
using testing::to_hex;

struct HuffmanRow {
  const char* name;
  const char* text;
  const char* hex;
};

class HuffmanRfcStrings : public ::testing::TestWithParam<HuffmanRow> {};

TEST_P(HuffmanRfcStrings, EncodesAndDecodes) {
  Bytes out;
  huffman_encode(out, GetParam().text);
  EXPECT_EQ(to_hex(out), GetParam().hex);
  EXPECT_EQ(huffman_encoded_length(GetParam().text), out.size());
  std::string text;
  const auto error = huffman_decode(from_hex(GetParam().hex), text);
  ASSERT_FALSE(error) << error->reason;
  EXPECT_EQ(text, GetParam().text);
}

// Strings from RFC 7541 Appendix C.4 and C.6.
INSTANTIATE_TEST_SUITE_P(
    Rows, HuffmanRfcStrings,
    ::testing::Values(
        HuffmanRow{"WwwExampleCom", "www.example.com", "f1e3c2e5f23a6ba0ab90f4ff"},
        HuffmanRow{"NoCache", "no-cache", "a8eb10649cbf"},
        HuffmanRow{"CustomKey", "custom-key", "25a849e95ba97d7f"},
        HuffmanRow{"CustomValue", "custom-value", "25a849e95bb8e8b4bf"},
        HuffmanRow{"Status302", "302", "6402"}, HuffmanRow{"Private", "private", "aec3771a4b"},
        HuffmanRow{"Date", "Mon, 21 Oct 2013 20:13:21 GMT",
                   "d07abe941054d444a8200595040b8166e082a62d1bff"},
        HuffmanRow{"Location", "https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3"},
        HuffmanRow{"Gzip", "gzip", "9bd9ab"}, HuffmanRow{"Empty", "", ""}),
    [](const auto& row) { return std::string(row.param.name); });

// Each of the 256 symbols, preceded by 0..7 bits of other codes so it starts at every bit
// offset, and followed by a short and a long code.
TEST(HpackHuffman, RoundTripsEverySymbolAtEveryBitOffset) {
  const std::string leads[] = {"", "0", "a", "0a", "%", "0%", "&", "0&"};  // 0,5,5,10,6,11,8,13
  for (int sym = 0; sym < 256; ++sym) {
    for (const std::string& lead : leads) {
      for (const char* tail : {"", "e", "\x01"}) {
        const std::string text = lead + static_cast<char>(sym) + tail;
        Bytes enc;
        huffman_encode(enc, text);
        std::string dec;
        const auto error = huffman_decode(enc, dec);
        ASSERT_FALSE(error) << "symbol " << sym << ": " << error->reason;
        ASSERT_EQ(dec, text) << "symbol " << sym;
      }
    }
  }
}

TEST(HpackHuffman, RoundTripsSeededRandomStrings) {
  const unsigned seed = 7541;
  std::mt19937 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    std::string text(rng() % 300, '\0');
    const bool ascii = i % 2 == 0;
    for (char& c : text) c = static_cast<char>(ascii ? 32 + rng() % 95 : rng() % 256);
    Bytes enc;
    huffman_encode(enc, text);
    std::string dec;
    const auto error = huffman_decode(enc, dec);
    ASSERT_FALSE(error) << "seed " << seed << " i " << i << error->reason;
    ASSERT_EQ(dec, text) << "seed " << seed << " i " << i;
  }
}

TEST(HpackHuffman, DecodeAppendsToExistingText) {
  std::string out = "x-";
  ASSERT_FALSE(huffman_decode(from_hex("a8eb10649cbf"), out));
  EXPECT_EQ(out, "x-no-cache");
}

struct BadHuffman {
  const char* name;
  const char* text;
  int pad_bits;
  bool zero_padding;
  bool embed_eos;
  const char* reason;
};

class HuffmanErrors : public ::testing::TestWithParam<BadHuffman> {};

TEST_P(HuffmanErrors, Rejects) {
  const BadHuffman& row = GetParam();
  const Bytes enc = detail::huffman_encode_custom(row.text, row.pad_bits, row.zero_padding,
                                                  row.embed_eos);
  std::string out = "kept";
  const auto error = huffman_decode(enc, out);
  ASSERT_TRUE(error) << testing::to_hex(enc);
  EXPECT_NE(error->reason.find(row.reason), std::string::npos) << error->reason;
  EXPECT_EQ(out, "kept");
}

INSTANTIATE_TEST_SUITE_P(
    Rows, HuffmanErrors,
    ::testing::Values(
        BadHuffman{"EosInside", "abc", 0, false, true, "EOS"},
        BadHuffman{"EosAlone", "", 0, false, true, "EOS"},
        BadHuffman{"PaddingOf8Bits", "0", 8, false, false, "longer than 7 bits"},
        BadHuffman{"PaddingOf15Bits", "no-cache", 15, false, false, "longer than 7 bits"},
        BadHuffman{"ZeroPadding", "a", 0, true, false, "not all ones"},
        BadHuffman{"ZeroPaddingOnBoundary", "00000000", 0, true, false, "not all ones"},
        BadHuffman{"OnlyPadding8Bits", "", 8, false, false, "longer than 7 bits"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(HpackHuffman, RejectsStringEndingInsideALongCode) {
  std::string out;
  const auto error = huffman_decode(from_hex("fffe"), out);  // prefix of a 19+ bit code
  ASSERT_TRUE(error);
  EXPECT_NE(error->reason.find("inside a code"), std::string::npos) << error->reason;
}

TEST(HpackHuffman, AcceptsPaddingOfUpTo7Ones) {
  for (const char* text : {"0", "a0", "0aa", "%", "&", "~"}) {
    Bytes enc;
    huffman_encode(enc, text);
    std::string out;
    EXPECT_FALSE(huffman_decode(enc, out)) << text;
    EXPECT_EQ(out, text);
  }
}

}  // namespace
}  // namespace h2conform::hpack
