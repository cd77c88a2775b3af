// The case model: what a case file says, after loading and validation.
//
// Contract: plain data. Steps keep their validated JSON so that the interpreter reads them
// with the same names the case format documents (cases/README.md); the loader guarantees
// that every step and field it passes on is known and well-typed.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace h2conform::engine {

struct Requirement {
  std::string id;        // "9113-6.8-3"
  std::string section;   // "6.8"
  std::string keyword;   // "MUST, MUST NOT"
  std::string sentence;
};
using RequirementTable = std::map<std::string, Requirement>;

// The values of a case's "role": the role of the target it tests. We play the other one.
inline constexpr std::string_view kTargetServer = "server";
inline constexpr std::string_view kTargetClient = "client";

struct Case {
  std::string id;            // "rfc9113/6.8/goaway-on-stream" (matrix rows: ".../<row>")
  std::string file;          // the file it came from, relative to cases/
  std::string spec;          // "RFC 9113"
  std::string section;       // "RFC 9113 6.8"
  std::string section_number;  // "6.8"
  std::string level;         // "MUST", "SHOULD", "MAY"
  std::vector<std::string> requirement_ids;
  std::string requirements_note;
  std::vector<std::string> h2spec_ids;
  std::string h2spec_note;
  std::string requirement;
  std::string action;
  std::string role;          // the target's role: kTargetServer or kTargetClient
  std::string group;         // "http2", "hpack", "generic", "priority"
  std::vector<std::string> tags;
  int timeout_ms = 0;        // 0: the run's timeout
  nlohmann::json steps;      // validated array of steps, matrix values substituted
  nlohmann::json tls;        // the validated "tls" field (tls_case.h); null when absent
};

struct Catalogue {
  std::vector<Case> cases;   // in catalogue order (case_order.h)
};

}  // namespace h2conform::engine
