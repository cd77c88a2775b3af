// Seeds from one connection's bytes: frame streams without the preface, whole field blocks
// (CONTINUATIONs joined, padding and priority left out), the session fuzzer's input layout.
#include "runner/engine/connection/corpus.h"

#include <gtest/gtest.h>

#include "runner/engine/connection/session.h"

namespace h2conform::engine {
namespace {

wire::Bytes frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, wire::Bytes payload) {
  const auto n = payload.size();
  wire::Bytes out{static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n),
                  type, flags, 0, 0, 0, static_cast<std::uint8_t>(stream)};
  for (std::uint8_t b : payload) out.push_back(b);  // (insert of an empty range trips GCC 12's -Warray-bounds)
  return out;
}

wire::Bytes join(std::initializer_list<wire::Bytes> parts) {
  wire::Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const wire::Bytes kPreface(kClientPreface.begin(), kClientPreface.end());

TEST(CorpusSeeds, JoinsContinuationsAndDropsPaddingAndPriority) {
  ConnectionBytes c;
  c.our_role = Role::kClient;
  // HEADERS, PADDED|PRIORITY, without END_HEADERS: pad length 2, 5 octets of priority, fragment
  // 0x88, 2 octets of padding; then a CONTINUATION 0x0f 0x0d with END_HEADERS.
  c.received = join({frame(0x4, 0, 0, {}), frame(0x1, 0x08 | 0x20, 1, {2, 0, 0, 0, 0, 16, 0x88, 0, 0}),
                     frame(0x9, 0x4, 1, {0x0f, 0x0d})});
  const CorpusSeeds seeds = seeds_from(c);
  ASSERT_EQ(seeds.field_blocks.size(), 1u);
  EXPECT_EQ(seeds.field_blocks[0], (wire::Bytes{0x88, 0x0f, 0x0d}));
  ASSERT_EQ(seeds.frame_streams.size(), 1u);
  EXPECT_EQ(seeds.frame_streams[0], c.received);
}

TEST(CorpusSeeds, ClientTargetsPrefaceIsLeftOutOfFramesButKeptForTheSession) {
  ConnectionBytes c;
  c.our_role = Role::kServer;  // the target is a client
  c.peer_closed = true;
  const wire::Bytes settings = frame(0x4, 0, 0, {});
  c.received = join({kPreface, settings});
  c.sent = join({settings, frame(0x1, 0x5, 1, {0x88})});
  const CorpusSeeds seeds = seeds_from(c);
  ASSERT_EQ(seeds.frame_streams.size(), 2u);
  EXPECT_EQ(seeds.frame_streams[0], settings);
  EXPECT_EQ(seeds.field_blocks, std::vector<wire::Bytes>{wire::Bytes{0x88}});
  ASSERT_EQ(seeds.session_input.size(), 2 + c.received.size());
  EXPECT_EQ(seeds.session_input[0], 0x11);  // client target, closes at the end
  EXPECT_EQ(seeds.session_input[1], 0);
}

TEST(CorpusSeeds, BrokenFramesEndTheBlocksNotTheStream) {
  ConnectionBytes c;
  c.received = join({frame(0x1, 0x4, 1, {0x82}), wire::Bytes{0xff, 0xff, 0xff, 0x00}});  // then a cut header
  const CorpusSeeds seeds = seeds_from(c);
  EXPECT_EQ(seeds.field_blocks.size(), 1u);
  ASSERT_EQ(seeds.frame_streams.size(), 1u);
  EXPECT_EQ(seeds.frame_streams[0], c.received);  // the fuzzers want the broken bytes too
  EXPECT_EQ(seeds.session_input[0], 0x00);
}

TEST(CorpusSeeds, NothingFromAnEmptyConnection) {
  const CorpusSeeds seeds = seeds_from(ConnectionBytes{});
  EXPECT_TRUE(seeds.frame_streams.empty());
  EXPECT_TRUE(seeds.field_blocks.empty());
  EXPECT_TRUE(seeds.session_input.empty());
}

}  // namespace
}  // namespace h2conform::engine
