// The Priority field value (RFC 9218 §4): a Structured Fields Dictionary (RFC 9651 §3.2, §4.2).
//
// Contract: pure, no exceptions. Unknown keys, parameters and out-of-range or mistyped values are
// ignored (RFC 9218 §4); only a value that is not a Dictionary at all fails to parse.
#pragma once

#include <optional>
#include <string_view>

namespace h2conform::reference {

struct PriorityParams {
  int urgency = 3;           // u, 0..7 (RFC 9218 §4.1)
  bool incremental = false;  // i (RFC 9218 §4.2)
};

// nullopt when `text` is not a valid Structured Fields Dictionary.
std::optional<PriorityParams> parse_priority_field(std::string_view text);

}  // namespace h2conform::reference
