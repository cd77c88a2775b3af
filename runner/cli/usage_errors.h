// Usage errors in h2conform's words: CLI11's parse errors rewritten to name the flag and say
// what is wrong ("--port: \"abc\" is not a number", "unknown flag --bogus (see --help)"), and
// validators whose messages read that way and add nothing to --help.
//
// Contract: pure functions of their arguments; main.cc prints the result with the
// "h2conform: " prefix and exits 64.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace h2conform::cli {

// One line, without the "h2conform: " prefix.
std::string describe_parse_error(const CLI::ParseError& error);

// A decimal integer in [min, max]: "\"abc\" is not a number", "70000 is out of range (1 to 65535)".
CLI::Validator integer_in_range(long long min, long long max);
// A decimal number (fractions allowed) in [min, max], with the same messages.
CLI::Validator number_in_range(double min, double max);
// --color's words: auto, always, never.
CLI::Validator colour_word();
// Any text but the empty string: "the value is empty".
CLI::Validator not_empty();

}  // namespace h2conform::cli
