// run_case: one fresh connection per case, the script run step by step, a CaseResult built.
#include "runner/engine/script/interpreter.h"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "runner/engine/connection/liveness.h"
#include "runner/engine/script/interpreter_internal.h"
#include "runner/engine/script/observed_step.h"
#include "runner/engine/script/tls_case.h"
#include "runner/wire/make_frame.h"

namespace h2conform::engine {
namespace {

constexpr int kCaseCapFactor = 30;  // the whole case: at most 30 step timeouts

bool has_tag(const Case& c, std::string_view tag) {
  return std::find(c.tags.begin(), c.tags.end(), tag) != c.tags.end();
}

StepResult run_steps(const std::vector<Step>& steps, CaseRun& run);

StepResult run_repeat(const Repeat& step, CaseRun& run) {
  ValueResult count = evaluate_value(step.count, run.session.state(), kMaxRepeat);
  if (!count.ok()) {
    return StepResult::end(count.status == ValueResult::Status::kSkip ? Verdict::kSkip : Verdict::kError,
                           "repeat count: " + count.message);
  }
  for (std::int64_t i = 0; i < count.value; ++i) {
    StepResult r = run_steps(step.steps, run);
    if (r.kind == StepResult::Kind::kEnd) return r;
  }
  return StepResult::next();
}

// `require`: skip unless the target's setting or our transport fits.
StepResult run_require_transport(const RequireTransport& what, const std::string& reason, CaseRun& run) {
  if (what.tls == run.tls) return StepResult::next();
  return StepResult::end(Verdict::kSkip, reason.empty() ? std::string("needs ") + (what.tls ? "tls" : "cleartext") : reason);
}

StepResult run_require_setting(const RequireSetting& what, const std::string& reason, CaseRun& run) {
  const std::string& name = what.name;
  const ConnectionState& state = run.session.state();
  std::optional<std::uint32_t> value = state.peer_setting(what.id);  // nullopt: unbounded
  std::string shown = value ? std::to_string(*value) : "unbounded";
  auto skip = [&](const std::string& why) {
    return StepResult::end(Verdict::kSkip, reason.empty() ? why : reason + " (" + why + ")");
  };
  if (what.present && state.peer_setting_present(what.id) != *what.present) {
    return skip(std::string("the target ") + (state.peer_setting_present(what.id) ? "advertised " : "did not advertise ") + name);
  }
  if (what.at_most && (!value || *value > *what.at_most)) {
    return skip("the target's " + name + " is " + shown + ", above " + std::to_string(*what.at_most));
  }
  if (what.at_least && value && *value < *what.at_least) {
    return skip("the target's " + name + " is " + shown + ", below " + std::to_string(*what.at_least));
  }
  return StepResult::next();
}

StepResult run_require(const Require& step, CaseRun& run) {
  return std::visit(
      [&](const auto& what) -> StepResult {
        using T = std::decay_t<decltype(what)>;
        if constexpr (std::is_same_v<T, RequireTransport>) return run_require_transport(what, step.reason, run);
        if constexpr (std::is_same_v<T, RequireSetting>) return run_require_setting(what, step.reason, run);
        if constexpr (std::is_same_v<T, RequireObserved>) return run_require_observed(what, step.reason, run);
      },
      step.what);
}

// `target_answers`: first the case's own connection settles (our PING answered, or the
// connection ended, or the step timeout), so that whatever the frames did to the target has
// happened; then a new connection must be served (preflight.h's check_target_answers). A
// target that is not is `target_down`, not `fail`: staying up is no sentence of the RFCs.
StepResult run_target_answers(const TargetAnswers&, CaseRun& run) {
  Session& s = run.session;
  if (s.state().role() != Role::kClient || run.source == nullptr) {
    return StepResult::end(Verdict::kSkip, "target_answers reconnects to a server; this target is a client");
  }
  if (!s.peer_closed() && !s.write_failed()) {
    const wire::PingFrame ping{{'s', 'e', 't', 't', 'l', 'e', 'd', '?'}};
    if (s.send_frame(wire::make_frame(ping), {}, 0, "(has the target dealt with our frames?)")) {
      const transport::Deadline deadline = s.step_deadline();
      for (int events = 0; events < 4096; ++events) {
        Event e = s.next_event(deadline);
        if (e.kind != Event::Kind::kFrame) break;
        const auto* answer = std::get_if<wire::PingFrame>(&e.frame.payload);
        if (answer != nullptr && answer->opaque == ping.opaque && (e.frame.header.flags & wire::flags::kAck) != 0) break;
      }
    }
  }
  const AnswerCheck check = check_target_answers(*run.source, run.target, s.step_timeout());
  s.transcript().event(s.now(), check.answered ? "a new connection: the target answered a PING and a GET"
                                               : "a new connection: " + check.detail);
  // The target may have closed the case's connection on our frames: no failed write after
  // this step is news.
  run.gone_at_last_expect = s.write_failed() || s.peer_closed();
  if (check.answered) {
    StepResult r = StepResult::next();
    r.reason = "the target answered a PING and a GET on a new connection";
    r.expected = "a PING ACK and a response to a GET on a new connection";
    r.observed = r.reason;
    run.last_expect = r;
    run.expected_any = true;
    return r;
  }
  StepResult down = StepResult::end(Verdict::kTargetDown, "after the case's frames the target did not serve a new "
                                                          "connection: " + check.detail);
  down.expected = "a PING ACK and a response to a GET on a new connection";
  down.observed = check.detail;
  return down;
}

StepResult run_expect_step(const Expect& step, CaseRun& run) {
  StepResult r = run_expect(step, run);
  run.last_expect = r;
  if (r.kind == StepResult::Kind::kContinue && r.verdict == Verdict::kNonStrict && !run.non_strict) {
    run.non_strict = r;
  }
  if (run.generic_code.empty()) run.generic_code = r.generic_code;
  run.gone_at_last_expect = run.session.write_failed() || run.session.peer_closed();
  return r;
}

// One step, dispatched on its type.
struct StepRunner {
  CaseRun& run;
  StepResult operator()(const Handshake& s) const { return run_handshake(s, run); }
  StepResult operator()(const Send& s) const { return run_send(s, run); }
  StepResult operator()(const SendRaw& s) const { return run_send_raw(s, run); }
  StepResult operator()(const Expect& s) const { return run_expect_step(s, run); }
  StepResult operator()(const Repeat& s) const { return run_repeat(s, run); }
  StepResult operator()(const Require& s) const { return run_require(s, run); }
  StepResult operator()(const TlsRenegotiate& s) const { return run_tls_renegotiate(s, run); }
  StepResult operator()(const TargetAnswers& s) const { return run_target_answers(s, run); }
};

// Steps that need the connection open: they send, or they expect an outcome that only a live
// connection can give (none of their outcomes accepts its end: `closed`, `transport_closed`,
// `connection_error`).
bool ends_connection(const OutcomeEntry& o) {
  return std::holds_alternative<ClosedOutcome>(o.outcome) || std::holds_alternative<TransportClosedOutcome>(o.outcome) ||
         std::holds_alternative<ConnectionErrorOutcome>(o.outcome);
}
bool needs_connection(const Step& step) {
  if (const auto* e = std::get_if<Expect>(&step.kind)) {
    return !ends_connection(e->primary) && std::none_of(e->also_accept.begin(), e->also_accept.end(), ends_connection);
  }
  return std::holds_alternative<Send>(step.kind) || std::holds_alternative<SendRaw>(step.kind) ||
         std::holds_alternative<Repeat>(step.kind) || std::holds_alternative<TlsRenegotiate>(step.kind);
}

StepResult run_steps(const std::vector<Step>& steps, CaseRun& run) {
  for (auto it = steps.begin(); it != steps.end(); ++it) {
    const Step& step = *it;
    if (run.session.now() >= run.session.case_deadline()) {
      return StepResult::end(Verdict::kError, "the case did not finish within its cap of " +
                                                  std::to_string(kCaseCapFactor) + " step timeouts");
    }
    if (!run.session.violation().empty()) return StepResult::end(Verdict::kFail, run.session.violation());
    StepResult r = std::visit(StepRunner{run}, step.kind);
    if (r.kind == StepResult::Kind::kEnd) return r;
    // RFC 9113 §5.4.1 lets the target treat the stream error as a connection error; what the
    // case checks after it then cannot run, which is no fault of the target.
    if (r.escalated && std::any_of(it + 1, steps.end(), needs_connection)) {
      StepResult skip = StepResult::end(Verdict::kSkip, "the target treated the stream error as a connection error (" +
                                                            r.reason + "; RFC 9113 §5.4.1 allows it), so the rest "
                                                            "of the case cannot run");
      skip.expected = r.expected;
      skip.observed = r.observed;
      return skip;
    }
  }
  return StepResult::next();
}

CaseResult fill_header(const Case& c) {
  CaseResult r;
  r.id = c.id;
  r.section = c.section;
  r.level = c.level;
  r.requirement = c.requirement;
  r.action = c.action;
  r.requirement_ids = c.requirement_ids;
  r.h2spec_ids = c.h2spec_ids;
  r.group = c.group;
  return r;
}

double ms_between(transport::Clock::time_point a, transport::Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// A MAY cannot be broken: in a MAY-level case, a target that does not meet the case's
// expectation has not taken up the option (skip), and one that meets it less strictly has
// taken it up (pass). A fail for a MUST of its own (StepResult::must_broken) stands.
void apply_may_level(CaseResult& r, bool must_broken) {
  if (r.level != "MAY") return;
  if (r.verdict == Verdict::kFail && !must_broken) {
    r.verdict = Verdict::kSkip;
    r.reason = "an optional (MAY) behaviour the target does not take up: " + r.reason;
  } else if (r.verdict == Verdict::kNonStrict) {
    r.verdict = Verdict::kPass;
    r.reason = "an optional (MAY) behaviour, taken up less strictly: " + r.reason;
  }
}

void fill_outcome(CaseResult& r, const StepResult& end, const CaseRun& run) {
  const StepResult& texts = end.expected.empty() ? run.last_expect : end;
  r.expected = texts.expected;
  r.observed = texts.observed;
  if (end.kind == StepResult::Kind::kEnd) {
    r.verdict = end.verdict;
    r.reason = end.reason;
    apply_may_level(r, end.must_broken);
    return;
  }
  if (run.session.write_failed() && !run.gone_at_last_expect) {
    r.verdict = Verdict::kFail;
    r.reason = "the connection failed while we were sending, after the last expectation";
    return;
  }
  if (run.non_strict) {  // the worst step grade: pass < non_strict < fail
    r.verdict = Verdict::kNonStrict;
    r.reason = run.non_strict->reason;
    r.expected = run.non_strict->expected;
    r.observed = run.non_strict->observed;
    apply_may_level(r, false);
    return;
  }
  r.verdict = Verdict::kPass;
  r.reason = run.expected_any ? "all expectations met: " + run.last_expect.reason : "the script ran to the end";
  if (!run.generic_code.empty()) {
    r.generic_code = true;
    if (run.last_expect.generic_code.empty()) r.reason += "; earlier, " + run.generic_code;
  }
  if (r.expected.empty()) r.expected = "the script runs to the end";
  if (r.observed.empty()) r.observed = "no error";
}

}  // namespace

CaseResult case_result_header(const Case& c) { return fill_header(c); }

std::unique_ptr<transport::Connection> connect_with_retry(ConnectionSource& factory, Clock& clock,
                                                          std::chrono::milliseconds timeout, std::string* error) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string message;
    auto conn = factory.open(clock.now() + timeout, &message);
    if (conn) return conn;
    *error = message.empty() ? "connect failed" : message;
  }
  return nullptr;
}

Event next_event_taking_turns(CaseRun& run, transport::Deadline deadline, transport::Clock::time_point since) {
  Session& s = run.session;
  for (;;) {
    if (run.waiting == nullptr || s.bytes_received() > kYieldMaxReceived) return s.next_event(deadline);
    const auto quiet_since = std::max(since, s.last_read_at());
    const transport::Deadline yield_at = quiet_since + kYieldAfter;
    if (yield_at >= deadline) return s.next_event(deadline);
    Event e = s.next_event(yield_at);
    if (e.kind != Event::Kind::kTimeout) return e;
    if (s.now() - std::max(since, s.last_read_at()) >= kYieldAfter) run.note_waiting();
  }
}

CaseResult execute_case(const Case& c, ConnectionSource& factory, const Target& target,
                        const RunOptions& options, ConnectGate* gate, const std::function<void()>* waiting) {
  Clock& clock = options.clock != nullptr ? *options.clock : real_clock();
  CaseResult r = fill_header(c);
  const auto start = clock.now();
  std::chrono::milliseconds timeout = c.timeout_ms > 0 ? std::chrono::milliseconds(c.timeout_ms) : options.timeout;
  if ((has_tag(c, "tls-only") && !factory.is_tls()) || (has_tag(c, "cleartext-only") && factory.is_tls())) {
    r.verdict = Verdict::kSkip;
    r.reason = factory.is_tls() ? "the case runs over cleartext only" : "the case runs over TLS only";
    return r;
  }
  if (!c.script) {  // a Case that did not come from the loader: our bug, not the target's
    r.verdict = Verdict::kError;
    r.reason = "the case has no script (it was not loaded)";
    return r;
  }
  if (gate != nullptr && gate->down()) {
    r.verdict = Verdict::kTargetDown;
    r.reason = "not run: " + gate->reason();
    return r;
  }
  std::string error;
  std::unique_ptr<transport::Connection> conn;
  if (c.script->tls) {  // a TLS-level case makes its own handshake and may end there
    TlsCaseStart tls = start_tls_case(c, factory, clock, timeout);
    if (tls.decided) {
      fill_decided_tls_case(tls, &r);
      r.duration_ms = ms_between(start, clock.now());
      return r;
    }
    conn = std::move(tls.conn);
    error = tls.connect_error;
  } else {
    conn = connect_with_retry(factory, clock, timeout, &error);
  }
  if (!conn) {
    if (gate != nullptr) gate->mark_down(error);
    r.verdict = Verdict::kTargetDown;
    r.reason = "cannot connect (tried twice): " + error;
    r.duration_ms = ms_between(start, clock.now());
    return r;
  }
  std::string described = conn->describe();
  Session session(std::move(conn), our_role_for_target(c.role), clock, start, timeout,
                  start + timeout * kCaseCapFactor);
  session.transcript().event(session.now(), "connected " + described);
  session.record_corpus(options.corpus);
  session.state().set_max_header_length(target.max_header_length);
  session.state().set_scheme(target.scheme);
  CaseRun run{session, target, factory.is_tls(), 0, StepResult{}, std::nullopt, false, false,
              options.error_probes, {}, waiting, &factory};
  if (c.script->client_exit == ClientExitRule::kFailure && !c.script->steps.empty()) {
    run.exit_decides = std::get_if<Expect>(&c.script->steps.back().kind);
  }
  StepResult end = run_steps(c.script->steps, run);
  check_tls_after_steps(c, session.tls_info(), &end);
  if (end.kind == StepResult::Kind::kEnd && end.verdict == Verdict::kFail && !session.peer_closed()) session.drain();
  session.close();
  fill_outcome(r, end, run);
  if (!session.limit_reason().empty()) {  // a bound of ours cut the case short: no verdict on it
    r.verdict = Verdict::kError;
    r.reason = session.limit_reason();
  }
  r.closed_by = session.closed_by();
  r.transcript = session.transcript().take();
  r.duration_ms = ms_between(start, clock.now());
  return r;
}

CaseResult run_case(const Case& c, ConnectionSource& factory, const Target& target, const RunOptions& options) {
  return execute_case(c, factory, target, options, nullptr);
}

}  // namespace h2conform::engine
