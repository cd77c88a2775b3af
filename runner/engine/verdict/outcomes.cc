// Expectation outcomes: resolving, matching one observation, and describing them in words.
#include "runner/engine/verdict/outcomes.h"

#include <algorithm>

#include "runner/engine/verdict/error_grading.h"

namespace h2conform::engine {
namespace {

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
Match skip(std::string why) { return {Grade::kSkip, false, false, std::move(why)}; }

bool accepted_status(int status) { return status >= 200 && status < 400; }

// A refusal (`what`, e.g. "a response with status 404") of a request that varies from the
// run's default one, judged against the control request: it counts only when the control was
// accepted (2xx or 3xx); `counts` is the grade it then earns.
Match judge_refusal(const std::string& what, const Observation& o, Match counts) {
  if (o.control == nullptr || (o.control->stream == 0 && o.control->unavailable.empty())) {
    Match m;
    m.needs_control = true;
    return m;
  }
  const ControlRequest& c = *o.control;
  if (!c.unavailable.empty()) return skip(what + ", and its control request could not be judged: " + c.unavailable);
  if (!c.status) return {};
  const std::string twin = "its well-formed control request on stream " + std::to_string(c.stream) + " got status " +
                           std::to_string(*c.status);
  if (accepted_status(*c.status)) {
    counts.why = what + ", while " + twin + (counts.why.empty() ? "" : ": " + counts.why);
    return counts;
  }
  return skip(what + ", but " + twin + " too, so the refusal is no evidence either way; choose a path the target "
              "serves (-P) and a method it accepts (--method)");
}

// `what` (a GOAWAY or RST_STREAM with `code`) judged against the codes an outcome names, by the
// rules of RFC 9113 §5.4 (error_grading.h). A GOAWAY where a stream error is named is judged
// the same way: §5.4.1 lets an endpoint treat a stream error as a connection error.
Match judge_code(const std::string& what, std::uint32_t code, const std::vector<std::uint32_t>& codes) {
  CodeJudgement j = judge_error_code(code, codes);
  switch (j.grade) {
    case CodeGrade::kNamed: return pass(what, true);
    case CodeGrade::kGeneric: {
      Match m = pass(what + ", " + j.why, true);
      m.generic_code = true;
      return m;
    }
    case CodeGrade::kContested: return non_strict(what + ": " + j.why, true);
    case CodeGrade::kNoError: return fail(what + ", not " + code_list(codes) + ": " + j.why, true);
    case CodeGrade::kOther: break;
  }
  return fail(what + ", not " + code_list(codes), true);
}

Match judge_goaway(std::uint32_t code, const std::vector<std::uint32_t>& codes) {
  return judge_code("GOAWAY with " + wire::error_code_name(code), code, codes);
}

// A GOAWAY where a stream error is named (§5.4.1).
Match judge_escalation(std::uint32_t code, const std::vector<std::uint32_t>& codes) {
  Match m = judge_goaway(code, codes);
  m.escalated = true;
  return m;
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

// RFC 9113 §8.1: RST_STREAM NO_ERROR after a complete response only asks us to stop sending
// the request; it reports no error, so outcomes about errors pass over it.
bool is_stop_sending(const Observation& o) {
  const wire::Frame* f = frame_of(o);
  if (!is_type(f, FrameType::kRstStream) || std::get<wire::RstStreamFrame>(f->payload).error_code != 0) return false;
  const StreamInfo* s = o.state->stream(f->header.stream_id);
  return s != nullptr && s->final_status && s->peer_end_stream;
}

bool status_matches(const Outcome& out, int status) {
  if (out.status_class != 0) return status / 100 == out.status_class;
  return out.statuses.empty() || std::find(out.statuses.begin(), out.statuses.end(), status) != out.statuses.end();
}

// A case that waits for DATA on a stream cannot be judged when the response there ends, on its
// HEADERS, without content (a 204, a HEAD, a redirect): HTTP lets a response have none.
std::optional<Match> bodiless_response(const Outcome& out, const Observation& o) {
  if (out.type != static_cast<std::uint8_t>(FrameType::kData) || !out.has_stream) return std::nullopt;
  const wire::Frame* f = frame_of(o);
  const StreamInfo* s = o.state->stream(out.stream);
  if (f == nullptr || f->header.stream_id != out.stream || f->header.type == out.type || !o.event->response_complete ||
      s == nullptr || s->data_received != 0 || !s->final_status) {
    return std::nullopt;
  }
  return skip("the response on stream " + std::to_string(out.stream) + " (status " + std::to_string(*s->final_status) +
              ") ended without content, and the case needs its DATA; choose a path whose response has a body (-P)");
}

Match match_frame(const Outcome& out, const Observation& o) {
  if (auto none = bodiless_response(out, o)) return *none;
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
    if (out.last_stream_id && g->last_stream_id != *out.last_stream_id) return {};
  }
  if (const auto* r = std::get_if<wire::RstStreamFrame>(&f->payload)) {
    code = r->error_code;
    has_code = true;
  }
  std::optional<CodeJudgement> substitute;  // a generic code in place of a listed one (§5.4)
  if (!out.codes.empty() && (!has_code || !listed(out.codes, code))) {
    if (!has_code || out.exact_codes) return {};
    CodeJudgement j = judge_error_code(code, out.codes);
    if (j.grade != CodeGrade::kGeneric && j.grade != CodeGrade::kContested) return {};
    substitute = j;
  }
  if (const auto* w = std::get_if<wire::WindowUpdateFrame>(&f->payload)) {
    if (out.increment && w->increment != *out.increment) return {};
  }
  if (const auto* p = std::get_if<wire::PushPromiseFrame>(&f->payload)) {
    if (out.promised_stream && p->promised_stream_id != *out.promised_stream) return {};
  }
  if (out.length && f->header.length != *out.length) return {};
  if (out.check_fields) {  // the block is complete: the frame carried END_HEADERS or was its last CONTINUATION
    const StreamInfo* s = o.state->stream(f->header.stream_id);
    if (s != nullptr && !s->field_problem.empty()) {
      return fail("the target's field block on stream " + std::to_string(f->header.stream_id) +
                  " is not well-formed: " + s->field_problem, true);
    }
  }
  if (const auto* p = std::get_if<wire::PingFrame>(&f->payload); p && out.opaque && p->opaque != *out.opaque) return {};
  if (const auto* s = std::get_if<wire::SettingsFrame>(&f->payload)) {
    for (const auto& wanted : out.settings) {
      bool found = std::any_of(s->settings.begin(), s->settings.end(), [&](const wire::Setting& x) {
        return x.id == wanted.first && x.value == wanted.second;
      });
      if (!found) return {};
    }
  }
  if (substitute) {
    Match m = substitute->grade == CodeGrade::kGeneric ? pass(describe_event(*o.event) + ", " + substitute->why, true)
                                                       : non_strict(describe_event(*o.event) + ": " + substitute->why, true);
    m.generic_code = substitute->grade == CodeGrade::kGeneric;
    return m;
  }
  return pass(describe_event(*o.event), !out.codes.empty());
}

// A client target that ends the connection once every stream it opened is closed is leaving
// (RoleTraits::peer_leaves_when_done): it did not show how it treats the frame under test, so
// the case cannot judge it. With GOAWAY NO_ERROR it says so itself. A plain close (a client
// program that got its answer exits, and its connection closes with it) is leaving only when
// its requests were over before the last frame we sent: a close just after the frame that
// ended its request (a malformed response, a field block it cannot decode) may be its answer
// to that frame, and is graded as a close.
std::optional<Match> client_left(const Observation& o, std::optional<std::uint32_t> code) {
  if ((code && *code != 0) || !o.state->traits().peer_leaves_when_done || !o.state->peer_streams_done()) {
    return std::nullopt;
  }
  if (!code && !o.state->peer_streams_done_before_last_sent()) return std::nullopt;
  return skip(std::string(code ? "GOAWAY with NO_ERROR" : "a close") + ": " + std::string(kClientLeftReason) +
              " (RFC 9113 §9.1: clients close a connection when \"no further communication with a server is "
              "necessary\"), so how it treats the frame under test is not known");
}

Match match_connection_error(const Outcome& out, const Observation& o) {
  if (auto code = goaway_code(o)) {
    if (auto left = client_left(o, *code)) return *left;
    return judge_goaway(*code, out.codes);
  }
  if (o.kind == Kind::kClosed) {
    if (auto left = client_left(o, std::nullopt)) return *left;
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

// A complete response on the stream decides nothing: the target may have answered before it
// read the offending frame (RFC 9113 §8.1.1 lets a server respond before the whole request) and
// reset the stream after; only the deadline, with no reset, fails (describe_unmet says so).
Match match_stream_error(const Outcome& out, const Observation& o) {
  if (is_stop_sending(o)) return {};
  if (auto code = reset_code(o, out.stream)) {
    return judge_code("RST_STREAM with " + wire::error_code_name(*code) + " on stream " + std::to_string(out.stream),
                      *code, out.codes);
  }
  if (auto code = goaway_code(o)) {
    if (auto left = client_left(o, *code)) return *left;
    return judge_escalation(*code, out.codes);
  }
  if (o.kind == Kind::kClosed) {
    if (auto left = client_left(o, std::nullopt)) return *left;
    return non_strict("a close without GOAWAY or RST_STREAM");
  }
  return {};
}

Match match_closed(const Observation& o) {
  if (auto code = goaway_code(o)) return pass("GOAWAY with " + wire::error_code_name(*code));
  if (o.kind == Kind::kClosed) return pass("the connection closed (" + o.event->detail + ")");
  return {};
}

// `check_fields`: a problem in the target's field blocks on the stream fails the step, at its
// start (blocks read earlier) or with any frame on the stream.
std::optional<Match> field_problem(const Outcome& out, const Observation& o) {
  if (!out.check_fields) return std::nullopt;
  const wire::Frame* f = frame_of(o);
  if (o.kind != Kind::kStart && (f == nullptr || f->header.stream_id != out.stream)) return std::nullopt;
  const StreamInfo* s = o.state->stream(out.stream);
  if (s == nullptr || s->field_problem.empty()) return std::nullopt;
  return fail("the target's field block on stream " + std::to_string(out.stream) + " is not well-formed: " +
              s->field_problem, true);
}

// A request that varies from the run's default one (StreamInfo::request_varies) must be
// accepted. A refusal the well-formed control request did not get counts: 400, the answer
// RFC 9113 §8.1.1 pairs with a malformed request, fails; another 4xx or 5xx is a skip (the
// target treated the request differently from its twin, but not as malformed, and no sentence
// requires a particular status: a 404 for `OPTIONS *` is ordinary HTTP). When the control was
// refused too, the case is skipped.
// Without a status constraint, a plain request's response of any status shows the target went
// on.
Match match_response(const Outcome& out, const Observation& o) {
  if (auto bad = field_problem(out, o)) return *bad;
  const StreamInfo* s = o.state->stream(out.stream);
  const bool unconstrained = out.statuses.empty() && out.status_class == 0;
  if (unconstrained && s != nullptr && s->request_varies && s->final_status && !accepted_status(*s->final_status) &&
      s->peer_reset.value_or(0) == 0) {
    std::string what = "a response with status " + std::to_string(*s->final_status);
    return judge_refusal(what, o, *s->final_status == 400
                                      ? fail("the target treated a well-formed request as malformed")
                                      : skip("the target refused a well-formed request its twin was not refused, "
                                             "though not as malformed (not 400); no RFC sentence requires a "
                                             "particular status, so nothing to judge"));
  }
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

bool is_probe_ack(const Observation& o) {
  const wire::Frame* f = frame_of(o);
  return is_type(f, FrameType::kPing) && (f->header.flags & wire::flags::kAck) != 0 && o.probe_opaque &&
         std::get<wire::PingFrame>(f->payload).opaque == *o.probe_opaque;
}

// RFC 9113 §8.1.1: "Malformed requests or responses that are detected MUST be treated as a
// stream error (Section 5.4.2) of type PROTOCOL_ERROR. For malformed requests, a server MAY
// send an HTTP response prior to closing or resetting the stream." So RST_STREAM PROTOCOL_ERROR
// passes, and so does a connection error (§5.4.1), each graded by error_grading.h. A 4xx
// response passes only when the well-formed control request was accepted (a server that
// refuses everything validates nothing). A server may answer before it finds the malformation
// (a late one: trailers, content-length at END_STREAM), so another final status only keeps us
// waiting for the reset, until the deadline. Nothing sooner shows a reset will not come: a
// server may check the request in its application layer after its frame layer has answered
// later frames (Apache httpd's mod_http2 resets such a stream after the ACK of a PING sent
// after the request), so no PING is evidence here.
Match match_malformed(const Outcome& out, const Observation& o) {
  static const std::vector<std::uint32_t> kProtocol = {static_cast<std::uint32_t>(wire::ErrorCode::kProtocolError)};
  if (is_stop_sending(o)) return {};
  if (auto code = reset_code(o, out.stream)) {
    return judge_code("RST_STREAM with " + wire::error_code_name(*code), *code, kProtocol);
  }
  const StreamInfo* s = o.state->stream(out.stream);
  const bool refused = s != nullptr && s->final_status && *s->final_status / 100 == 4;
  auto code = goaway_code(o);
  // A graceful GOAWAY after a 4xx closes the connection; the 4xx is what is judged.
  if (code && !(refused && *code == 0)) return judge_escalation(*code, kProtocol);
  if (refused) return judge_refusal("a response with status " + std::to_string(*s->final_status), o, pass(""));
  if (o.kind == Kind::kClosed) return non_strict("a close without RST_STREAM or GOAWAY");
  return {};
}

Match match_alive(const Observation& o) {
  const wire::Frame* f = frame_of(o);
  if (is_probe_ack(o)) {
    return pass("the PING ACK, with no GOAWAY or RST_STREAM before it");
  }
  if (auto code = goaway_code(o)) return fail("GOAWAY with " + wire::error_code_name(*code));
  if (is_type(f, FrameType::kRstStream)) {
    if (is_stop_sending(o)) return {};
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
    case OutcomeKind::kTransportClosed:
      // RFC 9113 §5.4.1: GOAWAY alone is not enough; the connection itself must end.
      if (o.kind == Kind::kClosed) return pass("the connection closed (" + o.event->detail + ")");
      return {};
    case OutcomeKind::kResponse: return match_response(out, o);
    case OutcomeKind::kMalformed: return match_malformed(out, o);
    case OutcomeKind::kAlive: return match_alive(o);
    case OutcomeKind::kSettingsAck:
      if (o.kind != Kind::kClosed && o.state->settings_acked() >= out.settings_target) {
        return pass("the SETTINGS ACK");
      }
      return {};
    case OutcomeKind::kPingAck: return match_ping_ack(out, o);
  }
  return {};
}

std::string ended_before_judged(const Outcome& out, const ConnectionState& state, std::uint32_t offending_stream) {
  const bool reset_named = out.kind == OutcomeKind::kFrame && out.has_stream &&
                           out.type == static_cast<std::uint8_t>(FrameType::kRstStream);
  const bool on_offending = out.kind == OutcomeKind::kConnectionError && offending_stream != 0;
  if (out.kind != OutcomeKind::kStreamError && out.kind != OutcomeKind::kMalformed && !reset_named && !on_offending) {
    return "";
  }
  const std::uint32_t id = on_offending ? offending_stream : out.stream;
  const StreamInfo* s = state.stream(id);
  if (s == nullptr) return "";
  // A malformed request on a stream held open with a zero window: a target that answers before
  // it resets (RFC 9113 §8.1.1 lets it, for malformed requests) may queue its reset behind a body
  // that cannot go out, or hold even its HEADERS until the body can follow. (A frame-level
  // stream error has no such leave: RST_STREAM is not flow-controlled.)
  if (out.kind == OutcomeKind::kMalformed && !s->peer_reset && !s->peer_end_stream && s->recv_window <= 0) {
    return std::string(s->final_status ? "the target's response on stream " + std::to_string(out.stream) +
                                             " could not end"
                                       : "the target sent nothing on stream " + std::to_string(out.stream)) +
           " while our flow-control window for it was 0, so its answer, and a reset after it, may be waiting for "
           "credit (a server may respond before it resets a stream, RFC 9113 §8.1.1): nothing to judge";
  }
  if (!s->peer_end_stream || s->peer_reset != std::optional<std::uint32_t>(0)) return "";
  // Its answer used credit we gave after our last frame on the stream: it had read that frame
  // before it ended the answer and reset, so the frame was judged, not discarded.
  if (s->answered_after_our_last_frame()) return "";
  return "the target answered stream " + std::to_string(id) +
         " in full and reset it with NO_ERROR (RFC 9113 §8.1: the rest of the request is not needed), "
         "and after its reset RFC 9113 §5.1 has it discard our frames on the stream (\"An endpoint MUST "
         "minimally process and then discard any frames it receives in this state\"), so what the case "
         "checks could not be seen; a path whose response waits for the request (-P) may tell";
}

namespace {

std::string served_and_closed(const Outcome& out, const ConnectionState& state, bool credit) {
  if (out.kind != OutcomeKind::kMalformed) return "";
  const StreamInfo* s = state.stream(out.stream);
  // A reset with NO_ERROR after the answer ("stop sending", RFC 9113 §8.1) excuses nothing when
  // the answer used credit we gave after the request: the request had been read.
  if (s == nullptr || !s->peer_end_stream || (s->peer_reset && !(credit && *s->peer_reset == 0)) || !s->final_status ||
      *s->final_status / 100 == 4 || state.goaway() || !state.probe_safe()) {
    return "";
  }
  const std::string closed = "the response closed stream " + std::to_string(out.stream) +
                             ", so the request was served, and no RST_STREAM may follow on a closed stream " +
                             "(RFC 9113 §5.1)";
  const std::string status = "a complete response with status " + std::to_string(*s->final_status);
  if (!credit && s->request_in_one_block) {
    return status + " to a malformed request sent as one field block with END_STREAM: " + closed;
  }
  if (credit && !s->request_in_one_block && s->answered_after_our_last_frame()) {
    return status + " to a malformed request, whose DATA used flow-control credit we gave only after the " +
           "request had ended, so the target had read all of the request before it ended its response: " + closed;
  }
  return "";
}

}  // namespace

std::string served_and_closed(const Outcome& out, const ConnectionState& state) {
  return served_and_closed(out, state, false);
}

std::string served_after_credit(const Outcome& out, const ConnectionState& state) {
  return served_and_closed(out, state, true);
}

std::string describe_unmet(const Outcome& out, const ConnectionState& state) {
  const StreamInfo* s = state.stream(out.stream);
  if (s != nullptr && s->final_status && s->peer_end_stream && s->peer_reset.value_or(0) == 0) {
    if (out.kind == OutcomeKind::kMalformed) {
      return "a complete response with status " + std::to_string(*s->final_status) +
             " to a malformed request, and no RST_STREAM or GOAWAY";
    }
    if (out.kind == OutcomeKind::kStreamError) {
      return "a complete response with status " + std::to_string(*s->final_status) + " on stream " +
             std::to_string(out.stream) + ", and no RST_STREAM or GOAWAY";
    }
  }
  return describe_missing(out);
}

std::string to_string(Grade grade) {
  switch (grade) {
    case Grade::kPass: return "pass";
    case Grade::kNonStrict: return "non_strict";
    case Grade::kFail: return "fail";
    case Grade::kSkip: return "skip";
    case Grade::kNone: break;
  }
  return "none";
}

}  // namespace h2conform::engine
