// The wire transcript of one case: every frame sent and received, and connection events.
//
// Contract: memory is bounded, because a run keeps every case's transcript and a hostile target
// can send millions of frames in one case. At most kMaxEntries entries are kept (the first ones
// and the last ones, with one event saying how many were left out between); raw bytes are kept up
// to kMaxRawBytes per entry and kMaxRawBytesPerCase in all (raw_truncated marks each cut, and the
// transcript ends with an event counting the octets left out). Notes (a bound that changed what
// we did) survive the cut: up to kMaxNotes of them end the transcript.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "runner/engine/model/result.h"
#include "runner/transport/transport.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {

class Transcript {
 public:
  static constexpr std::size_t kMaxEntries = 128;
  static constexpr std::size_t kHeadEntries = 96;
  static constexpr std::size_t kMaxRawBytes = 1024;          // 2 KiB of hex
  static constexpr std::size_t kMaxRawBytesPerCase = 8192;   // 16 KiB of hex
  static constexpr std::size_t kMaxNotes = 8;

  explicit Transcript(transport::Clock::time_point start) : start_(start) {}

  void frame(Direction direction, transport::Clock::time_point now, const wire::Frame& frame,
             wire::ByteView raw, const std::string& extra);
  // Bytes that are not one well-formed frame: send_raw, a malformed frame from the target.
  // `frame_header`: the bytes start with a frame header worth showing (a malformed frame).
  void bytes(Direction direction, transport::Clock::time_point now, wire::ByteView raw,
             const std::string& summary, bool frame_header = false);
  void event(transport::Clock::time_point now, const std::string& text);
  // An event that must survive the cut between the first and the last entries (a bound that
  // changed what we did); at most kMaxNotes are kept, and take() puts them at the end.
  void note(transport::Clock::time_point now, const std::string& text);
  std::size_t size() const { return head_.size() + tail_.size(); }
  std::vector<TranscriptEntry> take();

 private:
  void add(TranscriptEntry entry);
  void set_raw(TranscriptEntry& entry, wire::ByteView raw);
  double since_start(transport::Clock::time_point now) const;

  transport::Clock::time_point start_;
  std::vector<TranscriptEntry> head_;
  std::deque<TranscriptEntry> tail_;
  std::vector<TranscriptEntry> notes_;
  std::size_t dropped_ = 0;
  std::size_t raw_kept_ = 0;     // raw octets kept so far (the per-case budget)
  std::size_t raw_dropped_ = 0;  // raw octets not kept, by either cap
};

// "a: b, c: d", capped at about 1 KiB.
std::string summarize_fields(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace h2conform::engine
