// Outcomes: resolution from case JSON and descriptions in words.
#include <algorithm>

#include "runner/engine/json_values.h"
#include "runner/engine/outcomes.h"

namespace h2conform::engine {
namespace {

using nlohmann::json;

struct KindName {
  const char* key;
  OutcomeKind kind;
};
constexpr KindName kKinds[] = {
    {"frame", OutcomeKind::kFrame},         {"connection_error", OutcomeKind::kConnectionError},
    {"stream_error", OutcomeKind::kStreamError}, {"closed", OutcomeKind::kClosed},
    {"response", OutcomeKind::kResponse},   {"malformed", OutcomeKind::kMalformed},
    {"alive", OutcomeKind::kAlive},         {"settings_ack", OutcomeKind::kSettingsAck},
    {"ping_ack", OutcomeKind::kPingAck},    {"transport_closed", OutcomeKind::kTransportClosed},
};

ValueResult error(std::string message) { return {ValueResult::Status::kError, 0, std::move(message)}; }

// Evaluates body[key] (if present) into *out; the stream defaults to $last_stream.
ValueResult get_number(const json& body, const char* key, ExpressionScope& scope, std::uint64_t max,
                       std::int64_t* out) {
  if (!body.is_object() || !body.contains(key)) return {};
  ValueResult r = evaluate_value(body[key], scope, max);
  if (r.ok()) *out = r.value;
  return r;
}

ValueResult resolve_stream(const json& body, ExpressionScope& scope, Outcome* out, bool default_last) {
  std::int64_t stream = default_last ? scope.last_stream() : 0;
  ValueResult r = get_number(body, "stream", scope, wire::kMaxStreamId, &stream);
  out->stream = static_cast<std::uint32_t>(stream);
  out->has_stream = default_last || (body.is_object() && body.contains("stream"));
  return r;
}

std::optional<std::array<std::uint8_t, 8>> opaque_of(const json& body) {
  if (!body.is_object() || !body.contains("data_hex")) return std::nullopt;
  auto bytes = parse_hex(body["data_hex"].get<std::string>());
  if (!bytes || bytes->size() != 8) return std::nullopt;
  std::array<std::uint8_t, 8> a{};
  std::copy(bytes->begin(), bytes->end(), a.begin());
  return a;
}

ValueResult resolve_frame(const json& body, ExpressionScope& scope, Outcome* out) {
  out->type = frame_type_from_json(body["type"]).value_or(0);
  if (body.contains("flags")) out->flags = flags_from_json(body["flags"], out->type).value_or(0);
  if (body.contains("error_code")) out->codes = error_codes_from_json(body["error_code"]).value_or(std::vector<std::uint32_t>{});
  if (body.contains("ack")) out->ack = body["ack"].get<bool>();
  out->opaque = opaque_of(body);
  ValueResult r = resolve_stream(body, scope, out, false);
  for (const char* key : {"last_stream_id", "increment", "promised_stream", "length"}) {
    if (!r.ok()) return r;
    std::int64_t v = 0;
    if (body.contains(key)) {
      r = get_number(body, key, scope, 0xffffffffu, &v);
      out->numbers[key] = v;
    }
  }
  if (body.contains("settings")) {
    for (const auto& [name, v] : body["settings"].items()) {
      ValueResult s = evaluate_value(v, scope, 0xffffffffu);
      if (!s.ok()) return s;
      out->settings[wire::parse_setting_id(name).value_or(0)] = s.value;
    }
  }
  return r;
}

ValueResult resolve_response(const json& body, ExpressionScope& scope, Outcome* out) {
  out->check_fields = body.value("check_fields", false);
  if (body.contains("status")) {
    const json& s = body["status"];
    if (s.is_string()) {
      out->status_class = s.get<std::string>()[0] - '0';
    } else if (s.is_array()) {
      for (const auto& v : s) out->statuses.push_back(v.get<int>());
    } else {
      out->statuses.push_back(s.get<int>());
    }
  }
  return resolve_stream(body, scope, out, true);
}

}  // namespace

ValueResult resolve_outcome(const std::string& key, const json& body, ExpressionScope& scope, Outcome* out) {
  bool known = false;
  for (const auto& k : kKinds) {
    if (key == k.key) {
      out->kind = k.kind;
      known = true;
    }
  }
  if (!known) return error("unknown outcome \"" + key + "\"");
  try {
    switch (out->kind) {
      case OutcomeKind::kFrame: return resolve_frame(body, scope, out);
      case OutcomeKind::kConnectionError:
        out->codes = error_codes_from_json(body).value_or(std::vector<std::uint32_t>{});
        return out->codes.empty() ? error("no error codes") : ValueResult{};
      case OutcomeKind::kStreamError:
        out->codes = error_codes_from_json(body.is_array() ? body : body["codes"]).value_or(std::vector<std::uint32_t>{});
        if (out->codes.empty()) return error("no error codes");
        return resolve_stream(body, scope, out, true);
      case OutcomeKind::kResponse: return resolve_response(body, scope, out);
      case OutcomeKind::kMalformed: return resolve_stream(body, scope, out, true);
      case OutcomeKind::kPingAck: out->opaque = opaque_of(body); return {};
      default: return {};
    }
  } catch (const json::exception& e) {
    return error(e.what());
  }
}

namespace {

constexpr const char* kAnyClose = "a close (GOAWAY or the connection ending)";

std::string codes_text(const Outcome& out) {
  std::string s;
  for (std::size_t i = 0; i < out.codes.size(); ++i) s += (i ? " or " : "") + wire::error_code_name(out.codes[i]);
  return s;
}

std::string describe_frame(const Outcome& out) {
  std::string s = "a " + wire::frame_type_name(out.type) + " frame";
  if (out.has_stream) s += " on stream " + std::to_string(out.stream);
  if (out.flags != 0) s += " with flags " + wire::flags_to_string(out.type, out.flags);
  if (out.ack) s += *out.ack ? " with ACK" : " without ACK";
  if (!out.codes.empty()) s += " with " + codes_text(out);
  for (const auto& [k, v] : out.numbers) s += " " + k + "=" + std::to_string(v);
  return s;
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
      return {{"GOAWAY with " + codes_text(out)}, {kAnyClose, Grade::kNonStrict}};
    case OutcomeKind::kStreamError:
      return {{"RST_STREAM with " + codes_text(out) + stream},
              {"GOAWAY with " + codes_text(out)},
              {kAnyClose, Grade::kNonStrict}};
    case OutcomeKind::kClosed: return {{kAnyClose}};
    case OutcomeKind::kResponse: return {{describe_response(out)}};
    case OutcomeKind::kMalformed:
      return {{"RST_STREAM with PROTOCOL_ERROR or a 4xx response" + stream + " (a reset may follow another response)"},
              {"GOAWAY with PROTOCOL_ERROR", Grade::kNonStrict},
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
