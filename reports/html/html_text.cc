#include "reports/html/html_text.h"

#include <cstdint>
#include <cstdio>

namespace h2conform::reports::html {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at text[pos] and its code point; 0 when invalid
// (overlong forms, surrogates and values above U+10FFFF are invalid).
std::size_t decode_utf8(std::string_view text, std::size_t pos, std::uint32_t* cp) {
  auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  std::size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (len == 0 || b0 > 0xF4 || pos + len > text.size()) return 0;
  std::uint32_t value = b0 & (0x7F >> len);
  for (std::size_t i = 1; i < len; ++i) {
    auto b = static_cast<unsigned char>(text[pos + i]);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMin[len] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *cp = value;
  return len;
}

void append_hex_escape(std::string& out, std::uint32_t value) {
  out += "\\x";
  out += kHex[(value >> 4) & 0xF];
  out += kHex[value & 0xF];
}

bool is_control(std::uint32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F);
}

void append_escaped(std::string& out, char ch) {
  switch (ch) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += ch;
  }
}

// Parses "RFC 9113" and the section after it; false when `text` is not in that form.
bool split_rfc_section(std::string_view text, std::string_view* number, std::string_view* section) {
  if (text.substr(0, 4) != "RFC ") return false;
  text.remove_prefix(4);
  auto end = text.find(' ');
  *number = text.substr(0, end);
  *section = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  if (number->empty() || number->size() > 5) return false;
  for (char ch : *number) {
    if (ch < '0' || ch > '9') return false;
  }
  for (char ch : *section) {
    bool ok = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    std::uint32_t cp = 0;
    std::size_t len = decode_utf8(text, pos, &cp);
    if (len == 0) {
      out += kReplacement;
      ++pos;
      continue;
    }
    out.append(text.substr(pos, len));
    pos += len;
  }
  return out;
}

std::string breakable_id(std::string_view id) {
  std::string out;
  for (std::size_t start = 0;;) {
    const std::size_t slash = id.find('/', start);
    if (slash == std::string_view::npos) return out + escape_html(id.substr(start));
    out += escape_html(id.substr(start, slash + 1 - start)) + "<wbr>";
    start = slash + 1;
  }
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t pos = 0; pos < text.size();) {
    std::uint32_t cp = 0;
    std::size_t len = decode_utf8(text, pos, &cp);
    if (len == 0) {
      out += kReplacement;
      ++pos;
    } else if (is_control(cp)) {
      append_hex_escape(out, cp);
      pos += len;
    } else if (len == 1) {
      append_escaped(out, text[pos++]);
    } else {
      out.append(text.substr(pos, len));
      pos += len;
    }
  }
  return out;
}

std::string json_for_script(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    if (ch == '<') {
      out += "\\u003c";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string rfc_section_url(std::string_view section) {
  std::string_view number, part;
  if (!split_rfc_section(section, &number, &part)) return "";
  std::string url = "https://www.rfc-editor.org/rfc/rfc" + std::string(number) + ".html";
  if (part.empty()) return url;
  bool appendix = part[0] >= 'A' && part[0] <= 'Z';
  return url + (appendix ? "#appendix-" : "#section-") + std::string(part);
}

std::string case_anchor(std::string_view id, std::string_view prefix) {
  std::string out(prefix);
  out += "case-";
  for (char ch : id) {
    auto b = static_cast<unsigned char>(ch);
    bool safe = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                b == '.' || b == '_' || b == '/' || b == ':' || b == '-';
    if (safe) {
      out += ch;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

std::string format_duration(double ms) {
  char buffer[32];
  if (ms >= 1000) {
    std::snprintf(buffer, sizeof buffer, "%.2f s", ms / 1000);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f ms", ms);
  }
  return buffer;
}

std::string format_ms(double ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", ms);
  return buffer;
}

}  // namespace h2conform::reports::html
