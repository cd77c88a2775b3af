// The network fuzz mode's pure parts: sequences, frame splitting, finding case files, and the
// in-memory seeding. The live loop is tested against fragile_server (tests/netfuzz).
#include "runner/engine/run/net_fuzz.h"

#include <gtest/gtest.h>

#include "runner/engine/case/loader.h"
#include "runner/engine/case/script.h"
#include "runner/engine/run/catalogue_seeds.h"

namespace h2conform::engine {
namespace {

wire::Bytes frames_of(std::initializer_list<std::uint8_t> bytes) { return wire::Bytes(bytes); }

// SETTINGS (empty), PING, and a tail that is not a whole frame.
const wire::Bytes kSeed = frames_of({0, 0, 0, 4, 0, 0, 0, 0, 0,               //
                                     0, 0, 8, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,  //
                                     0, 0, 9, 1});

TEST(NetFuzz, SplitFramesKeepsEveryOctetInFramesAndATail) {
  const auto pieces = split_frames(kSeed);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].size(), 9u);
  EXPECT_EQ(pieces[1].size(), 17u);
  wire::Bytes joined;
  for (const auto& p : pieces) joined.insert(joined.end(), p.begin(), p.end());
  EXPECT_EQ(joined, kSeed);
}

TEST(NetFuzz, SequenceKIsAFunctionOfTheSeedsTheRunSeedAndK) {
  const std::vector<wire::Bytes> seeds = {kSeed, frames_of({0, 0, 0, 4, 1, 0, 0, 0, 0})};
  EXPECT_EQ(make_sequence(seeds, 7, 3), make_sequence(seeds, 7, 3));
  int differ_by_k = 0, differ_by_seed = 0;
  for (std::uint64_t k = 0; k < 20; ++k) {
    differ_by_k += make_sequence(seeds, 7, k) != make_sequence(seeds, 7, k + 1);
    differ_by_seed += make_sequence(seeds, 7, k) != make_sequence(seeds, 8, k);
  }
  EXPECT_GT(differ_by_k, 15);
  EXPECT_GT(differ_by_seed, 15);
  for (std::uint64_t k = 0; k < 200; ++k) EXPECT_LE(make_sequence(seeds, 1, k).size(), kMaxSequenceBytes);
}

TEST(NetFuzz, AFindingLoadsAsACaseThatSendsItsBytesAndChecksTheTarget) {
  const std::string text = finding_case_json("generic/fuzz/s1-42", kSeed, "a note");
  const auto cases = load_case_text(text, "fuzz-s1-42.json", RequirementTable{});
  ASSERT_EQ(cases.size(), 1u);
  const Case& c = cases.front();
  EXPECT_EQ(c.id, "generic/fuzz/s1-42");
  EXPECT_EQ(c.role, "server");
  EXPECT_EQ(c.level, "MUST");
  EXPECT_NE(c.action.find("3 frames (a note)"), std::string::npos) << c.action;
  ASSERT_EQ(c.script->steps.size(), 2u);
  const auto* raw = std::get_if<SendRaw>(&c.script->steps[0].kind);
  ASSERT_NE(raw, nullptr);
  wire::Bytes expected(wire::kClientMagic.begin(), wire::kClientMagic.end());
  expected.insert(expected.end(), kSeed.begin(), kSeed.end());
  EXPECT_EQ(raw->bytes, expected);
  EXPECT_TRUE(std::holds_alternative<TargetAnswers>(c.script->steps[1].kind));
}

TEST(NetFuzz, TargetAnswersTakesOnlyANote) {
  const std::string bad = R"({"cases": [{"id": "generic/fuzz/s1-1", "section": "RFC 9113 5.4", "level": "MUST",
    "role": "server", "requirements": [], "requirements_note": "n", "requirement": "r", "action": "a",
    "steps": [{"target_answers": {"timeout": 3}}]}]})";
  try {
    load_case_text(bad, "bad.json", RequirementTable{});
    FAIL() << "loaded";
  } catch (const LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("timeout"), std::string::npos) << e.what();
  }
}

TEST(CatalogueSeeds, TheCasesFramesPlayedInMemorySameEveryTime) {
  const std::string text = R"({"cases": [{"id": "rfc9113/6.7/ping-seed", "section": "RFC 9113 6.7", "level": "MUST",
    "role": "server", "requirements": [], "requirements_note": "n", "requirement": "r", "action": "a",
    "steps": [{"handshake": {}}, {"send": {"type": "PING", "data_hex": "0102030405060708"}},
              {"expect": {"ping_ack": {"data_hex": "0102030405060708"}}},
              {"send": {"type": "HEADERS", "stream": 1, "flags": ["END_STREAM", "END_HEADERS"], "request": {}}},
              {"expect": {"response": {}}}]}]})";
  const auto cases = load_case_text(text, "seed.json", RequirementTable{});
  Target target;
  target.authority = "127.0.0.1:8080";
  target.scheme = "http";
  const std::vector<const Case*> selected = {&cases.front()};
  const auto seeds = catalogue_seeds(selected, target);
  ASSERT_EQ(seeds.size(), 1u);
  EXPECT_EQ(seeds, catalogue_seeds(selected, target));
  const auto frames = split_frames(seeds.front());
  // Our SETTINGS, the ACK of the canned server's SETTINGS, the PING, the request.
  ASSERT_GE(frames.size(), 4u);
  EXPECT_EQ(frames[0][3], 0x4);
  bool ping = false, headers = false;
  for (const auto& f : frames) {
    ping = ping || f[3] == 0x6;
    headers = headers || f[3] == 0x1;
  }
  EXPECT_TRUE(ping);
  EXPECT_TRUE(headers);
}

}  // namespace
}  // namespace h2conform::engine
