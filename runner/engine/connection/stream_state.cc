#include "runner/engine/connection/stream_state.h"

namespace h2conform::engine {

std::string to_string(StreamState state) {
  switch (state) {
    case StreamState::kIdle: return "idle";
    case StreamState::kReservedLocal: return "reserved (local)";
    case StreamState::kReservedRemote: return "reserved (remote)";
    case StreamState::kOpen: return "open";
    case StreamState::kHalfClosedLocal: return "half-closed (local)";
    case StreamState::kHalfClosedRemote: return "half-closed (remote)";
    case StreamState::kClosed: return "closed";
  }
  return "unknown";
}

StreamState after_send_headers(StreamState state) {
  if (state == StreamState::kIdle) return StreamState::kOpen;
  if (state == StreamState::kReservedLocal) return StreamState::kHalfClosedRemote;
  return state;
}

StreamState after_recv_headers(StreamState state) {
  if (state == StreamState::kIdle) return StreamState::kOpen;
  if (state == StreamState::kReservedRemote) return StreamState::kHalfClosedLocal;
  return state;
}

StreamState after_send_push_promise(StreamState state) {
  return state == StreamState::kIdle ? StreamState::kReservedLocal : state;
}

StreamState after_recv_push_promise(StreamState state) {
  return state == StreamState::kIdle ? StreamState::kReservedRemote : state;
}

StreamState after_send_end_stream(StreamState state) {
  if (state == StreamState::kOpen) return StreamState::kHalfClosedLocal;
  if (state == StreamState::kHalfClosedRemote) return StreamState::kClosed;
  return state;
}

StreamState after_recv_end_stream(StreamState state) {
  if (state == StreamState::kOpen) return StreamState::kHalfClosedRemote;
  if (state == StreamState::kHalfClosedLocal) return StreamState::kClosed;
  return state;
}

StreamState after_rst_stream(StreamState) { return StreamState::kClosed; }

}  // namespace h2conform::engine
