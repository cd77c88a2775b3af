#include "runner/engine/case/expressions.h"

#include <cctype>
#include <limits>

#include "runner/wire/frame.h"

namespace h2conform::engine {
namespace {

struct Cursor {
  std::string_view text;
  std::size_t pos = 0;
  void skip_spaces() {
    while (pos < text.size() && text[pos] == ' ') ++pos;
  }
  bool done() const { return pos >= text.size(); }
  char peek() const { return done() ? '\0' : text[pos]; }
};

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
}

std::optional<std::uint64_t> parse_decimal(std::string_view digits) {
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

bool resolve_name(std::string_view name, Expression* out, std::string* error) {
  struct Simple { std::string_view text; ValueName name; };
  static constexpr Simple kSimple[] = {
      {"next_stream", ValueName::kNextStream},       {"last_stream", ValueName::kLastStream},
      {"peer_stream", ValueName::kPeerStream},       {"max_frame_size", ValueName::kMaxFrameSize},
      {"conn_window", ValueName::kConnWindow},       {"stream_window", ValueName::kStreamWindow},
      {"max_window", ValueName::kMaxWindow},         {"max_header_length", ValueName::kMaxHeaderLength},
      {"scheme_index", ValueName::kSchemeIndex},
  };
  for (const auto& s : kSimple) {
    if (name == s.text) {
      out->name = s.name;
      return true;
    }
  }
  if (name.starts_with("stream.")) {
    auto n = parse_decimal(name.substr(7));
    if (!n || *n == 0) {
      *error = "\"$stream.N\" needs a positive N";
      return false;
    }
    out->name = ValueName::kNthStream;
    out->index = *n;
    return true;
  }
  if (name.starts_with("peer.")) {
    auto id = wire::parse_setting_id(name.substr(5));
    if (!id) {
      *error = "unknown setting \"" + std::string(name.substr(5)) + "\"";
      return false;
    }
    out->name = ValueName::kPeerSetting;
    out->setting = *id;
    return true;
  }
  *error = "unknown name \"$" + std::string(name) + "\"";
  return false;
}

}  // namespace

std::optional<Expression> parse_expression(std::string_view text, std::string* error) {
  Cursor cur{text};
  cur.skip_spaces();
  if (cur.peek() != '$') {
    *error = "an expression starts with '$'";
    return std::nullopt;
  }
  ++cur.pos;
  std::size_t start = cur.pos;
  while (!cur.done() && is_name_char(cur.peek())) ++cur.pos;
  Expression expr;
  if (!resolve_name(text.substr(start, cur.pos - start), &expr, error)) return std::nullopt;
  for (;;) {
    cur.skip_spaces();
    if (cur.done()) return expr;
    char op = cur.peek();
    if (op != '+' && op != '-') {
      *error = "expected '+' or '-' at offset " + std::to_string(cur.pos);
      return std::nullopt;
    }
    ++cur.pos;
    cur.skip_spaces();
    std::size_t digits = cur.pos;
    while (!cur.done() && std::isdigit(static_cast<unsigned char>(cur.peek())) != 0) ++cur.pos;
    auto n = parse_decimal(text.substr(digits, cur.pos - digits));
    if (!n) {
      *error = "expected a decimal number at offset " + std::to_string(digits);
      return std::nullopt;
    }
    expr.offset += op == '+' ? static_cast<std::int64_t>(*n) : -static_cast<std::int64_t>(*n);
  }
}

ValueResult evaluate(const Expression& expr, ExpressionScope& scope) {
  ValueResult r;
  std::int64_t base = 0;
  switch (expr.name) {
    case ValueName::kNextStream: base = scope.take_next_stream(); break;
    case ValueName::kLastStream: base = scope.last_stream(); break;
    case ValueName::kPeerStream: base = scope.peer_stream(); break;
    case ValueName::kMaxWindow: base = wire::kMaxWindowSize; break;
    case ValueName::kConnWindow: base = scope.conn_window(); break;
    case ValueName::kStreamWindow: base = scope.stream_window(); break;
    case ValueName::kMaxHeaderLength: base = scope.max_header_length(); break;
    case ValueName::kSchemeIndex: {
      auto index = scheme_static_index(scope.scheme());
      if (!index) {
        return {ValueResult::Status::kError, 0,
                "$scheme_index: the run's scheme \"" + std::string(scope.scheme()) +
                    "\" has no entry in the HPACK static table"};
      }
      base = *index;
      break;
    }
    case ValueName::kMaxFrameSize:
      base = scope.peer_setting(static_cast<std::uint16_t>(wire::SettingId::kMaxFrameSize))
                 .value_or(wire::kDefaultMaxFrameSize);
      break;
    case ValueName::kNthStream: {
      auto id = scope.nth_stream(expr.index);
      if (!id) {
        return {ValueResult::Status::kError, 0,
                "$stream." + std::to_string(expr.index) + " was not taken yet"};
      }
      base = *id;
      break;
    }
    case ValueName::kPeerSetting: {
      auto v = scope.peer_setting(expr.setting);
      if (!v) {
        return {ValueResult::Status::kSkip, 0,
                "the target did not advertise " + wire::setting_name(expr.setting) +
                    ", which is unbounded by default"};
      }
      base = *v;
      break;
    }
  }
  r.value = base + expr.offset;
  return r;
}

std::optional<std::uint32_t> scheme_static_index(std::string_view scheme) {
  if (scheme == "http") return 6;
  if (scheme == "https") return 7;
  return std::nullopt;
}

ValueResult evaluate_value(const Number& number, ExpressionScope& scope, std::uint64_t max) {
  ValueResult r;
  if (const auto* literal = std::get_if<std::int64_t>(&number.value)) {
    r.value = *literal;
  } else {
    r = evaluate(std::get<Expression>(number.value), scope);
    if (!r.ok()) return r;
  }
  if (r.value < 0 || static_cast<std::uint64_t>(r.value) > max) {
    return {ValueResult::Status::kError, r.value,
            "value " + std::to_string(r.value) + " is outside 0.." + std::to_string(max)};
  }
  return r;
}

}  // namespace h2conform::engine
