// `expect` steps: wait for an outcome, judge also_accept and fail_on, explain what happened.
#include <chrono>
#include <deque>

#include "runner/engine/script/interpreter_internal.h"
#include "runner/engine/verdict/outcomes.h"
#include "runner/wire/make_frame.h"

namespace h2conform::engine {
namespace {

constexpr std::size_t kMaxObservedNotes = 6;

struct Expectation {
  Outcome primary;
  std::vector<Outcome> also;
  std::vector<Outcome> fail_on;
};

struct Decision {
  Grade grade = Grade::kNone;
  std::string why;
  bool generic_code = false;  // a pass earned with a generic code (RFC 9113 §5.4)
  bool needs_control = false;  // no grade yet: a control request must be answered first
  bool escalated = false;      // Match::escalated
};

Grade weaker(Grade a, Grade b) {
  if (a == Grade::kSkip || b == Grade::kSkip) return Grade::kSkip;
  return a == Grade::kNonStrict || b == Grade::kNonStrict ? Grade::kNonStrict : Grade::kPass;
}
bool positive(const Match& m) { return m.grade == Grade::kPass || m.grade == Grade::kNonStrict; }

std::string with_note(const std::string& why, const Outcome& o) {
  return o.note.empty() ? why : why + " (" + o.note + ")";
}

// The order of precedence: fail_on; an outcome that lists the error code seen; a wrong error
// code (unless the main outcome accepts the frame); any other accepted outcome (best grade
// first); any other fail of the primary outcome.
Decision decide(const Expectation& x, const Observation& obs) {
  for (const auto& f : x.fail_on) {
    Match m = obs.earlier ? Match{} : match_outcome(f, obs);
    if (positive(m)) return {Grade::kFail, with_note("fail_on matched: " + m.why, f)};
  }
  Match mp = match_outcome(x.primary, obs);
  std::optional<Decision> best_explicit, best;
  // Best first: a pass with a named code, a pass with a generic one, non_strict, then skip.
  auto rank = [](const Decision& d) {
    return d.grade == Grade::kPass ? (d.generic_code ? 1 : 2) : d.grade == Grade::kNonStrict ? 0 : -1;
  };
  auto consider = [&](const Match& m, Grade grade, const std::string& why) {
    if (!positive(m)) return;
    Decision d{weaker(m.grade, grade), why, m.generic_code, false, m.escalated};
    if (d.grade != Grade::kPass) d.generic_code = false;
    auto& slot = m.explicit_code ? best_explicit : best;
    if (!slot || rank(d) > rank(*slot)) slot = d;
  };
  consider(mp, Grade::kPass, mp.why);
  std::optional<Decision> wrong_code;  // an also_accept outcome saw a code it does not list
  for (const auto& a : x.also) {
    Match m = match_outcome(a, obs);
    consider(m, a.grade, with_note(m.why, a));
    if (m.grade == Grade::kFail && m.decisive && !wrong_code) wrong_code = Decision{Grade::kFail, m.why};
  }
  if (best_explicit) return *best_explicit;
  if (mp.needs_control && !best) return Decision{Grade::kNone, "", false, true};
  if (mp.grade == Grade::kSkip && !best) return {Grade::kSkip, mp.why};
  if (obs.earlier) return best.value_or(Decision{});
  if (mp.grade == Grade::kFail && mp.decisive) return {Grade::kFail, mp.why};
  // A GOAWAY or RST_STREAM with a code no outcome lists is not softened by an also_accepted
  // `closed`; a main outcome that matches it (e.g. `closed` itself) still decides.
  if (wrong_code && !positive(mp)) return *wrong_code;
  if (best) return *best;
  if (mp.grade == Grade::kFail) return {Grade::kFail, mp.why};
  if (obs.kind == Observation::Kind::kClosed) return {Grade::kFail, "the connection closed (" + obs.event->detail + ")"};
  return {};
}

ValueResult resolve_list(const std::vector<OutcomeEntry>& list, ExpressionScope& scope, std::vector<Outcome>* out) {
  for (const auto& item : list) {
    Outcome o;
    ValueResult r = resolve_outcome(item, scope, &o);
    if (!r.ok()) return r;
    out->push_back(std::move(o));
  }
  return {};
}

// settings_ack waits for the ACK of every SETTINGS we sent before the step, so an ACK that
// arrived earlier (the handshake's) does not count for a SETTINGS sent since.
void set_settings_target(Expectation* x, const ConnectionState& state) {
  auto set = [&](Outcome& o) {
    if (o.kind == OutcomeKind::kSettingsAck) o.settings_target = state.settings_sent();
  };
  set(x->primary);
  for (auto& o : x->also) set(o);
  for (auto& o : x->fail_on) set(o);
}

ValueResult resolve_expectation(const Expect& step, ConnectionState& state, Expectation* x) {
  ValueResult r = resolve_outcome(step.primary, state, &x->primary);
  if (r.ok()) r = resolve_list(step.also_accept, state, &x->also);
  if (r.ok()) r = resolve_list(step.fail_on, state, &x->fail_on);
  if (!r.ok()) return r;
  for (auto& o : x->fail_on) o.exact_codes = true;
  set_settings_target(x, state);
  return {};
}

std::string describe_expectation(const Expectation& x) {
  std::vector<Alternative> all = alternatives_of(x.primary);
  for (const auto& a : x.also) {
    for (auto& alternative : alternatives_of(a)) all.push_back(std::move(alternative));
  }
  return phrase_alternatives(all);
}

// What the target did during the step, in a few words.
class ObservedLog {
 public:
  void note(const Event& e) {
    if (e.kind == Event::Kind::kTimeout) return;
    if (e.kind == Event::Kind::kFrame) {
      ++frames_;
      if (!notable(e.frame)) return;
    }
    if (notes_.size() < kMaxObservedNotes) {
      notes_.push_back(describe_event(e));
    } else {
      ++more_;
    }
  }
  std::string text(bool timed_out, std::chrono::milliseconds waited) const {
    std::string s;
    for (const auto& n : notes_) s += (s.empty() ? "" : ", then ") + n;
    if (more_ > 0) s += ", and " + std::to_string(more_) + " more";
    if (timed_out) {
      std::string wait = "nothing decisive within " + std::to_string(waited.count()) + " ms";
      if (frames_ > 0) wait += " (" + std::to_string(frames_) + " frames passed over)";
      s += (s.empty() ? "" : ", then ") + wait;
    }
    return s;
  }

 private:
  static bool notable(const wire::Frame& f) {
    using wire::FrameType;
    auto type = static_cast<FrameType>(f.header.type);
    bool ack = (f.header.flags & wire::flags::kAck) != 0;
    if (type == FrameType::kSettings || type == FrameType::kPing) return ack;
    if (type == FrameType::kWindowUpdate) return false;
    if (type == FrameType::kData) return (f.header.flags & wire::flags::kEndStream) != 0;
    return true;
  }
  std::vector<std::string> notes_;
  std::size_t more_ = 0;
  std::size_t frames_ = 0;
};

std::array<std::uint8_t, 8> probe_opaque(std::uint64_t n) {
  std::array<std::uint8_t, 8> a = {'h', '2', 'c', 0, 0, 0, 0, 0};
  for (int i = 7; i >= 3; --i, n >>= 8) a[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n & 0xff);
  return a;
}

// A PING whose ACK is evidence that the target processed everything we sent before it. A
// case that wrote its own preface may not have sent our SETTINGS: it goes first, empty, since a
// PING in its place would make our preface invalid (RFC 9113 §3.4 "MUST be followed by a
// SETTINGS frame").
void send_probe(CaseRun& run, Observation& obs, const char* why) {
  if (run.session.state().settings_sent() == 0) {
    run.session.send_frame(wire::make_frame(wire::SettingsFrame{}), {}, 0,
                           "(our preface's SETTINGS, which a PING may not replace)");
  }
  obs.probe_opaque = probe_opaque(++run.alive_pings);
  wire::Frame ping;
  ping.header.type = static_cast<std::uint8_t>(wire::FrameType::kPing);
  ping.payload = wire::PingFrame{*obs.probe_opaque};
  run.session.send_frame(ping, {}, 0, why);
}

// A pass lets the script go on. So does non_strict, unless the connection is over (the target
// closed it or sent GOAWAY): the interpreter keeps the worst grade for the case's verdict.
StepResult finish(const Decision& d, std::string expected, std::string observed, Session& s) {
  StepResult r;
  r.expected = std::move(expected);
  r.observed = std::move(observed);
  r.reason = d.why;
  if (d.grade == Grade::kPass) {
    if (d.generic_code) r.generic_code = d.why;
    r.escalated = d.escalated;
    return r;
  }
  if (d.grade == Grade::kSkip) {
    r.verdict = Verdict::kSkip;
    r.kind = StepResult::Kind::kEnd;
    return r;
  }
  r.verdict = d.grade == Grade::kNonStrict ? Verdict::kNonStrict : Verdict::kFail;
  bool over = s.peer_closed() || s.write_failed() || s.state().goaway().has_value();
  if (d.grade == Grade::kFail || over) r.kind = StepResult::Kind::kEnd;
  return r;
}

// Frames read during one expect step. When the step decides on a frame, the frames it passed
// over on that frame's stream are spent with it; the others stay for the next expect step
// (Session keeps the last few). A flood is bounded here too: only the last kMaxSeen are kept.
class PassedOver {
 public:
  static constexpr std::size_t kMaxSeen = 1024;
  explicit PassedOver(Session& s) : session_(s) {}
  void add(Event e) {
    if (e.kind != Event::Kind::kFrame) return;
    if (seen_.size() == kMaxSeen) seen_.pop_front();
    seen_.push_back(std::move(e));
  }
  void settle(const Event* decided) {
    for (auto& e : seen_) {
      if (decided == nullptr || decided->kind != Event::Kind::kFrame ||
          e.frame.header.stream_id != decided->frame.header.stream_id) {
        session_.pass_over(std::move(e));
      }
    }
    seen_.clear();
  }

 private:
  Session& session_;
  std::deque<Event> seen_;
};

void note_drained_close(Session& s, ObservedLog& log) {
  if (s.peer_closed()) return;
  s.drain();
  if (!s.peer_closed()) return;
  Event closed;
  closed.kind = Event::Kind::kClosed;
  closed.detail = s.closed_by();
  log.note(closed);
}

// The control request of a judged request (outcomes.h ControlRequest): sent once, on a new
// stream of the same connection, when a refusal is to be judged; or why it cannot be.
// A request of the engine's own, whole (END_STREAM), on a new stream; its id, or 0 when writing
// failed.
std::uint32_t send_engine_request(Session& s, const BuiltBlock& block, const std::string& what) {
  ConnectionState& state = s.state();
  wire::Frame f;
  f.header.type = static_cast<std::uint8_t>(wire::FrameType::kHeaders);
  f.header.flags = wire::flags::kEndStream | wire::flags::kEndHeaders;
  f.header.stream_id = state.take_engine_stream();
  f.payload = wire::HeadersFrame{block.fragment, std::nullopt, std::nullopt};
  if (!s.send_frame(f, {}, 0, what + "; " + block.summary)) return 0;
  state.note_request(f.header.stream_id, block.method, false);
  return f.header.stream_id;
}

void send_control(CaseRun& run, std::uint32_t judged, ControlRequest& c) {
  Session& s = run.session;
  ConnectionState& state = s.state();
  if (s.peer_closed() || s.write_failed()) {
    c.unavailable = "the connection closed before it could be sent";
  } else if (state.goaway()) {
    c.unavailable = "the target sent GOAWAY, so no new stream may be opened";
  } else if (!state.probe_safe()) {
    c.unavailable = "the case left a field block open or sent raw bytes, so no HEADERS may follow";
  }
  if (!c.unavailable.empty()) return;
  const StreamInfo* info = state.stream(judged);
  BuiltBlock block = build_control_request(info != nullptr ? info->request_method : "", run.target, state);
  c.stream = send_engine_request(s, block, "control request, the well-formed twin of stream " + std::to_string(judged));
  if (c.stream == 0) c.unavailable = "writing it failed";
}

// Takes the control request's answer from the connection model once there is one.
void update_control(Session& s, ControlRequest& c) {
  if (c.stream == 0 || c.decided()) return;
  const StreamInfo* info = s.state().stream(c.stream);
  if (info != nullptr && info->final_status) {
    c.status = info->final_status;
  } else if (info != nullptr && info->peer_reset) {
    c.unavailable = "the target reset it with " + wire::error_code_name(*info->peer_reset);
  } else if (s.state().goaway() && s.state().goaway()->last_stream_id < c.stream) {
    c.unavailable = "the target's GOAWAY left it unprocessed";
  } else if (s.peer_closed()) {
    c.unavailable = "the connection closed before its answer";
  }
}

Observation::Kind observation_kind(const Event& e) {
  switch (e.kind) {
    case Event::Kind::kFrame: return Observation::Kind::kFrame;
    case Event::Kind::kClosed: return Observation::Kind::kClosed;
    default: return Observation::Kind::kTimeout;
  }
}

}  // namespace

namespace {

// Frames an earlier step read without deciding on them come first; they may only satisfy.
template <typename Judge>
std::optional<StepResult> judge_earlier(Observation& obs, ObservedLog& log, PassedOver& passed, CaseRun& run,
                                        const std::string& expected, Judge& judge) {
  Session& s = run.session;
  std::vector<Event> earlier = s.take_passed_over();
  obs.earlier = true;
  for (std::size_t i = 0; i < earlier.size(); ++i) {
    log.note(earlier[i]);
    obs.kind = Observation::Kind::kFrame;
    obs.event = &earlier[i];
    Decision d = judge();
    if (d.grade != Grade::kNone) {
      for (std::size_t j = i + 1; j < earlier.size(); ++j) passed.add(std::move(earlier[j]));
      passed.settle(&earlier[i]);
      return finish(d, expected, log.text(false, {}), s);
    }
    passed.add(std::move(earlier[i]));
  }
  obs.earlier = false;
  return std::nullopt;
}

}  // namespace

bool is_ack_of(const Event& e, const std::optional<std::array<std::uint8_t, 8>>& opaque) {
  const auto* ping = std::get_if<wire::PingFrame>(&e.frame.payload);
  return e.kind == Event::Kind::kFrame && ping != nullptr && opaque &&
         (e.frame.header.flags & wire::flags::kAck) != 0 && ping->opaque == *opaque;
}

// A frame-level error is detected while the frame is processed, before any later frame. So
// when PINGs sent after the offending frame come back with no GOAWAY (for a connection error)
// or no RST_STREAM (for a stream error), the target processed the frame and went on: evidence
// that ends the step at once instead of at the deadline. Two rounds, so that a target that
// queues its error behind one reply (Go's writer puts a PING ACK ahead of an earlier
// RST_STREAM) still gets its turn. Not for malformed requests: a server may check those in its
// application layer after its frame layer has answered later frames (outcomes.cc).
constexpr int kErrorProbeRounds = 2;

bool is_stream_error(const Outcome& o) {
  return o.kind == OutcomeKind::kStreamError ||
         (o.kind == OutcomeKind::kFrame && o.has_stream && o.type == static_cast<std::uint8_t>(wire::FrameType::kRstStream));
}

// A stream error's probe says nothing about answers from the target's application layer,
// which may come after its frame layer has answered PINGs (Apache httpd's mod_http2 answers
// from worker threads): so no probe when the step accepts a response, and (stream_answer_pending)
// no ending while the request on the stream may still be answered. Against a client target no
// stream-error probe at all: a client judges a response in its HTTP layer, and there is no
// early-ending test over real clients to prove a probe sound (a response it waits on may be
// ended instead, may_end_response, so that its exit decides).
bool wants_error_probe(const Expectation& x, const ConnectionState& state) {
  const Outcome& o = x.primary;
  bool frame_error = o.kind == OutcomeKind::kConnectionError || (is_stream_error(o) && state.role() == Role::kClient);
  if (is_stream_error(o)) {
    for (const auto& a : x.also) {
      if (a.kind == OutcomeKind::kResponse || a.kind == OutcomeKind::kMalformed) frame_error = false;
    }
  }
  return frame_error && state.probe_safe();
}

// The target may still answer the request on the judged stream: it neither ended nor reset it.
// (An answer, then RST_STREAM NO_ERROR, turns a missing stream error into a skip at the
// deadline, ended_before_judged.)
bool stream_answer_pending(const Outcome& o, const ConnectionState& state) {
  if (!is_stream_error(o)) return false;
  const StreamInfo* s = state.stream(o.stream);
  return s != nullptr && !s->request_method.empty() && !s->peer_end_stream && !s->peer_reset && !s->we_reset;
}

// A client target that neither resets a malformed response nor gives up on it waits for the
// rest of it, and only the deadline would end the case. When the exit of the client judges the
// case ("client_exit": "failure") and the step waiting for the stream error is the script's
// last, the response is ended once PINGs sent after it came back without a reset: the client
// then exits 0, having accepted it (a fail, judge_client_exit), or rejects it. A client that
// resets the stream before its PING ACKs, or after them but before our END_STREAM arrives,
// passes as it would have at the deadline.
bool may_end_response(const Expect& step, const Expectation& x, const CaseRun& run) {
  const ConnectionState& state = run.session.state();
  return run.exit_decides == &step && state.role() == Role::kServer &&
         (is_stream_error(x.primary) || x.primary.kind == OutcomeKind::kMalformed) &&
         state.response_left_open(x.primary.stream);
}

void end_response(CaseRun& run, std::uint32_t stream) {
  run.session.send_frame(wire::make_frame(wire::DataFrame{}, stream, wire::flags::kEndStream), {}, 0,
                         "(the client answered our PINGs and still waits for the response: it ends, so that the "
                         "client's exit shows whether it accepted it)");
}

// A malformed request whose answer our flow-control window holds (a case that sets
// SETTINGS_INITIAL_WINDOW_SIZE 0 so that the target cannot end its response before it has
// read the whole request, RFC 9113 §8.1.1): once the target has answered a PING sent after
// the request, it gets credit for its answer. A target that treats the request as malformed
// has reset the stream by then, or resets it now; one that serves it ends its response with
// that credit, after reading the whole request, and so closes the stream (served_and_closed).
bool held_by_our_window(std::uint32_t stream, const ConnectionState& state) {
  const StreamInfo* s = state.stream(stream);
  return s != nullptr && s->request_ended && !s->peer_end_stream && !s->peer_reset && s->recv_window <= 0;
}

bool answer_held_by_window(const Outcome& o, const ConnectionState& state) {
  return o.kind == OutcomeKind::kMalformed && held_by_our_window(o.stream, state);
}

constexpr std::uint32_t kAnswerCredit = 1u << 20;

void give_answer_credit(CaseRun& run, std::uint32_t stream) {
  run.session.send_frame(wire::make_frame(wire::WindowUpdateFrame{false, kAnswerCredit}, stream), {}, 0,
                         "(the target answered a PING sent after the whole request: credit for its answer)");
}

// A malformed request still open (no END_STREAM: a CONNECT, say) that the target has said
// nothing about: no answer, no reset. Once a PING sent after it is answered (its frame layer has
// gone on), a later request goes out on a new stream, and once that request is answered in full
// and a PING after it is answered too, the target has taken in the malformed request's field
// block as it takes in any, and is waiting for the rest of the request: evidence that ends the
// step as the deadline would (a server checks a field block when it arrives; checked against
// every server of peers/ by `early_endings_match_full_waits`). Not for a request that ended: a
// server may answer it from a worker after a later one (Varnish answered a GET on stream 3
// before the malformed request on stream 1). The frames go out with --wait-full-timeout too;
// only the ending is left out.
bool silent_on(std::uint32_t stream, const ConnectionState& state) {
  const StreamInfo* s = state.stream(stream);
  return s != nullptr && !s->request_method.empty() && !s->request_ended && !s->final_status &&
         s->informational == 0 && !s->peer_end_stream && !s->peer_reset && s->data_received == 0 && !s->we_reset;
}

struct LaterRequest {
  enum class Stage { kOff, kFirstPing, kRequest, kLastPing, kDone } stage = Stage::kOff;
  std::uint32_t stream = 0;
};

// Sends the run's default request on a new stream; false when none may go out.
bool send_later_request(CaseRun& run, LaterRequest& later) {
  Session& s = run.session;
  ConnectionState& state = s.state();
  if (s.peer_closed() || s.write_failed() || state.goaway() || !state.probe_safe()) return false;
  later.stream = send_engine_request(s, build_control_request("", run.target, state),
                                     "a later request (has the target dealt with the malformed one?)");
  return later.stream != 0;
}

bool answered_in_full(std::uint32_t stream, const ConnectionState& state) {
  const StreamInfo* s = state.stream(stream);
  return s != nullptr && s->final_status && s->peer_end_stream && !s->peer_reset.value_or(0);
}

StepResult run_expect(const Expect& step, CaseRun& run) {
  Session& s = run.session;
  Expectation x;
  ValueResult resolved = resolve_expectation(step, s.state(), &x);
  if (!resolved.ok()) {
    return StepResult::end(resolved.status == ValueResult::Status::kSkip ? Verdict::kSkip : Verdict::kError,
                           "expect: " + resolved.message);
  }
  std::string expected = describe_expectation(x);
  run.expected_any = true;
  transport::Deadline deadline = s.step_deadline();
  // Rounded, so that the wait reads as configured (2000 ms, not the 1999.9 left of it).
  auto waited = std::chrono::round<std::chrono::milliseconds>(deadline - s.now());
  // The stream a connection error's offending frame went on (ended_before_judged).
  const std::uint32_t offending = s.state().last_frame_stream();
  ControlRequest control;
  Observation obs;
  obs.state = &s.state();
  obs.control = &control;
  // A decision that needs the control request sends it; the next observations see its answer.
  auto judge = [&]() {
    Decision d = decide(x, obs);
    if (d.needs_control && control.stream == 0 && control.unavailable.empty()) {
      send_control(run, x.primary.stream, control);
      if (!control.unavailable.empty()) d = decide(x, obs);
    }
    return d;
  };
  ObservedLog log;
  Decision d = judge();
  if (d.grade != Grade::kNone) return finish(d, expected, d.why + " (before this step)", s);
  PassedOver passed(s);
  if (auto r = judge_earlier(obs, log, passed, run, expected, judge)) return *r;
  if (x.primary.kind == OutcomeKind::kAlive) send_probe(run, obs, "(alive check)");
  // The PINGs go out with --wait-full-timeout too, so that both runs give the target the same
  // frames (and a held answer its credit); only the ending on their evidence is left out.
  const bool error_probe = wants_error_probe(x, s.state());
  int probe_acks = 0;
  // Sent once the target's SETTINGS has come: its preface shows that it reads ours.
  bool probe_sent = false;
  const bool ending_probe = !error_probe && may_end_response(step, x, run);
  const bool credit_probe = !error_probe && !ending_probe && answer_held_by_window(x.primary, s.state());
  auto probe_once_ready = [&]() {
    if (!(error_probe || ending_probe || credit_probe) || probe_sent) return;
    if (!s.state().peer_settings_received() || s.peer_closed() || s.write_failed()) return;
    probe_sent = true;
    send_probe(run, obs, "(did the target act on what we sent?)");
  };
  probe_once_ready();
  // A malformed request the target served and closed is failed at once (outcomes.h
  // served_and_closed), except with --wait-full-timeout, whose runs prove the rule by waiting.
  auto served = [&]() { return run.error_probes ? served_and_closed(x.primary, s.state()) : std::string(); };
  // A request sent in pieces, served after the target read all of it (served_after_credit): one
  // PING more, so that a reset the target sends on the closed stream all the same is seen, as
  // the full wait would see it.
  auto served_later = [&]() { return run.error_probes ? served_after_credit(x.primary, s.state()) : std::string(); };
  bool settle_sent = false;
  // A stream error's PINGs came back while our zero window held the target's answer on the
  // stream (a case that keeps the stream from closing before its offending frame arrives): the
  // answer gets credit, and once it is complete the PINGs start again. A reset queued behind
  // the answer then comes out, as it would have at the deadline had the window been open.
  bool answer_credited = false;
  bool rearm_after_answer = false;
  LaterRequest later;
  if (x.primary.kind == OutcomeKind::kMalformed && !error_probe && !ending_probe && !credit_probe &&
      silent_on(x.primary.stream, s.state()) && s.state().peer_settings_received() && s.state().probe_safe()) {
    later.stage = LaterRequest::Stage::kFirstPing;
    send_probe(run, obs, "(has the target's frame layer gone on?)");
  }
  if (std::string why = served(); !why.empty()) return finish({Grade::kFail, why}, expected, log.text(false, waited), s);
  const auto since = s.now();
  for (;;) {
    Event e = next_event_taking_turns(run, deadline, since);
    log.note(e);
    if (e.kind == Event::Kind::kViolation) {
      StepResult r = finish({Grade::kFail, e.detail}, expected, log.text(false, waited), s);
      r.must_broken = true;
      return r;
    }
    obs.kind = observation_kind(e);
    obs.event = &e;
    update_control(s, control);
    if (e.kind == Event::Kind::kTimeout && control.stream != 0 && !control.decided()) {
      control.unavailable = "no answer within " + std::to_string(waited.count()) + " ms";
      obs.kind = Observation::Kind::kStart;  // judged on the connection model, as at a step's start
    }
    d = judge();
    if (d.grade != Grade::kNone) {
      passed.settle(&e);
      // A step that ends the case says whether the target then closed; a non_strict step that
      // lets the script go on leaves the frames that follow to the next step.
      const bool ends = d.grade == Grade::kFail || d.grade == Grade::kSkip || s.peer_closed() ||
                        s.state().goaway().has_value();
      if (d.grade != Grade::kPass && ends) note_drained_close(s, log);
      return finish(d, expected, log.text(false, waited), s);
    }
    if (std::string why = served(); !why.empty()) {
      passed.settle(&e);
      return finish({Grade::kFail, why}, expected, log.text(false, waited), s);
    }
    if (std::string why = served_later(); !why.empty()) {
      if (!settle_sent) {
        settle_sent = true;
        send_probe(run, obs, "(does anything more come on the stream before it is judged?)");
      } else if (is_ack_of(e, obs.probe_opaque)) {
        passed.settle(&e);
        if (std::string ended = ended_before_judged(x.primary, s.state(), offending); !ended.empty()) {
          return finish({Grade::kSkip, ended}, expected, log.text(false, waited), s);
        }
        return finish({Grade::kFail, why}, expected, log.text(false, waited), s);
      }
    }
    if (later.stage != LaterRequest::Stage::kOff && later.stage != LaterRequest::Stage::kDone &&
        !silent_on(x.primary.stream, s.state())) {
      later.stage = LaterRequest::Stage::kDone;  // the target said something: judged as it is
    }
    if (later.stage == LaterRequest::Stage::kFirstPing && is_ack_of(e, obs.probe_opaque)) {
      later.stage = send_later_request(run, later) ? LaterRequest::Stage::kRequest : LaterRequest::Stage::kDone;
    } else if (later.stage == LaterRequest::Stage::kRequest && answered_in_full(later.stream, s.state())) {
      later.stage = LaterRequest::Stage::kLastPing;
      send_probe(run, obs, "(anything more about the malformed request?)");
    } else if (later.stage == LaterRequest::Stage::kRequest) {
      const StreamInfo* ls = s.state().stream(later.stream);
      if (ls != nullptr && (ls->peer_reset || ls->peer_end_stream)) later.stage = LaterRequest::Stage::kDone;
    } else if (later.stage == LaterRequest::Stage::kLastPing && is_ack_of(e, obs.probe_opaque)) {
      later.stage = LaterRequest::Stage::kDone;
      if (run.error_probes) {
        passed.settle(&e);
        const std::string why = describe_unmet(x.primary, s.state()) + ": the target answered a later request (stream " +
                                std::to_string(later.stream) + ") in full, and a PING after it, and sent nothing on stream " +
                                std::to_string(x.primary.stream);
        return finish({Grade::kFail, why}, expected, log.text(false, waited), s);
      }
    }
    if (rearm_after_answer && !stream_answer_pending(x.primary, s.state()) && !s.peer_closed() && !s.write_failed()) {
      rearm_after_answer = false;
      probe_acks = 0;
      send_probe(run, obs, "(did the target act on what we sent?)");
    }
    probe_once_ready();
    if (credit_probe && is_ack_of(e, obs.probe_opaque) && answer_held_by_window(x.primary, s.state())) {
      give_answer_credit(run, x.primary.stream);
    }
    if (ending_probe && is_ack_of(e, obs.probe_opaque)) {
      if (++probe_acks < kErrorProbeRounds) {
        send_probe(run, obs, "(did the client act on what we sent?)");
      } else if (s.state().response_left_open(x.primary.stream)) {
        end_response(run, x.primary.stream);
      }
    }
    if (error_probe && is_ack_of(e, obs.probe_opaque)) {
      if (++probe_acks < kErrorProbeRounds) {
        send_probe(run, obs, "(did the target act on what we sent?)");
      } else if (stream_answer_pending(x.primary, s.state())) {
        if (!answer_credited && held_by_our_window(x.primary.stream, s.state())) {
          answer_credited = true;
          rearm_after_answer = true;
          give_answer_credit(run, x.primary.stream);
        }
        // Otherwise no evidence: wait for the deadline.
      } else if (run.error_probes) {
        // Judged as at the deadline, which the evidence stands for.
        const std::string went_on =
            ": the target answered " + std::to_string(kErrorProbeRounds) + " PINGs sent after it, so it went on without one";
        if (std::string why = ended_before_judged(x.primary, s.state(), offending); !why.empty()) {
          return finish({Grade::kSkip, why}, expected, log.text(false, waited), s);
        }
        return finish({Grade::kFail, describe_unmet(x.primary, s.state()) + went_on}, expected,
                      log.text(false, waited), s);
      }
    }
    if (e.kind == Event::Kind::kTimeout) {
      if (std::string why = ended_before_judged(x.primary, s.state(), offending); !why.empty()) {
        return finish({Grade::kSkip, why}, expected, log.text(true, waited), s);
      }
      return finish({Grade::kFail, describe_unmet(x.primary, s.state()) + " within " +
                                       std::to_string(waited.count()) + " ms"},
                    expected, log.text(true, waited), s);
    }
    passed.add(std::move(e));
  }
}

}  // namespace h2conform::engine
