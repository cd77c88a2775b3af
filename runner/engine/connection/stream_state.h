// Stream states of RFC 9113 §5.1 (Figure 2), seen from our side: "local" is the engine,
// "remote" is the target.
//
// Contract: pure functions, one per set of transitions. An event that does not apply in a state
// leaves it unchanged; judging whether the target was allowed to send it is not done here.
#pragma once

#include <string>

namespace h2conform::engine {

enum class StreamState {
  kIdle,
  kReservedLocal,
  kReservedRemote,
  kOpen,
  kHalfClosedLocal,
  kHalfClosedRemote,
  kClosed,
};

std::string to_string(StreamState state);  // "idle", "half-closed (local)", ... as in §5.1

StreamState after_send_headers(StreamState state);       // idle -> open, reserved (local) -> half-closed (remote)
StreamState after_recv_headers(StreamState state);       // idle -> open, reserved (remote) -> half-closed (local)
StreamState after_send_push_promise(StreamState state);  // idle -> reserved (local)
StreamState after_recv_push_promise(StreamState state);  // idle -> reserved (remote)
StreamState after_send_end_stream(StreamState state);    // open -> half-closed (local), half-closed (remote) -> closed
StreamState after_recv_end_stream(StreamState state);    // open -> half-closed (remote), half-closed (local) -> closed
StreamState after_rst_stream(StreamState state);         // any -> closed

}  // namespace h2conform::engine
