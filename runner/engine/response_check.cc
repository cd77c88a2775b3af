// RFC 9113 §8 checks of the server's field blocks (response_check.h).
#include "runner/engine/response_check.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace h2conform::engine {
namespace {

bool is_pseudo(const hpack::HeaderField& f) { return !f.name.empty() && f.name[0] == ':'; }

// §8.2.1: no 0x00-0x20, 0x41-0x5a (upper case) or 0x7f-0xff; a colon only to start a pseudo-header.
std::string check_name(const std::string& name) {
  if (name.empty()) return "an empty field name (RFC 9113 §8.2.1)";
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c >= 'A' && c <= 'Z') return "field name \"" + name + "\" has upper-case characters (RFC 9113 §8.2.1)";
    if (c <= 0x20 || c >= 0x7f) return "field name \"" + name + "\" has a prohibited character (RFC 9113 §8.2.1)";
    if (c == ':' && i > 0) return "field name \"" + name + "\" has a colon (RFC 9113 §8.2.1)";
  }
  return {};
}

// §8.2.1: no NUL, CR or LF; no leading or trailing SP or HTAB.
std::string check_value(const std::string& name, const std::string& value) {
  if (value.find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos) {
    return "the value of " + name + " has NUL, CR or LF (RFC 9113 §8.2.1)";
  }
  auto ws = [](char c) { return c == ' ' || c == '\t'; };
  if (!value.empty() && (ws(value.front()) || ws(value.back()))) {
    return "the value of " + name + " starts or ends with whitespace (RFC 9113 §8.2.1)";
  }
  return {};
}

bool is_connection_specific(const std::string& name) {
  static constexpr std::array<std::string_view, 6> kNames = {"connection", "keep-alive", "proxy-connection",
                                                             "transfer-encoding", "upgrade", "te"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

// §8.3: every pseudo-header field comes before the regular fields.
std::string check_pseudo_first(const hpack::HeaderList& fields) {
  bool regular_seen = false;
  for (const auto& f : fields) {
    if (!is_pseudo(f)) {
      regular_seen = true;
    } else if (regular_seen) {
      return "pseudo-header field " + f.name + " after a regular field (RFC 9113 §8.3)";
    }
  }
  return {};
}

std::size_t count_named(const hpack::HeaderList& fields, std::string_view name) {
  return static_cast<std::size_t>(
      std::count_if(fields.begin(), fields.end(), [&](const hpack::HeaderField& f) { return f.name == name; }));
}

const hpack::HeaderField* find_named(const hpack::HeaderList& fields, std::string_view name) {
  auto it = std::find_if(fields.begin(), fields.end(), [&](const hpack::HeaderField& f) { return f.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string check_regular_fields(const hpack::HeaderList& fields) {
  for (const auto& f : fields) {
    if (!is_pseudo(f)) {
      if (auto bad = check_name(f.name); !bad.empty()) return bad;
      if (is_connection_specific(f.name)) {
        return "connection-specific field \"" + f.name + "\" (RFC 9113 §8.2.2)";
      }
    }
    if (auto bad = check_value(f.name, f.value); !bad.empty()) return bad;
  }
  return {};
}

std::string check_response_fields(const hpack::HeaderList& fields) {
  for (const auto& f : fields) {
    if (is_pseudo(f) && f.name != ":status") {
      return "pseudo-header field " + f.name + " in a response (RFC 9113 §8.3.2)";
    }
  }
  std::size_t statuses = count_named(fields, ":status");
  if (statuses != 1) return std::to_string(statuses) + " :status fields, not exactly one (RFC 9113 §8.3.2)";
  const std::string& status = find_named(fields, ":status")->value;
  if (status.size() != 3 || !all_digits(status)) {
    return ":status \"" + status + "\" is not a three-digit code (RFC 9113 §8.3.2)";
  }
  if (auto bad = check_pseudo_first(fields); !bad.empty()) return bad;
  return check_regular_fields(fields);
}

std::string check_trailer_fields(const hpack::HeaderList& fields) {
  for (const auto& f : fields) {
    if (is_pseudo(f)) return "pseudo-header field " + f.name + " in trailers (RFC 9113 §8.1)";
  }
  return check_regular_fields(fields);
}

std::string check_pushed_request(const hpack::HeaderList& fields) {
  static constexpr std::array<std::string_view, 4> kRequired = {":method", ":scheme", ":authority", ":path"};
  for (const auto& f : fields) {
    if (is_pseudo(f) && std::find(kRequired.begin(), kRequired.end(), f.name) == kRequired.end()) {
      return "pseudo-header field " + f.name + " in a promised request (RFC 9113 §8.3.1)";
    }
  }
  for (auto name : kRequired) {
    if (count_named(fields, name) != 1) {
      return "a promised request without exactly one " + std::string(name) + " (RFC 9113 §8.4.1)";
    }
  }
  const std::string& method = find_named(fields, ":method")->value;
  if (method != "GET" && method != "HEAD") {
    return "a promised request with method " + method + ", which is not safe and cacheable (RFC 9113 §8.4)";
  }
  if (find_named(fields, ":path")->value.empty()) return "a promised request with an empty :path (RFC 9113 §8.3.1)";
  if (auto bad = check_pseudo_first(fields); !bad.empty()) return bad;
  return check_regular_fields(fields);
}

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
