// `handshake` steps: the connection preface both ways and the SETTINGS exchange (RFC 9113 §3.4).
#include <algorithm>

#include "runner/engine/script/interpreter_internal.h"

namespace h2conform::engine {
namespace {

wire::Frame settings_frame(std::vector<wire::Setting> settings) {
  wire::Frame f;
  f.header.type = static_cast<std::uint8_t>(wire::FrameType::kSettings);
  f.payload = wire::SettingsFrame{std::move(settings)};
  return f;
}

StepResult handshake_fail(const std::string& reason, const std::string& observed) {
  StepResult r = StepResult::end(Verdict::kFail, reason);
  r.must_broken = true;  // RFC 9113 §3.4, whatever the case's level
  r.expected = "the target's SETTINGS as its first frame, and an ACK of ours";
  r.observed = observed;
  return r;
}

// A GOAWAY with one of `codes` (the step's goaway_first).
bool accepted_goaway(const wire::Frame& frame, const std::vector<std::uint32_t>& codes) {
  const auto* goaway = std::get_if<wire::GoawayFrame>(&frame.payload);
  return goaway != nullptr && std::find(codes.begin(), codes.end(), goaway->error_code) != codes.end();
}

// Waits until `done()` or the deadline; frames that do not decide are passed over.
template <typename Done, typename Check>
StepResult wait_for(CaseRun& run, const std::string& what, Done done, Check check) {
  Session& s = run.session;
  transport::Deadline deadline = s.step_deadline();
  auto waited = std::chrono::round<std::chrono::milliseconds>(deadline - s.now());  // as configured
  const auto since = s.now();
  while (!done()) {
    Event e = next_event_taking_turns(run, deadline, since);
    switch (e.kind) {
      case Event::Kind::kViolation: return handshake_fail(e.detail, e.detail);
      case Event::Kind::kClosed:
        return handshake_fail("the target closed the connection before " + what, "closed (" + e.detail + ")");
      case Event::Kind::kTimeout:
        return handshake_fail("no " + what + " within " + std::to_string(waited.count()) + " ms", "nothing");
      case Event::Kind::kFrame:
        if (auto bad = check(e); !bad.empty()) return handshake_fail(bad, bad);
        s.pass_over(std::move(e));
        break;
    }
  }
  return StepResult::next();
}

}  // namespace

StepResult run_handshake(const Handshake& step, CaseRun& run) {
  Session& s = run.session;
  ConnectionState& state = s.state();
  state.set_auto_settings_ack(step.ack_peer_settings);
  state.set_auto_window_update(step.auto_window_update);
  const bool preface = step.preface;
  BuiltSettings ours;
  if (step.settings) {
    ours = build_settings(*step.settings, state);
    if (!ours.status.ok()) {
      return StepResult::end(ours.status.status == ValueResult::Status::kSkip ? Verdict::kSkip : Verdict::kError,
                             "handshake: " + ours.status.message);
    }
  }
  if (state.traits().writes_client_preface && preface) {
    s.send_bytes(wire::Bytes(kClientPreface.begin(), kClientPreface.end()), 0, "client connection preface",
                 Session::Framing::kWhole);
  }
  // As server, our preface is the SETTINGS frame itself; preface:false leaves it out too.
  if (state.traits().writes_client_preface || preface) {
    s.send_frame(settings_frame(std::move(ours.settings)), {}, 0, "our SETTINGS");
  }
  bool first = true;
  bool goaway_first = false;  // the target's first frame was a GOAWAY the step accepts instead
  StepResult r = wait_for(run, "SETTINGS from the target", [&] { return state.peer_settings_received() || goaway_first; },
                          [&](const Event& e) -> std::string {
                            bool was_first = first;
                            first = false;
                            if (was_first && accepted_goaway(e.frame, step.goaway_first)) {
                              goaway_first = true;
                              return {};
                            }
                            if (was_first && e.frame.header.type != static_cast<std::uint8_t>(wire::FrameType::kSettings)) {
                              return "the target's first frame is " + wire::frame_type_name(e.frame.header.type) +
                                     ", not SETTINGS (RFC 9113 §3.4)";
                            }
                            return {};
                          });
  if (r.kind == StepResult::Kind::kEnd) return r;
  if (!step.wait_ack || goaway_first) return StepResult::next();
  return wait_for(run, "SETTINGS ACK from the target", [&] { return state.all_settings_acked(); },
                  [](const Event&) { return std::string(); });
}

}  // namespace h2conform::engine
