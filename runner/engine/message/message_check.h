// One validator for the HTTP messages of both directions (RFC 9113 §8): requests and their
// trailers, which a server judges; responses, their trailers and promised requests, which a
// client judges.
//
// Contract: a pure function over a decoded field list; no I/O, no exceptions. It returns the
// first problem in words, naming the rule's section, or an empty problem when the message is
// well-formed. The rules every kind shares are written once: field names and values (§8.2.1),
// connection-specific fields (§8.2.2) and pseudo-header fields before regular ones (§8.3); the
// kind adds its pseudo-header rules (§8.3.1 requests, §8.3.2 responses, §8.4.1 promised
// requests, §8.1 trailers) and CONNECT (§8.5, RFC 8441 §4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runner/hpack/hpack.h"

namespace h2conform::engine {

enum class MessageKind {
  kRequest,           // a request header section (RFC 9113 §8.3.1)
  kRequestTrailers,   // a request's trailer section (§8.1); "te: trailers" may appear (§8.2.2)
  kResponse,          // a response header section, 1xx or final (§8.3.2)
  kResponseTrailers,  // a response's trailer section (§8.1)
  kPromisedRequest,   // the request a PUSH_PROMISE carries (§8.4.1)
};

struct MessageRules {
  // Also the field grammar of RFC 9110 §5.1 (names are tokens) and §5.5 (no control octets in
  // values), which RFC 9113 §8.2.1 says implementations SHOULD validate.
  bool field_grammar = false;
  // We advertised SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, so :protocol may appear (RFC 8441 §3-4).
  bool extended_connect = false;
};

// What a well-formed request says about itself (kRequest only).
struct RequestInfo {
  std::string method;
  bool connect = false;  // CONNECT, plain or extended
  std::optional<std::uint64_t> content_length;
};

struct MessageCheck {
  std::string problem;        // empty: well-formed
  bool field_syntax = false;  // the problem breaks a field syntax rule (§8.2.1): a server answers 400
  RequestInfo request;        // kRequest, when well-formed
  bool ok() const { return problem.empty(); }
};

MessageCheck check_message(const hpack::HeaderList& fields, MessageKind kind, const MessageRules& rules = {});

}  // namespace h2conform::engine
