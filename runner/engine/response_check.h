// What RFC 9113 §8 requires of the field blocks a server sends: responses, trailers and the
// requests it promises with PUSH_PROMISE.
//
// Contract: pure functions over decoded fields. Each returns the first problem in words (with
// the section), or an empty string when the block is well-formed. Used by the connection model,
// which keeps the first problem per stream for `response: {"check_fields": true}`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runner/hpack/hpack.h"

namespace h2conform::engine {

// A response header section (1xx or final): exactly one :status of three digits, no other
// pseudo-header field, pseudo-header fields first, plus check_regular_fields.
std::string check_response_fields(const hpack::HeaderList& fields);
// A trailer section: no pseudo-header fields, plus check_regular_fields.
std::string check_trailer_fields(const hpack::HeaderList& fields);
// A promised request (RFC 9113 §8.4.1): :method GET or HEAD (safe and cacheable), :scheme,
// :authority and a non-empty :path, no :status, pseudo-header fields first.
std::string check_pushed_request(const hpack::HeaderList& fields);
// Names and values (§8.2.1) and connection-specific fields (§8.2.2), pseudo-headers aside.
std::string check_regular_fields(const hpack::HeaderList& fields);

// The content-length of a response, if present. *problem is set when it is not a number, when
// two values differ, or when a 1xx or 204 response carries one (RFC 9110 §8.6).
std::optional<std::uint64_t> response_content_length(const hpack::HeaderList& fields, int status,
                                                     std::string* problem);
// RFC 9113 §8.1.1: the DATA received must add up to content-length, except for HEAD requests
// and 204 and 304 responses. An empty method (unknown request) skips the check.
std::string check_content_length(const std::string& method, int status, std::uint64_t declared,
                                 std::uint64_t received);

}  // namespace h2conform::engine
