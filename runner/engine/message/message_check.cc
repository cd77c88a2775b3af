// RFC 9113 §8 checks of one message's fields, for both directions (message_check.h).
#include "runner/engine/message/message_check.h"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

namespace h2conform::engine {
namespace {

bool is_pseudo(const hpack::HeaderField& f) { return !f.name.empty() && f.name[0] == ':'; }

bool iequals(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

// RFC 9110 §5.6.2.
bool is_tchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

// RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool is_scheme(std::string_view s) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  return !s.empty() && alpha(s[0]) && std::all_of(s.begin(), s.end(), [&](char c) {
           return alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
         });
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- The rules every kind shares ----

// §8.2.1: no 0x00-0x20, 0x41-0x5a (upper case) or 0x7f-0xff; a colon only to start a
// pseudo-header field (whose name is checked after it). With the grammar, a token (RFC 9110 §5.1).
std::string check_name(const std::string& name, const MessageRules& rules) {
  const std::size_t from = (!name.empty() && name[0] == ':') ? 1 : 0;
  if (name.size() == from) return "an empty field name (RFC 9113 §8.2.1)";
  for (std::size_t i = from; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c >= 'A' && c <= 'Z') return "field name \"" + name + "\" has upper-case characters (RFC 9113 §8.2.1)";
    if (c <= 0x20 || c >= 0x7f) return "field name \"" + name + "\" has a prohibited character (RFC 9113 §8.2.1)";
    if (c == ':') return "field name \"" + name + "\" has a colon (RFC 9113 §8.2.1)";
    if (rules.field_grammar && !is_tchar(c)) return "field name \"" + name + "\" is not a token (RFC 9110 §5.1)";
  }
  return {};
}

// §8.2.1: no NUL, CR or LF; no leading or trailing SP or HTAB. With the grammar, no other
// control octet either (RFC 9110 §5.5).
std::string check_value(const std::string& name, const std::string& value, const MessageRules& rules) {
  if (value.find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos) {
    return "the value of " + name + " has NUL, CR or LF (RFC 9113 §8.2.1)";
  }
  auto ws = [](char c) { return c == ' ' || c == '\t'; };
  if (!value.empty() && (ws(value.front()) || ws(value.back()))) {
    return "the value of " + name + " starts or ends with whitespace (RFC 9113 §8.2.1)";
  }
  if (rules.field_grammar) {
    for (char ch : value) {
      const auto c = static_cast<unsigned char>(ch);
      if ((c < 0x20 && c != '\t') || c == 0x7f) return "the value of " + name + " has a control octet (RFC 9110 §5.5)";
    }
  }
  return {};
}

// §8.2.2: connection-specific fields. TE may appear in a request (and its trailers) with the
// value "trailers" only; anywhere else it is connection-specific like the others.
std::string check_connection_specific(const hpack::HeaderField& f, MessageKind kind) {
  static constexpr std::array<std::string_view, 5> kNames = {"connection", "keep-alive", "proxy-connection",
                                                             "transfer-encoding", "upgrade"};
  const bool te_allowed = kind == MessageKind::kRequest || kind == MessageKind::kRequestTrailers;
  if (f.name == "te" && te_allowed) {
    if (iequals(f.value, "trailers")) return {};
    return "te: \"" + f.value + "\" is not \"trailers\" (RFC 9113 §8.2.2)";
  }
  if (f.name == "te" || std::find(kNames.begin(), kNames.end(), f.name) != kNames.end()) {
    return "connection-specific field \"" + f.name + "\" (RFC 9113 §8.2.2)";
  }
  return {};
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

// Field by field: the name, connection-specific fields (regular fields only), the value.
std::string check_each_field(const hpack::HeaderList& fields, MessageKind kind, const MessageRules& rules) {
  for (const auto& f : fields) {
    if (auto bad = check_name(f.name, rules); !bad.empty()) return bad;
    if (!is_pseudo(f)) {
      if (auto bad = check_connection_specific(f, kind); !bad.empty()) return bad;
    }
    if (auto bad = check_value(f.name, f.value, rules); !bad.empty()) return bad;
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

// ---- Responses, trailers, promised requests ----

std::string check_response(const hpack::HeaderList& fields, const MessageRules& rules) {
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
  return check_each_field(fields, MessageKind::kResponse, rules);
}

std::string check_trailers(const hpack::HeaderList& fields, MessageKind kind, const MessageRules& rules) {
  for (const auto& f : fields) {
    if (is_pseudo(f)) return "pseudo-header field " + f.name + " in trailers (RFC 9113 §8.1)";
  }
  return check_each_field(fields, kind, rules);
}

std::string check_promised_request(const hpack::HeaderList& fields, const MessageRules& rules) {
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
  // A promised request is judged like a response's fields: TE counts as connection-specific.
  return check_each_field(fields, MessageKind::kPromisedRequest, rules);
}

// ---- Requests ----

using Pseudo = std::map<std::string, std::string, std::less<>>;

// §8.3, §8.3.1: only request pseudo-header fields, each at most once; :protocol only when
// extended CONNECT is on (RFC 8441 §4).
std::string collect_request_pseudo(const hpack::HeaderList& fields, const MessageRules& rules, Pseudo* p) {
  static constexpr std::array<std::string_view, 5> kKnown = {":method", ":scheme", ":authority", ":path", ":protocol"};
  for (const auto& f : fields) {
    if (!is_pseudo(f)) continue;
    if (f.name == ":status") return "pseudo-header field :status in a request (RFC 9113 §8.3)";
    if (std::find(kKnown.begin(), kKnown.end(), f.name) == kKnown.end()) {
      return "pseudo-header field " + f.name + " is not defined for requests (RFC 9113 §8.3)";
    }
    if (f.name == ":protocol" && !rules.extended_connect) {
      return ":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §4)";
    }
    if (!p->emplace(f.name, f.value).second) return "more than one " + f.name + " (RFC 9113 §8.3.1)";
  }
  return {};
}

// RFC 9110 §8.6: every content-length value is a number, and they agree.
std::string request_content_length(const hpack::HeaderList& fields, std::optional<std::uint64_t>* length) {
  for (const auto& f : fields) {
    if (f.name != "content-length") continue;
    if (!all_digits(f.value) || f.value.size() > 19) {
      return "content-length \"" + f.value + "\" is not a number (RFC 9110 §8.6)";
    }
    const std::uint64_t n = std::stoull(f.value);
    if (*length && **length != n) return "two different content-length values (RFC 9110 §8.6)";
    *length = n;
  }
  return {};
}

// §8.5 (plain CONNECT: :authority host:port, no :scheme or :path) and RFC 8441 §4 (extended
// CONNECT: :scheme and :path as for any request).
std::string check_connect(const Pseudo& p, bool has_protocol) {
  const auto has = [&p](const char* name) { return p.count(name) != 0; };
  if (has_protocol) {
    if (!has(":scheme") || !has(":path")) return "extended CONNECT without :scheme or :path (RFC 8441 §4)";
    return {};
  }
  if (has(":scheme") || has(":path")) return "CONNECT with :scheme or :path (RFC 9113 §8.5)";
  if (!has(":authority")) return "CONNECT without :authority (RFC 9113 §8.5)";
  const std::string& a = p.at(":authority");
  const auto colon = a.rfind(':');
  if (colon == std::string::npos || colon == 0 || !all_digits(a.substr(colon + 1)) || a.size() - colon > 20) {
    return "CONNECT :authority \"" + a + "\" is not host:port (RFC 9113 §8.5)";
  }
  return {};
}

// §8.3.1: :scheme and a non-empty :path; for http and https an origin-form path (or "*" for
// OPTIONS) and no userinfo in :authority.
std::string check_target(const Pseudo& p) {
  const auto has = [&p](const char* name) { return p.count(name) != 0; };
  if (!has(":scheme")) return "a request without :scheme (RFC 9113 §8.3.1)";
  if (!has(":path")) return "a request without :path (RFC 9113 §8.3.1)";
  const std::string& scheme = p.at(":scheme");
  const std::string& path = p.at(":path");
  const bool web = iequals(scheme, "http") || iequals(scheme, "https");
  if (path.empty()) return "an empty :path (RFC 9113 §8.3.1)";
  if (web && path[0] != '/' && !(path == "*" && p.at(":method") == "OPTIONS")) {
    return ":path \"" + path + "\" is neither origin-form nor \"*\" for OPTIONS (RFC 9113 §8.3.1)";
  }
  if (web && has(":authority") && p.at(":authority").find('@') != std::string::npos) {
    return ":authority carries userinfo (RFC 9113 §8.3.1)";
  }
  return {};
}

MessageCheck check_request(const hpack::HeaderList& fields, const MessageRules& rules) {
  MessageCheck out;
  const auto fail = [](std::string problem, bool syntax = false) {
    MessageCheck m;
    m.problem = std::move(problem);
    m.field_syntax = syntax;
    return m;
  };
  // Syntax first, over every field: a server answers it with 400 (§8.2.1) whatever else is wrong.
  for (const auto& f : fields) {
    if (auto bad = check_name(f.name, rules); !bad.empty()) return fail(bad, true);
    if (auto bad = check_value(f.name, f.value, rules); !bad.empty()) return fail(bad, true);
  }
  if (auto bad = check_pseudo_first(fields); !bad.empty()) return fail(bad);
  for (const auto& f : fields) {
    if (auto bad = check_connection_specific(f, MessageKind::kRequest); !bad.empty()) return fail(bad);
  }
  Pseudo p;
  if (auto bad = collect_request_pseudo(fields, rules, &p); !bad.empty()) return fail(bad);
  if (auto bad = request_content_length(fields, &out.request.content_length); !bad.empty()) return fail(bad);
  if (p.count(":method") == 0) return fail("a request without :method (RFC 9113 §8.3.1)");
  const std::string& method = p.at(":method");
  if (!is_token(method)) return fail(":method \"" + method + "\" is not a token (RFC 9110 §9.1)");
  if (p.count(":scheme") != 0 && !is_scheme(p.at(":scheme"))) {
    return fail(":scheme \"" + p.at(":scheme") + "\" is not a scheme (RFC 3986 §3.1)");
  }
  const bool has_protocol = p.count(":protocol") != 0;
  if (has_protocol && method != "CONNECT") return fail(":protocol on a " + method + " request (RFC 8441 §4)");
  out.request.method = method;
  out.request.connect = method == "CONNECT";
  if (out.request.connect) {
    if (auto bad = check_connect(p, has_protocol); !bad.empty()) return fail(bad);
    if (!has_protocol) return out;
  }
  if (auto bad = check_target(p); !bad.empty()) return fail(bad);
  // §8.3.1: a Host field must not name another entity than :authority.
  const hpack::HeaderField* host = nullptr;
  for (const auto& f : fields) {
    if (f.name == "host") host = &f;
  }
  if (host != nullptr && p.count(":authority") != 0 && !iequals(host->value, p.at(":authority"))) {
    return fail("host \"" + host->value + "\" differs from :authority (RFC 9113 §8.3.1)");
  }
  return out;
}

}  // namespace

MessageCheck check_message(const hpack::HeaderList& fields, MessageKind kind, const MessageRules& rules) {
  MessageCheck out;
  switch (kind) {
    case MessageKind::kRequest: return check_request(fields, rules);
    case MessageKind::kResponse: out.problem = check_response(fields, rules); break;
    case MessageKind::kRequestTrailers:
    case MessageKind::kResponseTrailers: out.problem = check_trailers(fields, kind, rules); break;
    case MessageKind::kPromisedRequest: out.problem = check_promised_request(fields, rules); break;
  }
  return out;
}

}  // namespace h2conform::engine
