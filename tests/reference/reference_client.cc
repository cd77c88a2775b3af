// The reference client's connection layer: preface and request (RFC 9113 §3.4, §8.3.1), the
// frame loop, field block contiguity (§4.3), error handling (§5.4), output, and the frames that
// carry no message content.
#include "tests/reference/reference_client.h"

#include <string_view>
#include <variant>

#include "runner/wire/frame_types.h"
#include "runner/wire/make_frame.h"

namespace h2conform::reference {
namespace {

using wire::ErrorCode;
using wire::make_frame;

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::size_t kMaxClosedStreams = 1024;

std::string num(std::uint64_t v) { return std::to_string(v); }

bool is_type(const wire::FrameHeader& h, wire::FrameType t) { return h.type == static_cast<std::uint8_t>(t); }

// The code a code fault writes instead; NO_ERROR stays (it is no error).
std::uint32_t rewritten_code(CodeFault fault, std::uint32_t code) {
  const auto protocol = static_cast<std::uint32_t>(ErrorCode::kProtocolError);
  const auto flow = static_cast<std::uint32_t>(ErrorCode::kFlowControlError);
  if (code == 0 || fault == CodeFault::kNone) return code;
  if (fault == CodeFault::kGenericProtocol) return protocol;
  return code == flow ? static_cast<std::uint32_t>(ErrorCode::kFrameSizeError) : flow;
}

// The refuse_setting_bounds fault: values a client must accept (RFC 9113 §6.5.2).
bool at_range_end(const wire::Setting& s) {
  using wire::SettingId;
  switch (static_cast<SettingId>(s.id)) {
    case SettingId::kHeaderTableSize:
    case SettingId::kMaxConcurrentStreams: return s.value == 0;
    case SettingId::kEnablePush: return true;
    case SettingId::kInitialWindowSize: return s.value == wire::kMaxWindowSize;
    case SettingId::kMaxFrameSize: return s.value == wire::kDefaultMaxFrameSize || s.value == wire::kMaxAllowedFrameSize;
    default: return false;
  }
}

}  // namespace

ReferenceClient::ReferenceClient(ClientConfig config, ClientFaults faults, ClientRequest request)
    : config_(config), faults_(faults), request_(std::move(request)) {
  wire::DecodeOptions options;
  options.max_frame_size = config_.max_frame_size;
  reader_.set_options(options);
  decoder_.set_protocol_max_table_size(config_.header_table_size);
}

wire::Bytes ReferenceClient::start() {
  using wire::SettingId;
  out_.assign(kPreface.begin(), kPreface.end());
  if (!faults_.no_preface_settings) {
    wire::SettingsFrame s;
    auto add = [&s](SettingId id, std::uint32_t v) { s.settings.push_back({static_cast<std::uint16_t>(id), v}); };
    add(SettingId::kEnablePush, config_.enable_push ? 1 : 0);
    add(SettingId::kInitialWindowSize, config_.initial_window_size);
    add(SettingId::kMaxFrameSize, config_.max_frame_size);
    add(SettingId::kHeaderTableSize, config_.header_table_size);
    if (config_.rfc9218) add(SettingId::kNoRfc7540Priorities, 1);
    send(make_frame(std::move(s)));
  }
  hpack::HeaderList fields = {{":method", "GET"}, {":scheme", request_.scheme},
                              {":authority", request_.authority}, {":path", request_.path}};
  if (faults_.uppercase_request_field) fields.push_back({"X-Reference", "1"});
  send(make_frame(wire::HeadersFrame{encoder_.encode(fields), {}, {}}, 1,
                  wire::flags::kEndStream | wire::flags::kEndHeaders));
  Stream& s = streams_[1];
  s.recv_window = config_.initial_window_size;
  s.send_window = peer_initial_window_;
  return std::move(out_);
}

void ReferenceClient::on_bytes(wire::ByteView in, wire::Bytes* out) {
  if (!closed_) {
    reader_.feed(in);
    read_frames();
  }
  out->insert(out->end(), out_.begin(), out_.end());
  out_.clear();
}

void ReferenceClient::on_end(const std::string& why) {
  if (!request_ended_) end_request(false, why);
}

wire::Bytes ReferenceClient::goodbye() {
  wire::Bytes bytes;
  if (!closed_) wire::append_frame(bytes, make_frame(wire::GoawayFrame{false, last_promised_, 0, {}}));
  closed_ = true;
  return bytes;
}

int ReferenceClient::exit_status() const {
  return faults_.exit_zero_always || (request_ok_ && outcome_.empty()) ? 0 : 1;
}

void ReferenceClient::end_request(bool ok, const std::string& why) {
  if (!request_ended_) request_ok_ = ok;
  request_ended_ = true;
  if (!ok && outcome_.empty()) outcome_ = why;
}

void ReferenceClient::read_frames() {
  while (!closed_) {
    wire::DecodeResult r = reader_.next();
    if (r.status == wire::DecodeStatus::kNeedMore) return;
    if (!got_server_settings_) {
      // RFC 9113 §3.4: the server preface is a SETTINGS frame (not an ACK).
      if (!is_type(r.header, wire::FrameType::kSettings) || (r.header.flags & wire::flags::kAck) != 0) {
        fail_connection(ErrorCode::kProtocolError, "the server's first frame is not SETTINGS (RFC 9113 §3.4)");
        return;
      }
      got_server_settings_ = true;
    }
    if (faults_.too_strict && refuses_strictly(r.header)) return;
    if (r.status == wire::DecodeStatus::kError) {
      on_decode_error(r);
    } else {
      dispatch(r.frame);
    }
  }
}

// RFC 9113 §4.3, §6.10: a field block is HEADERS or PUSH_PROMISE and its CONTINUATIONs, with no
// other frame between them.
bool ReferenceClient::breaks_field_block(const wire::FrameHeader& h) {
  const bool continuation = is_type(h, wire::FrameType::kContinuation);
  if (block_ && (!continuation || h.stream_id != block_->stream)) {
    fail_connection(ErrorCode::kProtocolError,
                    "a " + wire::frame_type_name(h.type) + " frame interrupts a field block (RFC 9113 §4.3)");
    return true;
  }
  if (!block_ && continuation) {
    fail_connection(ErrorCode::kProtocolError, "CONTINUATION without a preceding HEADERS (RFC 9113 §6.10)");
    return true;
  }
  return false;
}

// The too_strict fault: what a client must accept, refused.
bool ReferenceClient::refuses_strictly(const wire::FrameHeader& h) {
  const wire::FrameTypeInfo* info = wire::find_frame_type(h.type);
  const bool unusual = info == nullptr || (h.flags & ~info->flag_mask()) != 0 || h.reserved ||
                       (info->padded && (h.flags & wire::flags::kPadded) != 0) ||
                       is_type(h, wire::FrameType::kPriority) || is_type(h, wire::FrameType::kContinuation) ||
                       (is_type(h, wire::FrameType::kHeaders) && (h.flags & wire::flags::kPriority) != 0);
  if (unusual) fail_connection(ErrorCode::kProtocolError, "an unusual " + wire::frame_type_name(h.type) + " frame");
  return unusual;
}

void ReferenceClient::on_decode_error(const wire::DecodeResult& r) {
  if (breaks_field_block(r.header)) return;
  if (faults_.ignore_frame_errors) return;
  const bool unknown_type = is_type(r.header, wire::FrameType::kPriorityUpdate) && !config_.rfc9218;
  if (unknown_type && r.header.length <= config_.max_frame_size) return;  // RFC 9113 §5.5
  const wire::WireError& e = r.error;
  if (e.is_connection_error()) return fail_connection(e.code, e.reason);
  if (!is_type(r.header, wire::FrameType::kPriority) && is_idle(e.scope_stream)) {
    return fail_connection(ErrorCode::kProtocolError, wire::frame_type_name(r.header.type) + " on idle stream " +
                                                          num(e.scope_stream) + " (RFC 9113 §5.1)");
  }
  fail_stream(e.scope_stream, e.code, e.reason);
}

void ReferenceClient::dispatch(const wire::Frame& frame) {
  if (breaks_field_block(frame.header)) return;
  std::visit([&](const auto& payload) { on_frame(frame.header, payload); }, frame.payload);
}

void ReferenceClient::fail_connection(ErrorCode code, const std::string& reason) {
  if (closed_) return;
  wire::GoawayFrame g{false, last_promised_, static_cast<std::uint32_t>(code), {}};
  g.debug_data.assign(reason.begin(), reason.end());
  send(make_frame(std::move(g)));
  closed_ = true;
  end_request(false, wire::to_string(code) + ": " + reason);
  if (outcome_.empty()) outcome_ = wire::to_string(code) + ": " + reason;
}

void ReferenceClient::fail_stream(std::uint32_t stream, ErrorCode code, const std::string& reason) {
  send(make_frame(wire::RstStreamFrame{static_cast<std::uint32_t>(code)}, stream));
  close_stream(stream, Closed::kResetByUs);
  if (stream == 1) end_request(false, "stream 1: " + wire::to_string(code) + ": " + reason);
}

void ReferenceClient::send(wire::Frame frame) {
  if (auto* g = std::get_if<wire::GoawayFrame>(&frame.payload)) g->error_code = rewritten_code(faults_.codes, g->error_code);
  if (auto* r = std::get_if<wire::RstStreamFrame>(&frame.payload)) r->error_code = rewritten_code(faults_.codes, r->error_code);
  wire::append_frame(out_, frame);
}

// Idle: never opened (we open only stream 1) and never promised to us (RFC 9113 §5.1).
bool ReferenceClient::is_idle(std::uint32_t stream) const {
  if (stream == 0 || streams_.count(stream) != 0 || closed_streams_.count(stream) != 0) return false;
  return stream % 2 == 1 ? stream > 1 : stream > last_promised_;
}

void ReferenceClient::close_stream(std::uint32_t stream, Closed how) {
  if (stream == 0) return;
  streams_.erase(stream);
  closed_streams_.emplace(stream, how);  // the first way it closed decides (RFC 9113 §5.1)
  while (closed_streams_.size() > kMaxClosedStreams) closed_streams_.erase(closed_streams_.begin());
}

// RFC 9113 §5.3.1: a stream cannot depend on itself. Priorities are otherwise advisory.
void ReferenceClient::on_frame(const wire::FrameHeader& h, const wire::PriorityFrame& f) {
  if (f.priority.stream_dependency == h.stream_id) {
    fail_stream(h.stream_id, ErrorCode::kProtocolError, "PRIORITY depends on its own stream (RFC 9113 §5.3.1)");
  }
}

// RFC 9113 §6.4: RST_STREAM on an idle stream is a connection error of type PROTOCOL_ERROR.
void ReferenceClient::on_frame(const wire::FrameHeader& h, const wire::RstStreamFrame& f) {
  if (is_idle(h.stream_id) && !faults_.ignore_stream_states) {
    return fail_connection(ErrorCode::kProtocolError, "RST_STREAM on idle stream " + num(h.stream_id) + " (RFC 9113 §6.4)");
  }
  if (streams_.count(h.stream_id) == 0) return;
  close_stream(h.stream_id, Closed::kResetByPeer);
  if (h.stream_id == 1) end_request(false, "the server reset stream 1 (" + wire::error_code_name(f.error_code) + ")");
}

void ReferenceClient::on_frame(const wire::FrameHeader& h, const wire::SettingsFrame& f) {
  if ((h.flags & wire::flags::kAck) != 0) return;  // our settings apply (RFC 9113 §6.5.3)
  for (const wire::Setting& s : f.settings) {
    ErrorCode code = ErrorCode::kProtocolError;
    if (auto bad = apply_setting(s, &code); bad && !faults_.ignore_settings_errors) return fail_connection(code, *bad);
  }
  if (!faults_.no_settings_ack) send(make_frame(wire::SettingsFrame{}, 0, wire::flags::kAck));
}

// RFC 9113 §6.5.2: value ranges; a server never enables push; unknown settings are ignored.
std::optional<std::string> ReferenceClient::apply_setting(const wire::Setting& s, ErrorCode* code) {
  using wire::SettingId;
  const std::string name = wire::setting_name(s.id) + " " + num(s.value);
  if (faults_.refuse_setting_bounds && at_range_end(s)) return name + " is at the end of its range";
  switch (static_cast<SettingId>(s.id)) {
    case SettingId::kHeaderTableSize:
      encoder_.set_max_table_size(std::min(s.value, hpack::kDefaultTableSize));  // RFC 9113 §4.3.1
      return std::nullopt;
    case SettingId::kEnablePush:
      if (s.value != 0) return name + " from a server (RFC 9113 §6.5.2)";
      return std::nullopt;
    case SettingId::kInitialWindowSize: {
      *code = ErrorCode::kFlowControlError;
      if (s.value > wire::kMaxWindowSize) return name + " exceeds 2^31-1 (RFC 9113 §6.5.2)";
      const std::int64_t delta = static_cast<std::int64_t>(s.value) - peer_initial_window_;
      peer_initial_window_ = s.value;
      for (auto& [id, st] : streams_) {
        st.send_window += delta;
        if (st.send_window > wire::kMaxWindowSize && !faults_.no_flow_control_check) {
          return name + " makes stream " + num(id) + "'s window exceed 2^31-1 (RFC 9113 §6.9.2)";
        }
      }
      return std::nullopt;
    }
    case SettingId::kMaxFrameSize:
      if (s.value < wire::kDefaultMaxFrameSize || s.value > wire::kMaxAllowedFrameSize) {
        return name + " is outside 16384..16777215 (RFC 9113 §6.5.2)";
      }
      return std::nullopt;
    default:
      if (faults_.too_strict && (s.id == 0 || s.id == 7 || s.id > 9)) return name + " is unknown";
      return std::nullopt;
  }
}

// RFC 9113 §6.7: a PING is answered with the same data and ACK. RFC 9113 §4.1: the ACK's header
// is our own, with the reserved bit and unused flags unset.
void ReferenceClient::on_frame(const wire::FrameHeader& h, const wire::PingFrame& f) {
  if ((h.flags & wire::flags::kAck) != 0 && !faults_.ack_ping_acks) return;
  wire::Frame ack = make_frame(f, 0, wire::flags::kAck);
  if (faults_.echo_ping_header) {
    ack.header.flags = static_cast<std::uint8_t>(h.flags | wire::flags::kAck);
    ack.header.reserved = h.reserved;
  }
  send(std::move(ack));
}

// RFC 9113 §6.8: streams above last_stream_id were not processed.
void ReferenceClient::on_frame(const wire::FrameHeader&, const wire::GoawayFrame& f) {
  if (faults_.goaway_aborts) return fail_connection(ErrorCode::kNoError, "gave up on GOAWAY");
  if (f.last_stream_id < 1 && streams_.count(1) != 0) {
    end_request(false, "GOAWAY (" + wire::error_code_name(f.error_code) + ") says stream 1 was not processed");
  }
}

// RFC 9113 §6.9, §6.9.1: a window above 2^31-1 is a FLOW_CONTROL_ERROR of its scope.
void ReferenceClient::on_frame(const wire::FrameHeader& h, const wire::WindowUpdateFrame& f) {
  if (h.stream_id == 0) {
    conn_send_window_ += f.increment;
    if (conn_send_window_ > wire::kMaxWindowSize && !faults_.no_flow_control_check) {
      fail_connection(ErrorCode::kFlowControlError, "the connection window exceeds 2^31-1 (RFC 9113 §6.9.1)");
    }
    return;
  }
  if (is_idle(h.stream_id) && !faults_.ignore_stream_states) {
    return fail_connection(ErrorCode::kProtocolError, "WINDOW_UPDATE on idle stream " + num(h.stream_id) + " (RFC 9113 §5.1)");
  }
  auto it = streams_.find(h.stream_id);
  if (it == streams_.end()) return;  // closed: allowed for a while (RFC 9113 §5.1)
  it->second.send_window += f.increment;
  if (it->second.send_window > wire::kMaxWindowSize && !faults_.no_flow_control_check) {
    fail_stream(h.stream_id, ErrorCode::kFlowControlError, "the stream window exceeds 2^31-1 (RFC 9113 §6.9.1)");
  }
}

// RFC 9218 §7.1: a client that receives PRIORITY_UPDATE treats it as a connection error. A client
// without RFC 9218 ignores it as an unknown type (RFC 9113 §5.5).
void ReferenceClient::on_frame(const wire::FrameHeader&, const wire::PriorityUpdateFrame&) {
  if (config_.rfc9218) fail_connection(ErrorCode::kProtocolError, "PRIORITY_UPDATE from a server (RFC 9218 §7.1)");
}

// RFC 9113 §5.5: unknown frame types are ignored.
void ReferenceClient::on_frame(const wire::FrameHeader&, const wire::UnknownFrame&) {}

}  // namespace h2conform::reference
