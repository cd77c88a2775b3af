#include "runner/cli/usage_errors.h"

#include <charconv>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "reports/terminal_report.h"

namespace h2conform::cli {
namespace {

std::string in_quotes(const std::string& text) { return "\"" + text + "\""; }

// Whole-string decimal parse; false on anything else (including "", "1x", " 1").
bool parse_integer(const std::string& text, long long* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end && !text.empty();
}

bool parse_number(const std::string& text, double* out) {
  if (text.empty() || text.find_first_not_of("0123456789.+-eE") != std::string::npos) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

template <typename T>
std::string format_number(T value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

template <typename T>
std::string check_range(const std::string& text, T value, T min, T max) {
  if (value >= min && value <= max) return {};
  return text + " is out of range (" + format_number(min) + " to " + format_number(max) + ")";
}

// "The following arguments were not expected: b a" -> {"b", "a"} (CLI11 joins them reversed).
std::vector<std::string> unexpected_arguments(const std::string& message) {
  std::vector<std::string> args;
  const auto colon = message.find(": ");
  std::istringstream words(colon == std::string::npos ? std::string() : message.substr(colon + 2));
  for (std::string word; words >> word;) args.insert(args.begin(), word);
  return args;
}

std::string describe_extras(const std::string& message) {
  const auto args = unexpected_arguments(message);
  if (args.empty()) return message;
  const std::string& first = args.front();
  if (first.size() > 1 && first[0] == '-') return "unknown flag " + first + " (see --help)";
  return "unexpected argument " + in_quotes(first) + " (see --help)";
}

}  // namespace

std::string describe_parse_error(const CLI::ParseError& error) {
  const std::string message = error.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) return describe_extras(message);
  if (message == "A subcommand is required") return "this command needs a subcommand (see --help)";
  // "--port: 1 required INT missing"
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr && message.ends_with(" missing"))
    return message.substr(0, message.find(':')) + ": needs a value";
  return message;
}

CLI::Validator integer_in_range(long long min, long long max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        long long value = 0;
        if (!parse_integer(text, &value)) return in_quotes(text) + " is not a number";
        return check_range(text, value, min, max);
      },
      "");
}

CLI::Validator number_in_range(double min, double max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        double value = 0;
        if (!parse_number(text, &value)) return in_quotes(text) + " is not a number";
        return check_range(text, value, min, max);
      },
      "");
}

CLI::Validator colour_word() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        reports::ColourChoice ignored;
        return reports::parse_colour_choice(text, &ignored) ? std::string()
                                                            : in_quotes(text) + " is not auto, always or never";
      },
      "");
}

CLI::Validator not_empty() {
  return CLI::Validator(
      [](std::string& text) -> std::string { return text.empty() ? "the value is empty" : std::string(); }, "");
}

}  // namespace h2conform::cli
