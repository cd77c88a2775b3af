// RFC spellings of frame types, error codes, settings and flags, and their parsers. Frame types
// and flags come from the frame-type registry (frame_types.h).
#include <charconv>
#include <cstdio>

#include "runner/wire/frame.h"
#include "runner/wire/frame_types.h"

namespace h2conform::wire {
namespace {

struct Name {
  std::uint32_t value;
  const char* text;
};

// RFC 9113 §7.
constexpr Name kErrorCodeNames[] = {
    {0x0, "NO_ERROR"},          {0x1, "PROTOCOL_ERROR"},      {0x2, "INTERNAL_ERROR"},
    {0x3, "FLOW_CONTROL_ERROR"}, {0x4, "SETTINGS_TIMEOUT"},   {0x5, "STREAM_CLOSED"},
    {0x6, "FRAME_SIZE_ERROR"},  {0x7, "REFUSED_STREAM"},      {0x8, "CANCEL"},
    {0x9, "COMPRESSION_ERROR"}, {0xa, "CONNECT_ERROR"},       {0xb, "ENHANCE_YOUR_CALM"},
    {0xc, "INADEQUATE_SECURITY"}, {0xd, "HTTP_1_1_REQUIRED"},
};

// RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1.
constexpr Name kSettingNames[] = {
    {0x1, "SETTINGS_HEADER_TABLE_SIZE"},    {0x2, "SETTINGS_ENABLE_PUSH"},
    {0x3, "SETTINGS_MAX_CONCURRENT_STREAMS"}, {0x4, "SETTINGS_INITIAL_WINDOW_SIZE"},
    {0x5, "SETTINGS_MAX_FRAME_SIZE"},       {0x6, "SETTINGS_MAX_HEADER_LIST_SIZE"},
    {0x8, "SETTINGS_ENABLE_CONNECT_PROTOCOL"}, {0x9, "SETTINGS_NO_RFC7540_PRIORITIES"},
};

std::string hex_name(std::uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", value);
  return buf;
}

template <std::size_t N>
std::string lookup_name(const Name (&table)[N], std::uint32_t value) {
  for (const Name& n : table) {
    if (n.value == value) return n.text;
  }
  return hex_name(value);
}

// "0x1f" (hex) or "31" (decimal), the whole text, within max.
std::optional<std::uint32_t> parse_number(std::string_view text, std::uint32_t max) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc() || ptr != text.data() + text.size() || value > max) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

template <std::size_t N>
std::optional<std::uint32_t> parse_name(const Name (&table)[N], std::string_view text,
                                        std::uint32_t max) {
  for (const Name& n : table) {
    if (text == n.text) return n.value;
  }
  return parse_number(text, max);
}

}  // namespace

std::string to_string(FrameType type) { return frame_type_name(static_cast<std::uint8_t>(type)); }
std::string frame_type_name(std::uint8_t type) {
  const FrameTypeInfo* info = find_frame_type(type);
  return info != nullptr ? std::string(info->name) : hex_name(type);
}
std::string to_string(ErrorCode code) { return error_code_name(static_cast<std::uint32_t>(code)); }
std::string error_code_name(std::uint32_t code) { return lookup_name(kErrorCodeNames, code); }
std::string setting_name(std::uint16_t id) { return lookup_name(kSettingNames, id); }

std::optional<std::uint8_t> parse_frame_type(std::string_view text) {
  if (const FrameTypeInfo* info = find_frame_type(text)) return info->code();
  auto v = parse_number(text, 0xff);
  if (!v) return std::nullopt;
  return static_cast<std::uint8_t>(*v);
}

std::optional<std::uint32_t> parse_error_code(std::string_view text) {
  return parse_name(kErrorCodeNames, text, 0xffffffff);
}

std::optional<std::uint16_t> parse_setting_id(std::string_view text) {
  for (const Name& n : kSettingNames) {
    std::string_view full = n.text;
    if (text == full || text == full.substr(9)) return static_cast<std::uint16_t>(n.value);
  }
  auto v = parse_number(text, 0xffff);
  if (!v) return std::nullopt;
  return static_cast<std::uint16_t>(*v);
}

std::optional<std::uint8_t> parse_flag(std::uint8_t type, std::string_view name) {
  if (auto bit = find_flag(type, name)) return bit;
  auto v = parse_number(name, 0xff);
  if (!v) return std::nullopt;
  return static_cast<std::uint8_t>(*v);
}

std::string flags_to_string(std::uint8_t type, std::uint8_t flags) {
  if (flags == 0) return "0x0";
  std::string out;
  std::uint8_t rest = flags;
  const FrameTypeInfo* info = find_frame_type(type);
  for (const FlagInfo& f : info != nullptr ? info->flags : std::span<const FlagInfo>{}) {
    if ((flags & f.bit) == 0) continue;
    if (!out.empty()) out += '|';
    out += f.name;
    rest = static_cast<std::uint8_t>(rest & ~f.bit);
  }
  if (rest != 0) {
    if (!out.empty()) out += '|';
    out += hex_name(rest);
  }
  return out;
}

}  // namespace h2conform::wire
