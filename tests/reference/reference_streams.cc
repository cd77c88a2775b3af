// The reference server's streams: DATA, field blocks (HEADERS + CONTINUATION), stream states
// (RFC 9113 §5.1), concurrency (§5.1.2), flow control (§6.9) and responses.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "runner/engine/message/message_check.h"
#include "tests/reference/reference_server.h"

namespace h2conform::reference {
namespace {

constexpr std::int64_t kConnectionWindow = 65535;  // RFC 9113 §6.9.2, never changed by SETTINGS

std::string num(std::uint64_t v) { return std::to_string(v); }

std::uint32_t clamp_increment(std::int64_t v) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(v, 1, wire::kMaxWindowSize));
}

// The reference is strict: it also applies the field grammar RFC 9113 §8.2.1 says to validate
// (RFC 9110 §5.1, §5.5), and :protocol when it advertised extended CONNECT (RFC 8441 §3).
engine::MessageRules request_rules(bool extended_connect) { return {true, extended_connect}; }

}  // namespace

// RFC 9113 §6.1, §5.1 (states), §6.9.1 (windows), §8.1.1 (content-length).
void ReferenceServer::on_frame(const wire::FrameHeader& h, const wire::DataFrame& f) {
  const std::uint32_t id = h.stream_id;
  if (is_idle(id) && fail_connection(ErrorCode::kProtocolError,
                                     "DATA on idle stream " + num(id) + " (RFC 9113 §5.1)")) {
    return;
  }
  if (h.length > conn_recv_window_ &&
      fail_connection(ErrorCode::kFlowControlError,
                      "DATA of " + num(h.length) + " octets exceeds the connection window " +
                          num(static_cast<std::uint64_t>(std::max<std::int64_t>(conn_recv_window_, 0))) +
                          " (RFC 9113 §6.9.1)")) {
    return;
  }
  conn_recv_window_ -= h.length;
  auto it = streams_.find(id);
  if (it == streams_.end()) {
    replenish(nullptr);
    on_closed_stream_frame(id, false);
    return;
  }
  Stream& s = it->second;
  if (s.state == StreamState::kHalfClosedRemote && fail_stream(id, ErrorCode::kStreamClosed)) {
    replenish(nullptr);
    return;
  }
  if (h.length > s.recv_window && fail_stream(id, ErrorCode::kFlowControlError)) {
    replenish(nullptr);
    return;
  }
  s.recv_window -= h.length;
  replenish(&s);
  s.data_received += f.data.size();
  if (s.content_length && s.data_received > *s.content_length && malformed(id)) return;
  if (s.tunnel) s.pending_body.insert(s.pending_body.end(), f.data.begin(), f.data.end());
  if ((h.flags & wire::flags::kEndStream) == 0) {
    if (s.tunnel) flush_stream(s);
    return;
  }
  if (s.content_length && s.data_received != *s.content_length && malformed(id)) return;
  on_request_complete(s);
}

// RFC 9113 §6.9.1: give back what the client used once half of a window is gone.
void ReferenceServer::replenish(Stream* s) {
  if (conn_recv_window_ < kConnectionWindow / 2) {
    send_frame(wire::WindowUpdateFrame{false, clamp_increment(kConnectionWindow - conn_recv_window_)}, 0);
    conn_recv_window_ = kConnectionWindow;
  }
  const std::int64_t initial = config_.initial_window_size;
  if (s != nullptr && s->state == StreamState::kOpen && s->recv_window < initial / 2) {
    send_frame(wire::WindowUpdateFrame{false, clamp_increment(initial - s->recv_window)}, s->id);
    s->recv_window = initial;
  }
}

// RFC 9113 §5.1.1: clients open odd streams.
void ReferenceServer::on_frame(const wire::FrameHeader& h, const wire::HeadersFrame& f) {
  if (h.stream_id % 2 == 0 &&
      fail_connection(ErrorCode::kProtocolError,
                      "HEADERS on even stream " + num(h.stream_id) + " (RFC 9113 §5.1.1)")) {
    return;
  }
  block_ = FieldBlock{h.stream_id, (h.flags & wire::flags::kEndStream) != 0, f.priority, f.fragment};
  if ((h.flags & wire::flags::kEndHeaders) != 0) finish_field_block();
}

// RFC 9113 §6.10. The block size is capped so that CONTINUATION floods cannot grow memory.
void ReferenceServer::on_frame(const wire::FrameHeader& h, const wire::ContinuationFrame& f) {
  if (!block_) return;  // only the lenient fault gets here without a block
  block_->fragment.insert(block_->fragment.end(), f.fragment.begin(), f.fragment.end());
  if (block_->fragment.size() > config_.max_field_block) {
    fail_connection(ErrorCode::kEnhanceYourCalm, "field block exceeds " +
                                                     num(config_.max_field_block) + " octets");
    block_.reset();
    return;
  }
  if ((h.flags & wire::flags::kEndHeaders) != 0) finish_field_block();
}

// RFC 9113 §4.3: every field block is decoded, whatever the stream's state, to keep HPACK in step.
void ReferenceServer::finish_field_block() {
  FieldBlock block = std::move(*block_);
  block_.reset();
  if (faults_.skip_large_blocks && block.fragment.size() > 8192) {
    highest_stream_ = std::max(highest_stream_, block.stream);
    fail_stream(block.stream, ErrorCode::kRefusedStream);  // and the HPACK state falls out of step
    return;
  }
  hpack::HeaderList fields;
  if (auto err = decoder_.decode(block.fragment, &fields);
      err && fail_connection(ErrorCode::kCompressionError, err->reason)) {
    return;
  }
  auto it = streams_.find(block.stream);
  if (it != streams_.end()) {
    on_trailers(it->second, block, fields);
  } else if (!is_idle(block.stream)) {
    on_closed_stream_frame(block.stream, true);
  } else {
    on_request_headers(block, fields);
  }
}

void ReferenceServer::on_request_headers(const FieldBlock& block, const hpack::HeaderList& fields) {
  const std::uint32_t id = block.stream;
  highest_stream_ = std::max(highest_stream_, id);
  idle_prioritized_.erase(idle_prioritized_.begin(), idle_prioritized_.upper_bound(id));
  // RFC 9113 §5.3.1: a stream cannot depend on itself.
  if (block.priority && block.priority->stream_dependency == id &&
      fail_stream(id, ErrorCode::kProtocolError)) {
    return;
  }
  // RFC 9113 §5.1.2: beyond our advertised limit the stream is refused.
  if (streams_.size() >= config_.max_concurrent_streams && fail_stream(id, ErrorCode::kRefusedStream)) {
    return;
  }
  last_processed_ = id;
  const engine::MessageCheck check =
      engine::check_message(fields, engine::MessageKind::kRequest, request_rules(config_.enable_connect_protocol && !faults_.extended_connect_malformed));
  if (!check.ok() && reject_request(id, block.end_stream, check.field_syntax)) return;
  Stream& s = streams_[id];
  s.id = id;
  note_request_target(s, fields);
  s.state = block.end_stream ? StreamState::kHalfClosedRemote : StreamState::kOpen;
  s.send_window = peer_initial_window_;
  s.recv_window = config_.initial_window_size;
  s.content_length = check.request.content_length;
  s.head = check.request.method == "HEAD";
  if (faults_.refuse_status != 0) {  // the refusal goes out at once; the rest is read and dropped
    send_field_block(id, {{":status", num(static_cast<std::size_t>(faults_.refuse_status)), false}, {"content-length", "0", false}}, true);
    s.response_headers_sent = true;
    finish_local(s);
    return;
  }
  if (block.end_stream && s.content_length.value_or(0) != 0 && malformed(id)) return;
  if (check.request.connect && !block.end_stream) {
    s.tunnel = true;  // RFC 9113 §8.5: a 2xx opens the tunnel; DATA is echoed back
    send_response_headers(s, std::nullopt, false);
    return;
  }
  if (block.end_stream || faults_.answer_early) on_request_complete(s);
}

void ReferenceServer::on_trailers(Stream& s, const FieldBlock& block, const hpack::HeaderList& fields) {
  const std::uint32_t id = s.id;
  // RFC 9113 §5.1: half-closed (remote) accepts only WINDOW_UPDATE, PRIORITY and RST_STREAM.
  if (s.state == StreamState::kHalfClosedRemote && fail_stream(id, ErrorCode::kStreamClosed)) return;
  // RFC 9113 §8.5: only DATA and stream management frames on a tunnel.
  if (s.tunnel && fail_stream(id, ErrorCode::kProtocolError)) return;
  // RFC 9113 §8.1: a second HEADERS must end the stream; trailers carry no pseudo-headers.
  if (!block.end_stream && malformed(id)) return;
  const auto rules = request_rules(config_.enable_connect_protocol && !faults_.extended_connect_malformed);
  if (!engine::check_message(fields, engine::MessageKind::kRequestTrailers, rules).ok() && malformed(id)) return;
  if (s.content_length && s.data_received != *s.content_length && malformed(id)) return;
  if (block.end_stream && s.state == StreamState::kOpen) on_request_complete(s);
}

// RFC 9113 §5.1 "closed": frames on a stream we reset are processed minimally and dropped;
// otherwise DATA there is a stream error STREAM_CLOSED (§6.1), and HEADERS, which would reuse
// the identifier (§5.1.1), a connection error: STREAM_CLOSED on a stream that was open,
// PROTOCOL_ERROR on one that never was.
void ReferenceServer::on_closed_stream_frame(std::uint32_t stream, bool is_headers) {
  auto it = closed_streams_.find(stream);
  if (it == closed_streams_.end() && is_headers) {
    fail_connection(ErrorCode::kProtocolError,
                    "HEADERS on stream " + num(stream) + ", not above the highest stream " +
                        num(highest_stream_) + " (RFC 9113 §5.1.1)");
    return;
  }
  if (it != closed_streams_.end() && it->second == CloseCause::kResetByUs) return;
  if (is_headers) {
    fail_connection(ErrorCode::kStreamClosed,
                    "HEADERS reuses closed stream " + num(stream) + " (RFC 9113 §5.1, §5.1.1)");
    return;
  }
  fail_stream(stream, ErrorCode::kStreamClosed);
}

// RFC 9113 §8.1.1: a malformed request is a stream error of type PROTOCOL_ERROR. For a field
// syntax violation §8.2.1 asks for a 400 first; the stream then ends with our END_STREAM when
// the client's side had ended, else with the reset.
bool ReferenceServer::reject_request(std::uint32_t id, bool client_ended, bool bad_request) {
  if (faults_.lenient) return false;
  if (faults_.refuse_status != 0) {  // the same answer as to any other request, and no reset
    send_field_block(id, {{":status", num(static_cast<std::size_t>(faults_.refuse_status)), false}, {"content-length", "0", false}}, true);
    if (client_ended) remember_closed(id, CloseCause::kFinished);
    return true;
  }
  if (bad_request && !faults_.no_responses) {
    send_field_block(id, {{":status", "400", false}, {"content-length", "0", false}}, true);
    if (client_ended) {
      remember_closed(id, CloseCause::kFinished);
      return true;
    }
  }
  return malformed(id);
}

// The request is complete: answer 200 with a small body (none for HEAD).
void ReferenceServer::on_request_complete(Stream& s) {
  if (s.state == StreamState::kOpen && faults_.answer_early) {
    s.end_after_body = true;  // answered before the body; finish_local resets the stream
  } else {
    s.state = StreamState::kHalfClosedRemote;
  }
  s.end_after_body = true;
  if (s.tunnel) {
    flush_stream(s);
    return;
  }
  if (faults_.no_responses) return;
  if (faults_.refuse_status != 0) return;  // refused when its headers came
  const Stream request = s;  // `s` may close below; a push names the request (reference_push.cc)
  if (faults_.push != PushFault::kAfterEndStream) push_for(request);
  if (faults_.bodiless) {  // 204 carries no content and no content-length (RFC 9110 §8.6)
    send_field_block(s.id, {{":status", "204", false}}, true);
    s.response_headers_sent = true;
    finish_local(s);
    open_pushed();
    return;
  }
  const std::string& body = config_.body;
  if (s.head || body.empty()) {
    send_response_headers(s, body.size(), true);
  } else {
    s.pending_body.assign(body.begin(), body.end());
    send_response_headers(s, body.size(), false);
    flush_stream(s);
  }
  if (faults_.push == PushFault::kAfterEndStream) push_for(request);
  open_pushed();
}

// A 200 response head (no content-length for a tunnel).
void ReferenceServer::send_response_headers(Stream& s, std::optional<std::size_t> length, bool end_stream) {
  hpack::HeaderList fields{{":status", "200", false}};
  if (length) fields.push_back({"content-length", num(*length), false});
  if (faults_.uppercase_response_field) fields.push_back({"X-Reference", "1", false});
  send_field_block(s.id, fields, end_stream);
  s.response_headers_sent = true;
  if (end_stream) finish_local(s);
}

// One field block, split into HEADERS + CONTINUATION at the client's MAX_FRAME_SIZE.
void ReferenceServer::send_field_block(std::uint32_t id, const hpack::HeaderList& fields, bool end_stream) {
  const Bytes block = encoder_.encode(fields);
  std::size_t pos = 0;
  do {
    const std::size_t n = std::min<std::size_t>(block.size() - pos, peer_max_frame_size_);
    Bytes part(block.begin() + static_cast<std::ptrdiff_t>(pos),
               block.begin() + static_cast<std::ptrdiff_t>(pos + n));
    const bool last = pos + n == block.size();
    std::uint8_t flags = last ? wire::flags::kEndHeaders : 0;
    if (pos == 0) {
      if (end_stream) flags |= wire::flags::kEndStream;
      send_frame(wire::HeadersFrame{std::move(part), std::nullopt, std::nullopt}, id, flags);
    } else {
      send_frame(wire::ContinuationFrame{std::move(part)}, id, flags);
    }
    pos += n;
  } while (pos < block.size());
}

// Sends what the windows allow (RFC 9113 §6.9.1), END_STREAM with the last octet. May close `s`.
// Padding counts against the windows too.
void ReferenceServer::flush_stream(Stream& s) {
  const auto overhead = static_cast<std::int64_t>(padding_overhead());
  while (!closed_) {
    const std::int64_t window = faults_.overrun_window ? std::numeric_limits<std::int64_t>::max()
                                                       : std::min(conn_send_window_, s.send_window);
    const std::int64_t room = std::min(window, static_cast<std::int64_t>(peer_max_frame_size_)) - overhead;
    if (overhead > 0 && room < 0) return;
    const std::size_t n = std::min<std::size_t>(s.pending_body.size(),
                                                static_cast<std::size_t>(std::max<std::int64_t>(room, 0)));
    const bool last = n == s.pending_body.size() && s.end_after_body;
    if (n == 0 && !last) return;
    Bytes chunk(s.pending_body.begin(), s.pending_body.begin() + static_cast<std::ptrdiff_t>(n));
    s.pending_body.erase(s.pending_body.begin(), s.pending_body.begin() + static_cast<std::ptrdiff_t>(n));
    conn_send_window_ -= static_cast<std::int64_t>(n) + overhead;
    s.send_window -= static_cast<std::int64_t>(n) + overhead;
    send_frame(wire::DataFrame{std::move(chunk), std::nullopt}, s.id,
               last ? wire::flags::kEndStream : 0);
    if (last) {
      finish_local(s);
      return;
    }
  }
}

void ReferenceServer::flush_all() {
  std::vector<std::uint32_t> ids;
  for (const auto& [id, s] : streams_) {
    if (s.response_headers_sent) ids.push_back(id);
  }
  for (std::uint32_t id : ids) {
    auto it = streams_.find(id);
    if (it != streams_.end()) flush_stream(it->second);
  }
  open_pushed();
}

// We sent END_STREAM: the stream is closed if the client had ended it too. Invalidates `s` then.
void ReferenceServer::finish_local(Stream& s) {
  if (s.state == StreamState::kHalfClosedRemote) {
    close_stream(s.id, CloseCause::kFinished);
  } else if (faults_.answer_early && !s.tunnel) {
    fail_stream(s.id, ErrorCode::kNoError);  // RFC 9113 §8.1: the rest of the request is not needed
  } else {
    s.state = StreamState::kHalfClosedLocal;
  }
}

}  // namespace h2conform::reference
