// Outcomes: resolution of the script's outcomes and descriptions in words.
#include <algorithm>

#include "runner/engine/verdict/error_grading.h"
#include "runner/engine/verdict/outcomes.h"

namespace h2conform::engine {
namespace {

// Evaluates an optional number into *out (left alone when absent).
ValueResult get_number(const std::optional<Number>& number, ExpressionScope& scope, std::uint64_t max,
                       std::optional<std::int64_t>* out) {
  if (!number) return {};
  ValueResult r = evaluate_value(*number, scope, max);
  if (r.ok()) *out = r.value;
  return r;
}

// The outcome's stream; when absent, $last_stream if `default_last`, otherwise none.
ValueResult resolve_stream(const std::optional<Number>& stream, ExpressionScope& scope, Outcome* out,
                           bool default_last) {
  out->has_stream = default_last || stream.has_value();
  out->stream = default_last ? scope.last_stream() : 0;
  if (!stream) return {};
  ValueResult r = evaluate_value(*stream, scope, wire::kMaxStreamId);
  out->stream = static_cast<std::uint32_t>(r.value);
  return r;
}

ValueResult resolve_frame(const FrameOutcome& spec, ExpressionScope& scope, Outcome* out) {
  out->type = spec.type;
  out->flags = spec.flags;
  out->codes = spec.codes;
  out->ack = spec.ack;
  out->opaque = spec.opaque;
  out->check_fields = spec.check_fields;
  ValueResult r = resolve_stream(spec.stream, scope, out, false);
  const std::pair<const std::optional<Number>*, std::optional<std::int64_t>*> numbers[] = {
      {&spec.last_stream_id, &out->last_stream_id},
      {&spec.increment, &out->increment},
      {&spec.promised_stream, &out->promised_stream},
      {&spec.length, &out->length}};
  for (const auto& [number, slot] : numbers) {
    if (!r.ok()) return r;
    r = get_number(*number, scope, 0xffffffffu, slot);
  }
  if (!r.ok()) return r;
  for (const SettingValue& s : spec.settings) {
    ValueResult v = evaluate_value(s.value, scope, 0xffffffffu);
    if (!v.ok()) return v;
    out->settings[s.id] = v.value;
  }
  return r;
}

// Fills in the runtime outcome, one kind of the script's outcomes at a time.
struct OutcomeResolver {
  ExpressionScope& scope;
  Outcome* out;
  ValueResult operator()(const FrameOutcome& o) const {
    out->kind = OutcomeKind::kFrame;
    return resolve_frame(o, scope, out);
  }
  ValueResult operator()(const ConnectionErrorOutcome& o) const {
    out->kind = OutcomeKind::kConnectionError;
    out->codes = o.codes;
    return {};
  }
  ValueResult operator()(const StreamErrorOutcome& o) const {
    out->kind = OutcomeKind::kStreamError;
    out->codes = o.codes;
    return resolve_stream(o.stream, scope, out, true);
  }
  ValueResult operator()(const ClosedOutcome&) const {
    out->kind = OutcomeKind::kClosed;
    return {};
  }
  ValueResult operator()(const TransportClosedOutcome&) const {
    out->kind = OutcomeKind::kTransportClosed;
    return {};
  }
  ValueResult operator()(const ResponseOutcome& o) const {
    out->kind = OutcomeKind::kResponse;
    out->statuses = o.statuses;
    out->status_class = o.status_class;
    out->check_fields = o.check_fields;
    return resolve_stream(o.stream, scope, out, true);
  }
  ValueResult operator()(const MalformedOutcome& o) const {
    out->kind = OutcomeKind::kMalformed;
    return resolve_stream(o.stream, scope, out, true);
  }
  ValueResult operator()(const AliveOutcome&) const {
    out->kind = OutcomeKind::kAlive;
    return {};
  }
  ValueResult operator()(const SettingsAckOutcome&) const {
    out->kind = OutcomeKind::kSettingsAck;
    return {};
  }
  ValueResult operator()(const PingAckOutcome& o) const {
    out->kind = OutcomeKind::kPingAck;
    out->opaque = o.opaque;
    return {};
  }
};

}  // namespace

ValueResult resolve_outcome(const OutcomeEntry& entry, ExpressionScope& scope, Outcome* out) {
  out->grade = entry.grade == AcceptGrade::kNonStrict ? Grade::kNonStrict
               : entry.grade == AcceptGrade::kSkip    ? Grade::kSkip
                                                      : Grade::kPass;
  out->note = entry.note;
  return std::visit(OutcomeResolver{scope, out}, entry.outcome);
}

namespace {

constexpr const char* kAnyClose = "a close (GOAWAY or the connection ending)";

std::string codes_text(const Outcome& out) {
  std::string s;
  for (std::size_t i = 0; i < out.codes.size(); ++i) s += (i ? " or " : "") + wire::error_code_name(out.codes[i]);
  return s;
}

// The codes an error outcome names, and the generic codes RFC 9113 §5.4 lets stand in for them.
std::string error_codes_text(const Outcome& out) {
  bool specific = std::any_of(out.codes.begin(), out.codes.end(), [](std::uint32_t c) { return c != 0 && !is_generic_code(c); });
  return codes_text(out) + (specific ? " (or a generic code, RFC 9113 §5.4)" : "");
}

std::string describe_frame(const Outcome& out) {
  std::string s = "a " + wire::frame_type_name(out.type) + " frame";
  if (out.has_stream) s += " on stream " + std::to_string(out.stream);
  if (out.flags != 0) s += " with flags " + wire::flags_to_string(out.type, out.flags);
  if (out.ack) s += *out.ack ? " with ACK" : " without ACK";
  if (!out.codes.empty()) s += " with " + codes_text(out);
  // In name order, as the case file's keys sort.
  const std::pair<const char*, const std::optional<std::int64_t>*> numbers[] = {
      {"increment", &out.increment}, {"last_stream_id", &out.last_stream_id},
      {"length", &out.length}, {"promised_stream", &out.promised_stream}};
  for (const auto& [key, value] : numbers) {
    if (*value) s += std::string(" ") + key + "=" + std::to_string(**value);
  }
  return out.check_fields ? s + ", its field block well-formed (RFC 9113 §8)" : s;
}

std::string describe_response(const Outcome& out) {
  std::string s = "a complete response";
  if (out.status_class != 0) s += " with status " + std::to_string(out.status_class) + "xx";
  for (std::size_t i = 0; i < out.statuses.size(); ++i) {
    s += (i ? " or " : " with status ") + std::to_string(out.statuses[i]);
  }
  s += " on stream " + std::to_string(out.stream);
  return out.check_fields ? s + ", well-formed (RFC 9113 §8)" : s;
}

// The alternatives of the outcome itself, before an also_accept grade caps them.
std::vector<Alternative> own_alternatives(const Outcome& out) {
  const std::string stream = " on stream " + std::to_string(out.stream);
  switch (out.kind) {
    case OutcomeKind::kFrame: return {{describe_frame(out)}};
    case OutcomeKind::kConnectionError:
      return {{"GOAWAY with " + error_codes_text(out)}, {kAnyClose, Grade::kNonStrict}};
    case OutcomeKind::kStreamError:
      return {{"RST_STREAM with " + error_codes_text(out) + stream},
              {"GOAWAY with " + error_codes_text(out)},
              {kAnyClose, Grade::kNonStrict}};
    case OutcomeKind::kClosed: return {{kAnyClose}};
    case OutcomeKind::kResponse: return {{describe_response(out)}};
    case OutcomeKind::kMalformed:
      return {{"RST_STREAM with PROTOCOL_ERROR or a 4xx response" + stream + " (a reset may follow another response)"},
              {"GOAWAY with PROTOCOL_ERROR"},
              {kAnyClose, Grade::kNonStrict}};
    case OutcomeKind::kTransportClosed: return {{"a connection close (not just GOAWAY)"}};
    case OutcomeKind::kAlive: return {{"a PING ACK with no GOAWAY or RST_STREAM before it"}};
    case OutcomeKind::kSettingsAck: return {{"a SETTINGS ACK"}};
    case OutcomeKind::kPingAck: return {{out.opaque ? "a PING ACK with the data we sent" : "a PING ACK"}};
  }
  return {{"?"}};
}

std::string join_or(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : ", or ") + item;
  return s;
}

}  // namespace

std::vector<Alternative> alternatives_of(const Outcome& out) {
  std::vector<Alternative> list = own_alternatives(out);
  if (out.grade == Grade::kNonStrict) {
    for (auto& a : list) a.grade = Grade::kNonStrict;
  }
  return list;
}

std::string phrase_alternatives(const std::vector<Alternative>& alternatives) {
  std::vector<Alternative> unique;
  for (const auto& a : alternatives) {
    auto same = std::find_if(unique.begin(), unique.end(), [&](const Alternative& u) { return u.text == a.text; });
    if (same == unique.end()) {
      unique.push_back(a);
    } else if (a.grade == Grade::kPass) {
      same->grade = Grade::kPass;
    }
  }
  // "a close" is the least specific answer: it reads best last.
  std::stable_partition(unique.begin(), unique.end(), [](const Alternative& a) { return a.text != kAnyClose; });
  std::vector<std::string> strict, lenient;
  for (const auto& a : unique) (a.grade == Grade::kPass ? strict : lenient).push_back(a.text);
  if (strict.empty()) return join_or(lenient) + " (non_strict)";
  std::string s = join_or(strict);
  if (!lenient.empty()) s += "; less strict but accepted (non_strict): " + join_or(lenient);
  return s;
}

std::string describe_outcome(const Outcome& out) { return phrase_alternatives(alternatives_of(out)); }

std::string describe_missing(const Outcome& out) {
  std::vector<std::string> strict;
  for (const auto& a : own_alternatives(out)) {
    if (a.grade == Grade::kPass) strict.push_back(a.text.starts_with("a ") ? a.text.substr(2) : a.text);
  }
  return "no " + join_or(strict);
}

std::string describe_event(const Event& event) {
  if (event.kind == Event::Kind::kClosed) return event.detail;
  if (event.kind == Event::Kind::kTimeout) return "nothing more";
  if (event.kind == Event::Kind::kViolation) return event.detail;
  const wire::Frame& f = event.frame;
  std::string stream = " on stream " + std::to_string(f.header.stream_id);
  std::string type = wire::frame_type_name(f.header.type);
  if (const auto* g = std::get_if<wire::GoawayFrame>(&f.payload)) {
    return "GOAWAY with " + wire::error_code_name(g->error_code) + " last_stream_id=" + std::to_string(g->last_stream_id);
  }
  if (const auto* r = std::get_if<wire::RstStreamFrame>(&f.payload)) {
    return "RST_STREAM with " + wire::error_code_name(r->error_code) + stream;
  }
  if (event.block) {
    for (const auto& field : event.block->fields) {
      if (field.name == ":status") return type + " :status " + field.value + stream;
    }
  }
  std::string flags = wire::flags_to_string(f.header.type, f.header.flags);
  return type + (flags.empty() || flags == "0x0" ? "" : " " + flags) + stream;
}

}  // namespace h2conform::engine
