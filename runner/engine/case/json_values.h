// Number, hex and flag conversions for the case-file loader (and hex for transcripts).
//
// Contract: pure functions; input they cannot convert is nullopt, which the loader turns into a
// LoadError naming the value. The interpreter reads no case-file JSON (script.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace h2conform::engine {

using Octets = std::vector<std::uint8_t>;

// "255", "0xff".
std::optional<std::uint64_t> parse_number(std::string_view text);
// wire/hex.h's rules: hex digits in pairs, ASCII whitespace between pairs ignored.
std::optional<Octets> parse_hex(std::string_view text);
std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Octets& bytes) { return to_hex(bytes.data(), bytes.size()); }

// A list of flag names, a number, or "0x.." text.
std::optional<std::uint8_t> flags_from_json(const nlohmann::json& value, std::uint8_t frame_type);

}  // namespace h2conform::engine
