// Hand-built RunResults for the report tests: one case of every verdict, plus text that needs
// escaping (markup, control bytes, invalid UTF-8).
#pragma once

#include <string>

#include "runner/engine/model/result.h"

namespace h2conform::reports::testing {

inline engine::CaseResult make_case(const std::string& id, engine::Verdict verdict,
                                    const std::string& section, const std::string& group) {
  engine::CaseResult c;
  c.id = id;
  c.section = section;
  c.group = group;
  c.level = "MUST";
  c.requirement = "requirement of " + id;
  c.action = "action of " + id;
  c.requirement_ids = {"9113-6.8-3"};
  c.h2spec_ids = {"http2/6.8/1"};
  c.verdict = verdict;
  c.reason = "reason of " + id;
  c.expected = "GOAWAY with PROTOCOL_ERROR";
  c.observed = "GOAWAY with INTERNAL_ERROR, then close";
  c.duration_ms = 12.5;
  c.closed_by = "peer FIN";
  return c;
}

inline engine::RunResult sample_run() {
  using engine::Verdict;
  engine::RunResult run;
  run.tool_version = "0.1.0";
  run.target = "127.0.0.1:8443 (tls)";
  run.started_at = "2024-05-01T10:00:00Z";
  run.duration_ms = 1234.5;
  run.settings.host = "127.0.0.1";
  run.settings.port = 8443;
  run.settings.tls = true;
  run.settings.selectors = {"http2/6.8"};
  run.settings.excludes = {"hpack"};
  run.cases.push_back(make_case("generic/3.5/preface", Verdict::kPass, "RFC 9113 3.4", "generic"));
  run.cases.push_back(make_case("rfc9113/6.8/goaway-on-stream", Verdict::kFail, "RFC 9113 6.8", "http2"));
  run.cases.push_back(make_case("rfc9113/6.8/goaway-closed", Verdict::kNonStrict, "RFC 9113 6.8", "http2"));
  run.cases.push_back(make_case("rfc9113/6.9/window-zero", Verdict::kSkip, "RFC 9113 6.9", "http2"));
  run.cases.push_back(make_case("rfc9113/6.9/window-max", Verdict::kError, "RFC 9113 6.9", "http2"));
  run.cases.push_back(make_case("rfc7541/4.2/size-update", Verdict::kTargetDown, "RFC 7541 4.2", "hpack"));
  auto& failed = run.cases[1];
  failed.transcript.push_back({0.5, engine::Direction::kEvent, "", 0, "", 0, "", "", false,
                               "connected tcp 127.0.0.1:8443"});
  failed.transcript.push_back({1.25, engine::Direction::kSent, "GOAWAY", 1, "", 8,
                               "last_stream_id=0 error_code=NO_ERROR", "0000080700000000010000000000000000",
                               false, ""});
  failed.transcript.push_back({3.0, engine::Direction::kReceived, "GOAWAY", 0, "", 8,
                               "last_stream_id=0 error_code=INTERNAL_ERROR", "00", true, ""});
  return run;
}

// Peer-controlled text with markup, control bytes and invalid UTF-8.
inline std::string hostile_text() { return std::string("<a&b> \"q\" 'x' \x1b[31m\x01 \xff\xfe caf\xc3\xa9"); }

}  // namespace h2conform::reports::testing
