// The structure-aware frame mutator (frame_mutator.h) and the session input layout
// (session_input.h). Built without libFuzzer, so LLVMFuzzerMutate is absent here and only the
// structural mutations run.
#include "fuzzers/frame_mutator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fuzzers/session_input.h"

namespace h2conform::fuzz {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes from_hex(const std::string& hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

struct SplitRow {
  const char* name;
  const char* hex;
  std::size_t prefix;
  std::size_t frames;
  std::size_t tail;
};

class FrameMutatorParse : public ::testing::TestWithParam<SplitRow> {};

TEST_P(FrameMutatorParse, SplitsIntoFramesAndWritesBackTheSameBytes) {
  const SplitRow& row = GetParam();
  const Bytes in = from_hex(row.hex);
  const FrameSequence seq = parse_frames(in, 2);
  EXPECT_EQ(seq.prefix.size(), row.prefix);
  EXPECT_EQ(seq.frames.size(), row.frames);
  EXPECT_EQ(seq.tail.size(), row.tail);
  EXPECT_EQ(serialize_frames(seq), in);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, FrameMutatorParse,
    ::testing::Values(SplitRow{"Empty", "", 0, 0, 0}, SplitRow{"PrefixOnly", "0107", 2, 0, 0},
                      SplitRow{"SettingsAndAck", "0000" "000000040000000000" "000000040100000000", 2, 2, 0},
                      SplitRow{"ShortHeaderIsTail", "0000" "00000004", 2, 0, 4},
                      SplitRow{"LengthPastTheEndIsTail", "0000" "000000040100000000" "0000ff0000000000010102", 2, 1, 11},
                      SplitRow{"HeadersWithBlock", "0000" "000001010500000001" "88", 2, 1, 0}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(FrameMutator, AnyBytesWriteBackUnchanged) {
  SplitMix rng{42};
  for (int round = 0; round < 500; ++round) {
    Bytes in(rng.next() % 200);
    for (auto& b : in) b = static_cast<std::uint8_t>(rng.next() % 4 == 0 ? rng.next() : 0);  // many short lengths
    EXPECT_EQ(serialize_frames(parse_frames(in, round % 3)), in) << "round " << round;
  }
}

Bytes well_behaved_server() {
  return from_hex("0000" "000000040000000000" "000000040100000000" "000001010500000001" "88");
}

TEST(FrameMutator, MutationsChangeTheInputAndFitMaxSize) {
  const Bytes seed = well_behaved_server();
  int changed = 0;
  for (unsigned s = 0; s < 400; ++s) {
    Bytes buf = seed;
    const std::size_t max_size = 64;
    buf.resize(max_size);
    const std::size_t n = mutate_frames(buf.data(), seed.size(), max_size, s, 2);
    ASSERT_LE(n, max_size) << "seed " << s;
    buf.resize(n);
    changed += buf != seed;
  }
  EXPECT_GT(changed, 300);  // only the byte-level fallback (absent here) leaves it as it was
}

TEST(FrameMutator, MutationsKeepMostFramesWhole) {
  const Bytes seed = well_behaved_server();
  int whole = 0;
  for (unsigned s = 0; s < 400; ++s) {
    Bytes buf = seed;
    buf.resize(4096);
    buf.resize(mutate_frames(buf.data(), seed.size(), buf.size(), s, 2));
    whole += parse_frames(buf, 2).tail.empty();
  }
  EXPECT_GT(whole, 200);  // length changes misframe on purpose, the rest keeps framing
}

TEST(FrameMutator, CrossOverSplicesTheOtherInputsFieldBlock) {
  const Bytes a = well_behaved_server();
  const Bytes b = from_hex("0000" "000006010400000003" "8286844101" "61");
  bool spliced_block = false, inserted = false;
  for (unsigned s = 0; s < 64; ++s) {
    Bytes out(256);
    out.resize(cross_frames(a, 2, b, 2, out.data(), out.size(), s));
    const FrameSequence seq = parse_frames(out, 2);
    ASSERT_TRUE(seq.tail.empty());
    for (const MutFrame& f : seq.frames) {
      spliced_block = spliced_block || (f.stream == 1 && f.payload == from_hex("828684410161"));
      inserted = inserted || f.stream == 3;
    }
  }
  EXPECT_TRUE(spliced_block);
  EXPECT_TRUE(inserted);
}

TEST(SessionInput, PiecesCoverThePeerBytesInOrder) {
  Bytes in = well_behaved_server();
  for (int seed = 0; seed < 256; ++seed) {
    in[1] = static_cast<std::uint8_t>(seed);
    const SessionInput parsed = parse_session_input(in);
    Bytes joined;
    for (const SessionPiece& p : split_session_bytes(parsed)) joined.insert(joined.end(), p.bytes.begin(), p.bytes.end());
    EXPECT_EQ(joined, Bytes(in.begin() + 2, in.end())) << "seed " << seed;
  }
}

TEST(SessionInput, ControlOctetSelectsRoleScriptAndClose) {
  const Bytes in = {0x1b, 0x00};
  const SessionInput parsed = parse_session_input(in);
  EXPECT_TRUE(parsed.client_target);
  EXPECT_EQ(parsed.variant, 5u);
  EXPECT_TRUE(parsed.close_at_end);
  EXPECT_TRUE(parsed.peer_bytes.empty());
  EXPECT_FALSE(parse_session_input({}).client_target);
}

}  // namespace
}  // namespace h2conform::fuzz
