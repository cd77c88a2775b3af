// The reference server's handling of frames that carry no request content: PRIORITY,
// RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, PRIORITY_UPDATE, unknown types.
#include <string>

#include "runner/wire/make_frame.h"
#include "tests/reference/reference_priority.h"
#include "tests/reference/reference_server.h"

namespace h2conform::reference {
namespace {

std::string num(std::uint64_t v) { return std::to_string(v); }

Violation violation(ErrorCode code, std::string reason) { return {code, std::move(reason)}; }

}  // namespace

// RFC 9113 §5.3.1: a stream cannot depend on itself. Otherwise RFC 7540 priorities are only
// advisory (RFC 9113 §5.3.2) and ignored, as RFC 9218 §2.1 requires after NO_RFC7540_PRIORITIES.
void ReferenceServer::on_frame(const wire::FrameHeader& h, const wire::PriorityFrame& f) {
  if (f.priority.stream_dependency == h.stream_id) fail_stream(h.stream_id, ErrorCode::kProtocolError);
}

// RFC 9113 §6.4: RST_STREAM on an idle stream is a connection error of type PROTOCOL_ERROR.
void ReferenceServer::on_frame(const wire::FrameHeader& h, const wire::RstStreamFrame&) {
  if (is_idle(h.stream_id)) {
    fail_connection(ErrorCode::kProtocolError,
                    "RST_STREAM on idle stream " + num(h.stream_id) + " (RFC 9113 §6.4)");
    return;
  }
  if (streams_.count(h.stream_id) != 0) close_stream(h.stream_id, CloseCause::kResetByPeer);
}

void ReferenceServer::on_frame(const wire::FrameHeader& h, const wire::SettingsFrame& f) {
  if ((h.flags & wire::flags::kAck) != 0) {
    // RFC 9113 §6.5.3: our settings now apply, including a smaller HPACK table (RFC 7541 §4.2).
    if (unacked_settings_ > 0 && --unacked_settings_ == 0) {
      decoder_.set_protocol_max_table_size(config_.header_table_size);
    }
    return;
  }
  const bool first = peer_settings_frames_++ == 0;
  for (const wire::Setting& s : f.settings) {
    if (auto v = apply_setting(s, first); v && fail_connection(v->code, v->reason)) return;
  }
  if (!faults_.no_settings_ack) send_frame(wire::SettingsFrame{}, 0, wire::flags::kAck);
  flush_all();
}

// RFC 9113 §6.5.2 (value ranges, unknown ids ignored), RFC 8441 §3, RFC 9218 §2.1.
std::optional<Violation> ReferenceServer::apply_setting(const wire::Setting& s, bool first) {
  using wire::SettingId;
  const bool apply = !faults_.ignore_peer_settings;
  const std::string name = wire::setting_name(s.id) + " " + num(s.value);
  switch (static_cast<SettingId>(s.id)) {
    case SettingId::kHeaderTableSize:
      if (apply) set_peer_header_table_size(s.value);
      return std::nullopt;
    case SettingId::kEnablePush:
      if (s.value > 1) return violation(ErrorCode::kProtocolError, name + " is not 0 or 1 (RFC 9113 §6.5.2)");
      if (apply) peer_enable_push_ = s.value == 1;
      return std::nullopt;
    case SettingId::kMaxConcurrentStreams:  // limits only the streams we push (§5.1.2)
      if (apply) peer_max_concurrent_ = s.value;
      return std::nullopt;
    case SettingId::kInitialWindowSize:
      if (s.value > wire::kMaxWindowSize) {
        return violation(ErrorCode::kFlowControlError, name + " exceeds 2^31-1 (RFC 9113 §6.5.2)");
      }
      return apply ? apply_initial_window(s.value) : std::nullopt;
    case SettingId::kMaxFrameSize:
      if (s.value < wire::kDefaultMaxFrameSize || s.value > wire::kMaxAllowedFrameSize) {
        return violation(ErrorCode::kProtocolError,
                         name + " is outside 16384..16777215 (RFC 9113 §6.5.2)");
      }
      if (apply) peer_max_frame_size_ = s.value;
      return std::nullopt;
    case SettingId::kEnableConnectProtocol:
      if (s.value > 1) return violation(ErrorCode::kProtocolError, name + " is not 0 or 1 (RFC 8441 §3)");
      return std::nullopt;
    case SettingId::kNoRfc7540Priorities:
      if (s.value > 1) return violation(ErrorCode::kProtocolError, name + " is not 0 or 1 (RFC 9218 §2.1)");
      if (!first && s.value != peer_no_rfc7540_) {
        return violation(ErrorCode::kProtocolError,
                         name + " changes the value after the first SETTINGS (RFC 9218 §2.1)");
      }
      peer_no_rfc7540_ = s.value;
      return std::nullopt;
    default:  // MAX_HEADER_LIST_SIZE does not limit us; unknown ids ignored
      return std::nullopt;
  }
}

// RFC 9113 §6.9.2: a new initial window shifts every stream's send window by the difference.
std::optional<Violation> ReferenceServer::apply_initial_window(std::uint32_t value) {
  const std::int64_t delta = static_cast<std::int64_t>(value) - peer_initial_window_;
  peer_initial_window_ = value;
  for (auto& [id, s] : streams_) {
    s.send_window += delta;
    if (s.send_window > wire::kMaxWindowSize) {
      return violation(ErrorCode::kFlowControlError,
                       "SETTINGS_INITIAL_WINDOW_SIZE makes the window of stream " + num(id) +
                           " exceed 2^31-1 (RFC 9113 §6.9.2)");
    }
  }
  return std::nullopt;
}

// RFC 9113 §4.3.1: our encoder may use at most the client's HEADER_TABLE_SIZE; a reduction is
// signalled at the start of the next field block (the encoder keeps that pending).
void ReferenceServer::set_peer_header_table_size(std::uint32_t value) {
  const std::uint32_t wanted = std::min(value, hpack::kDefaultTableSize);
  if (wanted != encoder_.table().max_size() || encoder_.pending_size_update()) {
    encoder_.set_max_table_size(wanted);
  }
}

// RFC 9113 §8.4: a client cannot push.
void ReferenceServer::on_frame(const wire::FrameHeader&, const wire::PushPromiseFrame&) {
  fail_connection(ErrorCode::kProtocolError, "PUSH_PROMISE from a client (RFC 9113 §8.4)");
}

// RFC 9113 §6.7: answer with an ACK carrying the same data; never answer an ACK. RFC 9113 §4.1:
// the ACK's header is our own, with the reserved bit and unused flags unset.
void ReferenceServer::on_frame(const wire::FrameHeader& h, const wire::PingFrame& f) {
  if ((h.flags & wire::flags::kAck) != 0) {
    if (faults_.answer_ping_acks) send(wire::make_frame(f, 0, wire::flags::kAck));
    return;
  }
  wire::Frame ack = wire::make_frame(f, 0, wire::flags::kAck);
  if (faults_.echo_ping_header) {
    ack.header.flags = static_cast<std::uint8_t>(h.flags | wire::flags::kAck);
    ack.header.reserved = h.reserved;
  }
  send(std::move(ack));
}

// RFC 9113 §6.8: the client will open no more streams; finish what is open and stay reachable.
void ReferenceServer::on_frame(const wire::FrameHeader&, const wire::GoawayFrame&) {
  peer_goaway_ = true;
}

// RFC 9113 §6.9, §6.9.1 (overflow), §5.1 (idle).
void ReferenceServer::on_frame(const wire::FrameHeader& h, const wire::WindowUpdateFrame& f) {
  if (h.stream_id == 0) {
    conn_send_window_ += f.increment;
    if (conn_send_window_ > wire::kMaxWindowSize &&
        fail_connection(ErrorCode::kFlowControlError,
                        "connection window exceeds 2^31-1 (RFC 9113 §6.9.1)")) {
      return;
    }
    flush_all();
    return;
  }
  if (is_idle(h.stream_id)) {
    fail_connection(ErrorCode::kProtocolError,
                    "WINDOW_UPDATE on idle stream " + num(h.stream_id) + " (RFC 9113 §5.1)");
    return;
  }
  auto it = streams_.find(h.stream_id);
  if (it == streams_.end()) return;  // closed: RFC 9113 §5.1 allows late WINDOW_UPDATE
  it->second.send_window += f.increment;
  if (it->second.send_window > wire::kMaxWindowSize &&
      fail_stream(h.stream_id, ErrorCode::kFlowControlError)) {
    return;
  }
  flush_stream(it->second);
}

// RFC 9218 §7.1.
void ReferenceServer::on_frame(const wire::FrameHeader&, const wire::PriorityUpdateFrame& f) {
  const std::uint32_t p = f.prioritized_stream_id;
  if (!parse_priority_field(f.field_value) &&
      fail_connection(ErrorCode::kProtocolError,
                      "PRIORITY_UPDATE field value does not parse (RFC 9218 §7.1, §4)")) {
    return;
  }
  if (p % 2 == 0) {
    if (is_idle(p)) {
      fail_connection(ErrorCode::kProtocolError,
                      "PRIORITY_UPDATE for idle push stream " + num(p) + " (RFC 9218 §7.1)");
    }
    return;
  }
  if (!is_idle(p)) return;  // open streams take it; closed ones may discard it
  idle_prioritized_.insert(p);
  if (idle_prioritized_.size() + streams_.size() > config_.max_concurrent_streams) {
    if (fail_connection(ErrorCode::kProtocolError,
                        "idle prioritized plus active streams exceed "
                        "SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9218 §7.1)")) {
      return;
    }
    idle_prioritized_.erase(p);
  }
}

// RFC 9113 §5.5: unknown frame types are ignored (the field-block rule was checked before).
void ReferenceServer::on_frame(const wire::FrameHeader&, const wire::UnknownFrame&) {}

}  // namespace h2conform::reference
