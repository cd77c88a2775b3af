// What RFC 9110 §8.6 and RFC 9113 §8.1.1 require of a response's content-length. The fields of
// responses, trailers and promised requests are judged by message_check.h.
//
// Contract: pure functions; each returns the first problem in words (with the section), or an
// empty string. Used by the connection model, which keeps the first problem per stream for
// `response: {"check_fields": true}`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runner/hpack/hpack.h"

namespace h2conform::engine {

// The content-length of a response, if present. *problem is set when it is not a number, when
// two values differ, or when a 1xx or 204 response carries one (RFC 9110 §8.6).
std::optional<std::uint64_t> response_content_length(const hpack::HeaderList& fields, int status,
                                                     std::string* problem);
// RFC 9113 §8.1.1: the DATA received must add up to content-length, except for HEAD requests
// and 204 and 304 responses. An empty method (unknown request) skips the check.
std::string check_content_length(const std::string& method, int status, std::uint64_t declared,
                                 std::uint64_t received);

}  // namespace h2conform::engine
