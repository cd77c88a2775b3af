// run_case: one fresh connection per case, the script run step by step, a CaseResult built.
#include "runner/engine/interpreter.h"

#include <algorithm>

#include "runner/engine/interpreter_internal.h"
#include "runner/engine/observed_step.h"
#include "runner/engine/tls_case.h"

namespace h2conform::engine {
namespace {

constexpr int kCaseCapFactor = 30;  // the whole case: at most 30 step timeouts

bool has_tag(const Case& c, std::string_view tag) {
  return std::find(c.tags.begin(), c.tags.end(), tag) != c.tags.end();
}

StepResult run_steps(const json& steps, CaseRun& run);

constexpr std::uint64_t kMaxRepeat = 100000;  // cases/README.md "repeat"

StepResult run_repeat(const json& step, CaseRun& run) {
  ValueResult count = evaluate_value(step["count"], run.session.state(), kMaxRepeat);
  if (!count.ok()) {
    return StepResult::end(count.status == ValueResult::Status::kSkip ? Verdict::kSkip : Verdict::kError,
                           "repeat count: " + count.message);
  }
  for (std::int64_t i = 0; i < count.value; ++i) {
    StepResult r = run_steps(step["steps"], run);
    if (r.kind == StepResult::Kind::kEnd) return r;
  }
  return StepResult::next();
}

// `require`: skip unless the target's setting or our transport fits.
StepResult run_require(const json& step, CaseRun& run) {
  if (step.contains("observed")) return run_require_observed(step, run);  // observed_step.h
  std::string reason = step.value("reason", "");
  if (step.contains("transport")) {
    bool want_tls = step["transport"] == "tls";
    if (want_tls == run.tls) return StepResult::next();
    return StepResult::end(Verdict::kSkip, reason.empty() ? "needs " + step["transport"].get<std::string>() : reason);
  }
  std::string name = step["peer_setting"].get<std::string>();
  auto id = wire::parse_setting_id(name);
  if (!id) return StepResult::end(Verdict::kError, "require: unknown setting " + name);
  const ConnectionState& state = run.session.state();
  std::optional<std::uint32_t> value = state.peer_setting(*id);  // nullopt: unbounded
  std::string shown = value ? std::to_string(*value) : "unbounded";
  auto skip = [&](const std::string& why) {
    return StepResult::end(Verdict::kSkip, reason.empty() ? why : reason + " (" + why + ")");
  };
  if (step.contains("present") && state.peer_setting_present(*id) != step["present"].get<bool>()) {
    return skip(std::string("the target ") + (state.peer_setting_present(*id) ? "advertised " : "did not advertise ") + name);
  }
  if (step.contains("at_most") && (!value || *value > step["at_most"].get<std::uint64_t>())) {
    return skip("the target's " + name + " is " + shown + ", above " + step["at_most"].dump());
  }
  if (step.contains("at_least") && value && *value < step["at_least"].get<std::uint64_t>()) {
    return skip("the target's " + name + " is " + shown + ", below " + step["at_least"].dump());
  }
  return StepResult::next();
}

StepResult run_step(const std::string& kind, const json& body, CaseRun& run) {
  if (kind == "handshake") return run_handshake(body, run);
  if (kind == "send") return run_send(body, run);
  if (kind == "send_raw") return run_send_raw(body, run);
  if (kind == "repeat") return run_repeat(body, run);
  if (kind == "require") return run_require(body, run);
  if (kind == "tls_renegotiate") return run_tls_renegotiate(body, run);
  if (kind == "expect") {
    StepResult r = run_expect(body, run);
    run.last_expect = r;
    if (r.kind == StepResult::Kind::kContinue && r.verdict == Verdict::kNonStrict && !run.non_strict) {
      run.non_strict = r;
    }
    run.write_failed_before_last_expect = run.session.write_failed();
    return r;
  }
  return StepResult::end(Verdict::kError, "unknown step \"" + kind + "\"");
}

StepResult run_steps(const json& steps, CaseRun& run) {
  for (const auto& step : steps) {
    if (run.session.now() >= run.session.case_deadline()) {
      return StepResult::end(Verdict::kError, "the case did not finish within its cap of " +
                                                  std::to_string(kCaseCapFactor) + " step timeouts");
    }
    if (!run.session.violation().empty()) return StepResult::end(Verdict::kFail, run.session.violation());
    StepResult r;
    try {
      r = run_step(step.begin().key(), step.begin().value(), run);
    } catch (const json::exception& e) {
      r = StepResult::end(Verdict::kError, std::string("bad step: ") + e.what());
    }
    if (r.kind == StepResult::Kind::kEnd) return r;
  }
  return StepResult::next();
}

CaseResult result_header(const Case& c) {
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

void fill_outcome(CaseResult& r, const StepResult& end, const CaseRun& run) {
  const StepResult& texts = end.expected.empty() ? run.last_expect : end;
  r.expected = texts.expected;
  r.observed = texts.observed;
  if (end.kind == StepResult::Kind::kEnd) {
    r.verdict = end.verdict;
    r.reason = end.reason;
    return;
  }
  if (run.session.write_failed() && !run.write_failed_before_last_expect) {
    r.verdict = Verdict::kFail;
    r.reason = "the connection failed while we were sending, after the last expectation";
    return;
  }
  if (run.non_strict) {  // the worst step grade: pass < non_strict < fail
    r.verdict = Verdict::kNonStrict;
    r.reason = run.non_strict->reason;
    r.expected = run.non_strict->expected;
    r.observed = run.non_strict->observed;
    return;
  }
  r.verdict = Verdict::kPass;
  r.reason = run.expected_any ? "all expectations met: " + run.last_expect.reason : "the script ran to the end";
  if (r.expected.empty()) r.expected = "the script runs to the end";
  if (r.observed.empty()) r.observed = "no error";
}

}  // namespace

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

CaseResult execute_case(const Case& c, ConnectionSource& factory, const Target& target,
                        const RunOptions& options, ConnectGate* gate) {
  Clock& clock = options.clock != nullptr ? *options.clock : real_clock();
  CaseResult r = result_header(c);
  const auto start = clock.now();
  std::chrono::milliseconds timeout = c.timeout_ms > 0 ? std::chrono::milliseconds(c.timeout_ms) : options.timeout;
  if ((has_tag(c, "tls-only") && !factory.is_tls()) || (has_tag(c, "cleartext-only") && factory.is_tls())) {
    r.verdict = Verdict::kSkip;
    r.reason = factory.is_tls() ? "the case runs over cleartext only" : "the case runs over TLS only";
    return r;
  }
  if (gate != nullptr && gate->down()) {
    r.verdict = Verdict::kTargetDown;
    r.reason = "not run: " + gate->reason();
    return r;
  }
  std::string error;
  std::unique_ptr<transport::Connection> conn;
  if (!c.tls.is_null()) {  // a TLS-level case makes its own handshake and may end there
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
  session.state().set_max_header_length(target.max_header_length);
  CaseRun run{session, target, factory.is_tls(), 0, StepResult{}, std::nullopt, false, false,
              options.error_probes};
  StepResult end = run_steps(c.steps, run);
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
