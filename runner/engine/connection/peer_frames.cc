// The connection model: frames the target sends, one handler per frame type.
#include <algorithm>
#include <charconv>

#include "runner/engine/connection/connection_state.h"
#include "runner/engine/message/message_check.h"
#include "runner/engine/message/response_check.h"
#include "runner/wire/frame_types.h"
#include "runner/wire/make_frame.h"

namespace h2conform::engine {

namespace {

// RFC 9113 §5.1.1, §6.6: a promised stream is server-initiated, so its id is even and not 0.
// The codec takes the id as it is; judged here before the frame touches any state, in the words
// a malformed frame gets (Session::decode_next), as a connection error of type PROTOCOL_ERROR.
std::string check_promised_id(const wire::Frame& frame) {
  const auto* push = std::get_if<wire::PushPromiseFrame>(&frame.payload);
  if (push == nullptr || (push->promised_stream_id != 0 && push->promised_stream_id % 2 == 0)) return {};
  const std::size_t offset = wire::kFrameHeaderSize + ((frame.header.flags & wire::flags::kPadded) != 0 ? 1 : 0);
  return "the target sent a malformed PUSH_PROMISE frame: PUSH_PROMISE promised stream id " +
         std::to_string(push->promised_stream_id) +
         " is not a valid server-initiated (even, non-zero) id (RFC 9113 §6.6) (a connection error of type "
         "PROTOCOL_ERROR, at octet " + std::to_string(offset) + " of the frame)";
}

// RFC 9113 §4.1: what the target leaves unset in every frame header it sends, the reserved bit
// before the stream id and the flags its frame type does not define. A frame of unknown type is
// left alone, as a receiver ignores it whole (RFC 9113 §5.5). A sender's MUST: the case fails.
std::string check_header_bits(const wire::FrameHeader& h) {
  if (wire::find_frame_type(h.type) == nullptr) return {};
  const std::string frame = wire::frame_type_name(h.type) + " on stream " + std::to_string(h.stream_id);
  if (h.reserved) {
    return "the target sent " + frame + " with the reserved bit of the frame header set (RFC 9113 §4.1, "
           "9113-4.1-4: \"The semantics of this bit are undefined, and the bit MUST remain unset (0x00) when "
           "sending and MUST be ignored when receiving.\")";
  }
  if (const std::uint8_t unused = wire::unused_flags(h.type, h.flags); unused != 0) {
    // Only unused bits: flags_to_string spells them as one hex number.
    return "the target sent " + frame + " with flags " + wire::flags_to_string(h.type, h.flags) + ", setting " +
           wire::flags_to_string(h.type, unused) + ", which " + wire::frame_type_name(h.type) +
           " does not define (RFC 9113 §4.1, 9113-4.1-3: \"Unused flags MUST be ignored on receipt and MUST be left "
           "unset (0x00) when sending.\")";
  }
  return {};
}

}  // namespace

std::optional<int> status_of(const hpack::HeaderList& fields) {
  for (const auto& f : fields) {
    if (f.name != ":status") continue;
    int value = 0;
    auto [ptr, ec] = std::from_chars(f.value.data(), f.value.data() + f.value.size(), value);
    if (ec != std::errc() || ptr != f.value.data() + f.value.size() || f.value.size() != 3) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

struct PeerFrameVisitor {
  ConnectionState& c;
  const wire::FrameHeader& h;
  PeerFrameEffects& fx;

  bool flag(std::uint8_t f) const { return (h.flags & f) != 0; }

  // RFC 9113 §6.9.1: "The sender MUST NOT send a flow-controlled frame with a length that
  // exceeds the space available in either of the flow-control windows advertised by the
  // receiver." §6.1: the whole payload counts, padding included. Our windows change when the
  // target ACKs our SETTINGS (§6.9.2) and when we send WINDOW_UPDATE, so they are exact unless
  // a case wrote raw bytes.
  std::string window_overrun(std::int64_t size, std::int64_t conn_left, std::int64_t stream_left) const {
    if (!c.windows_exact_ || size == 0) return {};
    const char* which = size > conn_left ? "connection" : size > stream_left ? "stream" : nullptr;
    if (which == nullptr) return {};
    const std::int64_t left = size > conn_left ? conn_left : stream_left;
    return "the target sent a DATA frame of " + std::to_string(size) + " flow-controlled octets on stream " +
           std::to_string(h.stream_id) + " with only " + std::to_string(std::max<std::int64_t>(left, 0)) +
           " left in our " + which + " window (RFC 9113 §6.9.1: the sender MUST NOT send a flow-controlled frame "
           "that exceeds the space available in either flow-control window)";
  }

  void operator()(const wire::DataFrame& data) {
    auto size = static_cast<std::int64_t>(h.length);  // the whole payload counts, RFC 9113 §6.9.1
    const std::int64_t conn_left = c.conn_recv_window_;
    c.conn_recv_window_ -= size;
    if (h.stream_id == 0) return;
    StreamInfo& s = c.stream_entry(h.stream_id);
    if (!s.peer_reset) fx.violation = window_overrun(size, conn_left, s.recv_window);
    s.recv_window -= size;
    s.data_received += data.data.size();
    if (flag(wire::flags::kEndStream)) c.on_peer_end_stream(s);
    c.replenish(h.stream_id, &fx);
  }
  void operator()(const wire::HeadersFrame& headers) {
    c.pending_block_ = ConnectionState::PendingBlock{h.stream_id, h.type, 0,
                                                     flag(wire::flags::kEndStream), headers.fragment};
    if (flag(wire::flags::kEndHeaders)) fx.violation = c.finish_block(&fx);
  }
  void operator()(const wire::PushPromiseFrame& push) {
    c.pending_block_ = ConnectionState::PendingBlock{h.stream_id, h.type, push.promised_stream_id,
                                                     false, push.fragment};
    if (flag(wire::flags::kEndHeaders)) fx.violation = c.finish_block(&fx);
  }
  void operator()(const wire::ContinuationFrame& cont) {
    if (!c.pending_block_) {
      fx.violation = "the target sent CONTINUATION on stream " + std::to_string(h.stream_id) +
                     " without a preceding HEADERS or PUSH_PROMISE (RFC 9113 §6.10)";
      return;
    }
    auto& frags = c.pending_block_->fragments;
    if (frags.size() + cont.fragment.size() > kMaxFieldBlockBytes) {
      fx.violation = "the target sent more than " + std::to_string(kMaxFieldBlockBytes >> 20) +
                     " MiB of field block on stream " + std::to_string(h.stream_id) +
                     " without END_HEADERS: cut short, as h2conform bounds what it takes from a target";
      fx.field_block_too_large = true;
      return;
    }
    frags.insert(frags.end(), cont.fragment.begin(), cont.fragment.end());
    if (flag(wire::flags::kEndHeaders)) fx.violation = c.finish_block(&fx);
  }
  void operator()(const wire::PriorityFrame&) {}
  void operator()(const wire::RstStreamFrame& rst) {
    if (h.stream_id == 0) return;
    StreamInfo& s = c.stream_entry(h.stream_id);
    if (s.peer_reset) return;  // a repeated reset (see on_received): the first one closed the stream
    s.peer_reset = rst.error_code;
    s.state = after_rst_stream(s.state);
  }
  void operator()(const wire::SettingsFrame& settings) {
    if (flag(wire::flags::kAck)) {
      if (c.pending_settings_.empty()) return;  // unsolicited ACK: recorded, nothing to apply
      c.apply_our_settings(c.pending_settings_.front());
      c.pending_settings_.pop_front();
      ++c.settings_acked_;
      return;
    }
    fx.violation = c.apply_peer_settings(settings.settings);
    // RFC 9113 §6.5.3: every SETTINGS is acknowledged.
    if (fx.violation.empty() && c.auto_settings_ack_) {
      fx.replies.push_back(wire::make_frame(wire::SettingsFrame{}, 0, wire::flags::kAck));
    }
  }
  void operator()(const wire::PingFrame& ping) {
    if (flag(wire::flags::kAck)) return;
    fx.replies.push_back(wire::make_frame(ping, 0, wire::flags::kAck));  // RFC 9113 §6.7
  }
  void operator()(const wire::GoawayFrame& goaway) {
    if (c.goaway_ && goaway.last_stream_id > c.goaway_->last_stream_id) {
      fx.violation = "the target's GOAWAY raised last_stream_id from " + std::to_string(c.goaway_->last_stream_id) +
                     " to " + std::to_string(goaway.last_stream_id) +
                     " (RFC 9113 §6.8: endpoints MUST NOT increase the value they send in the last stream identifier)";
    }
    c.goaway_ = GoawayInfo{goaway.last_stream_id, goaway.error_code};
  }
  void operator()(const wire::WindowUpdateFrame& wu) {
    if (h.stream_id == 0) {
      c.conn_send_window_ += wu.increment;
    } else {
      c.stream_entry(h.stream_id).send_window += wu.increment;
    }
  }
  void operator()(const wire::PriorityUpdateFrame&) {}
  void operator()(const wire::UnknownFrame&) {}
};

PeerFrameEffects ConnectionState::on_received(const wire::Frame& frame) {
  PeerFrameEffects fx;
  const wire::FrameHeader& h = frame.header;
  if (fx.violation = check_header_bits(h); !fx.violation.empty()) return fx;
  if (fx.violation = check_promised_id(frame); !fx.violation.empty()) return fx;
  if (pending_block_ && (h.type != static_cast<std::uint8_t>(wire::FrameType::kContinuation) ||
                         h.stream_id != pending_block_->stream_id)) {
    fx.violation = "the target interrupted its field block on stream " +
                   std::to_string(pending_block_->stream_id) + " with " +
                   wire::frame_type_name(h.type) + " on stream " + std::to_string(h.stream_id) +
                   " (RFC 9113 §6.10: only CONTINUATION may follow)";
    pending_block_.reset();
    return fx;
  }
  // RFC 9113 §5.1: "An endpoint MUST NOT send frames other than PRIORITY on a closed stream."
  // A stream the target reset itself is closed for it at once; what it sends later is its own.
  // Except a second RST_STREAM: §5.4.2 makes that a SHOULD NOT ("Normally, an endpoint SHOULD
  // NOT send more than one RST_STREAM frame for any stream"), so no MUST is broken (servers
  // built on Go's net/http reset a stream they answered early with NO_ERROR, then answer the
  // request's DATA already in flight with STREAM_CLOSED).
  if (const StreamInfo* s = stream(h.stream_id);
      h.stream_id != 0 && s != nullptr && s->peer_reset && h.type != static_cast<std::uint8_t>(wire::FrameType::kPriority) &&
      h.type != static_cast<std::uint8_t>(wire::FrameType::kRstStream)) {
    fx.violation = "the target sent " + wire::frame_type_name(h.type) + " on stream " + std::to_string(h.stream_id) +
                   " after resetting it with RST_STREAM (RFC 9113 §5.1: an endpoint MUST NOT send frames other "
                   "than PRIORITY on a closed stream)";
    return fx;
  }
  std::visit(PeerFrameVisitor{*this, h, fx}, frame.payload);
  return fx;
}

// RFC 9113 §6.5.2 value ranges; RFC 8441 §3 and RFC 9218 §2.1 for the newer settings.
std::string ConnectionState::apply_peer_settings(const std::vector<wire::Setting>& settings) {
  using wire::SettingId;
  for (const auto& s : settings) {
    std::string name = wire::setting_name(s.id);
    auto id = static_cast<SettingId>(s.id);
    bool boolean = id == SettingId::kEnablePush || id == SettingId::kEnableConnectProtocol ||
                   id == SettingId::kNoRfc7540Priorities;
    if (boolean && s.value > 1) return "the target sent " + name + " = " + std::to_string(s.value) + ", not 0 or 1";
    if (id == SettingId::kEnablePush && s.value == 1 && !traits_.peer_may_enable_push) {
      return "the server sent SETTINGS_ENABLE_PUSH = 1 (RFC 9113 §6.5.2)";
    }
    if (id == SettingId::kInitialWindowSize && s.value > wire::kMaxWindowSize) {
      return "the target sent " + name + " = " + std::to_string(s.value) + ", above 2^31-1";
    }
    if (id == SettingId::kMaxFrameSize &&
        (s.value < wire::kDefaultMaxFrameSize || s.value > wire::kMaxAllowedFrameSize)) {
      return "the target sent " + name + " = " + std::to_string(s.value) + ", outside 16384..16777215";
    }
    if (id == SettingId::kInitialWindowSize) {  // RFC 9113 §6.9.2
      std::int64_t delta = static_cast<std::int64_t>(s.value) -
                           peer_setting(s.id).value_or(kDefaultWindow);
      for (auto& [sid, info] : streams_) info.send_window += delta;
    }
    if (id == SettingId::kHeaderTableSize) {
      // Our encoder never needs more than the default; it shrinks when asked (RFC 7541 §4.2).
      std::uint32_t size = std::min<std::uint32_t>(s.value, hpack::kDefaultTableSize);
      if (size != encoder_.table().max_size()) encoder_.set_max_table_size(size);
    }
    peer_settings_[s.id] = s.value;
  }
  peer_settings_received_ = true;
  return {};
}

std::string ConnectionState::finish_block(PeerFrameEffects* effects) {
  PendingBlock block = std::move(*pending_block_);
  pending_block_.reset();
  FieldBlock done{block.stream_id, block.type, block.promised_stream, block.end_stream, {}};
  if (auto error = decoder_.decode(block.fragments, &done.fields)) {
    return "the target's field block on stream " + std::to_string(block.stream_id) +
           " is invalid HPACK at offset " + std::to_string(error->offset) + ": " + error->reason;
  }
  apply_block(done);
  effects->block = std::move(done);
  return {};
}

void ConnectionState::apply_block(const FieldBlock& block) {
  StreamInfo& s = stream_entry(block.stream_id);
  if (traits_.judges_server_messages) {
    check_block(s, block);
  } else {
    check_request_block(s, block);
  }
  if (block.type == static_cast<std::uint8_t>(wire::FrameType::kPushPromise)) {
    StreamInfo& promised = stream_entry(block.promised_stream);
    promised.state = after_recv_push_promise(promised.state);
    return;
  }
  s.state = after_recv_headers(s.state);
  peer_stream_ = block.stream_id;
  if (auto status = status_of(block.fields)) {
    if (*status >= 200 && !s.final_status) s.final_status = *status;
    if (*status < 200) ++s.informational;
  }
  if (block.end_stream) on_peer_end_stream(s);
}

// RFC 9113 §8: the first problem in a server's field block is kept on the stream.
void ConnectionState::check_block(StreamInfo& s, const FieldBlock& block) {
  if (!s.field_problem.empty()) return;
  if (block.type == static_cast<std::uint8_t>(wire::FrameType::kPushPromise)) {
    s.field_problem = check_message(block.fields, MessageKind::kPromisedRequest).problem;
    return;
  }
  if (s.final_status) {  // a field block after the final response: trailers
    s.field_problem = check_message(block.fields, MessageKind::kResponseTrailers).problem;
    return;
  }
  s.field_problem = check_message(block.fields, MessageKind::kResponse).problem;
  auto status = status_of(block.fields);
  if (!s.field_problem.empty() || !status) return;
  auto length = response_content_length(block.fields, *status, &s.field_problem);
  if (*status >= 200) s.content_length = length;
}

// RFC 9113 §8: the first problem in a client's request or its trailers is kept on the stream;
// `frame: {"check_fields": true}` judges it. The first block on a stream is the request.
void ConnectionState::check_request_block(StreamInfo& s, const FieldBlock& block) {
  if (!s.field_problem.empty()) return;
  const bool trailers = s.peer_request_seen;
  s.peer_request_seen = true;
  s.field_problem = check_message(block.fields, trailers ? MessageKind::kRequestTrailers : MessageKind::kRequest).problem;
}

void ConnectionState::on_peer_end_stream(StreamInfo& s) {
  s.peer_end_stream = true;
  s.state = after_recv_end_stream(s.state);
  if (s.field_problem.empty() && s.content_length && s.final_status) {
    s.field_problem = check_content_length(s.request_method, *s.final_status, *s.content_length, s.data_received);
  }
}

// Gives the target its receive windows back once more than half is used.
void ConnectionState::replenish(std::uint32_t stream_id, PeerFrameEffects* effects) {
  if (!auto_window_update_) return;
  if (conn_recv_window_ < kDefaultWindow / 2) {
    auto inc = static_cast<std::uint32_t>(kDefaultWindow - conn_recv_window_);
    effects->replies.push_back(wire::make_frame(wire::WindowUpdateFrame{false, inc}, 0, 0));
  }
  const StreamInfo* s = stream(stream_id);
  if (s == nullptr || s->peer_end_stream || s->peer_reset) return;
  std::int64_t initial = our_initial_window_;
  if (initial > 0 && s->recv_window < initial / 2) {
    auto inc = static_cast<std::uint32_t>(initial - s->recv_window);
    effects->replies.push_back(wire::make_frame(wire::WindowUpdateFrame{false, inc}, stream_id, 0));
  }
}

}  // namespace h2conform::engine
