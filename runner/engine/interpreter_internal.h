// The step interpreter's internal interfaces (interpreter.cc, handshake.cc, send_step.cc,
// field_block.cc, expect_step.cc, outcomes.cc).
//
// Contract: steps have been validated by the loader; a value the loader should have refused
// never throws or crashes: it is a harness error, or, where a step reads it with value_or,
// that default.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/engine/engine.h"
#include "runner/engine/session.h"

namespace h2conform::engine {

using nlohmann::json;

// What a step decided. kContinue: the script goes on (an expect step may still carry verdict
// kNonStrict, which the case's verdict keeps unless something worse follows).
struct StepResult {
  enum class Kind { kContinue, kEnd };
  Kind kind = Kind::kContinue;
  Verdict verdict = Verdict::kPass;
  std::string reason;
  std::string expected;  // set by expect and handshake steps
  std::string observed;

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
  bool write_failed_before_last_expect = false;  // a write failure the last expect already saw
  bool error_probes = true;  // RunOptions::error_probes
};

StepResult run_handshake(const json& step, CaseRun& run);
StepResult run_send(const json& step, CaseRun& run);
StepResult run_send_raw(const json& step, CaseRun& run);
StepResult run_expect(const json& step, CaseRun& run);

// A field block for HEADERS / PUSH_PROMISE / CONTINUATION from request, fields, block or
// fragment_hex (empty when none is given). Numbers and values are resolved now.
struct BuiltBlock {
  hpack::Bytes fragment;
  std::string summary;  // "fields: ..." or "block: 3 instructions"
  std::string method;   // the :method sent, when the block came from request or fields
  ValueResult status;   // kSkip / kError: why nothing was built
};
BuiltBlock build_field_block(const json& send, const Target& target, ConnectionState& state);

// The longest field value a case may build with {"fill": ..., "size": N}.
inline constexpr std::uint64_t kMaxFieldValueSize = 1u << 20;
// A field value: a string ("$authority", "$scheme", "$path" and "$method" become the target's)
// or {"fill": "text", "size": N} (the text repeated to exactly N octets).
ValueResult resolve_field_value(const json& value, const Target& target, ExpressionScope& scope,
                                std::string* out);

// Our settings from {"NAME": v} or [["NAME", v], ...], expressions evaluated.
struct BuiltSettings {
  std::vector<wire::Setting> settings;
  ValueResult status;
};
BuiltSettings build_settings(const json& value, ExpressionScope& scope);

}  // namespace h2conform::engine
