// Seeds for `h2conform fuzz` from the catalogue, played in memory (catalogue_seeds.h).
#include "runner/engine/run/catalogue_seeds.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <set>

#include "fuzzers/frame_mutator.h"

#include "runner/engine/case/script.h"
#include "runner/engine/connection/clock.h"
#include "runner/engine/connection/connection_source.h"
#include "runner/engine/run/net_fuzz.h"
#include "runner/engine/script/interpreter.h"
#include "runner/wire/frame_types.h"
#include "runner/wire/make_frame.h"

namespace h2conform::engine {
namespace {

// A clock that stands still until a wait finds nothing: then it jumps to the wait's deadline.
class JumpClock final : public Clock {
 public:
  transport::Clock::time_point now() override { return now_; }
  void jump_to(transport::Clock::time_point t) { now_ = std::max(now_, t); }

 private:
  transport::Clock::time_point now_ = transport::Clock::now();
};

wire::Bytes encoded(wire::Payload payload, std::uint32_t stream = 0, std::uint8_t flags = 0) {
  return wire::encode_frame(wire::make_frame(std::move(payload), stream, flags));
}

// The in-memory server: answers what the cases write, keeps what they wrote.
class CannedServer final : public transport::Connection {
 public:
  CannedServer(JumpClock& clock, wire::Bytes* written) : clock_(clock), written_(written) {
    queue(encoded(wire::SettingsFrame{}));  // its SETTINGS first (RFC 9113 §3.4)
  }

  transport::IoResult write_all(std::span<const std::uint8_t> data, transport::Deadline) override {
    if (closed_) return {transport::IoStatus::kError, 0, "closed locally"};
    const std::size_t keep = std::min(data.size(), kMaxSequenceBytes + kMagicSize - std::min(written_->size(), kMaxSequenceBytes + kMagicSize));
    written_->insert(written_->end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(keep));
    if (pending_.size() < kMaxPending) pending_.insert(pending_.end(), data.begin(), data.end());
    answer();
    return {transport::IoStatus::kOk, data.size(), {}};
  }

  transport::IoResult read_some(std::span<std::uint8_t> buf, transport::Deadline deadline) override {
    if (closed_) return {transport::IoStatus::kError, 0, "closed locally"};
    if (out_.empty()) {
      clock_.jump_to(deadline);
      return {transport::IoStatus::kTimeout, 0, "nothing before the deadline"};
    }
    const std::size_t n = std::min(buf.size(), out_.size());
    std::copy_n(out_.begin(), n, buf.begin());
    out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(n));
    return {transport::IoStatus::kOk, n, {}};
  }

  void shutdown_write() override {}
  void close() override { closed_ = true; }
  std::string describe() const override { return "memory (seeding)"; }

 private:
  static constexpr std::size_t kMagicSize = wire::kClientMagic.size();
  static constexpr std::size_t kMaxPending = 1 << 20;

  void queue(const wire::Bytes& bytes) {
    if (out_.size() < kMaxPending) out_.insert(out_.end(), bytes.begin(), bytes.end());
  }

  // Frames of what was written (split by their declared lengths, as the fuzzers' mutator
  // reads them: the cases send broken frames too), each answered as a plain server would.
  void answer() {
    std::size_t pos = 0;
    if (!magic_seen_) {
      if (pending_.size() < kMagicSize) return;
      magic_seen_ = true;
      pos = std::equal(wire::kClientMagic.begin(), wire::kClientMagic.end(), pending_.begin()) ? kMagicSize : 0;
    }
    fuzz::FrameSequence seq = fuzz::parse_frames(pending_, pos);
    for (const fuzz::MutFrame& f : seq.frames) {
      const std::uint32_t stream = f.stream & 0x7fffffffu;
      const bool ack = (f.flags & wire::flags::kAck) != 0;
      const bool request_ends = (f.type == 0x1 || f.type == 0x9) && (f.flags & wire::flags::kEndHeaders) != 0 &&
                                (stream & 1) == 1;
      if (f.type == 0x4 && !ack) queue(encoded(wire::SettingsFrame{}, 0, wire::flags::kAck));
      if (f.type == 0x6 && !ack && f.payload.size() == 8) {
        wire::PingFrame ping;
        std::copy(f.payload.begin(), f.payload.end(), ping.opaque.begin());
        queue(encoded(ping, 0, wire::flags::kAck));
      }
      if (request_ends && answered_.insert(stream).second) {
        const std::uint8_t both = wire::flags::kEndStream | wire::flags::kEndHeaders;
        queue(encoded(wire::HeadersFrame{{0x88}, std::nullopt, std::nullopt}, stream, both));  // :status 200
      }
    }
    pending_ = std::move(seq.tail);
  }

  JumpClock& clock_;
  wire::Bytes* written_;
  wire::Bytes pending_;
  std::deque<std::uint8_t> out_;
  std::set<std::uint32_t> answered_;
  bool magic_seen_ = false;
  bool closed_ = false;
};

class CannedSource final : public ConnectionSource {
 public:
  CannedSource(JumpClock& clock, bool tls) : clock_(clock), tls_(tls) {}
  std::unique_ptr<transport::Connection> open(transport::Deadline, std::string*) override {
    written_.emplace_back();
    return std::make_unique<CannedServer>(clock_, &written_.back());
  }
  bool is_tls() const override { return tls_; }
  std::deque<wire::Bytes>& written() { return written_; }

 private:
  JumpClock& clock_;
  bool tls_;
  std::deque<wire::Bytes> written_;  // stable addresses as connections are added
};

}  // namespace

std::vector<wire::Bytes> catalogue_seeds(const std::vector<const Case*>& cases, const Target& target) {
  std::set<wire::Bytes> seeds;
  for (const Case* c : cases) {
    if (c->script && c->script->tls) continue;  // TLS-level handshakes: nothing in memory to shake hands with
    JumpClock clock;
    CannedSource source(clock, target.scheme == "https");
    RunOptions options;
    options.clock = &clock;
    options.parallel = 1;
    run_case(*c, source, target, options);
    for (wire::Bytes& sent : source.written()) {
      const std::string_view magic = wire::kClientMagic;
      if (sent.size() >= magic.size() && std::equal(magic.begin(), magic.end(), sent.begin())) {
        sent.erase(sent.begin(), sent.begin() + static_cast<std::ptrdiff_t>(magic.size()));
      }
      if (sent.size() > kMaxSequenceBytes) sent.resize(kMaxSequenceBytes);
      if (!sent.empty()) seeds.insert(std::move(sent));
    }
  }
  return {seeds.begin(), seeds.end()};
}

}  // namespace h2conform::engine
