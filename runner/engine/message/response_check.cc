// What a response's content-length says, and whether its DATA agrees (response_check.h).
#include "runner/engine/message/response_check.h"

#include <algorithm>

namespace h2conform::engine {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::uint64_t> response_content_length(const hpack::HeaderList& fields, int status,
                                                     std::string* problem) {
  std::optional<std::uint64_t> length;
  for (const auto& f : fields) {
    if (f.name != "content-length") continue;
    if (!all_digits(f.value) || f.value.size() > 18) {
      *problem = "content-length \"" + f.value + "\" is not a number (RFC 9110 §8.6)";
      return std::nullopt;
    }
    std::uint64_t v = std::stoull(f.value);
    if (length && *length != v) {
      *problem = "two different content-length values (RFC 9110 §8.6)";
      return std::nullopt;
    }
    length = v;
  }
  if (length && (status < 200 || status == 204)) {
    *problem = "content-length in a " + std::to_string(status) + " response (RFC 9110 §8.6)";
  }
  return length;
}

std::string check_content_length(const std::string& method, int status, std::uint64_t declared,
                                 std::uint64_t received) {
  if (method.empty() || method == "HEAD" || status == 204 || status == 304) return {};
  if (declared == received) return {};
  return "content-length " + std::to_string(declared) + " but " + std::to_string(received) +
         " octets of DATA (RFC 9113 §8.1.1)";
}

}  // namespace h2conform::engine
