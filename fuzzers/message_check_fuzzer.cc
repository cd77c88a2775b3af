// message_check: the RFC 9113 §8 message validator (runner/engine/message/message_check.h) over
// field lists built from the input, for every message kind and every rule combination.
//
// Input: octet 0 picks the kind, octet 1 the rules; then name, value, name, value... Each is one
// octet t and what follows: t >= 0xc0 takes entry (t - 0xc0) of a table of names or values that
// matter to §8 (so the fuzzer reaches the pseudo-header rules quickly), otherwise t % 64 literal
// octets follow.
//
// Properties: no crash; the same answer twice; every problem names the RFC rule it breaks;
// field_syntax only on a rejected request; a well-formed request reports its own :method and
// content-length. And what RFC 9113 says of any well-formed message, whatever its kind:
// - adding a field with an upper-case name makes it malformed (§8.2.1);
// - adding a connection-specific field (Connection) makes it malformed (§8.2.2);
// - repeating one of its pseudo-header fields makes it malformed (§8.3: "The same
//   pseudo-header field name MUST NOT appear more than once in a field block");
// - moving a pseudo-header field after a regular field makes it malformed (§8.3);
// - turning on the RFC 9110 field grammar can only reject more, and enabling extended CONNECT
//   can only accept more.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzzers/fuzz_check.h"
#include "runner/engine/message/message_check.h"

namespace {

using h2conform::engine::check_message;
using h2conform::engine::MessageCheck;
using h2conform::engine::MessageKind;
using h2conform::engine::MessageRules;
using h2conform::hpack::HeaderField;
using h2conform::hpack::HeaderList;

constexpr std::size_t kMaxInput = 4096;
constexpr std::size_t kMaxFields = 64;

constexpr std::array<std::string_view, 20> kNames = {
    ":method", ":scheme", ":authority", ":path", ":protocol", ":status", "content-length",
    "host", "te", "connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection",
    "user-agent", "cookie", "x-a", "accept", ":", ""};
constexpr std::array<std::string_view, 20> kValues = {
    "GET", "HEAD", "POST", "CONNECT", "OPTIONS", "http", "https", "/", "*", "example.com",
    "example.com:443", "200", "100", "trailers", "0", "10", "websocket", "", "a@b", " x"};

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return done() ? 0 : data_[pos_++]; }
  template <std::size_t N>
  std::string text(const std::array<std::string_view, N>& table) {
    const std::uint8_t t = byte();
    if (t >= 0xc0) return std::string(table[(t - 0xc0) % N]);
    const std::size_t len = std::min<std::size_t>(t % 64, size_ - pos_);
    std::string out(reinterpret_cast<const char*>(data_ + pos_), len);
    pos_ += len;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

bool same(const MessageCheck& a, const MessageCheck& b) {
  return a.problem == b.problem && a.field_syntax == b.field_syntax &&
         a.request.method == b.request.method && a.request.connect == b.request.connect &&
         a.request.content_length == b.request.content_length;
}

MessageCheck checked(const HeaderList& fields, MessageKind kind, const MessageRules& rules) {
  MessageCheck c = check_message(fields, kind, rules);
  FUZZ_CHECK(same(c, check_message(fields, kind, rules)));
  if (!c.ok()) {
    FUZZ_CHECK(c.problem.find("(RFC ") != std::string::npos && c.problem.back() == ')');
  }
  FUZZ_CHECK(!c.field_syntax || (!c.ok() && kind == MessageKind::kRequest));
  return c;
}

bool is_pseudo(const HeaderField& f) { return !f.name.empty() && f.name[0] == ':'; }

void check_request_info(const HeaderList& fields, const MessageCheck& c) {
  const HeaderField* method = nullptr;
  for (const auto& f : fields) {
    if (f.name == ":method") method = &f;
    if (f.name == "content-length") FUZZ_CHECK(c.request.content_length.has_value());
  }
  FUZZ_CHECK(method != nullptr && c.request.method == method->value);
  FUZZ_CHECK(c.request.connect == (method->value == "CONNECT"));
}

// What must break a well-formed message, whatever its kind.
void check_breakers(const HeaderList& fields, MessageKind kind, const MessageRules& rules) {
  HeaderList upper = fields;
  upper.push_back(HeaderField{"x-Upper", "v"});
  const MessageCheck u = checked(upper, kind, rules);
  FUZZ_CHECK(!u.ok());
  FUZZ_CHECK(u.field_syntax == (kind == MessageKind::kRequest));

  HeaderList connection = fields;
  connection.push_back(HeaderField{"connection", "close"});
  FUZZ_CHECK(!checked(connection, kind, rules).ok());

  std::size_t first_regular = fields.size();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!is_pseudo(fields[i])) {
      first_regular = i;
      break;
    }
  }
  if (first_regular == 0) return;  // no pseudo-header field to repeat or move
  HeaderList repeated = fields;
  repeated.insert(repeated.begin(), fields[0]);
  FUZZ_CHECK(!checked(repeated, kind, rules).ok());
  if (first_regular == fields.size()) return;  // no regular field to move it behind
  HeaderList moved = fields;
  moved.erase(moved.begin());
  moved.push_back(fields[0]);
  FUZZ_CHECK(!checked(moved, kind, rules).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  Reader in(data, size);
  const auto kind = static_cast<MessageKind>(in.byte() % 5);
  const std::uint8_t rule_bits = in.byte();
  MessageRules rules;
  rules.field_grammar = (rule_bits & 1) != 0;
  rules.extended_connect = (rule_bits & 2) != 0;
  HeaderList fields;
  while (!in.done() && fields.size() < kMaxFields) {
    std::string name = in.text(kNames);
    std::string value = in.text(kValues);
    fields.push_back(HeaderField{std::move(name), std::move(value)});
  }

  const MessageCheck c = checked(fields, kind, rules);
  MessageRules stricter = rules;
  stricter.field_grammar = true;
  MessageRules laxer = rules;
  laxer.extended_connect = true;
  if (!c.ok()) {
    FUZZ_CHECK(!checked(fields, kind, stricter).ok());
    return 0;
  }
  FUZZ_CHECK(checked(fields, kind, laxer).ok());
  if (kind == MessageKind::kRequest) check_request_info(fields, c);
  check_breakers(fields, kind, rules);
  return 0;
}
