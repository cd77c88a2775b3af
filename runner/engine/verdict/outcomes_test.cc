// Engine tests for outcome rules: settings_ack counting, late malformations, transport_closed,
// step grades across a script, failed sends, and values built from the target and expressions.
#include <chrono>

#include <gtest/gtest.h>

#include "runner/engine/script/engine_test_util.h"
#include "runner/engine/verdict/outcomes.h"
#include "runner/wire/make_frame.h"

namespace h2conform::engine {
namespace {

using testing::FakeClock;
using testing::FakePeer;
using testing::make_case;
using wire::FrameType;

constexpr auto kProtocol = static_cast<std::uint32_t>(wire::ErrorCode::kProtocolError);

class Outcomes : public ::testing::Test {
 protected:
  CaseResult run(const std::string& steps) {
    Case c = make_case(steps);
    auto factory = peer.factory(&clock);
    RunOptions options;
    options.clock = &clock;
    options.timeout = std::chrono::milliseconds(1000);
    options.error_probes = error_probes;
    return run_case(c, *factory, target, options);
  }
  bool error_probes = true;  // false: --wait-full-timeout
  // The field block of the n-th HEADERS we sent, decoded.
  hpack::HeaderList sent_fields(std::size_t n = 0) {
    hpack::Decoder decoder;
    std::size_t seen = 0;
    for (const auto& f : peer.received) {
      const auto* h = std::get_if<wire::HeadersFrame>(&f.payload);
      if (h == nullptr || seen++ != n) continue;
      hpack::HeaderList out;
      EXPECT_FALSE(decoder.decode(h->fragment, &out).has_value());
      return out;
    }
    ADD_FAILURE() << "no HEADERS number " << n;
    return {};
  }

  FakeClock clock;
  FakePeer peer;
  Target target{"example.test", "https", "GET", "/", {}, {}, 4000};
};

std::string script(std::initializer_list<std::string> steps) {
  std::string out = R"([{"handshake": {}})";
  for (const auto& s : steps) out += ", " + s;
  return out + "]";
}

constexpr const char* kPost =
    R"({"send": {"type": "HEADERS", "stream": "$next_stream", "request": {"method": "POST"}}})";
constexpr const char* kEnd = R"({"send": {"type": "DATA", "data": "x", "flags": ["END_STREAM"]}})";
constexpr const char* kGet =
    R"({"send": {"type": "HEADERS", "stream": "$next_stream", "request": {}, "flags": ["END_STREAM", "END_HEADERS"]}})";

wire::Bytes data_frame(std::uint32_t stream, std::size_t n, bool end) {
  return wire::encode_frame(testing::make(wire::DataFrame{wire::Bytes(n, 'x'), std::nullopt}, stream,
                                          end ? wire::flags::kEndStream : 0));
}

Outcome connection_error(std::uint32_t code, Grade grade = Grade::kPass) {
  Outcome o;
  o.kind = OutcomeKind::kConnectionError;
  o.codes = {code};
  o.grade = grade;
  return o;
}

TEST(OutcomeText, NamesEachAnswerOnceWithTheStrictOnesFirst) {
  std::vector<Alternative> all = alternatives_of(connection_error(kProtocol));
  for (const Outcome& also : {connection_error(5, Grade::kNonStrict), Outcome{}}) {
    Outcome o = also;
    if (o.kind == OutcomeKind::kClosed) o.grade = Grade::kNonStrict;
    for (auto& a : alternatives_of(o)) all.push_back(a);
  }
  EXPECT_EQ(phrase_alternatives(all),
            "GOAWAY with PROTOCOL_ERROR; less strict but accepted (non_strict): GOAWAY with STREAM_CLOSED (or a "
            "generic code, RFC 9113 §5.4), or a close (GOAWAY or the connection ending)");
}

TEST(OutcomeText, AStrictAnswerIsNotRepeatedAsALenientOne) {
  Outcome closed;  // also_accept {"closed": {}} graded pass
  std::vector<Alternative> all = alternatives_of(connection_error(kProtocol));
  for (auto& a : alternatives_of(closed)) all.push_back(a);
  EXPECT_EQ(phrase_alternatives(all), "GOAWAY with PROTOCOL_ERROR, or a close (GOAWAY or the connection ending)");
}

TEST(OutcomeText, SaysWhatIsMissingWithoutADoubleArticle) {
  Outcome rst;
  rst.kind = OutcomeKind::kFrame;
  rst.type = static_cast<std::uint8_t>(FrameType::kRstStream);
  rst.has_stream = true;
  rst.stream = 1;
  rst.codes = {5};
  EXPECT_EQ(describe_missing(rst), "no RST_STREAM frame on stream 1 with STREAM_CLOSED");
  EXPECT_EQ(describe_missing(connection_error(kProtocol)), "no GOAWAY with PROTOCOL_ERROR");
}

TEST_F(Outcomes, TimeoutReasonShowsTheConfiguredWait) {
  error_probes = false;
  CaseResult r = run(script({R"({"expect": {"frame": {"type": "RST_STREAM", "stream": 1}}})"}));
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.reason.find("no RST_STREAM frame on stream 1 within 1000 ms"), std::string::npos) << r.reason;
}

TEST_F(Outcomes, SettingsAckWaitsForTheAckOfTheLatestSettings) {
  for (bool ack_second : {false, true}) {
    peer.ack_settings = true;
    peer.on_frame = [ack_second](const wire::Frame& f, FakePeer& p) {
      if (f.header.type == 4) p.ack_settings = ack_second;  // the handshake's SETTINGS was ACKed
    };
    CaseResult r = run(script({R"({"send": {"type": "SETTINGS", "settings": {"INITIAL_WINDOW_SIZE": 100}}})",
                               R"({"expect": {"settings_ack": {}}})"}));
    EXPECT_EQ(r.verdict, ack_second ? Verdict::kPass : Verdict::kFail) << r.reason;
  }
}

TEST_F(Outcomes, SettingsAckIsNotTheHandshakesWhenOurSettingsCouldNotBeSent) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type != 1) return;
    p.send(testing::goaway(kProtocol, 0));
    p.close();
  };
  CaseResult r = run(script({kPost, R"({"send": {"type": "SETTINGS", "settings": {"INITIAL_WINDOW_SIZE": 100}}})",
                             R"({"expect": {"settings_ack": {}}})"}));
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.reason << " / " << r.observed;
}

TEST_F(Outcomes, LateMalformationResetAfterAResponsePasses) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 1) p.send_headers(f.header.stream_id, {{":status", "200"}}, false);
    if (f.header.type == 0) p.send(testing::rst(f.header.stream_id, kProtocol));
  };
  CaseResult r = run(script({kPost, kEnd, R"({"expect": {"malformed": {}}})"}));
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason << " / " << r.observed;
}

TEST_F(Outcomes, LateMalformationCompleteResponseFailsOnlyAtTheDeadline) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 0) {
      p.send_headers(f.header.stream_id, {{":status", "200"}}, false);
      p.send(data_frame(f.header.stream_id, 3, true));
    }
  };
  CaseResult r = run(script({kPost, kEnd, R"({"expect": {"malformed": {}}})"}));
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.reason.find("a complete response with status 200 to a malformed request, and no RST_STREAM or GOAWAY "
                          "within 1000 ms"),
            std::string::npos)
      << r.reason;
  EXPECT_GE(clock.elapsed(), std::chrono::milliseconds(1000)) << "no evidence short of the deadline";
}

// As Apache httpd's mod_http2 does: the complete response, then a round trip (there the ACK of a
// PING sent after the request), then the reset, the request having been checked after the frame
// layer went on. RFC 9113 §8.1.1 lets a server respond before resetting a malformed request: a
// pass, whatever came between.
TEST_F(Outcomes, LateMalformationResetAfterARoundTripPasses) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 0) {
      p.send_headers(f.header.stream_id, {{":status", "200"}}, false);
      p.send(data_frame(f.header.stream_id, 3, true));
      p.send(wire::encode_frame(testing::make(wire::PingFrame{{'l', 'a', 't', 'e', 0, 0, 0, 1}})));
    }
    if (f.header.type == 6 && (f.header.flags & wire::flags::kAck) != 0) p.send(testing::rst(1, kProtocol));
  };
  CaseResult r = run(script({kPost, kEnd, R"({"expect": {"malformed": {}}})"}));
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason << " / " << r.observed;
}

// nginx answers a POST at once (405) and resets the stream with NO_ERROR; RFC 9113 §5.1 then has
// it discard our later DATA on the stream, so the case's question has no answer: skip, at the
// deadline or when PINGs sent after our DATA are answered (the same skip either way). Without
// the reset the silence is a fail; a STREAM_CLOSED reset after it passes.
struct EarlyEndRow {
  const char* name;
  bool stop_sending;           // RST_STREAM NO_ERROR after the complete response
  bool closed_reset;           // then RST_STREAM STREAM_CLOSED for our DATA
  Verdict verdict;
  friend void PrintTo(const EarlyEndRow& row, std::ostream* os) { *os << row.name; }
};

class EarlyEnd : public Outcomes, public ::testing::WithParamInterface<EarlyEndRow> {};

TEST_P(EarlyEnd, ResetStreamAnsweredInFullIsNotJudged) {
  const EarlyEndRow row = GetParam();
  peer.on_frame = [row](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 1) {
      p.send_headers(f.header.stream_id, {{":status", "405"}}, true);
      if (row.stop_sending) p.send(testing::rst(f.header.stream_id, 0));
    }
    if (f.header.type == 0 && row.closed_reset) p.send(testing::rst(f.header.stream_id, 5));
  };
  for (bool probes : {true, false}) {
    error_probes = probes;
    for (const char* expect : {R"({"expect": {"frame": {"type": "RST_STREAM", "stream": 1, "error_code": "STREAM_CLOSED"}}})",
                               R"({"expect": {"stream_error": ["STREAM_CLOSED"]}})"}) {
      auto before = clock.elapsed();
      CaseResult r = run(script({kPost, kEnd, expect}));
      EXPECT_EQ(r.verdict, row.verdict) << expect << ": " << r.reason << " / " << r.observed;
      if (row.verdict == Verdict::kSkip) {
        EXPECT_NE(r.reason.find("discard"), std::string::npos) << r.reason;
        if (probes) {
          EXPECT_LT(clock.elapsed() - before, std::chrono::milliseconds(1)) << "two PINGs answered after our DATA";
        } else {
          EXPECT_GE(clock.elapsed() - before, std::chrono::milliseconds(1000)) << "--wait-full-timeout waits";
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, EarlyEnd,
                         ::testing::Values(EarlyEndRow{"stopSendingThenSilence", true, false, Verdict::kSkip},
                                           EarlyEndRow{"stopSendingThenStreamClosed", true, true, Verdict::kPass},
                                           EarlyEndRow{"noResetThenStreamClosed", false, true, Verdict::kPass}),
                         [](const auto& row) { return std::string(row.param.name); });

// A 204 ends its response on the HEADERS: a case that needs the response's DATA cannot be
// judged (skip), where a response that never comes still fails.
TEST_F(Outcomes, DataExpectedOnABodilessResponseSkips) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 1) p.send_headers(f.header.stream_id, {{":status", "204"}}, true);
  };
  const std::string expect = R"({"expect": {"frame": {"type": "DATA", "stream": 1, "length": 1}}})";
  CaseResult r = run(script({kGet, expect}));
  EXPECT_EQ(r.verdict, Verdict::kSkip) << r.reason;
  EXPECT_NE(r.reason.find("ended without content"), std::string::npos) << r.reason;
  peer.on_frame = [](const wire::Frame&, FakePeer&) {};
  EXPECT_EQ(run(script({kGet, expect})).verdict, Verdict::kFail);
}

// Held open with a zero window, a target that would answer before it resets may send nothing
// at all (nginx buffers its HEADERS with the body): silence then proves nothing, and is a skip;
// with credit to answer, silence still fails.
// A malformed request whose answer a zero window holds: once the target has answered a PING
// sent after the request, it gets credit for its answer. A target that still answers nothing
// and resets nothing fails at the deadline, as with an open window; one whose answer outgrows
// the credit is held again, and nothing can be judged (skip).
TEST_F(Outcomes, SilenceOnAStreamHeldAtAZeroWindowGetsCreditAndFails) {
  const std::string zero = R"({"handshake": {"settings": {"INITIAL_WINDOW_SIZE": 0}}})";
  const std::string steps = "[" + zero + ", " + kPost + ", " + kEnd + R"(, {"expect": {"malformed": {}}}])";
  CaseResult r = run(steps);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.reason;
  EXPECT_NE(r.reason.find("within 1000 ms"), std::string::npos) << r.reason;
  const std::size_t updates = peer.count(FrameType::kWindowUpdate);
  EXPECT_EQ(updates, 1u);
  EXPECT_EQ(run(script({kPost, kEnd, R"({"expect": {"malformed": {}}})"})).verdict, Verdict::kFail);
  EXPECT_EQ(peer.count(FrameType::kWindowUpdate), updates) << "no credit where no window held the answer";

  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {  // headers, then more than the credit
    if (f.header.type == 0) p.send_headers(f.header.stream_id, {{":status", "200"}}, false);
    if (f.header.type == 8 && f.header.stream_id != 0) {
      for (int i = 0; i < 64; ++i) p.send(data_frame(f.header.stream_id, 16384, false));
    }
  };
  r = run(steps);
  EXPECT_EQ(r.verdict, Verdict::kSkip) << r.reason;
  EXPECT_NE(r.reason.find("window for it was 0"), std::string::npos) << r.reason;
}

// With that credit the target's answer can end only after it has read the whole request: frames
// are processed in order, and the credit came after our END_STREAM. A complete 200 then closes
// the stream, and no RST_STREAM may follow (RFC 9113 §5.1): a fail at once, or at the deadline
// with --wait-full-timeout. A target that resets instead passes, and no credit is given after
// its reset.
TEST_F(Outcomes, AnAnswerThatUsedCreditGivenAfterTheRequestIsFinal) {
  const std::string zero = R"({"handshake": {"settings": {"INITIAL_WINDOW_SIZE": 0}}})";
  const std::string steps = "[" + zero + ", " + kPost + ", " + kEnd + R"(, {"expect": {"malformed": {}}}])";
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 0) p.send_headers(f.header.stream_id, {{":status", "200"}}, false);
    if (f.header.type == 8 && f.header.stream_id != 0) p.send(data_frame(f.header.stream_id, 5, true));
  };
  for (bool probes : {true, false}) {
    error_probes = probes;
    const auto start = clock.now();
    CaseResult r = run(steps);
    EXPECT_EQ(r.verdict, Verdict::kFail) << r.reason;
    if (probes) {
      EXPECT_NE(r.reason.find("used flow-control credit we gave only after the request had ended"), std::string::npos)
          << r.reason;
      EXPECT_LT(clock.now() - start, std::chrono::milliseconds(1000));
    } else {
      EXPECT_NE(r.reason.find("within 1000 ms"), std::string::npos) << r.reason;
    }
  }
  error_probes = true;
  // Without the credit (an open window) the same answer may precede the reading of the request.
  {
    const auto start = clock.now();
    CaseResult r = run(script({kPost, kEnd, R"({"expect": {"malformed": {}}})"}));
    EXPECT_EQ(r.verdict, Verdict::kFail) << r.reason;
    EXPECT_GE(clock.now() - start, std::chrono::milliseconds(1000)) << "no evidence: the deadline decides";
  }
  // A reset right after the answer, on the closed stream, is seen as the full wait sees it: a
  // PING sent after the answer must come back first. Go resets such a stream with
  // PROTOCOL_ERROR (a pass); nginx with NO_ERROR, "stop sending", which excuses nothing here: the
  // answer used credit we gave after the request, so the request had been read (a fail).
  for (std::uint32_t code : {kProtocol, 0u}) {
    peer.on_frame = [code](const wire::Frame& f, FakePeer& p) {
      if (f.header.type == 0) p.send_headers(f.header.stream_id, {{":status", "200"}}, false);
      if (f.header.type == 8 && f.header.stream_id != 0) {
        p.send(data_frame(f.header.stream_id, 5, true));
        p.send(testing::rst(f.header.stream_id, code));
      }
    };
    for (bool probes : {true, false}) {
      error_probes = probes;
      CaseResult r = run(steps);
      EXPECT_EQ(r.verdict, code == 0 ? Verdict::kFail : Verdict::kPass) << r.reason;
    }
  }
  error_probes = true;
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {  // resets once the request has ended
    if (f.header.type == 0 && (f.header.flags & wire::flags::kEndStream) != 0) p.send(testing::rst(f.header.stream_id, kProtocol));
  };
  const std::size_t updates = peer.count(FrameType::kWindowUpdate);
  CaseResult r = run(steps);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason;
  EXPECT_EQ(peer.count(FrameType::kWindowUpdate), updates);
}

// A stream error whose PINGs come back while our zero window holds the target's answer on the
// stream: the answer gets credit, and once it is complete two more PINGs decide. A reset queued
// behind the answer then passes, as the full wait sees it; no reset at all fails before the
// deadline, and at it with --wait-full-timeout.
TEST_F(Outcomes, AStreamErrorQueuedBehindAHeldAnswerIsSeen) {
  const std::string steps = R"([{"handshake": {"settings": {"INITIAL_WINDOW_SIZE": 0}}}, )" + std::string(kPost) + ", " +
                            kEnd + R"(, {"send": {"type": "DATA", "data": "more", "flags": ["END_STREAM"]}},
      {"expect": {"frame": {"type": "RST_STREAM", "stream": 1, "error_code": ["STREAM_CLOSED"]}}}])";
  // A reset with NO_ERROR after that answer ("stop sending", as nginx does) is no excuse: the
  // answer used credit we gave after the offending DATA, so the target had read it.
  for (int reset : {5, -1, 0}) {  // STREAM_CLOSED queued behind the answer; none; NO_ERROR
    const bool resets = reset == 5;
    peer.on_frame = [reset](const wire::Frame& f, FakePeer& p) {
      if (f.header.type == 1) p.send_headers(f.header.stream_id, {{":status", "200"}}, false);
      if (f.header.type == 8 && f.header.stream_id != 0) {
        p.send(data_frame(f.header.stream_id, 5, true));
        if (reset >= 0) p.send(testing::rst(f.header.stream_id, static_cast<std::uint32_t>(reset)));
      }
    };
    for (bool probes : {true, false}) {
      error_probes = probes;
      const auto start = clock.now();
      CaseResult r = run(steps);
      EXPECT_EQ(r.verdict, resets ? Verdict::kPass : Verdict::kFail) << r.reason << [&] { std::string t; for (const auto& e : r.transcript) t += "\n  " + e.summary + e.event; return t; }();
      if (!resets && probes) {
        EXPECT_LT(clock.now() - start, std::chrono::milliseconds(1000)) << r.reason;
      }
    }
  }
  error_probes = true;
}

// PINGs answered after a frame on a stream we reset are evidence: no answer to the request on
// it is to come, so the target had its turn to send the stream error.
TEST_F(Outcomes, PingsEndAStreamErrorWaitOnAStreamWeReset) {
  const auto start = clock.now();
  CaseResult r = run(script({kPost, R"({"send": {"type": "RST_STREAM", "stream": 1}})",
                             R"({"send": {"type": "HEADERS", "stream": 1, "request": {}, "flags": ["END_STREAM", "END_HEADERS"]}})",
                             R"({"expect": {"stream_error": {"codes": ["STREAM_CLOSED"], "stream": 1}}})"}));
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.reason;
  EXPECT_NE(r.reason.find("answered 2 PINGs"), std::string::npos) << r.reason;
  EXPECT_LT(clock.now() - start, std::chrono::milliseconds(1000));
}

TEST_F(Outcomes, LateMalformationIncompleteResponseFailsAtTheDeadline) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 0) p.send_headers(f.header.stream_id, {{":status", "200"}}, false);
  };
  CaseResult r = run(script({kPost, kEnd, R"({"expect": {"malformed": {}}})"}));
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.reason.find("within 1000 ms"), std::string::npos) << r.reason;
}

TEST_F(Outcomes, StopSendingResetAfterACompleteResponseIsPassedOver) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 1) {
      p.send_headers(f.header.stream_id, {{":status", "405"}}, true);
      p.send(testing::rst(f.header.stream_id, 0));  // RFC 9113 §8.1: stop sending, no error
    }
    if (f.header.type == 9) p.send(testing::goaway(kProtocol, 1));
  };
  CaseResult r = run(script({kPost, R"({"send": {"type": "CONTINUATION", "fields": [["x", "1"]]}})",
                             R"({"expect": {"connection_error": ["PROTOCOL_ERROR"],
      "also_accept": [{"stream_error": ["STREAM_CLOSED"], "grade": "non_strict"}]}})"}));
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason << " / " << r.observed;
}

TEST_F(Outcomes, TransportClosedNeedsTheConnectionToEnd) {
  for (bool close : {false, true}) {
    peer.on_frame = [close](const wire::Frame& f, FakePeer& p) {
      if (f.header.type != 6 || f.header.stream_id != 1) return;
      p.send(testing::goaway(kProtocol));
      if (close) p.close();
    };
    CaseResult r = run(script({R"({"send": {"type": "PING", "stream": 1}})",
                               R"({"expect": {"connection_error": ["PROTOCOL_ERROR"]}})",
                               R"({"expect": {"transport_closed": {}}})"}));
    EXPECT_EQ(r.verdict, close ? Verdict::kPass : Verdict::kFail) << r.reason;
  }
}

TEST_F(Outcomes, NonStrictStepLetsTheScriptGoOnAndGradesTheCase) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 1) p.send(testing::rst(f.header.stream_id, 8));
  };
  const std::string non_strict = R"({"expect": {"stream_error": ["PROTOCOL_ERROR"],
      "also_accept": [{"stream_error": ["CANCEL"], "grade": "non_strict", "note": "n"}]}})";
  CaseResult r = run(script({kGet, non_strict, R"({"send": {"type": "PING", "data_hex": "0102030405060708"}})",
                             R"({"expect": {"ping_ack": {"data_hex": "0102030405060708"}}})"}));
  EXPECT_EQ(r.verdict, Verdict::kNonStrict) << r.reason;
  EXPECT_EQ(peer.count(FrameType::kPing), 2u) << "the steps after the non_strict one ran (its PING, and our probe before it)";
  // A later failing step makes the case fail.
  CaseResult f = run(script({kGet, non_strict, R"({"expect": {"connection_error": ["PROTOCOL_ERROR"]}})"}));
  EXPECT_EQ(f.verdict, Verdict::kFail) << f.reason;
}

TEST_F(Outcomes, AlsoAcceptedPassLetsTheScriptGoOn) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 1) p.send(testing::rst(f.header.stream_id, 8));
  };
  CaseResult r = run(script({kGet, R"({"expect": {"response": {},
      "also_accept": [{"stream_error": ["CANCEL"], "grade": "pass"}]}})", kGet,
                             R"({"expect": {"stream_error": ["PROTOCOL_ERROR"]}})"}));
  EXPECT_EQ(r.verdict, Verdict::kFail) << "the second expectation ran: " << r.reason;
  EXPECT_EQ(peer.count(FrameType::kHeaders), 2u);
}

TEST_F(Outcomes, NonStrictCloseEndsTheCase) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 6 && f.header.stream_id == 1) p.close();
  };
  CaseResult r = run(script({R"({"send": {"type": "PING", "stream": 1}})",
                             R"({"expect": {"connection_error": ["PROTOCOL_ERROR"]}})",
                             R"({"expect": {"alive": {}}})"}));
  EXPECT_EQ(r.verdict, Verdict::kNonStrict) << r.reason;
}

TEST_F(Outcomes, FailedSendBeforeAnExpectIsJudgedByTheExpect) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type != 1) return;
    p.send(testing::goaway(kProtocol, 0));
    p.close();
  };
  CaseResult r = run(script({kPost, kEnd, R"({"expect": {"connection_error": ["PROTOCOL_ERROR"]}})"}));
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason;
  bool recorded = false;
  for (const auto& e : r.transcript) recorded = recorded || e.event.find("write failed") != std::string::npos;
  EXPECT_TRUE(recorded);
}

TEST_F(Outcomes, ClosedGradedPassAcceptsAPlainClose) {
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 7) p.close();
  };
  const std::string goaway = R"({"send": {"type": "GOAWAY", "last_stream_id": 0}})";
  CaseResult plain = run(script({goaway, R"({"expect": {"alive": {},
      "also_accept": [{"connection_error": ["NO_ERROR"], "grade": "pass"}]}})"}));
  EXPECT_EQ(plain.verdict, Verdict::kNonStrict) << plain.reason;
  CaseResult closed = run(script({goaway, R"({"expect": {"alive": {},
      "also_accept": [{"closed": {}, "grade": "pass"}]}})"}));
  EXPECT_EQ(closed.verdict, Verdict::kPass) << closed.reason;
  // A GOAWAY with a code no outcome lists still fails, although `closed` is accepted.
  peer.on_frame = [](const wire::Frame& f, FakePeer& p) {
    if (f.header.type == 7) p.send(testing::goaway(kProtocol));
  };
  CaseResult wrong = run(script({goaway, R"({"expect": {"alive": {}, "also_accept": [
      {"connection_error": ["NO_ERROR"], "grade": "pass"}, {"closed": {}, "grade": "pass"}]}})"}));
  EXPECT_EQ(wrong.verdict, Verdict::kFail) << wrong.reason;
}

TEST_F(Outcomes, FieldValuesFromTheTargetAndFill) {
  CaseResult r = run(script({R"({"send": {"type": "HEADERS", "stream": "$next_stream", "flags": ["END_STREAM", "END_HEADERS"],
      "fields": [[":authority", "$authority"], [":scheme", "$scheme"], ["x-fill", {"fill": "ab", "size": 5}],
                 ["x-long", {"fill": "z", "size": "$max_header_length"}]]}})"}));
  ASSERT_EQ(r.verdict, Verdict::kPass) << r.reason;
  hpack::HeaderList fields = sent_fields();
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0].value, "example.test");
  EXPECT_EQ(fields[1].value, "https");
  EXPECT_EQ(fields[2].value, "ababa");
  EXPECT_EQ(fields[3].value, std::string(4000, 'z'));
}

TEST_F(Outcomes, RequestSetTakesValueForms) {
  target.max_header_length = 10;
  CaseResult r = run(script({R"({"send": {"type": "HEADERS", "stream": "$next_stream", "flags": ["END_STREAM", "END_HEADERS"],
      "request": {"path": "$method", "add": [["x-big", {"fill": "q", "size": "$max_header_length + 1"}]]}}})"}));
  ASSERT_EQ(r.verdict, Verdict::kPass) << r.reason;
  hpack::HeaderList fields = sent_fields();
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[3].value, "GET");
  EXPECT_EQ(fields[4].value, std::string(11, 'q'));
}

TEST_F(Outcomes, BlockInstructionsAndRepeatTakeExpressions) {
  CaseResult r = run(script({R"({"send": {"type": "HEADERS", "stream": "$next_stream", "flags": ["END_STREAM", "END_HEADERS"],
      "block": [{"size_update": "$max_frame_size - 16384"}, {"indexed": "$max_header_length - 3998"},
                {"literal_name_index": "$max_header_length - 3999", "value": "$authority"}]}})",
                             R"({"repeat": {"count": "$max_header_length - 3997", "steps": [{"send": {"type": "0xfb"}}]}})"}));
  ASSERT_EQ(r.verdict, Verdict::kPass) << r.reason;
  hpack::HeaderList fields = sent_fields();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].name, ":method");
  EXPECT_EQ(fields[1].name, ":authority");
  EXPECT_EQ(fields[1].value, "example.test");
  std::size_t unknown = 0;
  for (const auto& f : peer.received) unknown += f.header.type == 0xfb;
  EXPECT_EQ(unknown, 3u);
}

TEST_F(Outcomes, ExpressionOutOfRangeIsAHarnessError) {
  CaseResult r = run(script({R"({"repeat": {"count": "$max_window", "steps": [{"send": {"type": "0xfb"}}]}})"}));
  EXPECT_EQ(r.verdict, Verdict::kError) << r.reason;
}

TEST_F(Outcomes, AnHttp1AnswerIsACloseNotAMalformedFrame) {
  std::string answer = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n";
  peer.initial.assign(answer.begin(), answer.end());
  CaseResult r = run(R"([{"send_raw": {"hex": "000000000000000000000000000000000000000000000000", "note": "n"}},
      {"expect": {"connection_error": ["PROTOCOL_ERROR"], "also_accept": [{"closed": {}, "grade": "pass"}]}}])");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason;
  EXPECT_NE(r.closed_by.find("HTTP/1.1 400 Bad Request"), std::string::npos) << r.closed_by;
  CaseResult h = run(script({}));
  EXPECT_EQ(h.verdict, Verdict::kFail);
  EXPECT_NE(h.reason.find("closed the connection before SETTINGS"), std::string::npos) << h.reason;
}

TEST(OutcomesLoader, RefusesUnknownValueNames) {
  EXPECT_THROW(make_case(R"([{"send": {"type": "HEADERS", "fields": [["a", "$authorty"]]}}])"), LoadError);
  EXPECT_THROW(make_case(R"([{"send": {"type": "HEADERS", "fields": [["a", {"fill": "", "size": 3}]]}}])"), LoadError);
  EXPECT_THROW(make_case(R"([{"send": {"type": "HEADERS", "block": [{"indexed": "$bogus"}]}}])"), LoadError);
  EXPECT_NO_THROW(make_case(R"([{"send": {"type": "HEADERS", "fields": [["a", "$5"], ["b", "$Authority"]]}}])"));
  EXPECT_NO_THROW(make_case(R"([{"expect": {"transport_closed": {}}}, {"expect": {"response": {"check_fields": true}}}])"));
}

// A client's request HEADERS on stream 1 (END_STREAM, END_HEADERS), as the engine reads it:
// encoded, then decoded, so that its fragment is the wire's.
wire::Frame request_headers(hpack::Encoder& encoder, const hpack::HeaderList& fields) {
  const std::uint8_t flags = wire::flags::kEndHeaders | wire::flags::kEndStream;
  const wire::DecodeResult d = wire::decode_frame(
      wire::encode_frame(wire::make_frame(wire::HeadersFrame{encoder.encode(fields), std::nullopt, std::nullopt}, 1, flags)));
  EXPECT_EQ(d.status, wire::DecodeStatus::kComplete);
  return d.frame;
}

// `out` judged on one frame from the target, with `state` after that frame.
Match judge_frame(const Outcome& out, const wire::Frame& frame, const ConnectionState& state) {
  Event event;
  event.kind = Event::Kind::kFrame;
  event.frame = frame;
  Observation o;
  o.kind = Observation::Kind::kFrame;
  o.event = &event;
  o.state = &state;
  return match_outcome(out, o);
}

// `frame` with check_fields: a client target's request HEADERS passes only when its field
// block is a well-formed request (RFC 9113 §8.3.1); without check_fields any HEADERS passes.
struct RequestFieldsRow {
  const char* name;
  hpack::HeaderList fields;
  bool check_fields;
  Grade grade;
  friend void PrintTo(const RequestFieldsRow& row, std::ostream* os) { *os << row.name; }
};

class FrameCheckFields : public ::testing::TestWithParam<RequestFieldsRow> {};

TEST_P(FrameCheckFields, JudgesTheRequestOnTheFramesStream) {
  const RequestFieldsRow& row = GetParam();
  ConnectionState state(Role::kServer);
  hpack::Encoder encoder;
  const wire::Frame request = request_headers(encoder, row.fields);
  ASSERT_EQ(state.on_received(request).violation, "");
  Outcome out;
  out.kind = OutcomeKind::kFrame;
  out.type = static_cast<std::uint8_t>(FrameType::kHeaders);
  out.check_fields = row.check_fields;
  const Match m = judge_frame(out, request, state);
  EXPECT_EQ(m.grade, row.grade) << m.why;
  if (row.grade == Grade::kFail) EXPECT_NE(m.why.find("not well-formed"), std::string::npos) << m.why;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, FrameCheckFields,
    ::testing::Values(
        RequestFieldsRow{"WellFormed", {{":method", "GET"}, {":scheme", "https"}, {":authority", "a.test"}, {":path", "/"}}, true, Grade::kPass},
        RequestFieldsRow{"MissingMethod", {{":scheme", "https"}, {":authority", "a.test"}, {":path", "/"}}, true, Grade::kFail},
        RequestFieldsRow{"MissingMethodUnchecked", {{":scheme", "https"}, {":authority", "a.test"}, {":path", "/"}}, false, Grade::kPass},
        RequestFieldsRow{"ConnectionField", {{":method", "GET"}, {":scheme", "https"}, {":authority", "a.test"}, {":path", "/"}, {"connection", "close"}}, true, Grade::kFail}),
    [](const auto& row) { return std::string(row.param.name); });

// A client target's GOAWAY NO_ERROR: when every stream it opened is closed it is leaving (RFC
// 9113 §9.1), so an outcome that wants an error cannot judge it (skip); while its request is
// still open, or with an error code, it is judged as always. A server target's GOAWAY NO_ERROR
// is always judged.
struct LeavingRow {
  const char* name;
  Role our_role;
  bool request_over;  // we ended the client's request stream (END_STREAM both ways)
  std::uint32_t goaway_code;
  OutcomeKind kind;
  Grade grade;
  friend void PrintTo(const LeavingRow& row, std::ostream* os) { *os << row.name; }
};

class ClientLeaving : public ::testing::TestWithParam<LeavingRow> {};

TEST_P(ClientLeaving, GoawayNoErrorOrACloseAfterTheRequestsIsNotJudged) {
  const LeavingRow& row = GetParam();
  ConnectionState state(row.our_role);
  hpack::Encoder encoder;
  if (row.our_role == Role::kServer) {
    ASSERT_EQ(state.on_received(request_headers(encoder, {{":method", "GET"}, {":scheme", "https"},
                                                          {":authority", "a.test"}, {":path", "/"}}))
                  .violation,
              "");
    if (row.request_over) {
      const std::uint8_t both = wire::flags::kEndHeaders | wire::flags::kEndStream;
      state.on_sent(wire::make_frame(wire::HeadersFrame{encoder.encode({{":status", "200"}}), std::nullopt, std::nullopt}, 1, both),
                    both);
      state.note_script_send();  // the stimulus, after the request was over
      state.on_sent(wire::make_frame(wire::PingFrame{}), 0);
    }
  }
  Outcome out;
  out.kind = row.kind;
  out.codes = {static_cast<std::uint32_t>(wire::ErrorCode::kStreamClosed)};
  out.stream = 1;
  out.has_stream = true;
  const Match m = judge_frame(out, wire::make_frame(wire::GoawayFrame{false, 1, row.goaway_code, {}}, 0, 0), state);
  EXPECT_EQ(m.grade, row.grade) << m.why;
  if (row.grade == Grade::kSkip) EXPECT_NE(m.why.find("§9.1"), std::string::npos) << m.why;
  // A plain close (a client program that got its answer exits) is leaving too, when no error
  // code would have been judged: otherwise a close is graded as always (non_strict).
  if (row.goaway_code == 0) {
    Event closed;
    closed.kind = Event::Kind::kClosed;
    closed.detail = "peer FIN";
    Observation o;
    o.kind = Observation::Kind::kClosed;
    o.event = &closed;
    o.state = &state;
    const Match c = match_outcome(out, o);
    const Grade expected = row.grade == Grade::kSkip ? Grade::kSkip : Grade::kNonStrict;
    EXPECT_EQ(c.grade, expected) << c.why;
    if (expected == Grade::kSkip) EXPECT_NE(c.why.find(kClientLeftReason), std::string::npos) << c.why;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ClientLeaving,
    ::testing::Values(
        LeavingRow{"StreamErrorAfterTheRequest", Role::kServer, true, 0, OutcomeKind::kStreamError, Grade::kSkip},
        LeavingRow{"ConnectionErrorAfterTheRequest", Role::kServer, true, 0, OutcomeKind::kConnectionError, Grade::kSkip},
        LeavingRow{"WhileTheRequestIsOpen", Role::kServer, false, 0, OutcomeKind::kStreamError, Grade::kFail},
        LeavingRow{"WithAnErrorCode", Role::kServer, true, kProtocol, OutcomeKind::kStreamError, Grade::kPass},
        LeavingRow{"ServerTarget", Role::kClient, true, 0, OutcomeKind::kConnectionError, Grade::kFail}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace h2conform::engine
