// Rules for what a server sends that only show when it pushes or pads: checked on every frame
// of a case, like the connection model's other violations (the case fails at once).
//
// - Padding octets are zero: DATA (RFC 9113 §6.1), HEADERS (§6.2), PUSH_PROMISE (§6.6).
// - PUSH_PROMISE: on a stream the client opened that is open or half-closed (remote) for the
//   server (§6.6, §8.4.1); the promised id is a valid new server stream id (§6.6, §5.1.1); not
//   for a request the client sent after its GOAWAY (§6.8).
// - A promised stream in the reserved (local) state carries only HEADERS, RST_STREAM or PRIORITY
//   from the server (§5.1); once opened, pushed streams stay within the client's
//   SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2).
//
// Contract: no I/O; memory is bounded (at most kMaxTracked promised streams are followed).
// Only meaningful when we play the client.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "runner/engine/connection/connection_state.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {

// Evidence some cases need before they can judge (`require: {"observed": ...}`).
struct PeerObservations {
  std::uint64_t push_promises = 0;
  std::uint64_t padded_data = 0;
  std::uint64_t padded_headers = 0;
  std::uint64_t padded_push_promises = 0;
};

class PushChecks {
 public:
  static constexpr std::size_t kMaxTracked = 10000;

  // A frame we wrote (our SETTINGS, GOAWAY and the streams we open).
  void on_sent(const wire::Frame& frame);
  // A frame from the target, as decoded. `state` is the connection model after the frame.
  // Returns the violation, or "".
  std::string on_received(const wire::Frame& frame, const ConnectionState& state);
  const PeerObservations& observed() const { return observed_; }

 private:
  enum class Pushed { kReserved, kOpen, kClosed };
  std::string check_padding(const wire::Frame& frame);
  std::string check_push_promise(const wire::FrameHeader& h, std::uint32_t promised, const ConnectionState& state);
  std::string check_pushed_stream(const wire::FrameHeader& h);

  PeerObservations observed_;
  std::optional<std::uint32_t> our_max_concurrent_;  // the latest we sent; nullopt: unbounded
  std::uint32_t highest_client_stream_ = 0;
  std::optional<std::uint32_t> first_stream_after_goaway_;
  std::uint32_t highest_promised_ = 0;
  std::uint32_t open_pushed_ = 0;
  std::map<std::uint32_t, Pushed> pushed_;
};

// "push_promise", "padded_data", "padded_headers", "padded_push_promise" -> the count; nullopt
// for an unknown name.
std::optional<std::uint64_t> observed_count(const PeerObservations& o, const std::string& name);

}  // namespace h2conform::engine
