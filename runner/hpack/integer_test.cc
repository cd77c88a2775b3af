// Prefix integers (RFC 7541 §5.1): Appendix C.1, every prefix size, boundaries, errors.
#include <gtest/gtest.h>

#include "runner/hpack/hpack.h"
#include "runner/hpack/test_util.h"

namespace h2conform::hpack {
namespace {

using testing::from_hex;
using testing::to_hex;

TEST(HpackInteger, C1_1_Encodes10With5BitPrefix) {
  Bytes out;
  encode_integer(out, 0x00, 5, 10);
  EXPECT_EQ(to_hex(out), "0a");
}

TEST(HpackInteger, C1_2_Encodes1337With5BitPrefix) {
  Bytes out;
  encode_integer(out, 0x00, 5, 1337);
  EXPECT_EQ(to_hex(out), "1f9a0a");
  std::uint32_t v = 0;
  std::size_t used = 0;
  EXPECT_EQ(decode_integer(out, 5, &v, &used), std::nullopt);
  EXPECT_EQ(used, 3u);
  EXPECT_EQ(v, 1337u);
}

TEST(HpackInteger, C1_3_Encodes42AtOctetBoundary) {
  Bytes out;
  encode_integer(out, 0x00, 8, 42);
  EXPECT_EQ(to_hex(out), "2a");
}

// Every prefix size with values around each length boundary, whole and truncated.
TEST(HpackInteger, RoundTripsBoundaryValuesForEveryPrefix) {
  for (int prefix = 1; prefix <= 8; ++prefix) {
    const std::uint64_t max_prefix = (1u << prefix) - 1;
    const std::uint64_t values[] = {0, max_prefix - 1, max_prefix, max_prefix + 1,
                                    max_prefix + 127, max_prefix + 128, max_prefix + 16383,
                                    max_prefix + 16384, (1u << 21) + 5, (1u << 28) - 1,
                                    1u << 28, 0xfffffffeu, 0xffffffffu};
    for (std::uint64_t value : values) {
      SCOPED_TRACE("prefix " + std::to_string(prefix) + " value " + std::to_string(value));
      Bytes out;
      const auto flags = static_cast<std::uint8_t>(prefix == 8 ? 0 : 0xff << prefix);
      encode_integer(out, flags, prefix, value);
      std::uint32_t got = 0;
      std::size_t used = 0;
      ASSERT_EQ(decode_integer(out, prefix, &got, &used), std::nullopt);
      EXPECT_EQ(used, out.size());
      EXPECT_EQ(got, value);
      EXPECT_EQ(out[0] & flags, flags);
      for (std::size_t cut = 0; cut < out.size(); ++cut) {
        const auto error = decode_integer(ByteView(out.data(), cut), prefix, &got, &used);
        ASSERT_TRUE(error.has_value()) << "cut " << cut;
        EXPECT_EQ(error->offset, cut);
        EXPECT_NE(error->reason.find("ends inside an integer"), std::string::npos) << error->reason;
      }
    }
  }
}

struct BadInteger {
  const char* name;
  const char* hex;
  int prefix;
  const char* reason;  // a part of the error's reason
};

class HpackIntegerErrors : public ::testing::TestWithParam<BadInteger> {};

TEST_P(HpackIntegerErrors, Rejects) {
  const Bytes in = from_hex(GetParam().hex);
  std::uint32_t v = 0;
  std::size_t used = 0;
  const auto error = decode_integer(in, GetParam().prefix, &v, &used);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->reason.find(GetParam().reason), std::string::npos) << error->reason;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, HpackIntegerErrors,
    ::testing::Values(BadInteger{"ValueIs2To32", "1fe1ffffff0f", 5, "exceeds 2^32-1"},  // 31 + 2^32 - 31
                      BadInteger{"ValueFarAbove", "ffffffffff7f", 8, "exceeds 2^32-1"},
                      BadInteger{"SixContinuationBytes", "1f808080808000", 5, "more than 5 continuation"},
                      BadInteger{"EndlessContinuation", "ff80808080808080", 8, "more than 5 continuation"},
                      BadInteger{"Prefix1Overflow", "01ffffffff7f", 1, "exceeds 2^32-1"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(HpackInteger, AcceptsZeroPaddedContinuationWithinFiveOctets) {
  std::uint32_t v = 0;
  std::size_t used = 0;
  EXPECT_EQ(decode_integer(from_hex("1f8080808000"), 5, &v, &used), std::nullopt);
  EXPECT_EQ(used, 6u);
  EXPECT_EQ(v, 31u);
}

TEST(HpackInteger, TruncatedInputSaysWhereItEnds) {
  std::uint32_t v = 0;
  std::size_t used = 0;
  const auto empty = decode_integer(ByteView{}, 5, &v, &used);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->offset, 0u);
  const auto cut = decode_integer(from_hex("1f80"), 5, &v, &used);
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->offset, 2u);
}

}  // namespace
}  // namespace h2conform::hpack
