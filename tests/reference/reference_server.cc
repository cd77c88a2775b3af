// The reference server's connection layer: preface (RFC 9113 §3.4), the frame loop, the
// field-block contiguity rule (§4.3), error handling (§5.4) and output.
#include "tests/reference/reference_server.h"

#include <string_view>
#include <variant>

#include "runner/wire/make_frame.h"

namespace h2conform::reference {
namespace {

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::size_t kMaxClosedStreams = 4096;

using wire::make_frame;

// The goaway_grows fault's second last_stream_id: the next stream a client could open after
// `last` (which is 0 or a client stream id, so odd), at most 2^31-1. Only a `last` of 2^31-1
// itself cannot grow.
std::uint32_t raised_last_stream(std::uint32_t last) {
  if (last >= wire::kMaxStreamId - 2) return wire::kMaxStreamId;
  return last == 0 ? 1 : last + 2;
}

}  // namespace

std::string to_string(StreamState state) {
  switch (state) {
    case StreamState::kOpen: return "open";
    case StreamState::kHalfClosedRemote: return "half-closed (remote)";
    case StreamState::kHalfClosedLocal: return "half-closed (local)";
  }
  return "?";
}

ReferenceServer::ReferenceServer(ServerConfig config, Faults faults)
    : config_(std::move(config)), faults_(faults) {
  wire::DecodeOptions options;
  options.max_frame_size = config_.max_frame_size;
  reader_.set_options(options);
}

Bytes ReferenceServer::initial_bytes() const {
  using wire::SettingId;
  wire::SettingsFrame s;
  auto add = [&s](SettingId id, std::uint32_t value) {
    s.settings.push_back({static_cast<std::uint16_t>(id), value});
  };
  add(SettingId::kMaxConcurrentStreams, config_.max_concurrent_streams);
  add(SettingId::kInitialWindowSize, config_.initial_window_size);
  add(SettingId::kMaxFrameSize, config_.max_frame_size);
  add(SettingId::kHeaderTableSize, config_.header_table_size);
  if (config_.enable_connect_protocol) add(SettingId::kEnableConnectProtocol, 1);
  if (config_.no_rfc7540_priorities) add(SettingId::kNoRfc7540Priorities, 1);
  if (faults_.advertise_push) add(SettingId::kEnablePush, 1);
  Bytes out;
  if (faults_.early_window_update) {
    wire::append_frame(out, make_frame(wire::WindowUpdateFrame{false, 1 << 20}, 0));
  }
  wire::append_frame(out, make_frame(std::move(s), 0));
  return out;
}

void ReferenceServer::on_bytes(ByteView in, Bytes* reply, bool* closed) {
  if (!closed_) {
    consume_preface(&in);
    if (!closed_ && preface_seen_ == kPreface.size() && !in.empty()) {
      reader_.feed(in);
      read_frames();
    }
  }
  reply->insert(reply->end(), out_.begin(), out_.end());
  out_.clear();
  *closed = closed_;
}

// RFC 9113 §3.4: an invalid preface is a connection error of type PROTOCOL_ERROR.
void ReferenceServer::consume_preface(ByteView* in) {
  while (preface_seen_ < kPreface.size() && !in->empty()) {
    if (static_cast<char>((*in)[0]) != kPreface[preface_seen_]) {
      fail_connection(ErrorCode::kProtocolError, "invalid connection preface (RFC 9113 §3.4)");
      if (!faults_.lenient) return;
    }
    ++preface_seen_;
    *in = in->subspan(1);
  }
}

void ReferenceServer::read_frames() {
  while (!closed_) {
    wire::DecodeResult r = reader_.next();
    if (r.status == wire::DecodeStatus::kNeedMore) return;
    const bool is_settings = r.header.type == static_cast<std::uint8_t>(wire::FrameType::kSettings);
    if (!got_first_settings_) {
      // RFC 9113 §3.4: the preface continues with a SETTINGS frame.
      if ((!is_settings || (r.header.flags & wire::flags::kAck) != 0) &&
          fail_connection(ErrorCode::kProtocolError,
                          "the first frame after the preface is not SETTINGS (RFC 9113 §3.4)")) {
        return;
      }
      got_first_settings_ = true;
    }
    if (r.status == wire::DecodeStatus::kError) {
      on_decode_error(r);
    } else {
      dispatch(r.frame);
    }
  }
}

bool ReferenceServer::breaks_field_block(const wire::FrameHeader& h) {
  const bool is_continuation =
      h.type == static_cast<std::uint8_t>(wire::FrameType::kContinuation);
  if (block_ && (!is_continuation || h.stream_id != block_->stream)) {
    return fail_connection(ErrorCode::kProtocolError,
                           "a " + wire::frame_type_name(h.type) +
                               " frame interrupts a field block (RFC 9113 §4.3, §6.10)");
  }
  if (!block_ && is_continuation) {
    return fail_connection(ErrorCode::kProtocolError,
                           "CONTINUATION without a preceding HEADERS (RFC 9113 §6.10)");
  }
  return false;
}

void ReferenceServer::on_decode_error(const wire::DecodeResult& r) {
  if (breaks_field_block(r.header)) return;
  const wire::WireError& e = r.error;
  if (e.is_connection_error()) {
    fail_connection(e.code, e.reason);
    return;
  }
  // RFC 9113 §5.1: on an idle stream only HEADERS and PRIORITY may arrive.
  const bool priority = r.header.type == static_cast<std::uint8_t>(wire::FrameType::kPriority);
  if (!priority && is_idle(e.scope_stream)) {
    fail_connection(ErrorCode::kProtocolError,
                    wire::frame_type_name(r.header.type) + " on idle stream " +
                        std::to_string(e.scope_stream) + " (RFC 9113 §5.1)");
    return;
  }
  fail_stream(e.scope_stream, e.code);
}

void ReferenceServer::dispatch(const wire::Frame& frame) {
  if (breaks_field_block(frame.header)) return;
  if (on_pushed_stream_frame(frame)) return;  // reference_push.cc
  std::visit([&](const auto& payload) { on_frame(frame.header, payload); }, frame.payload);
}

bool ReferenceServer::fail_connection(ErrorCode code, const std::string& reason) {
  if (faults_.lenient || closed_) return closed_;
  wire::GoawayFrame g;
  g.last_stream_id = last_processed_;
  g.error_code = static_cast<std::uint32_t>(code);
  g.debug_data.assign(reason.begin(), reason.end());
  send(make_frame(g, 0));
  if (faults_.goaway_grows) {
    g.last_stream_id = raised_last_stream(last_processed_);
    send(make_frame(std::move(g), 0));
  }
  closed_ = true;
  return true;
}

bool ReferenceServer::fail_stream(std::uint32_t stream, ErrorCode code) {
  if (faults_.lenient) return false;
  send(make_frame(wire::RstStreamFrame{static_cast<std::uint32_t>(code)}, stream));
  if (streams_.count(stream) != 0) {
    close_stream(stream, CloseCause::kResetByUs);
  } else if (!is_idle(stream)) {
    remember_closed(stream, CloseCause::kResetByUs);
  }
  return true;
}

// RFC 9113 §8.1.1: a malformed request is a stream error of type PROTOCOL_ERROR.
bool ReferenceServer::malformed(std::uint32_t stream) {
  if (faults_.refuse_status != 0) return false;  // it refused the request already, and checks nothing
  return fail_stream(stream, ErrorCode::kProtocolError);
}

void ReferenceServer::send(wire::Frame frame) {
  pad(frame);
  wire::append_frame(out_, frame);
}

void ReferenceServer::send_frame(wire::Payload payload, std::uint32_t stream, std::uint8_t flags) {
  send(make_frame(std::move(payload), stream, flags));
}

// Idle: never opened by the client (odd, above the highest seen) and never opened by us (even).
bool ReferenceServer::is_idle(std::uint32_t stream) const {
  if (stream == 0 || streams_.count(stream) != 0 || closed_streams_.count(stream) != 0 ||
      pushed_.count(stream) != 0) {
    return false;
  }
  return stream % 2 == 0 || stream > highest_stream_;
}

void ReferenceServer::close_stream(std::uint32_t stream, CloseCause cause) {
  streams_.erase(stream);
  remember_closed(stream, cause);
}

void ReferenceServer::remember_closed(std::uint32_t stream, CloseCause cause) {
  closed_streams_[stream] = cause;
  idle_prioritized_.erase(stream);
  while (closed_streams_.size() > kMaxClosedStreams) closed_streams_.erase(closed_streams_.begin());
}

transport::SyncPeer make_sync_peer(std::shared_ptr<ReferenceServer> server) {
  transport::SyncPeer peer;
  peer.initial = server->initial_bytes();
  peer.on_bytes = [server](std::span<const std::uint8_t> bytes, Bytes* reply, bool* closed) {
    server->on_bytes(bytes, reply, closed);
  };
  return peer;
}

}  // namespace h2conform::reference
