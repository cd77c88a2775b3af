// Validation of `expect` steps: outcomes, also_accept and fail_on (cases/README.md "expect").
#include "runner/engine/loader_internal.h"
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

void check_frame_outcome(const json& value, const Ctx& ctx) {
  check_keys(value, ctx, {"type", "stream", "flags", "error_code", "last_stream_id", "increment",
                          "ack", "data_hex", "promised_stream", "length", "settings"});
  std::uint8_t type = check_frame_type(require_key(value, ctx, "type"), ctx.at("type"));
  if (has_key(value, "stream")) check_value(value["stream"], ctx.at("stream"), kMaxStream);
  if (has_key(value, "flags")) check_flags(value["flags"], ctx.at("flags"), type);
  if (has_key(value, "error_code")) check_error_codes(value["error_code"], ctx.at("error_code"), true);
  for (const char* key : {"last_stream_id", "increment", "promised_stream"}) {
    if (has_key(value, key)) check_value(value[key], ctx.at(key), kMaxStream);
  }
  if (has_key(value, "length")) check_value(value["length"], ctx.at("length"), wire::kMaxAllowedFrameSize);
  if (has_key(value, "ack")) check_bool(value["ack"], ctx.at("ack"));
  if (has_key(value, "data_hex")) check_hex_of_size(value["data_hex"], ctx.at("data_hex"), 8);
  if (has_key(value, "settings")) {
    if (!value["settings"].is_object()) ctx.at("settings").fail("expected an object of settings");
    check_settings(value["settings"], ctx.at("settings"));
  }
}

void check_stream_error(const json& value, const Ctx& ctx) {
  if (value.is_array()) {
    check_error_codes(value, ctx, false);
    return;
  }
  check_keys(value, ctx, {"codes", "stream"});
  check_error_codes(require_key(value, ctx, "codes"), ctx.at("codes"), false);
  if (has_key(value, "stream")) check_value(value["stream"], ctx.at("stream"), kMaxStream);
}

void check_status(const json& value, const Ctx& ctx) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.size() != 3 || s[0] < '1' || s[0] > '5' || s.substr(1) != "xx") {
      ctx.fail("a status class is written \"2xx\"");
    }
    return;
  }
  if (value.is_array()) {
    if (value.empty()) ctx.fail("the list of statuses is empty");
    for (std::size_t i = 0; i < value.size(); ++i) check_uint(value[i], ctx.at(i), 100, 599);
    return;
  }
  check_uint(value, ctx, 100, 599);
}

void check_outcome_body(std::string_view kind, const json& value, const Ctx& ctx) {
  if (kind == "frame") {
    check_frame_outcome(value, ctx);
  } else if (kind == "connection_error") {
    check_error_codes(value, ctx, false);
  } else if (kind == "stream_error") {
    check_stream_error(value, ctx);
  } else if (kind == "response") {
    check_keys(value, ctx, {"status", "stream", "check_fields"});
    if (has_key(value, "status")) check_status(value["status"], ctx.at("status"));
    if (has_key(value, "check_fields")) check_bool(value["check_fields"], ctx.at("check_fields"));
    if (has_key(value, "stream")) check_value(value["stream"], ctx.at("stream"), kMaxStream);
  } else if (kind == "malformed") {
    check_keys(value, ctx, {"stream"});
    if (has_key(value, "stream")) check_value(value["stream"], ctx.at("stream"), kMaxStream);
  } else if (kind == "ping_ack") {
    check_keys(value, ctx, {"data_hex"});
    if (has_key(value, "data_hex")) check_hex_of_size(value["data_hex"], ctx.at("data_hex"), 8);
  } else {  // closed, transport_closed, alive, settings_ack
    check_empty_object(value, ctx);
  }
}

// An object holding exactly one outcome key, plus `extra` keys.
std::string check_one_outcome(const json& value, const Ctx& ctx,
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
  check_outcome_body(found, value[found], ctx.at(found));
  return found;
}

}  // namespace

void check_expect(const json& expect, const Ctx& ctx) {
  check_one_outcome(expect, ctx, {"also_accept", "fail_on", "note"});
  if (has_key(expect, "note")) check_string(expect["note"], ctx.at("note"));
  if (has_key(expect, "also_accept")) {
    const json& list = expect["also_accept"];
    Ctx lc = ctx.at("also_accept");
    if (!list.is_array() || list.empty()) lc.fail("expected a non-empty list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      check_one_outcome(list[i], lc.at(i), {"grade", "note"});
      const std::string& grade = check_string(require_key(list[i], lc.at(i), "grade"), lc.at(i).at("grade"));
      if (grade != "pass" && grade != "non_strict") {
        lc.at(i).at("grade").fail("grade is \"pass\" or \"non_strict\"");
      }
      if (has_key(list[i], "note")) check_string(list[i]["note"], lc.at(i).at("note"));
    }
  }
  if (has_key(expect, "fail_on")) {
    const json& list = expect["fail_on"];
    Ctx lc = ctx.at("fail_on");
    if (!list.is_array() || list.empty()) lc.fail("expected a non-empty list");
    for (std::size_t i = 0; i < list.size(); ++i) check_one_outcome(list[i], lc.at(i), {"note"});
  }
}

}  // namespace h2conform::engine::load
