// How an error code the target sent is graded against the codes a case names: the rules of
// RFC 9113 §5.4 and §5.4.1, in one place. Every outcome about errors (connection_error,
// stream_error, malformed) goes through judge_error_code; case files never restate them.
//
// Rules, each with its sentence (docs/grading.md lists them for users):
// - A named code: pass.
// - PROTOCOL_ERROR or INTERNAL_ERROR in place of a named specific code: pass, marked
//   generic_code. §5.4: "a generic error code (such as PROTOCOL_ERROR or INTERNAL_ERROR) can
//   always be used in place of more specific error codes."
// - INTERNAL_ERROR where PROTOCOL_ERROR is named: non_strict. PROTOCOL_ERROR is itself the
//   generic code the RFC names, so whether INTERNAL_ERROR ("an unexpected internal error")
//   may stand in for it is contested; the reason says so.
// - NO_ERROR for an error: fail. §7: NO_ERROR means "The associated condition is not a result
//   of an error."
// - Any other code: fail (a different specific code reports a different error).
// - A stream error reported as a connection error: judged like the stream error's code, never
//   worse. §5.4.1: "an endpoint MAY choose to treat a stream error as a connection error."
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace h2conform::engine {

enum class CodeGrade { kNamed, kGeneric, kContested, kNoError, kOther };

struct CodeJudgement {
  CodeGrade grade = CodeGrade::kOther;
  std::string why;  // "" for kNamed; otherwise the rule, with its section
};

// `named` empty means any code is acceptable (kNamed).
CodeJudgement judge_error_code(std::uint32_t seen, const std::vector<std::uint32_t>& named);

// PROTOCOL_ERROR and INTERNAL_ERROR (§5.4).
bool is_generic_code(std::uint32_t code);

}  // namespace h2conform::engine
