// `send` and `send_raw` steps: structured frames with overrides (cases/README.md "send").
#include "runner/engine/interpreter_internal.h"
#include "runner/engine/json_values.h"

namespace h2conform::engine {
namespace {

using wire::FrameType;

// Evaluates values in order and remembers the first problem (skip or error).
class Values {
 public:
  explicit Values(ExpressionScope& scope) : scope_(scope) {}
  std::uint32_t get(const json& send, const char* key, std::uint64_t fallback, std::uint64_t max) {
    if (!send.contains(key)) return static_cast<std::uint32_t>(fallback);
    ValueResult r = evaluate_value(send[key], scope_, max);
    if (!r.ok() && status_.ok()) {
      status_ = r;
      status_.message = std::string(key) + ": " + r.message;
    }
    return static_cast<std::uint32_t>(r.value);
  }
  ExpressionScope& scope() { return scope_; }
  const ValueResult& status() const { return status_; }
  void fail(std::string message) {
    if (status_.ok()) status_ = {ValueResult::Status::kError, 0, std::move(message)};
  }
  void take(const ValueResult& r) {
    if (status_.ok() && !r.ok()) status_ = r;
  }

 private:
  ExpressionScope& scope_;
  ValueResult status_;
};

struct Built {
  wire::Frame frame;
  wire::EncodeOverrides overrides;
  std::string extra;  // field summary for the transcript
  std::string method;  // the request's :method, for the connection model
};

bool is_connection_frame(std::uint8_t type) {
  switch (static_cast<FrameType>(type)) {
    case FrameType::kData: case FrameType::kHeaders: case FrameType::kPriority:
    case FrameType::kRstStream: case FrameType::kPushPromise: case FrameType::kContinuation:
      return false;
    default:
      return true;
  }
}

std::optional<wire::Padding> padding_of(const json& send) {
  if (!send.contains("padding")) return std::nullopt;
  auto n = send["padding"].get<std::uint8_t>();
  return wire::Padding{n, wire::Bytes(n, 0)};
}

wire::PriorityFields priority_of(const json& p, Values& v) {
  wire::PriorityFields out;
  out.stream_dependency = v.get(p, "dependency", 0, wire::kMaxStreamId);
  out.exclusive = p.value("exclusive", false);
  out.weight = static_cast<std::uint16_t>(p.value("weight", 16));
  return out;
}

wire::Bytes hex_field(const json& send, const char* key, Values& v, wire::Bytes fallback) {
  if (!send.contains(key)) return fallback;
  auto bytes = parse_hex(send[key].get<std::string>());
  if (!bytes) v.fail(std::string("bad hex in ") + key);
  return bytes.value_or(wire::Bytes{});
}

wire::Payload data_payload(const json& send, Values& v) {
  wire::DataFrame d;
  if (send.contains("data")) {
    const std::string& text = send["data"].get_ref<const std::string&>();
    d.data.assign(text.begin(), text.end());
  } else if (send.contains("data_size")) {
    d.data.assign(v.get(send, "data_size", 0, 1u << 24), 'x');
  } else {
    d.data = hex_field(send, "data_hex", v, {});
  }
  d.padding = padding_of(send);
  return d;
}

wire::Payload settings_payload(const json& send, Values& v) {
  wire::SettingsFrame s;
  if (send.contains("settings")) {
    BuiltSettings built = build_settings(send["settings"], v.scope());
    if (!built.status.ok()) v.fail(built.status.message);
    s.settings = std::move(built.settings);
  }
  return s;
}

wire::Payload ping_payload(const json& send, Values& v) {
  wire::PingFrame p;
  wire::Bytes data = hex_field(send, "data_hex", v, wire::Bytes(8, 0));
  if (data.size() == 8) std::copy(data.begin(), data.end(), p.opaque.begin());
  return p;
}

wire::Payload build_payload(std::uint8_t type, const json& send, Values& v, const wire::Bytes& block) {
  switch (static_cast<FrameType>(type)) {
    case FrameType::kData: return data_payload(send, v);
    case FrameType::kHeaders: {
      wire::HeadersFrame h{block, padding_of(send), std::nullopt};
      if (send.contains("priority")) h.priority = priority_of(send["priority"], v);
      return h;
    }
    case FrameType::kPriority: return wire::PriorityFrame{priority_of(send, v)};
    case FrameType::kRstStream:
      return wire::RstStreamFrame{error_code_from_json(send.value("error_code", json("CANCEL"))).value_or(8)};
    case FrameType::kSettings: return settings_payload(send, v);
    case FrameType::kPushPromise:
      return wire::PushPromiseFrame{false, send.contains("promised_stream")
                                               ? v.get(send, "promised_stream", 0, wire::kMaxStreamId)
                                               : v.scope().take_next_stream(),
                                    block, padding_of(send)};
    case FrameType::kPing: return ping_payload(send, v);
    case FrameType::kGoaway: {
      std::string debug = send.value("debug", "");
      return wire::GoawayFrame{false, v.get(send, "last_stream_id", 0, wire::kMaxStreamId),
                               error_code_from_json(send.value("error_code", json("NO_ERROR"))).value_or(0),
                               wire::Bytes(debug.begin(), debug.end())};
    }
    case FrameType::kWindowUpdate:
      return wire::WindowUpdateFrame{false, v.get(send, "increment", 1, wire::kMaxWindowSize)};
    case FrameType::kContinuation: return wire::ContinuationFrame{block};
    case FrameType::kPriorityUpdate:
      return wire::PriorityUpdateFrame{false,
                                       v.get(send, "prioritized_stream", v.scope().last_stream(), wire::kMaxStreamId),
                                       send.value("field_value", "")};
  }
  return wire::UnknownFrame{hex_field(send, "payload_hex", v, {})};
}

std::uint8_t default_flags(std::uint8_t type, const json& send) {
  switch (static_cast<FrameType>(type)) {
    case FrameType::kHeaders: case FrameType::kContinuation: case FrameType::kPushPromise:
      return wire::flags::kEndHeaders;
    case FrameType::kSettings: case FrameType::kPing:
      return send.value("ack", false) ? wire::flags::kAck : 0;
    default:
      return 0;
  }
}

// Explicit `flags` replace the defaults; PADDED and PRIORITY follow `padding` and `priority`.
void apply_flags(const json& send, std::uint8_t type, Built& b, Values& v) {
  b.frame.header.flags = default_flags(type, send);
  if (!send.contains("flags")) return;
  auto flags = flags_from_json(send["flags"], type);
  if (!flags) v.fail("bad flags");
  std::uint8_t f = flags.value_or(0);
  if ((type == 0x4 || type == 0x6) && send.value("ack", false)) f |= wire::flags::kAck;
  if (send.contains("padding")) f |= wire::flags::kPadded;
  if (type == 0x1 && send.contains("priority")) f |= wire::flags::kPriority;
  b.frame.header.flags = f;
  b.overrides.flags = f;
}

void apply_overrides(const json& send, Built& b, Values& v) {
  if (send.contains("length")) b.overrides.length = v.get(send, "length", 0, wire::kMaxAllowedFrameSize);
  if (send.contains("reserved")) b.overrides.reserved = send["reserved"].get<bool>();
  if (send.contains("pad_length")) b.overrides.pad_length = send["pad_length"].get<std::uint8_t>();
  if (send.contains("truncate")) b.overrides.truncate_payload = v.get(send, "truncate", 0, 1u << 24);
  b.overrides.append_payload = hex_field(send, "append_hex", v, {});
}

std::string describe_overrides(const json& send) {
  std::string out;
  for (const char* key : {"length", "reserved", "pad_length", "truncate", "append_hex"}) {
    if (send.contains(key)) out += std::string(out.empty() ? "overrides: " : ", ") + key + "=" + send[key].dump();
  }
  return out;
}

Built build_send(const json& send, CaseRun& run, Values& v) {
  Built b;
  std::uint8_t type = frame_type_from_json(send["type"]).value_or(0);
  ConnectionState& state = run.session.state();
  std::uint64_t default_stream = is_connection_frame(type) ? 0 : state.last_stream();
  b.frame.header.stream_id = v.get(send, "stream", default_stream, wire::kMaxStreamId);
  b.frame.header.type = type;
  BuiltBlock block;
  if (type == 0x1 || type == 0x5 || type == 0x9) {
    block = build_field_block(send, run.target, state);
    v.take(block.status);
  }
  b.method = block.method;
  b.frame.payload = build_payload(type, send, v, block.fragment);
  apply_flags(send, type, b, v);
  apply_overrides(send, b, v);
  b.extra = block.summary;
  std::string overrides = describe_overrides(send);
  if (!overrides.empty()) b.extra += (b.extra.empty() ? "" : "; ") + overrides;
  if (send.contains("note")) b.extra += (b.extra.empty() ? "" : "; ") + send["note"].get<std::string>();
  return b;
}

StepResult from_status(const ValueResult& status, const char* what) {
  Verdict verdict = status.status == ValueResult::Status::kSkip ? Verdict::kSkip : Verdict::kError;
  return StepResult::end(verdict, std::string(what) + ": " + status.message);
}

}  // namespace

BuiltSettings build_settings(const json& value, ExpressionScope& scope) {
  BuiltSettings out;
  auto add = [&](const std::string& name, const json& v) {
    ValueResult r = evaluate_value(v, scope, 0xffffffffu);
    if (!r.ok() && out.status.ok()) out.status = r;
    auto id = wire::parse_setting_id(name).value_or(0);
    out.settings.push_back({id, static_cast<std::uint32_t>(r.value)});
  };
  if (value.is_object()) {
    for (const auto& [name, v] : value.items()) add(name, v);
  } else if (value.is_array()) {
    for (const auto& pair : value) add(pair[0].get<std::string>(), pair[1]);
  }
  return out;
}

StepResult run_send(const json& send, CaseRun& run) {
  Values values(run.session.state());
  Built b;
  try {
    b = build_send(send, run, values);
  } catch (const json::exception& e) {
    return StepResult::end(Verdict::kError, std::string("send: ") + e.what());
  }
  if (!values.status().ok()) return from_status(values.status(), "send");
  std::size_t chop = send.value("chop", std::size_t{0});
  // A failed write (the target closed) is recorded; the next expect judges what arrived.
  if (run.session.send_frame(b.frame, b.overrides, chop, b.extra) && !b.method.empty() &&
      b.frame.header.type == static_cast<std::uint8_t>(FrameType::kHeaders)) {
    run.session.state().set_request_method(b.frame.header.stream_id, b.method);
  }
  return StepResult::next();
}

StepResult run_send_raw(const json& step, CaseRun& run) {
  auto bytes = parse_hex(step.value("hex", ""));
  if (!bytes) return StepResult::end(Verdict::kError, "send_raw: bad hex");
  run.session.send_bytes(*bytes, step.value("chop", std::size_t{0}), "raw: " + step.value("note", ""));
  return StepResult::next();
}

}  // namespace h2conform::engine
