// The case model: what a case file says, after loading and validation.
//
// Contract: plain data. The runnable script (steps and "tls" field, typed) is in script.h,
// which this header only names, so that the result model (h2c_results) stays free of wire/
// and hpack/. The case's steps also stay as the JSON the file gave (matrix values
// substituted), for display only (`show`); nothing runs them from JSON.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace h2conform::engine {

struct Script;  // script.h

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
  std::vector<std::string> aliases;  // earlier ids (renamed or merged cases); selecting one selects this case
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
  nlohmann::json steps_source;  // the steps as written, matrix values substituted (display only)
  std::shared_ptr<const Script> script;  // what runs: typed steps and "tls" field (script.h)
};

struct Catalogue {
  std::vector<Case> cases;   // in catalogue order (case_order.h)
};

}  // namespace h2conform::engine
