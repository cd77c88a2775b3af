// `expect` steps: outcomes, also_accept and fail_on (cases/README.md "expect"), validated and
// converted to one typed struct per outcome kind (script.h).
#include "runner/engine/case/loader_internal.h"
#include "runner/wire/frame.h"

namespace h2conform::engine::load {
namespace {

constexpr std::uint64_t kMaxStream = wire::kMaxStreamId;

constexpr std::string_view kOutcomes[] = {"frame",        "connection_error", "stream_error",
                                          "closed",       "response",         "malformed",
                                          "alive",        "settings_ack",     "ping_ack",
                                          "transport_closed"};

bool is_outcome(std::string_view key) {
  for (auto o : kOutcomes) {
    if (o == key) return true;
  }
  return false;
}

void check_empty_object(const json& value, const Ctx& ctx) { check_keys(value, ctx, {}); }

std::optional<Number> optional_stream(const json& value, const Ctx& ctx) {
  if (!has_key(value, "stream")) return std::nullopt;
  return check_value(value["stream"], ctx.at("stream"), kMaxStream);
}

FrameOutcome check_frame_outcome(const json& value, const Ctx& ctx) {
  check_keys(value, ctx, {"type", "stream", "flags", "error_code", "last_stream_id", "increment",
                          "ack", "data_hex", "promised_stream", "length", "settings", "check_fields"});
  FrameOutcome out;
  out.type = check_frame_type(require_key(value, ctx, "type"), ctx.at("type"));
  out.stream = optional_stream(value, ctx);
  if (has_key(value, "flags")) out.flags = check_flags(value["flags"], ctx.at("flags"), out.type);
  if (has_key(value, "error_code")) out.codes = check_error_codes(value["error_code"], ctx.at("error_code"), true);
  auto number = [&](const char* key, std::uint64_t max, std::optional<Number>* slot) {
    if (has_key(value, key)) *slot = check_value(value[key], ctx.at(key), max);
  };
  number("last_stream_id", kMaxStream, &out.last_stream_id);
  number("increment", kMaxStream, &out.increment);
  number("promised_stream", kMaxStream, &out.promised_stream);
  number("length", wire::kMaxAllowedFrameSize, &out.length);
  if (has_key(value, "ack")) out.ack = check_bool(value["ack"], ctx.at("ack"));
  if (has_key(value, "data_hex")) out.opaque = check_opaque(value["data_hex"], ctx.at("data_hex"));
  if (has_key(value, "settings")) {
    if (!value["settings"].is_object()) ctx.at("settings").fail("expected an object of settings");
    out.settings = check_settings(value["settings"], ctx.at("settings"));
  }
  if (has_key(value, "check_fields")) {
    out.check_fields = check_bool(value["check_fields"], ctx.at("check_fields"));
    if (out.check_fields && out.type != 0x1) ctx.at("check_fields").fail("check_fields applies to a HEADERS frame");
  }
  return out;
}

StreamErrorOutcome check_stream_error(const json& value, const Ctx& ctx) {
  if (value.is_array()) return {check_error_codes(value, ctx, false), std::nullopt};
  check_keys(value, ctx, {"codes", "stream"});
  StreamErrorOutcome out;
  out.codes = check_error_codes(require_key(value, ctx, "codes"), ctx.at("codes"), false);
  out.stream = optional_stream(value, ctx);
  return out;
}

void check_status(const json& value, const Ctx& ctx, ResponseOutcome* out) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.size() != 3 || s[0] < '1' || s[0] > '5' || s.substr(1) != "xx") {
      ctx.fail("a status class is written \"2xx\"");
    }
    out->status_class = s[0] - '0';
    return;
  }
  if (value.is_array()) {
    if (value.empty()) ctx.fail("the list of statuses is empty");
    for (std::size_t i = 0; i < value.size(); ++i) {
      out->statuses.push_back(static_cast<int>(check_uint(value[i], ctx.at(i), 100, 599)));
    }
    return;
  }
  out->statuses.push_back(static_cast<int>(check_uint(value, ctx, 100, 599)));
}

ResponseOutcome check_response(const json& value, const Ctx& ctx) {
  check_keys(value, ctx, {"status", "stream", "check_fields"});
  ResponseOutcome out;
  if (has_key(value, "status")) check_status(value["status"], ctx.at("status"), &out);
  if (has_key(value, "check_fields")) out.check_fields = check_bool(value["check_fields"], ctx.at("check_fields"));
  out.stream = optional_stream(value, ctx);
  return out;
}

OutcomeSpec check_outcome_body(std::string_view kind, const json& value, const Ctx& ctx) {
  if (kind == "frame") return check_frame_outcome(value, ctx);
  if (kind == "connection_error") return ConnectionErrorOutcome{check_error_codes(value, ctx, false)};
  if (kind == "stream_error") return check_stream_error(value, ctx);
  if (kind == "response") return check_response(value, ctx);
  if (kind == "malformed") {
    check_keys(value, ctx, {"stream"});
    return MalformedOutcome{optional_stream(value, ctx)};
  }
  if (kind == "ping_ack") {
    check_keys(value, ctx, {"data_hex"});
    PingAckOutcome out;
    if (has_key(value, "data_hex")) out.opaque = check_opaque(value["data_hex"], ctx.at("data_hex"));
    return out;
  }
  check_empty_object(value, ctx);
  if (kind == "closed") return ClosedOutcome{};
  if (kind == "transport_closed") return TransportClosedOutcome{};
  if (kind == "alive") return AliveOutcome{};
  return SettingsAckOutcome{};  // is_outcome() admits nothing else
}

// An object holding exactly one outcome key, plus `extra` keys.
OutcomeEntry check_one_outcome(const json& value, const Ctx& ctx,
                               std::initializer_list<std::string_view> extra) {
  if (!value.is_object()) ctx.fail("expected an object naming one outcome");
  std::string found;
  for (const auto& [key, body] : value.items()) {
    bool is_extra = false;
    for (auto e : extra) is_extra = is_extra || e == key;
    if (is_extra) continue;
    if (!is_outcome(key)) ctx.at(key).fail("unknown outcome \"" + key + "\"");
    if (!found.empty()) ctx.at(key).fail("more than one outcome (\"" + found + "\" and \"" + key + "\")");
    found = key;
  }
  if (found.empty()) ctx.fail("no outcome named (frame, connection_error, stream_error, ...)");
  return OutcomeEntry{check_outcome_body(found, value[found], ctx.at(found))};
}

}  // namespace

Expect check_expect(const json& expect, const Ctx& ctx) {
  Expect out;
  out.primary = check_one_outcome(expect, ctx, {"also_accept", "fail_on", "note"});
  if (has_key(expect, "note")) check_string(expect["note"], ctx.at("note"));
  if (has_key(expect, "also_accept")) {
    const json& list = expect["also_accept"];
    Ctx lc = ctx.at("also_accept");
    if (!list.is_array() || list.empty()) lc.fail("expected a non-empty list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      OutcomeEntry entry = check_one_outcome(list[i], lc.at(i), {"grade", "note"});
      const std::string& grade = check_string(require_key(list[i], lc.at(i), "grade"), lc.at(i).at("grade"));
      if (grade != "pass" && grade != "non_strict" && grade != "skip") {
        lc.at(i).at("grade").fail("grade is \"pass\", \"non_strict\" or \"skip\"");
      }
      entry.grade = grade == "pass" ? AcceptGrade::kPass : grade == "skip" ? AcceptGrade::kSkip : AcceptGrade::kNonStrict;
      if (has_key(list[i], "note")) entry.note = check_string(list[i]["note"], lc.at(i).at("note"));
      if (entry.grade == AcceptGrade::kSkip && entry.note.empty()) lc.at(i).fail("a \"skip\" grade needs a note saying why");
      out.also_accept.push_back(std::move(entry));
    }
  }
  if (has_key(expect, "fail_on")) {
    const json& list = expect["fail_on"];
    Ctx lc = ctx.at("fail_on");
    if (!list.is_array() || list.empty()) lc.fail("expected a non-empty list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      OutcomeEntry entry = check_one_outcome(list[i], lc.at(i), {"note"});
      if (has_key(list[i], "note")) entry.note = check_string(list[i]["note"], lc.at(i).at("note"));
      out.fail_on.push_back(std::move(entry));
    }
  }
  return out;
}

}  // namespace h2conform::engine::load
