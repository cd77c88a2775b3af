// Script steps (cases/README.md "Steps"), validated and converted to typed steps (script.h).
// `send` is in loader_send.cc, expectations in loader_outcomes.cc.
#include <algorithm>

#include "runner/engine/case/loader_internal.h"
#include "runner/wire/frame.h"

namespace h2conform::engine::load {
namespace {

Handshake check_handshake(const json& step, const Ctx& ctx) {
  check_keys(step, ctx, {"settings", "ack_peer_settings", "wait_ack", "preface",
                         "auto_window_update", "goaway_first", "note"});
  Handshake out;
  if (has_key(step, "settings")) out.settings = check_settings(step["settings"], ctx.at("settings"));
  struct Flag {
    const char* key;
    bool Handshake::*member;
  };
  for (const Flag& f : {Flag{"ack_peer_settings", &Handshake::ack_peer_settings}, Flag{"wait_ack", &Handshake::wait_ack},
                        Flag{"preface", &Handshake::preface},
                        Flag{"auto_window_update", &Handshake::auto_window_update}}) {
    if (has_key(step, f.key)) out.*f.member = check_bool(step[f.key], ctx.at(f.key));
  }
  if (has_key(step, "goaway_first")) out.goaway_first = check_error_codes(step["goaway_first"], ctx.at("goaway_first"), false);
  if (has_key(step, "note")) check_string(step["note"], ctx.at("note"));
  return out;
}

// `whole_frames`: the client magic (optional) and then complete frames that change nothing the
// engine's connection model follows: no field block or stream opened, no SETTINGS or
// WINDOW_UPDATE, no DATA payload. Frames sent after them then start where the target expects a
// frame header, so the expect step may send its error probes (expect_step.cc).
void check_whole_frames(const ScriptBytes& bytes, const Ctx& ctx) {
  std::size_t at = 0;
  const auto& magic = wire::kClientMagic;
  if (bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin())) at = magic.size();
  while (at < bytes.size()) {
    if (bytes.size() - at < wire::kFrameHeaderSize) {
      ctx.fail("the bytes end inside a frame header (at octet " + std::to_string(at) + ")");
    }
    wire::FrameHeader h = wire::decode_frame_header(wire::ByteView(bytes).subspan(at));
    const std::string where = " (the frame at octet " + std::to_string(at) + ")";
    if (bytes.size() - at - wire::kFrameHeaderSize < h.length) ctx.fail("the bytes end inside a frame" + where);
    using wire::FrameType;
    switch (static_cast<FrameType>(h.type)) {
      case FrameType::kHeaders:
      case FrameType::kPushPromise:
      case FrameType::kContinuation: ctx.fail("a field block is not whole framing the engine follows" + where);
      case FrameType::kSettings:
      case FrameType::kWindowUpdate: ctx.fail("SETTINGS and WINDOW_UPDATE change state the engine follows" + where);
      case FrameType::kData:
        if (h.length != 0) ctx.fail("DATA with a payload changes flow-control state the engine follows" + where);
        break;
      default: break;
    }
    at += wire::kFrameHeaderSize + h.length;
  }
}

SendRaw check_send_raw(const json& step, const Ctx& ctx) {
  check_keys(step, ctx, {"hex", "note", "chop", "whole_frames"});
  SendRaw out;
  out.bytes = check_hex(require_key(step, ctx, "hex"), ctx.at("hex"));
  out.note = check_nonempty_string(require_key(step, ctx, "note"), ctx.at("note"));
  if (has_key(step, "chop")) out.chop = check_uint(step["chop"], ctx.at("chop"), 1, 1u << 24);
  if (has_key(step, "whole_frames")) out.whole_frames = check_bool(step["whole_frames"], ctx.at("whole_frames"));
  if (out.whole_frames) check_whole_frames(out.bytes, ctx.at("hex"));
  return out;
}

Repeat check_repeat(const json& step, const Ctx& ctx, int depth) {
  check_keys(step, ctx, {"count", "steps", "note"});
  const json& count = require_key(step, ctx, "count");
  Repeat out;
  if (count.is_string()) {
    out.count = check_value(count, ctx.at("count"), kMaxRepeat);  // bounded again when evaluated
  } else {
    out.count = Number::literal(static_cast<std::int64_t>(check_uint(count, ctx.at("count"), 1, kMaxRepeat)));
  }
  if (depth >= kMaxRepeatDepth) ctx.fail("repeat is nested too deeply");
  out.steps = check_steps(require_key(step, ctx, "steps"), ctx.at("steps"), depth + 1);
  if (has_key(step, "note")) check_string(step["note"], ctx.at("note"));
  return out;
}

Require check_require(const json& step, const Ctx& ctx) {
  if (has_key(step, "observed")) return check_require_observed(step, ctx);
  check_keys(step, ctx, {"peer_setting", "at_most", "at_least", "present", "transport", "reason"});
  Require out;
  if (has_key(step, "reason")) out.reason = check_nonempty_string(step["reason"], ctx.at("reason"));
  bool setting = has_key(step, "peer_setting");
  bool transport = has_key(step, "transport");
  if (setting == transport) ctx.fail("require names exactly one of \"peer_setting\" or \"transport\"");
  if (transport) {
    const std::string& t = check_string(step["transport"], ctx.at("transport"));
    if (t != "tls" && t != "cleartext") ctx.at("transport").fail("expected \"tls\" or \"cleartext\"");
    for (const char* key : {"at_most", "at_least", "present"}) {
      if (has_key(step, key)) ctx.at(key).fail("only with \"peer_setting\"");
    }
    out.what = RequireTransport{t == "tls"};
    return out;
  }
  RequireSetting s;
  s.name = check_string(step["peer_setting"], ctx.at("peer_setting"));
  s.id = check_setting_id(s.name, ctx.at("peer_setting"));
  if (has_key(step, "at_most")) s.at_most = static_cast<std::uint32_t>(check_uint(step["at_most"], ctx.at("at_most"), 0, 0xffffffffu));
  if (has_key(step, "at_least")) s.at_least = static_cast<std::uint32_t>(check_uint(step["at_least"], ctx.at("at_least"), 0, 0xffffffffu));
  if (has_key(step, "present")) s.present = check_bool(step["present"], ctx.at("present"));
  if (!s.at_most && !s.at_least && !s.present) ctx.fail("require needs \"at_most\", \"at_least\" or \"present\"");
  out.what = s;
  return out;
}

Step check_step(const std::string& kind, const json& body, const Ctx& at, int depth) {
  Ctx body_ctx = at.at(kind);
  if (kind == "handshake") return {check_handshake(body, body_ctx)};
  if (kind == "send") return {check_send(body, body_ctx)};
  if (kind == "send_raw") return {check_send_raw(body, body_ctx)};
  if (kind == "expect") return {check_expect(body, body_ctx)};
  if (kind == "repeat") return {check_repeat(body, body_ctx, depth)};
  if (kind == "require") return {check_require(body, body_ctx)};
  if (kind == "tls_renegotiate") return {check_tls_renegotiate(body, body_ctx)};
  if (kind == "target_answers") {
    check_keys(body, body_ctx, {"note"});
    if (has_key(body, "note")) check_string(body["note"], body_ctx.at("note"));
    return {TargetAnswers{}};
  }
  body_ctx.fail("unknown step kind \"" + kind + "\"");
}

}  // namespace

Require check_require_observed(const json& step, const Ctx& ctx) {
  check_keys(step, ctx, {"observed", "reason"});
  Require out;
  const std::string& name = check_string(step["observed"], ctx.at("observed"));
  if (std::find(kObservationNames.begin(), kObservationNames.end(), name) == kObservationNames.end()) {
    ctx.at("observed").fail("expected one of push_promise, padded_data, padded_headers, padded_push_promise");
  }
  out.what = RequireObserved{name};
  if (has_key(step, "reason")) out.reason = check_nonempty_string(step["reason"], ctx.at("reason"));
  return out;
}

std::vector<Step> check_steps(const json& steps, const Ctx& ctx, int depth) {
  if (!steps.is_array()) ctx.fail("steps must be a list");
  if (steps.empty()) ctx.fail("steps must not be empty");
  std::vector<Step> out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const json& step = steps[i];
    Ctx at = ctx.at(i);
    if (!step.is_object() || step.size() != 1) at.fail("a step is an object with exactly one key");
    out.push_back(check_step(step.begin().key(), step.begin().value(), at, depth));
  }
  return out;
}

}  // namespace h2conform::engine::load
