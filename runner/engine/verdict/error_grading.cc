// RFC 9113 §5.4 error-code grading; see error_grading.h for the rules and their sentences.
#include "runner/engine/verdict/error_grading.h"

#include <algorithm>

#include "runner/wire/frame.h"

namespace h2conform::engine {
namespace {

constexpr auto kNoError = static_cast<std::uint32_t>(wire::ErrorCode::kNoError);
constexpr auto kProtocol = static_cast<std::uint32_t>(wire::ErrorCode::kProtocolError);
constexpr auto kInternal = static_cast<std::uint32_t>(wire::ErrorCode::kInternalError);

bool contains(const std::vector<std::uint32_t>& codes, std::uint32_t code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string names(const std::vector<std::uint32_t>& codes) {
  std::string out;
  for (std::size_t i = 0; i < codes.size(); ++i) out += (i == 0 ? "" : " or ") + wire::error_code_name(codes[i]);
  return out;
}

}  // namespace

bool is_generic_code(std::uint32_t code) { return code == kProtocol || code == kInternal; }

CodeJudgement judge_error_code(std::uint32_t seen, const std::vector<std::uint32_t>& named) {
  if (named.empty() || contains(named, seen)) return {CodeGrade::kNamed, ""};
  if (seen == kNoError) {
    return {CodeGrade::kNoError, "NO_ERROR reports no error (RFC 9113 §7)"};
  }
  // NO_ERROR is no error code a generic one could stand in for.
  const bool specific_named =
      std::any_of(named.begin(), named.end(), [](std::uint32_t c) { return c != kNoError && !is_generic_code(c); });
  if (is_generic_code(seen) && specific_named) {
    return {CodeGrade::kGeneric,
            "a generic code in place of " + names(named) + " (RFC 9113 §5.4: a generic error code can always be "
            "used in place of more specific error codes)"};
  }
  if (seen == kInternal && contains(named, kProtocol)) {
    return {CodeGrade::kContested,
            "INTERNAL_ERROR where PROTOCOL_ERROR is named; RFC 9113 §5.4 lets a generic code replace a "
            "specific one, and whether INTERNAL_ERROR may replace the generic PROTOCOL_ERROR is contested"};
  }
  return {CodeGrade::kOther, ""};
}

}  // namespace h2conform::engine
