// FrameReader: incremental framing over decode_frame. Memory holds at most one frame plus what
// the caller fed ahead; an oversized frame is skipped as its bytes arrive, never buffered.
#include <algorithm>

#include "runner/wire/frame.h"

namespace h2conform::wire {

void FrameReader::feed(ByteView bytes) {
  // While skipping an oversized frame the buffer is empty, so the skip applies to new bytes.
  const std::size_t skipped = std::min(skip_, bytes.size());
  skip_ -= skipped;
  bytes = bytes.subspan(skipped);
  last_start_ = last_end_ = 0;
  if (bytes.empty()) return;
  // Framed bytes are dropped here, not per frame: all of them when nothing is pending, else the
  // framed front once it is both large and most of the buffer.
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ > 4096 && start_ * 2 > buffer_.size()) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

DecodeStatus FrameReader::next(DecodeResult& r) noexcept {
  if (skip_ > 0) {
    r.status = DecodeStatus::kNeedMore;
    r.consumed = 0;
    return r.status;
  }
  const ByteView pending(buffer_.data() + start_, buffer_.size() - start_);
  decode_frame(pending, options_, r);
  if (r.status == DecodeStatus::kNeedMore) return r.status;
  const std::size_t frame_size = kFrameHeaderSize + r.header.length;
  last_start_ = start_;
  if (r.consumed == 0) {
    // RFC 9113 §4.2 oversized frame, reported before its payload arrived: drop what is here
    // and skip the rest as it comes. `consumed` still counts the whole frame.
    skip_ = frame_size - pending.size();
    start_ = buffer_.size();
    last_end_ = start_;
    r.consumed = frame_size;
    return r.status;
  }
  start_ += r.consumed;
  last_end_ = start_;
  return r.status;
}

}  // namespace h2conform::wire
