// Preflight: before any case runs, does the target speak HTTP/2 at that address?
//
// Contract: two short connections, each bounded (the first by the case timeout, at least 1 s;
// the second by 1 s). The first sends the client connection preface and an empty SETTINGS
// frame and classifies the first bytes that come back (the server's SETTINGS, RFC 9113 §3.4;
// or an HTTP/1.x answer, a TLS record on a cleartext run, text, garbage, silence, a close). When that is HTTP/2, the second connection sends one GET of
// the target's path and records the final :status, so a path that does not exist is noticed
// before hundreds of cases judge 404s. Never throws; everything the target does is data.
#pragma once

#include <optional>
#include <string>

#include "runner/engine/case/target.h"
#include "runner/engine/connection/connection_source.h"

namespace h2conform::engine {

struct PreflightResult {
  enum class Outcome {
    kHttp2,        // the target's first frame was SETTINGS
    kUnreachable,  // no connection (TCP or TLS handshake failed)
    kNotHttp2,     // connected, but the answer was not HTTP/2
  };
  Outcome outcome = Outcome::kUnreachable;
  // One line without the target's address, e.g. "answered HTTP/1.0 501 Unsupported method
  // ('PRI'), not HTTP/2 (prior knowledge); is it an h2c port?". Empty for kHttp2.
  std::string finding;
  // kHttp2: the final :status of a GET of the target's path, when one arrived in time.
  std::optional<int> status;
  // kHttp2: a warning worth a line before the run ("GET / answered 404: ..."), else empty.
  std::string warning;
};

PreflightResult preflight(ConnectionSource& source, const Target& target, std::chrono::milliseconds timeout);

// What a connect error means for a user, with the fix when there is an obvious one
// ("... self-signed certificate (use -k to skip verification)"). Exposed for tests.
std::string explain_connect_error(const std::string& error, bool tls);

// Names what the first bytes from the target are, when they are not an HTTP/2 SETTINGS frame:
// "" when they start a SETTINGS frame (or are too few to tell). `closed`: the target closed
// after these bytes. Exposed for tests.
std::string classify_first_bytes(const transport::Bytes& bytes, bool tls, bool closed);

}  // namespace h2conform::engine
