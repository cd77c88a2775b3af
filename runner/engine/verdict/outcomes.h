// Expectation outcomes (cases/README.md "expect"): resolution, matching and descriptions.
//
// Contract: matching is a pure function of one observation and the connection model. An
// observation is the state at the start of the step (so outcomes that already happened count),
// one frame, the close, or the deadline.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/engine/connection/connection_state.h"
#include "runner/engine/case/expressions.h"
#include "runner/engine/case/script.h"
#include "runner/engine/connection/session.h"

namespace h2conform::engine {

// Part of the reason of a case that ended `skip` because a client target left once its
// requests were over (GOAWAY NO_ERROR or a close): the client runner still judges such a
// client's exit (client_runner.h), since exiting 0 after a malformed response is acceptance.
inline constexpr std::string_view kClientLeftReason = "the client left once its requests were over";

enum class OutcomeKind {
  kFrame, kConnectionError, kStreamError, kClosed, kTransportClosed, kResponse, kMalformed, kAlive,
  kSettingsAck, kPingAck,
};

// kSkip: the observation cannot be judged (a refusal whose control request was refused too).
enum class Grade { kNone, kPass, kNonStrict, kFail, kSkip };

// The well-formed twin of a judged request, sent by the engine on the same connection when the
// target refused the request with a status (docs/grading.md "Control requests"): a refusal
// is evidence of validation only when the twin was accepted.
struct ControlRequest {
  std::uint32_t stream = 0;      // 0: not sent
  std::optional<int> status;     // its final status, once seen
  std::string unavailable;       // why it could not be judged (not sent, reset, closed, no answer)
  bool decided() const { return status.has_value() || !unavailable.empty(); }
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kClosed;
  Grade grade = Grade::kPass;       // also_accept: the grade it earns
  std::string note;
  std::uint32_t stream = 0;         // stream-based outcomes and frame.stream
  bool has_stream = false;
  std::vector<std::uint32_t> codes;
  // fail_on: a frame outcome's codes match exactly. Elsewhere a GOAWAY or RST_STREAM frame
  // outcome takes a generic code in place of a listed one as error_grading.h says.
  bool exact_codes = false;
  // frame
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::optional<std::int64_t> last_stream_id, increment, promised_stream, length;
  std::optional<bool> ack;
  std::optional<std::array<std::uint8_t, 8>> opaque;  // PING data
  std::map<std::uint16_t, std::int64_t> settings;
  // response
  std::vector<int> statuses;        // empty: any
  int status_class = 0;             // 2 for "2xx"
  bool check_fields = false;        // response, frame (HEADERS): RFC 9113 §8 checks of the target's field blocks
  // settings_ack: how many of our SETTINGS must be acknowledged (all sent before the step).
  std::uint64_t settings_target = 0;
};

struct Observation {
  enum class Kind { kStart, kFrame, kClosed, kTimeout };
  Kind kind = Kind::kStart;
  const Event* event = nullptr;     // kFrame, kClosed
  const ConnectionState* state = nullptr;
  // The PING this step sent to get evidence: at the start for `alive`, or after the offending
  // frame for `connection_error` (two rounds answered with no GOAWAY).
  std::optional<std::array<std::uint8_t, 8>> probe_opaque;
  bool earlier = false;             // a frame read before this step: it may satisfy, never fail
  const ControlRequest* control = nullptr;  // the step's control request, if any
};

struct Match {
  Grade grade = Grade::kNone;
  bool explicit_code = false;  // decided by an error code the outcome lists
  bool decisive = false;       // a fail that also_accept `closed` cannot soften (wrong code)
  std::string why;
  bool generic_code = false;   // a pass earned with a generic code in place of a named one (§5.4)
  bool needs_control = false;  // undecided until a control request is answered
  // A stream error the target reported as a connection error (RFC 9113 §5.4.1 allows it): the
  // connection is over, so a script that goes on sending cannot run its rest.
  bool escalated = false;
};

// Resolves an outcome of the script (script.h): expressions are evaluated now (e.g.
// "$last_stream"), and so is the stream an outcome defaults to.
ValueResult resolve_outcome(const OutcomeEntry& entry, ExpressionScope& scope, Outcome* out);
Match match_outcome(const Outcome& outcome, const Observation& observation);
// One answer an outcome accepts, in words ("GOAWAY with PROTOCOL_ERROR"), and its grade.
struct Alternative {
  std::string text;
  Grade grade = Grade::kPass;
};
// The answers `outcome` accepts, strict ones first; an also_accept outcome's grade caps them.
std::vector<Alternative> alternatives_of(const Outcome& outcome);
// Alternatives in words, each once (the best grade wins): the strict answers, then
// "; less strict but accepted (non_strict): ..." for the others.
std::string phrase_alternatives(const std::vector<Alternative>& alternatives);
// Every answer the outcome accepts, as phrase_alternatives gives them.
std::string describe_outcome(const Outcome& outcome);
// What the target did not do, for a failure reason: "no GOAWAY with PROTOCOL_ERROR" (strict
// answers only).
std::string describe_missing(const Outcome& outcome);
// One observed thing in words: "GOAWAY with INTERNAL_ERROR last_stream_id=1".
std::string describe_event(const Event& event);
std::string to_string(Grade grade);
// Why an outcome was not met by the deadline: describe_missing, or for `malformed` and
// `stream_error` with a complete response and no reset, that response ("a complete response
// with status 200 to a malformed request, and no RST_STREAM or GOAWAY").
std::string describe_unmet(const Outcome& outcome, const ConnectionState& state);
// At the deadline of a `stream_error`, `malformed` or RST_STREAM `frame` outcome: why nothing
// can be judged when the target had already answered the stream in full and reset it with
// NO_ERROR (RFC 9113 §8.1, "stop sending"): RFC 9113 §5.1 then has it discard what we sent on
// it, so the case's frame may never have been looked at; or, for `malformed`, when the target's
// answer on a stream whose window we held at 0 could not end (it may wait for credit, and the
// reset behind it). Empty when neither is so. For a `connection_error` the same holds of the
// stream the offending frame went on (`offending_stream`, that of the last frame we sent before
// the step; 0: a connection-level frame): Apache httpd over TLS, under load, answered a POST in full and
// reset it with NO_ERROR before it read the DATA frame with a bad pad length that followed.
std::string ended_before_judged(const Outcome& outcome, const ConnectionState& state,
                                std::uint32_t offending_stream = 0);
// For a `malformed` outcome: why the target's answer is already final, with no reset still to
// come. The request went out as one field block with END_STREAM, and the target ended the
// stream with a complete non-4xx response, which closes it: RFC 9113 §5.1 lets no RST_STREAM
// follow on a closed stream ("An endpoint MUST NOT send frames other than PRIORITY on a closed
// stream"), so the request was served, not treated as a stream error. Empty when not so, and
// when the case sent raw bytes since its last field block (they may have been more of the request).
std::string served_and_closed(const Outcome& outcome, const ConnectionState& state);
// The same for a request sent in pieces (a body, trailers), when the target's complete non-4xx
// response used flow-control credit we gave only after our END_STREAM
// (StreamInfo::answered_after_our_last_frame): frames are processed in order, so it had read the
// whole request before its END_STREAM closed the stream. Real servers send one more frame on
// such a stream all the same (Go RST_STREAM PROTOCOL_ERROR, nginx RST_STREAM NO_ERROR), so the
// expect step judges this only once a PING sent after the response is answered.
std::string served_after_credit(const Outcome& outcome, const ConnectionState& state);

}  // namespace h2conform::engine
