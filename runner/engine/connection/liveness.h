// Whether a server still serves: a fresh connection, the preface, our SETTINGS, a PING and a
// GET of the target's path. Used after something that may have broken the target (the
// `target_answers` step that ends a replayed fuzz finding, `h2conform fuzz` itself), and by the
// preflight for its GET.
//
// Contract: one connection from the source, bounded by `timeout`; never throws; what the
// target does is data.
#pragma once

#include <chrono>
#include <string>

#include "runner/engine/case/target.h"
#include "runner/engine/connection/connection_source.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {

class Session;

// A GET of the target's path on stream 1 with END_STREAM and the run's --header fields,
// encoded with the session's HPACK encoder.
wire::Frame get_request(Session& s, const Target& target);

// `answered` when the PING's ACK and a final response (or a RST_STREAM) on stream 1 came back
// within `timeout`; otherwise `detail` says what happened ("cannot connect: ...", "closed the
// connection (...)", "no PING ACK within 1000 ms").
struct AnswerCheck {
  bool answered = false;
  std::string detail;
};
AnswerCheck check_target_answers(ConnectionSource& source, const Target& target, std::chrono::milliseconds timeout);

}  // namespace h2conform::engine
