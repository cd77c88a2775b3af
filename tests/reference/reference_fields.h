// Request field validation for the reference server (RFC 9113 §8.1-§8.5, RFC 8441 §4).
//
// Contract: pure functions over a decoded field list; no exceptions. A returned reason means the
// request is malformed (RFC 9113 §8.1.1) and names the rule that was broken.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runner/hpack/hpack.h"

namespace h2conform::reference {

struct RequestInfo {
  std::string method;
  bool connect = false;  // CONNECT, plain or extended (a tunnel once accepted)
  std::optional<std::uint64_t> content_length;
};

struct RequestCheck {
  std::optional<std::string> malformed;  // why, when the request is malformed
  bool field_syntax = false;  // the reason is a field syntax rule: answer 400 (RFC 9113 §8.2.1)
  RequestInfo info;
};

// Checks the request header section. `extended_connect` says whether we advertised
// SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3).
RequestCheck check_request(const hpack::HeaderList& fields, bool extended_connect);

// Checks a trailer section (RFC 9113 §8.1: no pseudo-header fields; §8.2 field rules apply).
std::optional<std::string> check_trailers(const hpack::HeaderList& fields);

// RFC 9113 §8.2.1 (with RFC 9110 §5.1 and §5.5) for one field, pseudo-header or not.
std::optional<std::string> check_field_syntax(const hpack::HeaderField& field);
// RFC 9113 §8.2.2: connection-specific fields and TE.
std::optional<std::string> check_connection_specific(const hpack::HeaderField& field);

}  // namespace h2conform::reference
