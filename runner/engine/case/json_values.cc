#include "runner/engine/case/json_values.h"

#include "runner/wire/frame.h"
#include "runner/wire/hex.h"

namespace h2conform::engine {

std::optional<std::uint64_t> parse_number(std::string_view text) {
  int base = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty() || text.size() > 16) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    int d = wire::hex_digit(c);
    if (d < 0 || d >= base) return std::nullopt;
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  return value;
}

std::optional<Octets> parse_hex(std::string_view text) { return wire::parse_hex(text); }

std::string to_hex(const std::uint8_t* data, std::size_t size) { return wire::to_hex(wire::ByteView(data, size)); }

std::optional<std::uint8_t> flags_from_json(const nlohmann::json& value, std::uint8_t frame_type) {
  if (value.is_number_unsigned() && value.get<std::uint64_t>() <= 255) {
    return static_cast<std::uint8_t>(value.get<std::uint64_t>());
  }
  if (value.is_string()) {
    auto n = parse_number(value.get<std::string>());
    if (!n || *n > 255) return std::nullopt;
    return static_cast<std::uint8_t>(*n);
  }
  if (!value.is_array()) return std::nullopt;
  std::uint8_t flags = 0;
  for (const auto& name : value) {
    if (!name.is_string()) return std::nullopt;
    auto f = wire::parse_flag(frame_type, name.get<std::string>());
    if (!f) return std::nullopt;
    flags = static_cast<std::uint8_t>(flags | *f);
  }
  return flags;
}

}  // namespace h2conform::engine
