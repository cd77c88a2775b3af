// The step interpreter's internal interfaces (interpreter.cc, handshake.cc, send_step.cc,
// field_block.cc, expect_step.cc, outcomes.cc).
//
// Contract: steps are the loader's typed script (script.h): every value is validated and every
// default is already filled in, so steps only evaluate expressions (which may skip or be out
// of range when they run: a harness error) and never read case-file JSON.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "runner/engine/case/target.h"
#include "runner/engine/connection/connection_source.h"
#include "runner/engine/script/run_options.h"
#include "runner/engine/case/script.h"
#include "runner/engine/connection/session.h"

namespace h2conform::engine {

// What a step decided. kContinue: the script goes on (an expect step may still carry verdict
// kNonStrict, which the case's verdict keeps unless something worse follows).
struct StepResult {
  enum class Kind { kContinue, kEnd };
  Kind kind = Kind::kContinue;
  Verdict verdict = Verdict::kPass;
  std::string reason;
  std::string expected;  // set by expect and handshake steps
  std::string observed;
  std::string generic_code;  // a pass with a generic error code: why (RFC 9113 §5.4)
  bool escalated = false;    // passed through a connection error where a stream error was named
  // A fail for a rule of its own (a broken handshake, a frame that breaks a MUST whatever the
  // case), not for the case's expectation: it stands in a MAY-level case too.
  bool must_broken = false;

  static StepResult next() { return {}; }
  static StepResult end(Verdict verdict, std::string reason) {
    StepResult r;
    r.kind = Kind::kEnd;
    r.verdict = verdict;
    r.reason = std::move(reason);
    return r;
  }
};

// Per-case context the steps share.
struct CaseRun {
  Session& session;
  const Target& target;
  bool tls = false;
  std::uint64_t alive_pings = 0;  // makes every alive PING's opaque data unique
  StepResult last_expect;         // the latest expect step's texts, for the case result
  std::optional<StepResult> non_strict;  // the first expect step graded non_strict, if any
  bool expected_any = false;
  // The last expect step already saw the connection end (a failed write, or the peer's close it
  // accepted): the writes after it that fail are no new event.
  bool gone_at_last_expect = false;
  bool error_probes = true;  // RunOptions::error_probes
  std::string generic_code;  // why the first expect step that passed with a generic code did
  // The runner's hook for a case that settles into a long wait (execute_case); called once.
  const std::function<void()>* waiting = nullptr;
  // Where the case's connection came from: `target_answers` opens another one from it.
  ConnectionSource* source = nullptr;
  // The script's last step, when it is an expect step of a case whose client must exit
  // non-zero ("client_exit": "failure"): a response it leaves open may be ended (run_expect).
  const Expect* exit_decides = nullptr;
  void note_waiting() {
    if (waiting == nullptr) return;
    (*waiting)();
    waiting = nullptr;
  }
};

// How long a wait hears nothing from the target before its case gives its turn to another
// (RunOptions::parallel), and how much a case may have taken from the target and still give it.
inline constexpr std::chrono::milliseconds kYieldAfter{50};
inline constexpr std::uint64_t kYieldMaxReceived = 64 * 1024;

// Session::next_event for a wait that began at `since`: once the target has sent nothing for
// kYieldAfter, the case gives its turn (CaseRun::note_waiting) and the wait goes on to the same
// deadline; the wake-up is no event. A case that has taken more than kYieldMaxReceived keeps
// its turn, so that what floods leave in memory (a frame that never ends pauses between its
// pieces on a starved machine) does not pile up beyond `parallel` cases.
Event next_event_taking_turns(CaseRun& run, transport::Deadline deadline, transport::Clock::time_point since);

StepResult run_handshake(const Handshake& step, CaseRun& run);
StepResult run_send(const Send& step, CaseRun& run);
StepResult run_send_raw(const SendRaw& step, CaseRun& run);
StepResult run_expect(const Expect& step, CaseRun& run);

// A field block for HEADERS / PUSH_PROMISE / CONTINUATION from request, fields, block or
// fragment_hex (empty when none is given). Numbers and values are resolved now.
struct BuiltBlock {
  hpack::Bytes fragment;
  std::string summary;  // "fields: ..." or "block: 3 instructions"
  std::string method;   // the :method sent, when the block came from request or fields
  ValueResult status;   // kSkip / kError: why nothing was built
  bool varies = false;  // differs from the run's default request (StreamInfo::request_varies)
  bool final_response = false;  // has a :status, and no 1xx one: a final response's block
};
BuiltBlock build_field_block(const FieldBlockSpec& block, const Target& target, ConnectionState& state);
// The well-formed twin of the request on a stream whose request varies: the run's default
// request with that request's method when it is a plain method token, else the run's method.
// A CONNECT's twin is a plain CONNECT: :method and :authority only (RFC 9113 §8.5).
BuiltBlock build_control_request(const std::string& judged_method, const Target& target, ConnectionState& state);

// A field value: text, the target's ("$authority", "$scheme", "$path", "$method"), or the
// fill text repeated to exactly N octets.
ValueResult resolve_field_value(const FieldValue& value, const Target& target, ExpressionScope& scope,
                                std::string* out);

// Our settings, expressions evaluated.
struct BuiltSettings {
  std::vector<wire::Setting> settings;
  ValueResult status;
};
BuiltSettings build_settings(const SettingList& list, ExpressionScope& scope);

}  // namespace h2conform::engine
