// Hex text <-> octets, for test data, vectors and the CLI. Pure functions, no exceptions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runner/wire/frame.h"

namespace h2conform::wire {

// The value of one hex digit (either case), or -1.
int hex_digit(char c);
// Lowercase, two digits per octet, no separators.
std::string to_hex(ByteView bytes);
// Accepts upper or lower case; ASCII whitespace between digit pairs is ignored. nullopt on an
// odd digit count or any other character.
std::optional<Bytes> parse_hex(std::string_view text);

}  // namespace h2conform::wire
