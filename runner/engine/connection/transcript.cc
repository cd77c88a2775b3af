#include "runner/engine/connection/transcript.h"

#include <algorithm>
#include <chrono>

#include "runner/engine/case/json_values.h"

namespace h2conform::engine {
namespace {
constexpr std::size_t kMaxFieldSummary = 1024;
}  // namespace

double Transcript::since_start(transport::Clock::time_point now) const {
  return std::chrono::duration<double, std::milli>(now - start_).count();
}

void Transcript::set_raw(TranscriptEntry& entry, wire::ByteView raw) {
  const std::size_t budget = kMaxRawBytesPerCase - raw_kept_;
  const std::size_t n = std::min({raw.size(), kMaxRawBytes, budget});
  entry.raw_hex = to_hex(raw.data(), n);
  entry.raw_truncated = n < raw.size();
  raw_kept_ += n;
  raw_dropped_ += raw.size() - n;
}

void Transcript::add(TranscriptEntry entry) {
  if (head_.size() < kHeadEntries) {
    head_.push_back(std::move(entry));
    return;
  }
  tail_.push_back(std::move(entry));
  if (tail_.size() > kMaxEntries - kHeadEntries - 1) {
    tail_.pop_front();
    ++dropped_;
  }
}

void Transcript::frame(Direction direction, transport::Clock::time_point now, const wire::Frame& frame,
                       wire::ByteView raw, const std::string& extra) {
  TranscriptEntry e;
  e.t_ms = since_start(now);
  e.direction = direction;
  e.frame_type = wire::frame_type_name(frame.header.type);
  e.stream_id = frame.header.stream_id;
  e.flags = wire::flags_to_string(frame.header.type, frame.header.flags);
  e.length = frame.header.length;
  e.summary = wire::summarize(frame);
  if (!extra.empty()) e.summary += " " + extra;
  set_raw(e, raw);
  add(std::move(e));
}

void Transcript::bytes(Direction direction, transport::Clock::time_point now, wire::ByteView raw,
                       const std::string& summary, bool frame_header) {
  TranscriptEntry e;
  e.t_ms = since_start(now);
  e.direction = direction;
  if (frame_header && raw.size() >= wire::kFrameHeaderSize) {
    wire::FrameHeader h = wire::decode_frame_header(raw);
    e.frame_type = wire::frame_type_name(h.type);
    e.stream_id = h.stream_id;
    e.flags = wire::flags_to_string(h.type, h.flags);
    e.length = h.length;
  }
  e.summary = summary;
  set_raw(e, raw);
  add(std::move(e));
}

void Transcript::event(transport::Clock::time_point now, const std::string& text) {
  TranscriptEntry e;
  e.t_ms = since_start(now);
  e.direction = Direction::kEvent;
  e.event = text;
  add(std::move(e));
}

void Transcript::note(transport::Clock::time_point now, const std::string& text) {
  if (notes_.size() >= kMaxNotes) return;
  TranscriptEntry e;
  e.t_ms = since_start(now);
  e.direction = Direction::kEvent;
  e.event = text;
  notes_.push_back(std::move(e));
}

std::vector<TranscriptEntry> Transcript::take() {
  std::vector<TranscriptEntry> out = std::move(head_);
  if (dropped_ > 0) {
    TranscriptEntry gap;
    gap.t_ms = tail_.empty() ? 0 : tail_.front().t_ms;
    gap.event = "transcript truncated: " + std::to_string(dropped_) + " entries not kept";
    out.push_back(std::move(gap));
  }
  for (auto& e : tail_) out.push_back(std::move(e));
  for (auto& e : notes_) out.push_back(std::move(e));
  if (raw_dropped_ > 0) {
    TranscriptEntry note;
    note.t_ms = out.empty() ? 0 : out.back().t_ms;
    note.event = "transcript bytes truncated: " + std::to_string(raw_dropped_) +
                 " octets of raw frames not kept (at most " + std::to_string(kMaxRawBytes) +
                 " per entry and " + std::to_string(kMaxRawBytesPerCase) + " per case)";
    out.push_back(std::move(note));
  }
  head_.clear();
  tail_.clear();
  notes_.clear();
  dropped_ = 0;
  raw_kept_ = 0;
  raw_dropped_ = 0;
  return out;
}

std::string summarize_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += ", ";
    out += name + ": " + value;
    if (out.size() > kMaxFieldSummary) {
      out.resize(kMaxFieldSummary);
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace h2conform::engine
