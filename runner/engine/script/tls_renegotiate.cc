// The `tls_renegotiate` step: we start a TLS 1.2 renegotiation after the connection preface.
// RFC 9113 §9.2.1: a deployment disables renegotiation, and an endpoint treats one as a
// connection error of type PROTOCOL_ERROR. So the target passes by refusing it (an alert, a
// close) or by GOAWAY PROTOCOL_ERROR; it fails by completing the renegotiation and carrying on.
#include "runner/engine/verdict/error_grading.h"
#include "runner/engine/verdict/outcomes.h"
#include "runner/engine/script/tls_case.h"

namespace h2conform::engine {
namespace {

// The renegotiation completes inside reads that may bring no frame, so the wait looks at the
// connection at least this often (each wait still ends at the step's deadline).
constexpr auto kLook = std::chrono::milliseconds(50);
constexpr std::array<std::uint8_t, 8> kAfterRenegotiation = {'r', 'e', 'n', 'e', 'g', 'o', 't', 'd'};

StepResult verdict(Verdict v, const std::string& why, const std::string& observed) {
  StepResult r = v == Verdict::kPass ? StepResult::next() : StepResult::end(v, why);
  r.reason = why;
  r.expected = "the target refuses the renegotiation or answers it with GOAWAY PROTOCOL_ERROR";
  r.observed = observed;
  return r;
}

void send_ping(Session& s) {
  wire::Frame ping;
  ping.header.type = static_cast<std::uint8_t>(wire::FrameType::kPing);
  ping.payload = wire::PingFrame{kAfterRenegotiation};
  s.send_frame(ping, {}, 0, "(after the renegotiation)");
}

bool is_our_ping_ack(const wire::Frame& f) {
  const auto* p = std::get_if<wire::PingFrame>(&f.payload);
  return p != nullptr && (f.header.flags & wire::flags::kAck) != 0 && p->opaque == kAfterRenegotiation;
}

// Frames until something decides; the renegotiation runs inside the session's reads.
StepResult wait_for_answer(Session& s, transport::Connection& conn) {
  const transport::Deadline deadline = s.step_deadline();
  bool completed = false;
  for (;;) {
    Event e = s.next_event(std::min<transport::Deadline>(deadline, s.now() + kLook));
    auto info = conn.tls_info();
    if (!completed && info && !info->renegotiation_pending && info->renegotiations > 0) {
      completed = true;
      s.transcript().event(s.now(), "TLS renegotiation completed");
      send_ping(s);
    }
    if (e.kind == Event::Kind::kTimeout && s.now() < deadline) continue;
    if (e.kind == Event::Kind::kViolation) return verdict(Verdict::kFail, e.detail, e.detail);
    if (e.kind == Event::Kind::kClosed) {
      const std::string what = "the connection ended (" + e.detail + ")";
      if (completed) return verdict(Verdict::kNonStrict, "the target completed the renegotiation, then closed without GOAWAY", what);
      return verdict(Verdict::kPass, "the target refused the renegotiation: " + what, what);
    }
    if (e.kind == Event::Kind::kTimeout) {
      if (completed) return verdict(Verdict::kFail, "the target completed the renegotiation and sent no connection error", "no GOAWAY");
      return verdict(Verdict::kNonStrict, "the target neither completed nor refused the renegotiation before the deadline", "nothing decisive");
    }
    if (const auto* g = std::get_if<wire::GoawayFrame>(&e.frame.payload)) {
      // Graded like every other error code (error_grading.h): INTERNAL_ERROR for the named
      // PROTOCOL_ERROR is non_strict, NO_ERROR or another specific code fails.
      const std::string what = describe_event(e);
      const CodeJudgement j =
          judge_error_code(g->error_code, {static_cast<std::uint32_t>(wire::ErrorCode::kProtocolError)});
      switch (j.grade) {
        case CodeGrade::kNamed:
        case CodeGrade::kGeneric:
          return verdict(Verdict::kPass, "the target treated the renegotiation as a connection error: " + what, what);
        case CodeGrade::kContested:
          return verdict(Verdict::kNonStrict, "the target answered the renegotiation with " + what + ": " + j.why, what);
        case CodeGrade::kNoError:
        case CodeGrade::kOther:
          break;
      }
      return verdict(Verdict::kFail, "the target answered the renegotiation with " + what + ", not PROTOCOL_ERROR" +
                                         (j.why.empty() ? "" : ": " + j.why), what);
    }
    if (completed && is_our_ping_ack(e.frame)) {
      return verdict(Verdict::kFail, "the target completed a TLS renegotiation after the connection preface and carried on "
                                     "(it acknowledged a PING sent after it) (RFC 9113 §9.2.1)", "PING ACK");
    }
  }
}

}  // namespace

StepResult run_tls_renegotiate(const TlsRenegotiate&, CaseRun& run) {
  Session& s = run.session;
  transport::Connection* conn = s.connection();
  auto info = conn != nullptr ? conn->tls_info() : std::nullopt;
  if (!info) return StepResult::end(Verdict::kSkip, "renegotiation needs a TLS connection");
  if (info->version != "TLSv1.2") {
    return StepResult::end(Verdict::kSkip, "the connection uses " + info->version + ", which has no renegotiation");
  }
  transport::IoResult r = conn->renegotiate(s.step_deadline());
  if (!r.ok()) return StepResult::end(Verdict::kSkip, "no renegotiation could be started: " + r.detail);
  s.transcript().event(s.now(), "TLS renegotiation requested (ClientHello with the next read)");
  // A read starts it; before that, nothing is written (OpenSSL accepts the target's application
  // data during the renegotiation only on the read path).
  StepResult answer = wait_for_answer(s, *conn);
  run.last_expect = answer;  // the case's texts when the script ends here
  run.expected_any = true;
  return answer;
}

}  // namespace h2conform::engine
