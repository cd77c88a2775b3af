// Expectation outcomes: resolving, matching one observation, and describing them in words.
#include "runner/engine/outcomes.h"

#include <algorithm>

#include "runner/engine/json_values.h"

namespace h2conform::engine {
namespace {

using nlohmann::json;
using wire::FrameType;
using Kind = Observation::Kind;

constexpr std::uint8_t type_code(FrameType t) { return static_cast<std::uint8_t>(t); }

const wire::Frame* frame_of(const Observation& o) {
  return o.kind == Kind::kFrame && o.event != nullptr ? &o.event->frame : nullptr;
}

bool is_type(const wire::Frame* f, FrameType t) { return f != nullptr && f->header.type == type_code(t); }

bool listed(const std::vector<std::uint32_t>& codes, std::uint32_t code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string code_list(const std::vector<std::uint32_t>& codes) {
  std::string out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) out += i + 1 == codes.size() ? " or " : ", ";
    out += wire::error_code_name(codes[i]);
  }
  return out;
}

Match pass(std::string why, bool explicit_code = false) { return {Grade::kPass, explicit_code, false, std::move(why)}; }
Match non_strict(std::string why, bool explicit_code = false) {
  return {Grade::kNonStrict, explicit_code, false, std::move(why)};
}
Match fail(std::string why, bool decisive = false) { return {Grade::kFail, false, decisive, std::move(why)}; }

// A GOAWAY (seen now or earlier) judged against a list of codes.
Match judge_goaway(std::uint32_t code, const std::vector<std::uint32_t>& codes, Grade on_listed) {
  std::string what = "GOAWAY with " + wire::error_code_name(code);
  if (listed(codes, code)) return {on_listed, true, false, what};
  return fail(what + ", not " + code_list(codes), true);
}

std::optional<std::uint32_t> goaway_code(const Observation& o) {
  if (const auto* f = frame_of(o); is_type(f, FrameType::kGoaway)) {
    return std::get<wire::GoawayFrame>(f->payload).error_code;
  }
  if (o.kind == Kind::kStart && o.state->goaway()) return o.state->goaway()->error_code;
  return std::nullopt;
}

// RST_STREAM from the target on `stream` in this frame.
std::optional<std::uint32_t> reset_code(const Observation& o, std::uint32_t stream) {
  if (const auto* f = frame_of(o); is_type(f, FrameType::kRstStream) && f->header.stream_id == stream) {
    return std::get<wire::RstStreamFrame>(f->payload).error_code;
  }
  return std::nullopt;
}

bool status_matches(const Outcome& out, int status) {
  if (out.status_class != 0) return status / 100 == out.status_class;
  return out.statuses.empty() || std::find(out.statuses.begin(), out.statuses.end(), status) != out.statuses.end();
}

Match match_frame(const Outcome& out, const Observation& o) {
  const wire::Frame* f = frame_of(o);
  if (f == nullptr || f->header.type != out.type) return {};
  if (out.has_stream && f->header.stream_id != out.stream) return {};
  if ((f->header.flags & out.flags) != out.flags) return {};
  if (out.ack && ((f->header.flags & wire::flags::kAck) != 0) != *out.ack) return {};
  std::uint32_t code = 0;
  bool has_code = false;
  if (const auto* g = std::get_if<wire::GoawayFrame>(&f->payload)) {
    code = g->error_code;
    has_code = true;
    if (out.numbers.count("last_stream_id") && g->last_stream_id != out.numbers.at("last_stream_id")) return {};
  }
  if (const auto* r = std::get_if<wire::RstStreamFrame>(&f->payload)) {
    code = r->error_code;
    has_code = true;
  }
  if (!out.codes.empty() && (!has_code || !listed(out.codes, code))) return {};
  if (const auto* w = std::get_if<wire::WindowUpdateFrame>(&f->payload)) {
    if (out.numbers.count("increment") && w->increment != out.numbers.at("increment")) return {};
  }
  if (const auto* p = std::get_if<wire::PushPromiseFrame>(&f->payload)) {
    if (out.numbers.count("promised_stream") && p->promised_stream_id != out.numbers.at("promised_stream")) return {};
  }
  if (out.numbers.count("length") && f->header.length != out.numbers.at("length")) return {};
  if (const auto* p = std::get_if<wire::PingFrame>(&f->payload); p && out.opaque && p->opaque != *out.opaque) return {};
  if (const auto* s = std::get_if<wire::SettingsFrame>(&f->payload)) {
    for (const auto& [id, value] : out.settings) {
      bool found = std::any_of(s->settings.begin(), s->settings.end(),
                               [&](const wire::Setting& x) { return x.id == id && x.value == value; });
      if (!found) return {};
    }
  }
  return pass(describe_event(*o.event), !out.codes.empty());
}

Match match_connection_error(const Outcome& out, const Observation& o) {
  if (auto code = goaway_code(o)) return judge_goaway(*code, out.codes, Grade::kPass);
  if (o.kind == Kind::kClosed) {
    return non_strict("a close without GOAWAY (RFC 9113 §5.4.1 says SHOULD send GOAWAY)");
  }
  return {};
}

// The final status of a response this frame completed (final status seen, then END_STREAM).
std::optional<int> complete_response(const Observation& o, std::uint32_t stream) {
  const wire::Frame* f = frame_of(o);
  if (f == nullptr || f->header.stream_id != stream || !o.event->response_complete) return std::nullopt;
  return o.state->stream(stream) ? o.state->stream(stream)->final_status : std::nullopt;
}

Match match_stream_error(const Outcome& out, const Observation& o) {
  if (auto code = reset_code(o, out.stream)) {
    std::string what = "RST_STREAM with " + wire::error_code_name(*code) + " on stream " + std::to_string(out.stream);
    if (listed(out.codes, *code)) return pass(what, true);
    return fail(what + ", not " + code_list(out.codes), true);
  }
  if (auto code = goaway_code(o)) return judge_goaway(*code, out.codes, Grade::kPass);
  if (auto status = complete_response(o, out.stream)) {
    return fail("a complete response with status " + std::to_string(*status) + " on stream " + std::to_string(out.stream));
  }
  if (o.kind == Kind::kClosed) return non_strict("a close without GOAWAY or RST_STREAM");
  return {};
}

Match match_closed(const Observation& o) {
  if (auto code = goaway_code(o)) return pass("GOAWAY with " + wire::error_code_name(*code));
  if (o.kind == Kind::kClosed) return pass("the connection closed (" + o.event->detail + ")");
  return {};
}

Match match_response(const Outcome& out, const Observation& o) {
  if (auto status = complete_response(o, out.stream)) {
    std::string what = "a complete response with status " + std::to_string(*status);
    return status_matches(out, *status) ? pass(what) : fail(what);
  }
  if (auto code = reset_code(o, out.stream)) {
    return fail("RST_STREAM with " + wire::error_code_name(*code) + " on stream " + std::to_string(out.stream));
  }
  if (auto code = goaway_code(o)) {
    std::uint32_t last = frame_of(o) ? std::get<wire::GoawayFrame>(frame_of(o)->payload).last_stream_id
                                     : o.state->goaway()->last_stream_id;
    if (last < out.stream) return fail("GOAWAY with " + wire::error_code_name(*code) + " last_stream_id=" + std::to_string(last));
  }
  return {};
}

Match match_malformed(const Outcome& out, const Observation& o) {
  static const std::vector<std::uint32_t> kProtocol = {static_cast<std::uint32_t>(wire::ErrorCode::kProtocolError)};
  if (auto code = reset_code(o, out.stream)) {
    std::string what = "RST_STREAM with " + wire::error_code_name(*code);
    if (listed(kProtocol, *code)) return pass(what, true);
    return fail(what + ", not PROTOCOL_ERROR", true);
  }
  if (const auto* f = frame_of(o); f && f->header.stream_id == out.stream && o.event->final_status) {
    int status = *o.event->final_status;
    std::string what = "a response with status " + std::to_string(status);
    return status / 100 == 4 ? pass(what) : fail(what + " to a malformed request");
  }
  if (auto code = goaway_code(o)) return judge_goaway(*code, kProtocol, Grade::kNonStrict);
  if (o.kind == Kind::kClosed) return non_strict("a close without RST_STREAM or GOAWAY");
  return {};
}

Match match_alive(const Observation& o) {
  const wire::Frame* f = frame_of(o);
  if (is_type(f, FrameType::kPing) && (f->header.flags & wire::flags::kAck) != 0 && o.alive_opaque &&
      std::get<wire::PingFrame>(f->payload).opaque == *o.alive_opaque) {
    return pass("the PING ACK, with no GOAWAY or RST_STREAM before it");
  }
  if (auto code = goaway_code(o)) return fail("GOAWAY with " + wire::error_code_name(*code));
  if (is_type(f, FrameType::kRstStream)) {
    // RFC 9113 §8.1: after a complete response, RST_STREAM NO_ERROR only asks us to stop sending.
    const StreamInfo* s = o.state->stream(f->header.stream_id);
    bool after_response = s != nullptr && s->final_status && s->peer_end_stream;
    if (std::get<wire::RstStreamFrame>(f->payload).error_code == 0 && after_response) return {};
    return fail(describe_event(*o.event));
  }
  return {};
}

Match match_ping_ack(const Outcome& out, const Observation& o) {
  const wire::Frame* f = frame_of(o);
  if (!is_type(f, FrameType::kPing) || (f->header.flags & wire::flags::kAck) == 0) return {};
  if (out.opaque && std::get<wire::PingFrame>(f->payload).opaque != *out.opaque) return {};
  return pass("a PING ACK");
}

}  // namespace

Match match_outcome(const Outcome& out, const Observation& o) {
  if (o.kind == Kind::kTimeout) return {};
  switch (out.kind) {
    case OutcomeKind::kFrame: return match_frame(out, o);
    case OutcomeKind::kConnectionError: return match_connection_error(out, o);
    case OutcomeKind::kStreamError: return match_stream_error(out, o);
    case OutcomeKind::kClosed: return match_closed(o);
    case OutcomeKind::kResponse: return match_response(out, o);
    case OutcomeKind::kMalformed: return match_malformed(out, o);
    case OutcomeKind::kAlive: return match_alive(o);
    case OutcomeKind::kSettingsAck:
      if (o.kind != Kind::kClosed && o.state->all_settings_acked()) return pass("the SETTINGS ACK");
      return {};
    case OutcomeKind::kPingAck: return match_ping_ack(out, o);
  }
  return {};
}

std::string to_string(Grade grade) {
  switch (grade) {
    case Grade::kPass: return "pass";
    case Grade::kNonStrict: return "non_strict";
    case Grade::kFail: return "fail";
    case Grade::kNone: break;
  }
  return "none";
}

}  // namespace h2conform::engine
