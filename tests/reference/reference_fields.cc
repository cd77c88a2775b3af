// Request validation: field syntax (RFC 9113 §8.2.1), connection-specific fields (§8.2.2),
// pseudo-header fields (§8.3.1), CONNECT (§8.5) and extended CONNECT (RFC 8441 §4).
#include "tests/reference/reference_fields.h"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

namespace h2conform::reference {
namespace {

using Reason = std::optional<std::string>;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

// RFC 9113 §8.2.1: no 0x00-0x20, 0x41-0x5a or 0x7f-0xff in a name.
bool bad_name_octet(unsigned char c) { return c <= 0x20 || (c >= 0x41 && c <= 0x5a) || c >= 0x7f; }

// RFC 9110 §5.6.2.
bool tchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return tchar(static_cast<unsigned char>(c)); });
}

// RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool is_scheme(std::string_view s) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  return !s.empty() && alpha(s[0]) && std::all_of(s.begin(), s.end(), [&](char c) {
           return alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
         });
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 19 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

constexpr std::array<std::string_view, 5> kConnectionSpecific = {
    "connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"};

struct Pseudo {
  std::map<std::string, std::string> values;
  std::optional<std::string> host;
  std::optional<std::uint64_t> content_length;
};

// One request field in order: pseudo-header rules and the content-length value.
Reason take_field(const hpack::HeaderField& f, bool* regular_seen, bool extended, Pseudo* p) {
  if (f.name[0] == ':') {
    if (*regular_seen) return "pseudo-header " + f.name + " after a regular field (RFC 9113 §8.3)";
    static constexpr std::array<std::string_view, 5> kKnown = {":method", ":scheme", ":authority",
                                                                ":path", ":protocol"};
    if (std::find(kKnown.begin(), kKnown.end(), f.name) == kKnown.end()) {
      return "pseudo-header " + f.name + " is not defined for requests (RFC 9113 §8.3)";
    }
    if (f.name == ":protocol" && !extended) {
      return ":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §4)";
    }
    if (!p->values.emplace(f.name, f.value).second) {
      return "duplicate " + f.name + " (RFC 9113 §8.3.1)";
    }
    return std::nullopt;
  }
  *regular_seen = true;
  if (f.name == "host") p->host = f.value;
  if (f.name == "content-length") {
    if (!all_digits(f.value)) return "content-length \"" + f.value + "\" is not a number (RFC 9110 §8.6)";
    const std::uint64_t n = std::stoull(f.value);
    if (p->content_length && *p->content_length != n) {
      return "conflicting content-length values (RFC 9110 §8.6)";
    }
    p->content_length = n;
  }
  return std::nullopt;
}

Reason check_connect(const Pseudo& p, bool has_protocol) {
  const auto has = [&p](const char* name) { return p.values.count(name) != 0; };
  if (has_protocol) {  // RFC 8441 §4: :scheme and :path are required
    if (!has(":scheme") || !has(":path")) return "extended CONNECT without :scheme or :path (RFC 8441 §4)";
    return std::nullopt;
  }
  if (has(":scheme") || has(":path")) return "CONNECT with :scheme or :path (RFC 9113 §8.5)";
  if (!has(":authority")) return "CONNECT without :authority (RFC 9113 §8.5)";
  const std::string& a = p.values.at(":authority");
  const auto colon = a.rfind(':');
  if (colon == std::string::npos || colon == 0 || !all_digits(a.substr(colon + 1))) {
    return "CONNECT :authority \"" + a + "\" is not host:port (RFC 9113 §8.5)";
  }
  return std::nullopt;
}

Reason check_target(const Pseudo& p) {
  const auto has = [&p](const char* name) { return p.values.count(name) != 0; };
  if (!has(":scheme")) return "request without :scheme (RFC 9113 §8.3.1)";
  if (!has(":path")) return "request without :path (RFC 9113 §8.3.1)";
  const std::string& scheme = p.values.at(":scheme");
  const std::string& path = p.values.at(":path");
  const bool web = iequals(scheme, "http") || iequals(scheme, "https");
  if (path.empty()) return "empty :path (RFC 9113 §8.3.1)";
  if (web && path[0] != '/' && !(path == "*" && p.values.at(":method") == "OPTIONS")) {
    return ":path \"" + path + "\" is neither origin-form nor OPTIONS * (RFC 9113 §8.3.1)";
  }
  if (web && has(":authority") && p.values.at(":authority").find('@') != std::string::npos) {
    return ":authority carries userinfo (RFC 9113 §8.3.1)";
  }
  return std::nullopt;
}

}  // namespace

Reason check_field_syntax(const hpack::HeaderField& f) {
  if (f.name.empty() || f.name == ":") return std::string("empty field name (RFC 9113 §8.2.1)");
  const std::size_t from = f.name[0] == ':' ? 1 : 0;
  for (std::size_t i = from; i < f.name.size(); ++i) {
    const auto c = static_cast<unsigned char>(f.name[i]);
    if (bad_name_octet(c)) return "field name \"" + f.name + "\" has an invalid octet (RFC 9113 §8.2.1)";
    if (c == ':') return "field name \"" + f.name + "\" contains a colon (RFC 9113 §8.2.1)";
    if (!tchar(c)) return "field name \"" + f.name + "\" is not a token (RFC 9110 §5.1)";
  }
  if (f.value.find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos) {
    return "value of " + f.name + " contains NUL, CR or LF (RFC 9113 §8.2.1)";
  }
  if (!f.value.empty() && (f.value.front() == ' ' || f.value.front() == '\t' ||
                           f.value.back() == ' ' || f.value.back() == '\t')) {
    return "value of " + f.name + " starts or ends with whitespace (RFC 9113 §8.2.1)";
  }
  for (char ch : f.value) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      return "value of " + f.name + " contains a control octet (RFC 9110 §5.5)";
    }
  }
  return std::nullopt;
}

Reason check_connection_specific(const hpack::HeaderField& f) {
  if (std::find(kConnectionSpecific.begin(), kConnectionSpecific.end(), f.name) !=
      kConnectionSpecific.end()) {
    return "connection-specific field " + f.name + " (RFC 9113 §8.2.2)";
  }
  if (f.name == "te" && !iequals(f.value, "trailers")) {
    return "te: \"" + f.value + "\" is not \"trailers\" (RFC 9113 §8.2.2)";
  }
  return std::nullopt;
}

RequestCheck check_request(const hpack::HeaderList& fields, bool extended_connect) {
  RequestCheck out;
  Pseudo p;
  bool regular_seen = false;
  for (const hpack::HeaderField& f : fields) {
    if (Reason r = check_field_syntax(f)) return {std::move(r), true, {}};
  }
  for (const hpack::HeaderField& f : fields) {
    if (Reason r = check_connection_specific(f)) return {std::move(r), false, {}};
    if (Reason r = take_field(f, &regular_seen, extended_connect, &p)) return {std::move(r), false, {}};
  }
  if (p.values.count(":method") == 0) return {"request without :method (RFC 9113 §8.3.1)", false, {}};
  out.info.method = p.values.at(":method");
  if (!is_token(out.info.method)) {
    return {":method \"" + out.info.method + "\" is not a token (RFC 9110 §9.1)", false, {}};
  }
  if (p.values.count(":scheme") != 0 && !is_scheme(p.values.at(":scheme"))) {
    return {":scheme \"" + p.values.at(":scheme") + "\" is not a scheme (RFC 3986 §3.1)", false, {}};
  }
  out.info.content_length = p.content_length;
  const bool has_protocol = p.values.count(":protocol") != 0;
  if (has_protocol && out.info.method != "CONNECT") {
    return {":protocol on a " + out.info.method + " request (RFC 8441 §4)", false, {}};
  }
  if (out.info.method == "CONNECT") {
    out.info.connect = true;
    if (Reason r = check_connect(p, has_protocol)) return {std::move(r), false, {}};
    if (!has_protocol) return out;
  }
  if (Reason r = check_target(p)) return {std::move(r), false, {}};
  // RFC 9113 §8.3.1: Host SHOULD NOT name another entity than :authority.
  if (p.host && p.values.count(":authority") != 0 && !iequals(*p.host, p.values.at(":authority"))) {
    return {"host \"" + *p.host + "\" differs from :authority (RFC 9113 §8.3.1)", false, {}};
  }
  return out;
}

std::optional<std::string> check_trailers(const hpack::HeaderList& fields) {
  for (const hpack::HeaderField& f : fields) {
    if (Reason r = check_field_syntax(f)) return r;
    if (Reason r = check_connection_specific(f)) return r;
    if (f.name[0] == ':') return "pseudo-header " + f.name + " in trailers (RFC 9113 §8.1)";
  }
  return std::nullopt;
}

}  // namespace h2conform::reference
