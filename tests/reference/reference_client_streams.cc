// The reference client's streams: field blocks (RFC 9113 §4.3), stream states (§5.1), pushes
// (§6.6, §8.4), DATA and flow control (§6.1, §6.9), and responses judged by the engine's message
// validator (§8.1, §8.3.2; content-length, RFC 9110 §8.6).
#include <string>

#include "runner/engine/message/message_check.h"
#include "runner/engine/message/response_check.h"
#include "runner/wire/make_frame.h"
#include "tests/reference/reference_client.h"

namespace h2conform::reference {
namespace {

using wire::ErrorCode;
using wire::make_frame;

constexpr std::size_t kMaxFieldBlock = 1 << 20;  // HEADERS + CONTINUATION octets we buffer

std::string num(std::uint64_t v) { return std::to_string(v); }

int status_of(const hpack::HeaderList& fields) {
  for (const auto& f : fields) {
    if (f.name == ":status" && f.value.size() == 3) return std::atoi(f.value.c_str());
  }
  return 200;  // only a client that does not validate gets here without one
}

engine::MessageRules response_rules() {
  engine::MessageRules rules;
  rules.field_grammar = true;
  return rules;
}

}  // namespace

// RFC 9113 §5.1: a frame on a stream that is not open. True when the frame is not for a live
// stream: a connection error was raised, or it is passed over (after our RST_STREAM).
bool ReferenceClient::frame_on_closed_stream(const wire::FrameHeader& h) {
  if (streams_.count(h.stream_id) != 0) return false;
  if (faults_.ignore_stream_states) return true;
  const std::string what = wire::frame_type_name(h.type) + " on ";
  if (is_idle(h.stream_id)) {
    fail_connection(ErrorCode::kProtocolError, what + "idle stream " + num(h.stream_id) +
                                                   ", which the client did not open and was not promised (RFC 9113 §5.1)");
    return true;
  }
  auto c = closed_streams_.find(h.stream_id);
  if (c != closed_streams_.end() && c->second != Closed::kResetByUs) {
    fail_connection(ErrorCode::kStreamClosed, what + "closed stream " + num(h.stream_id) + " (RFC 9113 §5.1)");
  }
  return true;
}

void ReferenceClient::on_frame(const wire::FrameHeader& h, const wire::HeadersFrame& f) {
  const bool dead = frame_on_closed_stream(h);
  if (closed_) return;
  block_ = FieldBlock{h.stream_id, (h.flags & wire::flags::kEndStream) != 0, std::nullopt, dead, f.fragment};
  if ((h.flags & wire::flags::kEndHeaders) != 0) finish_field_block();
}

void ReferenceClient::on_frame(const wire::FrameHeader& h, const wire::ContinuationFrame& f) {
  block_->fragment.insert(block_->fragment.end(), f.fragment.begin(), f.fragment.end());
  if (block_->fragment.size() > kMaxFieldBlock) {
    return fail_connection(ErrorCode::kEnhanceYourCalm, "a field block above " + num(kMaxFieldBlock) + " octets");
  }
  if ((h.flags & wire::flags::kEndHeaders) != 0) finish_field_block();
}

// RFC 9113 §6.6, §8.4: only after SETTINGS_ENABLE_PUSH 1, on a stream the client opened and the
// server has not ended, promising a new even stream id.
void ReferenceClient::on_frame(const wire::FrameHeader& h, const wire::PushPromiseFrame& f) {
  if (!config_.enable_push && !faults_.accept_push_when_disabled) {
    return fail_connection(ErrorCode::kProtocolError, "PUSH_PROMISE after SETTINGS_ENABLE_PUSH 0 (RFC 9113 §6.6)");
  }
  const std::uint32_t promised = f.promised_stream_id;
  const bool drop = !config_.enable_push;  // a mutant passes it over
  if (!drop && !faults_.ignore_stream_states) {
    auto it = streams_.find(h.stream_id);
    if (h.stream_id % 2 == 0 || it == streams_.end()) {
      return fail_connection(ErrorCode::kProtocolError, "PUSH_PROMISE on stream " + num(h.stream_id) +
                                                            ", not a request stream the server may still send on (RFC 9113 §6.6)");
    }
    if (promised == 0 || promised % 2 != 0 || promised <= last_promised_) {
      return fail_connection(ErrorCode::kProtocolError, "PUSH_PROMISE promises stream " + num(promised) +
                                                            ", not a new even stream id (RFC 9113 §5.1.1, §6.6)");
    }
  }
  if (!drop) last_promised_ = std::max(last_promised_, promised);
  block_ = FieldBlock{h.stream_id, false, drop ? std::nullopt : std::optional(promised), drop, f.fragment};
  if ((h.flags & wire::flags::kEndHeaders) != 0) finish_field_block();
}

void ReferenceClient::finish_field_block() {
  FieldBlock b = std::move(*block_);
  block_.reset();
  hpack::HeaderList fields;
  if (faults_.forget_dynamic_table) {
    decoder_.reset_table_size(0);  // evicts every entry
    decoder_.reset_table_size(config_.header_table_size);
  }
  if (auto error = decoder_.decode(b.fragment, &fields)) {
    if (faults_.ignore_hpack_errors) return;
    return fail_connection(ErrorCode::kCompressionError, "HPACK: " + error->reason + " (RFC 9113 §4.3)");
  }
  if (b.drop) return;
  if (b.promised) return on_promise(b.stream, *b.promised, fields);
  auto it = streams_.find(b.stream);
  if (it != streams_.end()) on_response_fields(b.stream, it->second, fields, b.end_stream);
}

void ReferenceClient::on_promise(std::uint32_t, std::uint32_t promised, const hpack::HeaderList& fields) {
  if (!faults_.accept_malformed_response) {
    const engine::MessageCheck check = engine::check_message(fields, engine::MessageKind::kPromisedRequest, response_rules());
    if (!check.ok()) return fail_stream(promised, ErrorCode::kProtocolError, check.problem);
    for (const auto& f : fields) {
      if (f.name == "content-length" && f.value != "0") {
        return fail_stream(promised, ErrorCode::kProtocolError, "a promised request with content (RFC 9113 §8.4.1)");
      }
    }
  }
  Stream& s = streams_[promised];
  s.phase = Phase::kReserved;
  s.recv_window = config_.initial_window_size;
  s.send_window = peer_initial_window_;
}

// RFC 9113 §8.1: informational responses, then one final response, then optional trailers
// with END_STREAM.
void ReferenceClient::on_response_fields(std::uint32_t id, Stream& s, const hpack::HeaderList& fields, bool end_stream) {
  const bool check = !faults_.accept_malformed_response;
  if (s.phase == Phase::kBody) {
    if (faults_.no_trailers) return malformed(id, "trailers");
    if (!end_stream && check) return malformed(id, "a HEADERS after the final response without END_STREAM (RFC 9113 §8.1)");
    const auto trailers = engine::check_message(fields, engine::MessageKind::kResponseTrailers, response_rules());
    if (!trailers.ok() && check) return malformed(id, trailers.problem);
    if (end_stream) complete(id, s);
    return;
  }
  const auto response = engine::check_message(fields, engine::MessageKind::kResponse, response_rules());
  if (!response.ok() && check) return malformed(id, response.problem);
  const int status = status_of(fields);
  if (status >= 100 && status < 200 && !faults_.interim_as_final) {
    if (status == 101 && check) return malformed(id, "101 (Switching Protocols) in HTTP/2 (RFC 9113 §8.6)");
    if (end_stream && check) return malformed(id, "an informational response with END_STREAM (RFC 9113 §8.1)");
    s.phase = Phase::kHeaders;
    return;
  }
  std::string problem;
  s.content_length = engine::response_content_length(fields, status, &problem);
  if (!problem.empty() && check) return malformed(id, problem);
  s.status = status;
  s.phase = Phase::kBody;
  if (end_stream) complete(id, s);
}

void ReferenceClient::on_frame(const wire::FrameHeader& h, const wire::DataFrame& f) {
  // RFC 9113 §6.9: every DATA frame counts against the connection window, whatever its stream.
  if (h.length > conn_recv_window_ && !faults_.no_flow_control_check) {
    return fail_connection(ErrorCode::kFlowControlError, "DATA of " + num(h.length) + " octets exceeds the connection window of " +
                                                             num(conn_recv_window_) + " (RFC 9113 §6.9.1)");
  }
  conn_recv_window_ -= h.length;
  give_back(0, nullptr);
  if (frame_on_closed_stream(h)) return;
  const std::uint32_t id = h.stream_id;
  Stream& s = streams_[id];
  if (s.phase == Phase::kReserved && !faults_.ignore_stream_states) {
    return fail_connection(ErrorCode::kProtocolError, "DATA on reserved stream " + num(id) + " (RFC 9113 §5.1)");
  }
  if (h.length > s.recv_window && !faults_.no_flow_control_check) {
    return fail_connection(ErrorCode::kFlowControlError, "DATA of " + num(h.length) + " octets exceeds stream " + num(id) +
                                                             "'s window of " + num(s.recv_window) + " (RFC 9113 §6.9.1)");
  }
  s.recv_window -= h.length;
  const bool check = !faults_.accept_malformed_response;
  if (s.phase != Phase::kBody && check) return malformed(id, "DATA before the final response's HEADERS (RFC 9113 §8.1)");
  s.data_received += f.data.size();
  if (s.content_length && s.data_received > *s.content_length && check) {
    return malformed(id, "more DATA than content-length " + num(*s.content_length) + " (RFC 9113 §8.1.1)");
  }
  if ((h.flags & wire::flags::kEndStream) != 0) return complete(id, s);
  give_back(id, &s);
}

// The response ended (END_STREAM): its DATA must add up to content-length (RFC 9113 §8.1.1).
void ReferenceClient::complete(std::uint32_t id, Stream& s) {
  if (s.content_length && !faults_.accept_malformed_response) {
    const std::string problem = engine::check_content_length("GET", s.status, *s.content_length, s.data_received);
    if (!problem.empty()) return malformed(id, problem);
  }
  close_stream(id, Closed::kFinished);
  if (id == 1) end_request(true, "");
}

// RFC 9113 §8.1.1: a malformed response is a stream error of type PROTOCOL_ERROR.
void ReferenceClient::malformed(std::uint32_t id, const std::string& why) {
  fail_stream(id, ErrorCode::kProtocolError, "malformed response: " + why);
}

// RFC 9113 §6.9.1: credit goes back once a window falls below an eighth of its size, so a
// server that fills a window exactly is never stalled and one that overruns it is caught.
void ReferenceClient::give_back(std::uint32_t id, Stream* s) {
  if (faults_.no_window_update) return;
  constexpr std::int64_t kConnWindow = 65535;  // RFC 9113 §6.9.2: SETTINGS never change it
  if (id == 0 && conn_recv_window_ < kConnWindow / 8) {
    send(make_frame(wire::WindowUpdateFrame{false, static_cast<std::uint32_t>(kConnWindow - conn_recv_window_)}));
    conn_recv_window_ = kConnWindow;
  }
  const std::int64_t size = config_.initial_window_size;
  if (s != nullptr && s->recv_window < size / 8) {
    send(make_frame(wire::WindowUpdateFrame{false, static_cast<std::uint32_t>(size - s->recv_window)}, id));
    s->recv_window = size;
  }
}

}  // namespace h2conform::reference
