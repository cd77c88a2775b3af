// A Structured Fields Dictionary parser (RFC 9651 §4.2) just deep enough to read the Priority
// parameters u and i (RFC 9218 §4); every other member is parsed and dropped.
#include "tests/reference/reference_priority.h"

#include <cctype>
#include <cstdint>
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

  // The last member with a key wins (RFC 9651 §4.2.2). If RFC 9218 §4 ignores it (out of range,
  // wrong type), its parameter is back at the default, not at an earlier member's value.
  static void record(const std::string& key, const Bare& v, PriorityParams* out) {
    const PriorityParams defaults;
    if (key == "u") {
      const bool valid = v.kind == Kind::kInteger && v.integer >= 0 && v.integer <= 7;
      out->urgency = valid ? static_cast<int>(v.integer) : defaults.urgency;
    }
    if (key == "i") out->incremental = v.kind == Kind::kBoolean ? v.boolean : defaults.incremental;
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
    auto hex = [](char c) { return digit(c) ? c - '0' : c - 'a' + 10; };
    std::string bytes;
    while (!done()) {
      const char c = s_[i_++];
      if (c == '"') return valid_utf8(bytes);  // "Fail parsing if decoding fails"
      if (c < 0x20 || c > 0x7e) return false;
      if (c == '%') {
        if (i_ + 2 > s_.size() || !lchex(s_[i_]) || !lchex(s_[i_ + 1])) return false;
        bytes.push_back(static_cast<char>(hex(s_[i_]) * 16 + hex(s_[i_ + 1])));
        i_ += 2;
      } else {
        bytes.push_back(c);
      }
    }
    return false;
  }

  // UTF-8 as RFC 3629 §4 defines it: shortest forms only, no surrogates, nothing past U+10FFFF.
  static bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
      const auto b = static_cast<unsigned char>(s[i]);
      const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
      if (n == 0 || i + n > s.size()) return false;
      std::uint32_t cp = n == 1 ? b : b & (0x7f >> n);
      for (std::size_t k = 1; k < n; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xc0) != 0x80) return false;
        cp = (cp << 6) | (c & 0x3f);
      }
      static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
      i += n;
    }
    return true;
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
