// Conversions from validated case-file JSON to wire values, shared by loader and interpreter.
//
// Contract: pure functions. On input the loader has not validated they return nullopt. The
// interpreter relies on the loader: where it reads such a value with value_or, an input the
// loader should have refused becomes that default, elsewhere nullopt is a harness error.
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
// Hex digits, spaces ignored.
std::optional<Octets> parse_hex(std::string_view text);
std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Octets& bytes) { return to_hex(bytes.data(), bytes.size()); }

// A list of flag names, a number, or "0x.." text.
std::optional<std::uint8_t> flags_from_json(const nlohmann::json& value, std::uint8_t frame_type);
std::optional<std::uint32_t> error_code_from_json(const nlohmann::json& value);
// One code or a list of codes.
std::optional<std::vector<std::uint32_t>> error_codes_from_json(const nlohmann::json& value);
std::optional<std::uint8_t> frame_type_from_json(const nlohmann::json& value);

}  // namespace h2conform::engine
