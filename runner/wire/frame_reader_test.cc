// FrameReader: several frames per feed, any split, skipping oversized frames, bounded memory.
#include <gtest/gtest.h>

#include <random>

#include "runner/wire/frame.h"
#include "runner/wire/frame_test_util.h"

namespace h2conform::wire {
namespace {

using testing::ascii;
using testing::hex;
using testing::make_frame;

Bytes stream_of(const std::vector<Frame>& frames) {
  Bytes out;
  for (const Frame& f : frames) append_frame(out, f);
  return out;
}

std::vector<Frame> sample_frames() {
  return {make_frame(0x4, 0, 0, SettingsFrame{{{3, 100}}}),
          make_frame(0x1, 0x04, 1, HeadersFrame{ascii("abc"), {}, {}}),
          make_frame(0x0, 0x01, 1, DataFrame{Bytes(300, 7), Padding{4, Bytes(4, 0)}}),
          make_frame(0x6, 0, 0, PingFrame{}),
          make_frame(0x8, 0, 1, WindowUpdateFrame{false, 10})};
}

TEST(FrameReader, ReadsSeveralFramesThreeWays) {
  const auto frames = sample_frames();
  const Bytes wire = stream_of(frames);
  for (const auto& way : testing::decode_three_ways(wire, {}, 100, 8)) {
    SCOPED_TRACE(way.name);
    ASSERT_EQ(way.results.size(), frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
      ASSERT_EQ(way.results[i].status, DecodeStatus::kComplete) << way.results[i].error.reason;
      EXPECT_EQ(encode_frame(way.results[i].frame), encode_frame(frames[i])) << i;
    }
    EXPECT_EQ(way.left_over, 0u);
  }
}

TEST(FrameReader, NeedMoreIsNotAnError) {
  FrameReader reader;
  EXPECT_EQ(reader.next().status, DecodeStatus::kNeedMore);
  reader.feed(hex("0000080600"));
  EXPECT_EQ(reader.next().status, DecodeStatus::kNeedMore);
  EXPECT_EQ(reader.buffered(), 5u);
}

TEST(FrameReader, ContinuesAfterMalformedFrame) {
  FrameReader reader;
  reader.feed(hex("000004060000000000AAAAAAAA" "0000080600000000000000000000000000"));
  EXPECT_EQ(reader.next().status, DecodeStatus::kError);
  EXPECT_EQ(reader.next().status, DecodeStatus::kComplete);
  EXPECT_EQ(reader.next().status, DecodeStatus::kNeedMore);
}

// RFC 9113 §4.2: an oversized frame is reported from its header, then skipped as it arrives.
TEST(FrameReader, SkipsOversizedFrameAndContinues) {
  const DecodeOptions small{.max_frame_size = 16};
  Bytes wire = encode_frame(make_frame(0x0, 0, 1, DataFrame{Bytes(1000, 0xAA), {}}));
  append_frame(wire, make_frame(0x6, 0x01, 0, PingFrame{{1}}));
  for (const auto& way : testing::decode_three_ways(wire, small, 1, 16)) {
    SCOPED_TRACE(way.name);
    ASSERT_EQ(way.results.size(), 2u);
    EXPECT_EQ(way.results[0].status, DecodeStatus::kError);
    EXPECT_EQ(way.results[0].error.code, ErrorCode::kFrameSizeError);
    EXPECT_EQ(way.results[0].consumed, 1009u);
    ASSERT_EQ(way.results[1].status, DecodeStatus::kComplete) << way.results[1].error.reason;
    EXPECT_EQ(way.results[1].frame.header.type, 0x6);
  }
}

TEST(FrameReader, MemoryStaysBoundedWhileSkipping) {
  FrameReader reader({.max_frame_size = 16});
  reader.feed(hex("FFFFFF000000000001"));
  EXPECT_EQ(reader.next().status, DecodeStatus::kError);
  const Bytes chunk(4096, 0x55);
  for (int i = 0; i < 100; ++i) {
    reader.feed(chunk);
    EXPECT_EQ(reader.buffered(), 0u);
    EXPECT_EQ(reader.next().status, DecodeStatus::kNeedMore);
  }
  EXPECT_EQ(reader.skipping(), 0xFFFFFFu - 100 * 4096);
}

TEST(FrameReader, AccountsForEveryByte) {
  Bytes wire = stream_of(sample_frames());
  append_frame(wire, make_frame(0x0, 0, 3, DataFrame{Bytes(20000, 1), {}}));  // oversized
  append_frame(wire, make_frame(0x6, 0, 0, PingFrame{}));
  wire.resize(wire.size() - 3);  // a partial frame at the end
  std::mt19937 rng(42);
  FrameReader reader;
  std::size_t fed = 0;
  std::size_t consumed = 0;
  while (fed < wire.size()) {
    const std::size_t n = std::min<std::size_t>(rng() % 700 + 1, wire.size() - fed);
    reader.feed(ByteView(wire).subspan(fed, n));
    fed += n;
    for (DecodeResult r = reader.next(); r.status != DecodeStatus::kNeedMore; r = reader.next()) {
      consumed += r.consumed;
    }
    ASSERT_EQ(fed, consumed + reader.buffered() - reader.skipping()) << "seed 42";
  }
  EXPECT_EQ(reader.buffered(), 14u);
}

TEST(FrameReader, ManySmallFramesCompactBuffer) {
  Bytes wire;
  for (std::uint32_t i = 1; i <= 2000; ++i) {
    append_frame(wire, make_frame(0x8, 0, i, WindowUpdateFrame{false, i}));
  }
  FrameReader reader;
  reader.feed(wire);
  std::uint32_t updates = 0;
  std::uint32_t pings = 0;
  for (DecodeResult r = reader.next(); r.status == DecodeStatus::kComplete; r = reader.next()) {
    if (const auto* w = std::get_if<WindowUpdateFrame>(&r.frame.payload)) {
      EXPECT_EQ(w->increment, ++updates);
      if (updates % 100 == 0) reader.feed(encode_frame(make_frame(0x6, 0, 0, PingFrame{})));
    } else {
      ++pings;
    }
  }
  EXPECT_EQ(updates, 2000u);
  EXPECT_EQ(pings, 20u);
}

TEST(FrameReader, SetOptionsAppliesToNextFrame) {
  FrameReader reader;
  const Bytes wire = encode_frame(make_frame(0x0, 0, 1, DataFrame{Bytes(100, 0), {}}));
  reader.feed(wire);
  reader.set_options({.max_frame_size = 50});
  EXPECT_EQ(reader.next().status, DecodeStatus::kError);
  reader.set_options({});
  reader.feed(wire);
  EXPECT_EQ(reader.next().status, DecodeStatus::kComplete);
}

TEST(FrameReader, ShowsTheBytesOfEachFrameAndWhatIsPending) {
  const Bytes ping = hex("0000080600000000000102030405060708");
  const Bytes settings_ack = hex("000000040100000000");
  Bytes stream = hex("505249");  // "PRI": bytes a caller looks at and drops before framing
  stream.insert(stream.end(), ping.begin(), ping.end());
  stream.insert(stream.end(), settings_ack.begin(), settings_ack.end());
  FrameReader reader;
  reader.feed(stream);
  ASSERT_EQ(reader.pending().size(), stream.size());
  EXPECT_EQ(reader.pending()[0], 'P');
  reader.consume(3);
  ASSERT_EQ(reader.next().status, DecodeStatus::kComplete);
  EXPECT_EQ(Bytes(reader.last_bytes().begin(), reader.last_bytes().end()), ping);
  ASSERT_EQ(reader.next().status, DecodeStatus::kComplete);
  EXPECT_EQ(Bytes(reader.last_bytes().begin(), reader.last_bytes().end()), settings_ack);
  EXPECT_TRUE(reader.pending().empty());
}

TEST(FrameReader, LastBytesOfAnOversizedFrameAreWhatHadArrived) {
  FrameReader reader;
  const Bytes head = hex("ffffff00000000000161626364");  // a 16 MiB DATA header and 4 octets
  reader.feed(head);
  const DecodeResult r = reader.next();
  ASSERT_EQ(r.status, DecodeStatus::kError);
  EXPECT_EQ(r.consumed, kFrameHeaderSize + 0xffffff);
  EXPECT_EQ(Bytes(reader.last_bytes().begin(), reader.last_bytes().end()), head);
}

}  // namespace
}  // namespace h2conform::wire
