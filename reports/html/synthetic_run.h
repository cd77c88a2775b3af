// Synthetic RunResults for the HTML tests, the size check and the browser tests: deterministic,
// every verdict, several RFCs, sections and levels, and transcripts of realistic frames.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "runner/engine/model/result.h"

namespace h2conform::reports::html::testing {

struct SyntheticSection {
  const char* section;
  const char* slug;
};
inline constexpr SyntheticSection kSyntheticSections[] = {
    {"RFC 9113 3.4", "rfc9113/3.4"},   {"RFC 9113 4.1", "rfc9113/4.1"},   {"RFC 9113 4.2", "rfc9113/4.2"},
    {"RFC 9113 5.1", "rfc9113/5.1"},   {"RFC 9113 5.4.1", "rfc9113/5.4.1"}, {"RFC 9113 6.1", "rfc9113/6.1"},
    {"RFC 9113 6.2", "rfc9113/6.2"},   {"RFC 9113 6.5", "rfc9113/6.5"},   {"RFC 9113 6.8", "rfc9113/6.8"},
    {"RFC 9113 6.9", "rfc9113/6.9"},   {"RFC 9113 8.3.1", "rfc9113/8.3.1"}, {"RFC 7541 4.2", "rfc7541/4.2"},
    {"RFC 7541 5.2", "rfc7541/5.2"},   {"RFC 7541 C.3", "rfc7541/C.3"},   {"RFC 9218 7.1", "rfc9218/7.1"},
    {"RFC 8441 3", "rfc8441/3"},
};

// Verdict of case i in a run with this seed: mostly pass, some of every other verdict.
inline engine::Verdict synthetic_verdict(int i, unsigned seed) {
  using engine::Verdict;
  unsigned k = (static_cast<unsigned>(i) * 7u + seed * 5u) % 40u;
  if (k < 28) return Verdict::kPass;
  if (k < 31) return Verdict::kNonStrict;
  if (k < 33) return Verdict::kSkip;
  if (k < 37) return Verdict::kFail;
  if (k < 39) return Verdict::kError;
  return Verdict::kTargetDown;
}

inline std::string synthetic_hex(std::uint32_t length, std::uint8_t type, std::uint32_t stream, int salt) {
  char header[19];
  std::snprintf(header, sizeof header, "%06x%02x%02x%08x", length, type, 0x04 * (salt & 1), stream);
  std::string hex = header;
  for (std::uint32_t b = 0; b < length; ++b) {
    char byte[3];
    std::snprintf(byte, sizeof byte, "%02x", static_cast<unsigned>((b * 31u + static_cast<unsigned>(salt)) & 0xff));
    hex += byte;
  }
  return hex;
}

inline engine::TranscriptEntry synthetic_frame(int n, int salt) {
  static constexpr const char* kTypes[] = {"SETTINGS", "SETTINGS", "HEADERS", "HEADERS", "DATA", "WINDOW_UPDATE", "GOAWAY"};
  static constexpr std::uint8_t kCodes[] = {4, 4, 1, 1, 0, 8, 7};
  engine::TranscriptEntry e;
  int k = n % 7;
  e.t_ms = 0.25 + n * 0.731 + (salt % 5) * 0.01;
  e.direction = n % 2 == 0 ? engine::Direction::kSent : engine::Direction::kReceived;
  e.frame_type = kTypes[k];
  e.stream_id = k >= 2 && k <= 4 ? 1u + 2u * static_cast<std::uint32_t>(n / 7) : 0u;
  e.flags = k == 1 ? "ACK" : k == 2 ? "END_STREAM|END_HEADERS" : k == 3 ? "END_HEADERS" : "0x0";
  e.length = static_cast<std::uint32_t>((n * 13 + salt) % 41);
  e.summary = std::string(kTypes[k]) + " stream=" + std::to_string(e.stream_id) + " len=" +
              std::to_string(e.length) + (k == 6 ? " last_stream_id=1 error_code=PROTOCOL_ERROR" :
                                          k == 2 ? " :status=200 content-type=text/html" : " window=65535");
  e.raw_hex = synthetic_hex(e.length, kCodes[k], e.stream_id, salt);
  return e;
}

// `cases` cases with `frames` transcript entries each (the first is a connect event).
inline engine::RunResult synthetic_run(int cases, int frames, unsigned seed = 0,
                                       const std::string& target = "127.0.0.1:8443 (tls)") {
  engine::RunResult run;
  run.tool_version = "0.1.0";
  run.target = target;
  run.started_at = "2024-05-01T10:00:00Z";
  run.settings.host = "127.0.0.1";
  run.settings.port = 8443;
  run.settings.tls = true;
  for (int i = 0; i < cases; ++i) {
    const auto& s = kSyntheticSections[static_cast<std::size_t>(i) % std::size(kSyntheticSections)];
    char slug[16];
    std::snprintf(slug, sizeof slug, "case-%03d", i);
    engine::CaseResult c;
    c.id = std::string(s.slug) + "/" + slug;
    c.section = s.section;
    c.level = i % 9 == 0 ? "SHOULD" : i % 17 == 0 ? "MAY" : "MUST";
    c.group = c.id.rfind("rfc7541", 0) == 0 ? "hpack" : "http2";
    c.requirement = "An endpoint MUST treat a malformed frame of kind " + std::to_string(i) +
                    " as a connection error of type PROTOCOL_ERROR.";
    c.action = "Send a frame of kind " + std::to_string(i) + " with a bad length after the handshake.";
    c.verdict = synthetic_verdict(i, seed);
    c.reason = c.verdict == engine::Verdict::kPass ? "the peer answered as required"
                                                    : "the peer answered GOAWAY with INTERNAL_ERROR";
    c.expected = "GOAWAY with PROTOCOL_ERROR";
    c.observed = c.verdict == engine::Verdict::kPass ? "GOAWAY with PROTOCOL_ERROR" : "GOAWAY with INTERNAL_ERROR";
    c.duration_ms = 1.5 + (i * 37 % 200) / 10.0;
    c.closed_by = "peer FIN";
    engine::TranscriptEntry connected;
    connected.event = "connected tls 127.0.0.1:8443";
    if (frames > 0) c.transcript.push_back(connected);
    for (int n = 1; n < frames; ++n) c.transcript.push_back(synthetic_frame(n, i + static_cast<int>(seed)));
    run.cases.push_back(std::move(c));
  }
  run.duration_ms = cases * 12.5;
  return run;
}

}  // namespace h2conform::reports::html::testing
