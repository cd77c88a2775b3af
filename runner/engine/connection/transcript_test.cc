#include "runner/engine/connection/transcript.h"

#include <gtest/gtest.h>

#include <string>

namespace h2conform::engine {
namespace {

std::size_t count_events(const std::vector<TranscriptEntry>& entries, const std::string& part) {
  std::size_t n = 0;
  for (const auto& e : entries) n += e.event.find(part) != std::string::npos ? 1 : 0;
  return n;
}

TEST(Transcript, KeepsFirstAndLastEntriesAndCountsTheGap) {
  const auto start = transport::Clock::now();
  Transcript t(start);
  for (int i = 0; i < 5000; ++i) t.event(start, "e" + std::to_string(i));
  const auto entries = t.take();
  ASSERT_EQ(entries.size(), Transcript::kMaxEntries);  // head, one gap event, tail
  EXPECT_EQ(entries.front().event, "e0");
  EXPECT_EQ(entries.back().event, "e4999");
  EXPECT_EQ(count_events(entries, "transcript truncated: " + std::to_string(5000 - Transcript::kMaxEntries + 1) +
                                      " entries not kept"),
            1u);
}

TEST(Transcript, NotesSurviveTheCutAndAreBounded) {
  const auto start = transport::Clock::now();
  Transcript t(start);
  for (int i = 0; i < 300; ++i) {
    t.event(start, "e" + std::to_string(i));
    if (i == 150) {
      for (std::size_t n = 0; n < Transcript::kMaxNotes + 3; ++n) t.note(start, "bound reached");
    }
  }
  const auto entries = t.take();
  EXPECT_EQ(count_events(entries, "e150"), 0u) << "the middle is cut";
  EXPECT_EQ(count_events(entries, "bound reached"), Transcript::kMaxNotes);
  EXPECT_EQ(entries.back().event, "bound reached");
}

TEST(Transcript, RawBytesHaveAPerCaseBudget) {
  const auto start = transport::Clock::now();
  Transcript t(start);
  const wire::Bytes payload(Transcript::kMaxRawBytes * 2, 0xab);  // each entry cut at kMaxRawBytes
  const int entries = 40;
  for (int i = 0; i < entries; ++i) t.bytes(Direction::kReceived, start, payload, "raw");
  const auto out = t.take();
  std::size_t kept = 0;
  for (const auto& e : out) {
    kept += e.raw_hex.size() / 2;
    if (e.direction == Direction::kReceived) EXPECT_TRUE(e.raw_truncated);
  }
  EXPECT_EQ(kept, Transcript::kMaxRawBytesPerCase);
  const std::size_t dropped = entries * payload.size() - Transcript::kMaxRawBytesPerCase;
  EXPECT_EQ(count_events(out, "transcript bytes truncated: " + std::to_string(dropped) + " octets"), 1u);
}

TEST(Transcript, SmallCasesKeepEverything) {
  const auto start = transport::Clock::now();
  Transcript t(start);
  const wire::Bytes frame = {0, 0, 0, 4, 0, 0, 0, 0, 0};
  for (int i = 0; i < 10; ++i) t.bytes(Direction::kSent, start, frame, "settings");
  const auto out = t.take();
  ASSERT_EQ(out.size(), 10u);
  for (const auto& e : out) {
    EXPECT_EQ(e.raw_hex, "000000040000000000");
    EXPECT_FALSE(e.raw_truncated);
  }
}

}  // namespace
}  // namespace h2conform::engine
