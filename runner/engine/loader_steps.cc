// Validation of script steps (cases/README.md "Steps"). Expectations are in loader_outcomes.cc.
#include "runner/engine/loader_internal.h"
#include "runner/engine/observed_step.h"
#include "runner/engine/tls_case.h"
#include "runner/wire/frame.h"

namespace h2conform::engine::load {
namespace {

constexpr std::uint64_t kMaxRepeat = 100000;
constexpr int kMaxRepeatDepth = 4;
constexpr std::uint64_t kMaxStream = wire::kMaxStreamId;
constexpr std::uint64_t kMaxDataSize = 1u << 24;

void check_handshake(const json& step, const Ctx& ctx) {
  check_keys(step, ctx, {"settings", "ack_peer_settings", "wait_ack", "preface",
                         "auto_window_update", "note"});
  if (has_key(step, "settings")) check_settings(step["settings"], ctx.at("settings"));
  for (const char* key : {"ack_peer_settings", "wait_ack", "preface", "auto_window_update"}) {
    if (has_key(step, key)) check_bool(step[key], ctx.at(key));
  }
  if (has_key(step, "note")) check_string(step["note"], ctx.at("note"));
}

void check_send_raw(const json& step, const Ctx& ctx) {
  check_keys(step, ctx, {"hex", "note", "chop"});
  check_hex(require_key(step, ctx, "hex"), ctx.at("hex"));
  check_nonempty_string(require_key(step, ctx, "note"), ctx.at("note"));
  if (has_key(step, "chop")) check_uint(step["chop"], ctx.at("chop"), 1, 1u << 24);
}

void check_repeat(const json& step, const Ctx& ctx, int depth) {
  check_keys(step, ctx, {"count", "steps", "note"});
  const json& count = require_key(step, ctx, "count");
  if (count.is_string()) {
    check_value(count, ctx.at("count"), kMaxRepeat);  // bounded again when evaluated
  } else {
    check_uint(count, ctx.at("count"), 1, kMaxRepeat);
  }
  if (depth >= kMaxRepeatDepth) ctx.fail("repeat is nested too deeply");
  check_steps(require_key(step, ctx, "steps"), ctx.at("steps"), depth + 1);
  if (has_key(step, "note")) check_string(step["note"], ctx.at("note"));
}

void check_require(const json& step, const Ctx& ctx) {
  if (has_key(step, "observed")) return check_require_observed(step, ctx);  // observed_step.h
  check_keys(step, ctx, {"peer_setting", "at_most", "at_least", "present", "transport", "reason"});
  if (has_key(step, "reason")) check_nonempty_string(step["reason"], ctx.at("reason"));
  bool setting = has_key(step, "peer_setting");
  bool transport = has_key(step, "transport");
  if (setting == transport) ctx.fail("require names exactly one of \"peer_setting\" or \"transport\"");
  if (transport) {
    const std::string& t = check_string(step["transport"], ctx.at("transport"));
    if (t != "tls" && t != "cleartext") ctx.at("transport").fail("expected \"tls\" or \"cleartext\"");
    for (const char* key : {"at_most", "at_least", "present"}) {
      if (has_key(step, key)) ctx.at(key).fail("only with \"peer_setting\"");
    }
    return;
  }
  check_setting_id(check_string(step["peer_setting"], ctx.at("peer_setting")), ctx.at("peer_setting"));
  int bounds = 0;
  for (const char* key : {"at_most", "at_least"}) {
    if (has_key(step, key)) {
      check_uint(step[key], ctx.at(key), 0, 0xffffffffu);
      ++bounds;
    }
  }
  if (has_key(step, "present")) {
    check_bool(step["present"], ctx.at("present"));
    ++bounds;
  }
  if (bounds == 0) ctx.fail("require needs \"at_most\", \"at_least\" or \"present\"");
}

}  // namespace

void check_steps(const json& steps, const Ctx& ctx, int depth) {
  if (!steps.is_array()) ctx.fail("steps must be a list");
  if (steps.empty()) ctx.fail("steps must not be empty");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const json& step = steps[i];
    Ctx at = ctx.at(i);
    if (!step.is_object() || step.size() != 1) at.fail("a step is an object with exactly one key");
    const std::string& kind = step.begin().key();
    const json& body = step.begin().value();
    Ctx body_ctx = at.at(kind);
    if (kind == "handshake") {
      check_handshake(body, body_ctx);
    } else if (kind == "send") {
      check_send(body, body_ctx);
    } else if (kind == "send_raw") {
      check_send_raw(body, body_ctx);
    } else if (kind == "expect") {
      check_expect(body, body_ctx);
    } else if (kind == "repeat") {
      check_repeat(body, body_ctx, depth);
    } else if (kind == "require") {
      check_require(body, body_ctx);
    } else if (kind == "tls_renegotiate") {
      check_tls_renegotiate(body, body_ctx);
    } else {
      at.at(kind).fail("unknown step kind \"" + kind + "\"");
    }
  }
}

// ---- send ----

namespace {

void check_field_pairs(const json& value, const Ctx& ctx) {
  if (!value.is_array()) ctx.fail("expected a list of [name, value] pairs");
  for (std::size_t i = 0; i < value.size(); ++i) {
    const json& pair = value[i];
    if (!pair.is_array() || pair.size() != 2) ctx.at(i).fail("expected a [name, value] pair");
    check_string(pair[0], ctx.at(i).at(0));
    check_field_value(pair[1], ctx.at(i).at(1));
  }
}

void check_request(const json& value, const Ctx& ctx) {
  check_keys(value, ctx, {"method", "path", "scheme", "authority", "add", "remove", "set"});
  for (const char* key : {"method", "path", "scheme", "authority"}) {
    if (has_key(value, key)) check_field_value(value[key], ctx.at(key));
  }
  if (has_key(value, "add")) check_field_pairs(value["add"], ctx.at("add"));
  if (has_key(value, "set")) check_field_pairs(value["set"], ctx.at("set"));
  if (has_key(value, "remove")) {
    const json& names = value["remove"];
    if (!names.is_array()) ctx.at("remove").fail("expected a list of field names");
    for (std::size_t i = 0; i < names.size(); ++i) check_string(names[i], ctx.at("remove").at(i));
  }
}

void check_encoding(const json& value, const Ctx& ctx) {
  check_keys(value, ctx, {"huffman", "indexing"});
  if (has_key(value, "huffman")) {
    const std::string& h = check_string(value["huffman"], ctx.at("huffman"));
    if (h != "auto" && h != "always" && h != "never") {
      ctx.at("huffman").fail("expected \"auto\", \"always\" or \"never\"");
    }
  }
  if (has_key(value, "indexing")) {
    const std::string& i = check_string(value["indexing"], ctx.at("indexing"));
    if (i != "incremental" && i != "without" && i != "never") {
      ctx.at("indexing").fail("expected \"incremental\", \"without\" or \"never\"");
    }
  }
}

void check_field_block(const json& send, const Ctx& ctx, bool required) {
  int sources = 0;
  for (const char* key : {"request", "fields", "block", "fragment_hex"}) sources += has_key(send, key);
  if (sources > 1) ctx.fail("a field block has one source: request, fields, block or fragment_hex");
  if (sources == 0 && required) ctx.fail("missing field block: request, fields, block or fragment_hex");
  if (has_key(send, "request")) check_request(send["request"], ctx.at("request"));
  if (has_key(send, "fields")) check_field_pairs(send["fields"], ctx.at("fields"));
  if (has_key(send, "fragment_hex")) check_hex(send["fragment_hex"], ctx.at("fragment_hex"));
  if (has_key(send, "block")) {
    const json& block = send["block"];
    if (!block.is_array()) ctx.at("block").fail("expected a list of HPACK instructions");
    for (std::size_t i = 0; i < block.size(); ++i) {
      check_hpack_instruction(block[i], ctx.at("block").at(i));
    }
  }
  if (has_key(send, "encoding")) {
    if (!has_key(send, "request") && !has_key(send, "fields")) {
      ctx.at("encoding").fail("encoding applies only to request and fields");
    }
    check_encoding(send["encoding"], ctx.at("encoding"));
  }
}

void check_priority_fields(const json& value, const Ctx& ctx) {
  check_keys(value, ctx, {"dependency", "exclusive", "weight"});
  if (has_key(value, "dependency")) check_value(value["dependency"], ctx.at("dependency"), kMaxStream);
  if (has_key(value, "exclusive")) check_bool(value["exclusive"], ctx.at("exclusive"));
  if (has_key(value, "weight")) check_uint(value["weight"], ctx.at("weight"), 1, 256);
}

// Keys every send accepts, and the type-specific ones.
struct TypeKeys {
  std::uint8_t type;
  std::initializer_list<std::string_view> keys;
};

const std::initializer_list<std::string_view>* keys_for(std::uint8_t type) {
  using wire::FrameType;
  static const TypeKeys kTable[] = {
      {0x0, {"data", "data_hex", "data_size", "padding"}},
      {0x1, {"request", "fields", "block", "fragment_hex", "encoding", "priority", "padding"}},
      {0x2, {"dependency", "exclusive", "weight"}},
      {0x3, {"error_code"}},
      {0x4, {"settings", "ack"}},
      {0x5, {"promised_stream", "request", "fields", "block", "fragment_hex", "encoding", "padding"}},
      {0x6, {"data_hex", "ack"}},
      {0x7, {"last_stream_id", "error_code", "debug"}},
      {0x8, {"increment"}},
      {0x9, {"request", "fields", "block", "fragment_hex", "encoding"}},
      {0x10, {"prioritized_stream", "field_value"}},
  };
  static const std::initializer_list<std::string_view> kUnknown = {"payload_hex"};
  for (const auto& row : kTable) {
    if (row.type == type) return &row.keys;
  }
  return &kUnknown;
}

void check_unknown_keys(const json& send, const Ctx& ctx, std::uint8_t type) {
  static constexpr std::string_view kCommon[] = {"type", "stream", "flags", "length", "reserved",
                                                 "pad_length", "truncate", "append_hex", "chop",
                                                 "note"};
  const auto* specific = keys_for(type);
  for (const auto& [key, unused] : send.items()) {
    bool known = false;
    for (auto k : kCommon) known = known || k == key;
    for (auto k : *specific) known = known || k == key;
    if (!known) {
      ctx.at(key).fail("unknown key \"" + key + "\" for a " + wire::frame_type_name(type) + " send");
    }
  }
}

void check_type_fields(const json& send, const Ctx& ctx, std::uint8_t type) {
  if (has_key(send, "data")) check_string(send["data"], ctx.at("data"));
  if (has_key(send, "data_hex")) {
    if (type == 0x6) {
      check_hex_of_size(send["data_hex"], ctx.at("data_hex"), 8);
    } else {
      check_hex(send["data_hex"], ctx.at("data_hex"));
    }
  }
  if (has_key(send, "data_size")) check_value(send["data_size"], ctx.at("data_size"), kMaxDataSize);
  if (type == 0x0 && has_key(send, "data") + has_key(send, "data_hex") + has_key(send, "data_size") > 1) {
    ctx.fail("DATA takes one of data, data_hex or data_size");
  }
  if (has_key(send, "padding")) check_uint(send["padding"], ctx.at("padding"), 0, 255);
  if (type == 0x1 || type == 0x5 || type == 0x9) check_field_block(send, ctx, false);
  if (has_key(send, "priority")) check_priority_fields(send["priority"], ctx.at("priority"));
  if (type == 0x2) {
    if (has_key(send, "dependency")) check_value(send["dependency"], ctx.at("dependency"), kMaxStream);
    if (has_key(send, "exclusive")) check_bool(send["exclusive"], ctx.at("exclusive"));
    if (has_key(send, "weight")) check_uint(send["weight"], ctx.at("weight"), 1, 256);
  }
  if (has_key(send, "error_code")) check_error_code(send["error_code"], ctx.at("error_code"));
  if (has_key(send, "settings")) check_settings(send["settings"], ctx.at("settings"));
  if (has_key(send, "ack")) check_bool(send["ack"], ctx.at("ack"));
  if (has_key(send, "promised_stream")) {
    check_value(send["promised_stream"], ctx.at("promised_stream"), kMaxStream);
  }
  if (has_key(send, "last_stream_id")) {
    check_value(send["last_stream_id"], ctx.at("last_stream_id"), kMaxStream);
  }
  if (has_key(send, "debug")) check_string(send["debug"], ctx.at("debug"));
  if (has_key(send, "increment")) check_value(send["increment"], ctx.at("increment"), kMaxStream);
  if (has_key(send, "prioritized_stream")) {
    check_value(send["prioritized_stream"], ctx.at("prioritized_stream"), kMaxStream);
  }
  if (has_key(send, "field_value")) check_string(send["field_value"], ctx.at("field_value"));
  if (has_key(send, "payload_hex")) check_hex(send["payload_hex"], ctx.at("payload_hex"));
}

}  // namespace

void check_send(const json& send, const Ctx& ctx) {
  if (!send.is_object()) ctx.fail("send takes an object");
  std::uint8_t type = check_frame_type(require_key(send, ctx, "type"), ctx.at("type"));
  check_unknown_keys(send, ctx, type);
  if (has_key(send, "stream")) check_value(send["stream"], ctx.at("stream"), kMaxStream);
  if (has_key(send, "flags")) check_flags(send["flags"], ctx.at("flags"), type);
  if (has_key(send, "length")) check_value(send["length"], ctx.at("length"), wire::kMaxAllowedFrameSize);
  if (has_key(send, "reserved")) check_bool(send["reserved"], ctx.at("reserved"));
  if (has_key(send, "pad_length")) check_uint(send["pad_length"], ctx.at("pad_length"), 0, 255);
  if (has_key(send, "truncate")) check_value(send["truncate"], ctx.at("truncate"), kMaxDataSize);
  if (has_key(send, "append_hex")) check_hex(send["append_hex"], ctx.at("append_hex"));
  if (has_key(send, "chop")) check_uint(send["chop"], ctx.at("chop"), 1, 1u << 24);
  if (has_key(send, "note")) check_string(send["note"], ctx.at("note"));
  check_type_fields(send, ctx, type);
}

}  // namespace h2conform::engine::load
