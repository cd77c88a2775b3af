// `send` and `send_raw` steps: structured frames with overrides (cases/README.md "send").
#include <cassert>

#include "runner/engine/script/interpreter_internal.h"

namespace h2conform::engine {
namespace {

using wire::FrameType;

// Evaluates values in order and remembers the first problem (skip or error).
class Values {
 public:
  explicit Values(ExpressionScope& scope) : scope_(scope) {}
  std::uint32_t get(const Number& number, const char* key, std::uint64_t max) {
    ValueResult r = evaluate_value(number, scope_, max);
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
  bool varies = false;  // the request differs from the run's default one
  bool final_response = false;  // a field block with a final :status (BuiltBlock)
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

bool carries_field_block(std::uint8_t type) {
  auto t = static_cast<FrameType>(type);
  return t == FrameType::kHeaders || t == FrameType::kPushPromise || t == FrameType::kContinuation;
}

std::optional<wire::Padding> padding_of(const Send& send) {
  if (!send.padding) return std::nullopt;
  return wire::Padding{*send.padding, wire::Bytes(*send.padding, 0)};
}

wire::PriorityFields priority_of(const PrioritySpec& p, Values& v) {
  wire::PriorityFields out;
  out.stream_dependency = v.get(p.dependency, "dependency", wire::kMaxStreamId);
  out.exclusive = p.exclusive;
  out.weight = p.weight;
  return out;
}

wire::Payload data_payload(const Send& send, Values& v) {
  wire::DataFrame d;
  if (send.data_size) {
    d.data.assign(v.get(*send.data_size, "data_size", 1u << 24), 'x');
  } else {
    d.data = send.payload;  // data or data_hex
  }
  d.padding = padding_of(send);
  return d;
}

wire::Payload settings_payload(const Send& send, Values& v) {
  wire::SettingsFrame s;
  BuiltSettings built = build_settings(send.settings, v.scope());
  if (!built.status.ok()) v.fail(built.status.message);
  s.settings = std::move(built.settings);
  return s;
}

wire::Payload build_payload(const Send& send, Values& v, const wire::Bytes& block) {
  switch (static_cast<FrameType>(send.type)) {
    case FrameType::kData: return data_payload(send, v);
    case FrameType::kHeaders: {
      wire::HeadersFrame h{block, padding_of(send), std::nullopt};
      if (send.priority) h.priority = priority_of(*send.priority, v);
      return h;
    }
    case FrameType::kPriority:
      assert(send.priority);  // the loader sets it for every PRIORITY send
      return wire::PriorityFrame{priority_of(*send.priority, v)};
    case FrameType::kRstStream: return wire::RstStreamFrame{send.error_code};
    case FrameType::kSettings: return settings_payload(send, v);
    case FrameType::kPushPromise:
      return wire::PushPromiseFrame{false,
                                    send.promised_stream ? v.get(*send.promised_stream, "promised_stream", wire::kMaxStreamId)
                                                         : v.scope().take_next_stream(),
                                    block, padding_of(send)};
    case FrameType::kPing: return wire::PingFrame{send.opaque};
    case FrameType::kGoaway:
      return wire::GoawayFrame{false, v.get(send.last_stream_id, "last_stream_id", wire::kMaxStreamId), send.error_code,
                               wire::Bytes(send.debug.begin(), send.debug.end())};
    case FrameType::kWindowUpdate:
      return wire::WindowUpdateFrame{false, v.get(send.increment, "increment", wire::kMaxWindowSize)};
    case FrameType::kContinuation: return wire::ContinuationFrame{block};
    case FrameType::kPriorityUpdate:
      return wire::PriorityUpdateFrame{false,
                                       send.prioritized_stream
                                           ? v.get(*send.prioritized_stream, "prioritized_stream", wire::kMaxStreamId)
                                           : v.scope().last_stream(),
                                       send.field_value};
  }
  return wire::UnknownFrame{send.payload};
}

std::uint8_t default_flags(const Send& send) {
  switch (static_cast<FrameType>(send.type)) {
    case FrameType::kHeaders: case FrameType::kContinuation: case FrameType::kPushPromise:
      return wire::flags::kEndHeaders;
    case FrameType::kSettings: case FrameType::kPing:
      return send.ack ? wire::flags::kAck : 0;
    default:
      return 0;
  }
}

// Explicit `flags` replace the defaults; PADDED and PRIORITY follow `padding` and `priority`.
void apply_flags(const Send& send, Built& b) {
  b.frame.header.flags = default_flags(send);
  if (!send.flags) return;
  const auto type = static_cast<FrameType>(send.type);
  std::uint8_t f = *send.flags;
  if ((type == FrameType::kSettings || type == FrameType::kPing) && send.ack) f |= wire::flags::kAck;
  if (send.padding) f |= wire::flags::kPadded;
  if (type == FrameType::kHeaders && send.priority) f |= wire::flags::kPriority;
  b.frame.header.flags = f;
  b.overrides.flags = f;
}

void apply_overrides(const Send& send, Built& b, Values& v) {
  if (send.length) b.overrides.length = v.get(*send.length, "length", wire::kMaxAllowedFrameSize);
  if (send.reserved) b.overrides.reserved = *send.reserved;
  if (send.pad_length) b.overrides.pad_length = *send.pad_length;
  if (send.truncate) b.overrides.truncate_payload = v.get(*send.truncate, "truncate", 1u << 24);
  b.overrides.append_payload = send.append;
}

// Values are evaluated in this order, which matters for "$next_stream": stream, the field
// block, the payload's numbers, then the overrides.
Built build_send(const Send& send, CaseRun& run, Values& v) {
  Built b;
  ConnectionState& state = run.session.state();
  b.frame.header.stream_id = send.stream ? v.get(*send.stream, "stream", wire::kMaxStreamId)
                                         : (is_connection_frame(send.type) ? 0 : state.last_stream());
  b.frame.header.type = send.type;
  BuiltBlock block;
  if (carries_field_block(send.type)) {
    block = build_field_block(send.block, run.target, state);
    v.take(block.status);
  }
  b.method = block.method;
  b.varies = block.varies;
  b.final_response = block.final_response;
  b.frame.payload = build_payload(send, v, block.fragment);
  apply_flags(send, b);
  apply_overrides(send, b, v);
  b.extra = block.summary;
  if (!send.overrides_text.empty()) b.extra += (b.extra.empty() ? "" : "; ") + send.overrides_text;
  if (!send.note.empty()) b.extra += (b.extra.empty() ? "" : "; ") + send.note;
  return b;
}

StepResult from_status(const ValueResult& status, const char* what) {
  Verdict verdict = status.status == ValueResult::Status::kSkip ? Verdict::kSkip : Verdict::kError;
  return StepResult::end(verdict, std::string(what) + ": " + status.message);
}

}  // namespace

BuiltSettings build_settings(const SettingList& list, ExpressionScope& scope) {
  BuiltSettings out;
  for (const SettingValue& s : list) {
    ValueResult r = evaluate_value(s.value, scope, 0xffffffffu);
    if (!r.ok() && out.status.ok()) out.status = r;
    out.settings.push_back({s.id, static_cast<std::uint32_t>(r.value)});
  }
  return out;
}

StepResult run_send(const Send& send, CaseRun& run) {
  Values values(run.session.state());
  Built b = build_send(send, run, values);
  if (!values.status().ok()) return from_status(values.status(), "send");
  run.session.state().note_script_send();
  // A failed write (the target closed) is recorded; the next expect judges what arrived.
  if (run.session.send_frame(b.frame, b.overrides, send.chop, b.extra) &&
      b.frame.header.type == static_cast<std::uint8_t>(FrameType::kHeaders)) {
    run.session.state().note_request(b.frame.header.stream_id, b.method, b.varies);
    if (b.final_response) run.session.state().note_final_response(b.frame.header.stream_id);
  }
  return StepResult::next();
}

StepResult run_send_raw(const SendRaw& step, CaseRun& run) {
  run.session.state().note_script_send();
  run.session.send_bytes(step.bytes, step.chop, "raw: " + step.note,
                         step.whole_frames ? Session::Framing::kWhole : Session::Framing::kUnknown);
  return StepResult::next();
}

}  // namespace h2conform::engine
