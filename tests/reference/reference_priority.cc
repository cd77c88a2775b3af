// A Structured Fields Dictionary parser (RFC 9651 §4.2) just deep enough to read the Priority
// parameters u and i (RFC 9218 §4); every other member is parsed and dropped.
#include "tests/reference/reference_priority.h"

#include <cctype>
#include <string>

namespace h2conform::reference {
namespace {

enum class Kind { kNone, kInteger, kBoolean, kOther };

struct Bare {
  Kind kind = Kind::kNone;
  long long integer = 0;
  bool boolean = false;
};

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  bool dictionary(PriorityParams* out) {
    skip_sp();
    while (!done()) {
      std::string key;
      if (!parse_key(&key)) return false;
      Bare value{Kind::kBoolean, 0, true};
      if (peek('=')) {
        ++i_;
        if (peek('(')) {
          if (!inner_list()) return false;
          value.kind = Kind::kOther;
        } else if (!bare_item(&value)) {
          return false;
        }
      }
      if (!parameters()) return false;
      record(key, value, out);
      skip_ows();
      if (done()) return true;
      if (!peek(',')) return false;
      ++i_;
      skip_ows();
      if (done()) return false;  // a trailing comma (RFC 9651 §4.2.2)
    }
    return true;
  }

  bool finished() {
    skip_sp();
    return done();
  }

 private:
  bool done() const { return i_ >= s_.size(); }
  bool peek(char c) const { return !done() && s_[i_] == c; }
  char cur() const { return done() ? '\0' : s_[i_]; }
  void skip_sp() { while (peek(' ')) ++i_; }
  void skip_ows() { while (peek(' ') || peek('\t')) ++i_; }
  static bool lcalpha(char c) { return c >= 'a' && c <= 'z'; }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  static bool alpha(char c) { return lcalpha(c) || (c >= 'A' && c <= 'Z'); }
  static bool tchar(char c) {
    return alpha(c) || digit(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  }

  static void record(const std::string& key, const Bare& v, PriorityParams* out) {
    if (key == "u" && v.kind == Kind::kInteger && v.integer >= 0 && v.integer <= 7) {
      out->urgency = static_cast<int>(v.integer);
    }
    if (key == "i" && v.kind == Kind::kBoolean) out->incremental = v.boolean;
  }

  bool parse_key(std::string* key) {  // RFC 9651 §4.2.3.3
    if (!(lcalpha(cur()) || peek('*'))) return false;
    while (!done() && (lcalpha(cur()) || digit(cur()) || std::string_view("_-.*").find(cur()) != std::string_view::npos)) {
      key->push_back(s_[i_++]);
    }
    return true;
  }

  bool parameters() {  // RFC 9651 §4.2.3.2
    while (peek(';')) {
      ++i_;
      skip_sp();
      std::string key;
      if (!parse_key(&key)) return false;
      Bare ignored;
      if (peek('=')) {
        ++i_;
        if (!bare_item(&ignored)) return false;
      }
    }
    return true;
  }

  bool inner_list() {  // RFC 9651 §4.2.1.2
    ++i_;
    while (!done()) {
      skip_sp();
      if (peek(')')) {
        ++i_;
        return parameters();
      }
      Bare ignored;
      if (!bare_item(&ignored) || !parameters()) return false;
      if (!peek(' ') && !peek(')')) return false;
    }
    return false;
  }

  bool bare_item(Bare* v) {  // RFC 9651 §4.2.3.1
    const char c = cur();
    v->kind = Kind::kOther;
    if (c == '-' || digit(c)) return number(v, false);
    if (c == '"') return string_item();
    if (alpha(c) || c == '*') return token();
    if (c == ':') return byte_sequence();
    if (c == '?') return boolean(v);
    if (c == '@') {
      ++i_;
      Bare date;
      return number(&date, true);
    }
    if (c == '%') return display_string();
    return false;
  }

  bool number(Bare* v, bool integer_only) {  // RFC 9651 §4.2.4
    bool negative = false;
    if (peek('-')) { negative = true; ++i_; }
    std::size_t digits = 0, frac = 0;
    bool decimal = false;
    long long value = 0;
    while (!done() && (digit(cur()) || (cur() == '.' && !decimal && !integer_only))) {
      if (cur() == '.') {
        if (digits > 12) return false;
        decimal = true;
      } else if (decimal) {
        ++frac;
      } else {
        ++digits;
        value = value * 10 + (cur() - '0');
      }
      ++i_;
      if (digits > 15 || frac > 3) return false;
    }
    if (digits == 0 || (decimal && frac == 0)) return false;
    v->kind = decimal ? Kind::kOther : Kind::kInteger;
    v->integer = negative ? -value : value;
    return true;
  }

  bool string_item() {  // RFC 9651 §4.2.5
    ++i_;
    while (!done()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (!peek('"') && !peek('\\')) return false;
        ++i_;
      } else if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return false;
  }

  bool token() {  // RFC 9651 §4.2.6
    ++i_;
    while (!done() && (tchar(cur()) || peek(':') || peek('/'))) ++i_;
    return true;
  }

  bool byte_sequence() {  // RFC 9651 §4.2.7
    ++i_;
    while (!done() && (std::isalnum(static_cast<unsigned char>(cur())) || peek('+') || peek('/') || peek('='))) ++i_;
    if (!peek(':')) return false;
    ++i_;
    return true;
  }

  bool boolean(Bare* v) {  // RFC 9651 §4.2.8
    ++i_;
    if (!peek('0') && !peek('1')) return false;
    v->kind = Kind::kBoolean;
    v->boolean = s_[i_++] == '1';
    return true;
  }

  bool display_string() {  // RFC 9651 §4.2.10
    ++i_;
    if (!peek('"')) return false;
    ++i_;
    auto lchex = [](char c) { return digit(c) || (c >= 'a' && c <= 'f'); };
    while (!done()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c < 0x20 || c > 0x7e) return false;
      if (c == '%') {
        if (i_ + 2 > s_.size() || !lchex(s_[i_]) || !lchex(s_[i_ + 1])) return false;
        i_ += 2;
      }
    }
    return false;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<PriorityParams> parse_priority_field(std::string_view text) {
  PriorityParams params;
  Parser p(text);
  if (!p.dictionary(&params) || !p.finished()) return std::nullopt;
  return params;
}

}  // namespace h2conform::reference
