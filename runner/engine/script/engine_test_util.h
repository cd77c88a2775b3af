// Test helpers: a fake clock and a scripted fake peer over transport::sync_connection.
//
// Contract (tests only): no threads, no sleeps. The fake clock jumps to a read's deadline when
// the peer has nothing more to say, so timeouts end at once in wall time.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runner/engine/engine.h"
#include "runner/engine/connection/factories.h"
#include "runner/hpack/hpack.h"
#include "runner/transport/transport.h"
#include "runner/wire/frame.h"
#include "runner/wire/make_frame.h"

namespace h2conform::engine::testing {

class FakeClock final : public Clock {
 public:
  transport::Clock::time_point now() override { return transport::Clock::time_point(ticks_.load()); }
  void jump_to(transport::Clock::time_point t) {
    auto target = t.time_since_epoch();
    auto current = ticks_.load();
    while (current < target && !ticks_.compare_exchange_weak(current, target)) {
    }
  }
  std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(ticks_.load() - start_);
  }

 private:
  static constexpr transport::Clock::duration start_ = std::chrono::hours(1);
  std::atomic<transport::Clock::duration> ticks_{start_};
};

inline wire::Frame make(wire::Payload payload, std::uint32_t stream = 0, std::uint8_t flags = 0) {
  return wire::make_frame(std::move(payload), stream, flags);
}

inline wire::Bytes goaway(std::uint32_t code, std::uint32_t last = 0) {
  return wire::encode_frame(make(wire::GoawayFrame{false, last, code, {}}));
}
inline wire::Bytes rst(std::uint32_t stream, std::uint32_t code) {
  return wire::encode_frame(make(wire::RstStreamFrame{code}, stream));
}
inline wire::Bytes settings(std::vector<wire::Setting> s = {}) {
  return wire::encode_frame(make(wire::SettingsFrame{std::move(s)}));
}
inline wire::Bytes settings_ack() { return wire::encode_frame(make(wire::SettingsFrame{}, 0, wire::flags::kAck)); }

// A peer scripted by a reaction to each frame we send. By default it acknowledges our SETTINGS
// and PINGs, like a well-behaved endpoint.
class FakePeer {
 public:
  bool ack_settings = true;
  bool ack_pings = true;
  bool expect_client_preface = true;  // false when the fake plays the client
  wire::Bytes initial = settings();   // sent as soon as the connection exists
  std::function<void(const wire::Frame&, FakePeer&)> on_frame;

  std::vector<wire::Frame> received;
  std::vector<std::size_t> write_sizes;
  int connects = 0;
  hpack::Encoder encoder;

  void send(const wire::Bytes& bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }
  void close() { close_ = true; }
  // HEADERS with the given fields (END_HEADERS set).
  void send_headers(std::uint32_t stream, const hpack::HeaderList& fields, bool end_stream) {
    auto flags = static_cast<std::uint8_t>(wire::flags::kEndHeaders | (end_stream ? wire::flags::kEndStream : 0));
    send(wire::encode_frame(make(wire::HeadersFrame{encoder.encode(fields), std::nullopt, std::nullopt}, stream, flags)));
  }

  std::unique_ptr<transport::Connection> connect(FakeClock* clock) {
    ++connects;
    inbox_.clear();
    out_.clear();
    preface_seen_ = false;
    close_ = false;
    encoder = hpack::Encoder();
    transport::SyncPeer peer;
    peer.initial = initial;
    peer.on_bytes = [this](std::span<const std::uint8_t> bytes, transport::Bytes* reply, bool* closed) {
      on_bytes(bytes);
      *reply = std::move(out_);
      out_.clear();
      *closed = close_;
    };
    peer.on_idle = [clock](transport::Deadline d) { clock->jump_to(d); };
    return transport::sync_connection(std::move(peer));
  }

  std::unique_ptr<ConnectionSource> factory(FakeClock* clock) {
    return make_callback_source([this, clock](transport::Deadline, std::string*) { return connect(clock); });
  }

  std::size_t count(wire::FrameType type) const {
    std::size_t n = 0;
    for (const auto& f : received) n += f.header.type == static_cast<std::uint8_t>(type);
    return n;
  }

 private:
  void on_bytes(std::span<const std::uint8_t> bytes) {
    write_sizes.push_back(bytes.size());
    inbox_.insert(inbox_.end(), bytes.begin(), bytes.end());
    constexpr std::string_view kPreface = wire::kClientMagic;
    if (expect_client_preface && !preface_seen_) {
      if (inbox_.size() < kPreface.size()) return;
      inbox_.erase(inbox_.begin(), inbox_.begin() + static_cast<std::ptrdiff_t>(kPreface.size()));
      preface_seen_ = true;
    }
    wire::DecodeOptions options;
    options.max_frame_size = wire::kMaxAllowedFrameSize;
    for (;;) {
      wire::DecodeResult r = wire::decode_frame(inbox_, options);
      if (r.status == wire::DecodeStatus::kNeedMore || r.consumed == 0) return;
      inbox_.erase(inbox_.begin(), inbox_.begin() + static_cast<std::ptrdiff_t>(r.consumed));
      wire::Frame frame = r.frame;
      if (r.status != wire::DecodeStatus::kComplete) {  // malformed on purpose: the header only
        frame = wire::Frame{};
        frame.header = r.header;
        frame.payload = wire::UnknownFrame{};
      }
      received.push_back(frame);
      react(frame);
    }
  }

  void react(const wire::Frame& f) {
    bool ack = (f.header.flags & wire::flags::kAck) != 0;
    if (const auto* s = std::get_if<wire::SettingsFrame>(&f.payload); s && !ack && ack_settings) send(settings_ack());
    if (const auto* p = std::get_if<wire::PingFrame>(&f.payload); p && !ack && ack_pings) {
      send(wire::encode_frame(make(*p, 0, wire::flags::kAck)));
    }
    if (on_frame) on_frame(f, *this);
  }

  wire::Bytes inbox_;
  wire::Bytes out_;
  bool preface_seen_ = false;
  bool close_ = false;
};

// A whole case around `steps` (JSON text), loaded through the real loader.
inline Case make_case(const std::string& steps, const std::string& extra = "", const std::string& level = "MUST") {
  std::string text = R"({"id": "rfc9113/6.8/test-case", "section": "RFC 9113 6.8", "level": ")" + level + R"(",
    "requirements": [], "requirements_note": "test", "requirement": "r", "action": "a",
    "role": "server", )" + extra + R"( "steps": )" + steps + "}";
  return load_case_text(text, "test.json", RequirementTable{}).at(0);
}

// Runs `steps` as a whole case against `peer` on the fake clock: a 1 s timeout, the target
// "example.test".
inline CaseResult run_against(FakePeer& peer, FakeClock& clock, const std::string& steps,
                              const std::string& extra = "", bool error_probes = true,
                              const std::string& level = "MUST") {
  Case c = make_case(steps, extra, level);
  auto source = peer.factory(&clock);
  RunOptions options;
  options.clock = &clock;
  options.timeout = std::chrono::milliseconds(1000);
  options.error_probes = error_probes;
  Target target;
  target.authority = "example.test";
  return run_case(c, *source, target, options);
}

}  // namespace h2conform::engine::testing
