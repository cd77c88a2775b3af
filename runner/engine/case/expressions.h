// Value expressions in case files: "$max_frame_size + 1", "$stream.2", "$peer.INITIAL_WINDOW_SIZE",
// "$scheme_index".
//
// Contract: parse_expression is pure and reports syntax errors as values; the loader calls it,
// so the interpreter only evaluates. evaluate asks an ExpressionScope (the connection model)
// for names; "$next_stream" consumes a stream id. A peer setting that is unbounded and was not
// advertised yields kSkip (the case is skipped).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace h2conform::engine {

enum class ValueName {
  kNextStream, kLastStream, kNthStream, kPeerStream, kMaxFrameSize, kPeerSetting,
  kConnWindow, kStreamWindow, kMaxWindow, kMaxHeaderLength, kSchemeIndex,
};

struct Expression {
  ValueName name = ValueName::kMaxWindow;
  std::uint64_t index = 0;    // kNthStream: N (1-based)
  std::uint16_t setting = 0;  // kPeerSetting: the setting id
  std::int64_t offset = 0;    // the sum of the "+ n" / "- n" terms
};

// "$name" followed by any number of "+ n" / "- n" terms (decimal literals).
std::optional<Expression> parse_expression(std::string_view text, std::string* error);

// What names resolve to. Implemented by the connection model.
class ExpressionScope {
 public:
  virtual ~ExpressionScope() = default;
  virtual std::uint32_t take_next_stream() = 0;
  virtual std::uint32_t last_stream() const = 0;
  virtual std::optional<std::uint32_t> nth_stream(std::uint64_t n) const = 0;
  virtual std::uint32_t peer_stream() const = 0;
  // nullopt: the setting is unbounded by default and the peer did not send it.
  virtual std::optional<std::uint32_t> peer_setting(std::uint16_t id) const = 0;
  virtual std::int64_t conn_window() const = 0;
  virtual std::int64_t stream_window() const = 0;
  // The run's --max-header-length (h2spec's option): the longest field value cases send.
  virtual std::uint32_t max_header_length() const = 0;
  // The run's :scheme ("http" over cleartext, "https" over TLS), for "$scheme_index".
  virtual std::string_view scheme() const = 0;
};

struct ValueResult {
  enum class Status { kOk, kSkip, kError };
  Status status = Status::kOk;
  std::int64_t value = 0;
  std::string message;  // kSkip / kError: why
  bool ok() const { return status == Status::kOk; }
};

ValueResult evaluate(const Expression& expression, ExpressionScope& scope);
// The HPACK static table index of ":scheme: <scheme>" (RFC 7541 Appendix A): 6 for "http",
// 7 for "https", nullopt for any other scheme, which has no entry.
std::optional<std::uint32_t> scheme_static_index(std::string_view scheme);
// A number as a case file writes it, parsed by the loader: a literal or an expression.
struct Number {
  std::variant<std::int64_t, Expression> value = std::int64_t{0};
  static Number literal(std::int64_t v) { return {v}; }
};

// The number's value, checked against [0, max].
ValueResult evaluate_value(const Number& number, ExpressionScope& scope, std::uint64_t max);

}  // namespace h2conform::engine
