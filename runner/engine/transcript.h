// The wire transcript of one case: every frame sent and received, and connection events.
//
// Contract: memory is bounded. At most kMaxEntries entries are kept (the first ones and the
// last ones, with one event saying how many were left out between); raw bytes are kept up to
// kMaxRawBytes per entry (raw_truncated marks the cut).
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "runner/engine/result.h"
#include "runner/transport/transport.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {

class Transcript {
 public:
  static constexpr std::size_t kMaxEntries = 1000;
  static constexpr std::size_t kHeadEntries = 800;
  static constexpr std::size_t kMaxRawBytes = 1024;  // 2 KiB of hex

  explicit Transcript(transport::Clock::time_point start) : start_(start) {}

  void frame(Direction direction, transport::Clock::time_point now, const wire::Frame& frame,
             wire::ByteView raw, const std::string& extra);
  // Bytes that are not one well-formed frame: send_raw, a malformed frame from the target.
  // `frame_header`: the bytes start with a frame header worth showing (a malformed frame).
  void bytes(Direction direction, transport::Clock::time_point now, wire::ByteView raw,
             const std::string& summary, bool frame_header = false);
  void event(transport::Clock::time_point now, const std::string& text);
  std::size_t size() const { return head_.size() + tail_.size(); }
  std::vector<TranscriptEntry> take();

 private:
  void add(TranscriptEntry entry);
  void set_raw(TranscriptEntry& entry, wire::ByteView raw) const;
  double since_start(transport::Clock::time_point now) const;

  transport::Clock::time_point start_;
  std::vector<TranscriptEntry> head_;
  std::deque<TranscriptEntry> tail_;
  std::size_t dropped_ = 0;
};

// "a: b, c: d", capped at about 1 KiB.
std::string summarize_fields(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace h2conform::engine
