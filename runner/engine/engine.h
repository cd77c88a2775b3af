// The engine's public entry points: load a catalogue, select cases, run them.
//
// Contract: the engine never prints. It returns plain data (result.h) and reports progress
// through RunObserver. Case-file problems throw LoadError (the only exception, at the edge);
// everything a target does is data in the result.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/engine/case_model.h"
#include "runner/engine/connection_source.h"
#include "runner/engine/result.h"
#include "runner/engine/run_observer.h"
#include "runner/transport/transport.h"

namespace h2conform::engine {

// A case file problem: "cases/rfc9113/6.8-x.json: /steps/2/send/type: unknown frame type "FOO"";
// without a JSON pointer, "FILE: message".
class LoadError : public std::runtime_error {
 public:
  LoadError(std::string file, std::string pointer, std::string message)
      : std::runtime_error(file + ": " + (pointer.empty() ? "" : pointer + ": ") + message),
        file_(std::move(file)), pointer_(std::move(pointer)), message_(std::move(message)) {}
  const std::string& file() const { return file_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_, pointer_, message_;
};

// Loads specs_dir/requirements-*.tsv (id -> section, keyword, sentence).
RequirementTable load_requirements(const std::filesystem::path& specs_dir);

// Loads and validates every *.json below `dir` (matrix rows expanded), in catalogue order
// (case_order.h: by spec, numeric section, then id).
// Throws LoadError on the first bad file; ids must be unique.
Catalogue load_catalogue(const std::filesystem::path& dir, const RequirementTable& requirements);
// Loads one file (used by `validate` and the case_loader fuzzer).
std::vector<Case> load_case_text(const std::string& text, const std::string& file_name,
                                 const RequirementTable& requirements);

struct Selection {
  std::vector<std::string> selectors;  // empty: all. h2spec-style: http2, http2/6.5, hpack, ...
  std::vector<std::string> excludes;
  bool strict = false;                 // include SHOULD and MAY cases
  std::string role;                   // the target's role; the command decides (kTargetServer, ...)
};
std::vector<const Case*> select_cases(const Catalogue& catalogue, const Selection& selection);
// Whether `selector` matches at least one case of the catalogue, of any level and role: a
// selector that does not is misspelt (or names something the catalogue lacks).
bool is_known_selector(const Catalogue& catalogue, std::string_view selector);
// The known name closest to `selector` (groups, RFC and h2spec sections, case ids and their
// prefixes, h2spec ids), compared without case by edit distance; "" when none is within
// max(2, length / 3) edits.
std::string closest_selector(const Catalogue& catalogue, std::string_view selector);
// Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The engine's notion of time; tests inject a fake that jumps to deadlines.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual transport::Clock::time_point now() = 0;
};
Clock& real_clock();

struct Target {
  std::string authority;               // ":authority" of the default request, "host:port"
  std::string scheme = "https";
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;  // --header, added to requests
  std::string body;                    // --body, sent by cases that need a request body
  std::uint32_t max_header_length = 4000;  // h2spec's --max-header-length
};

struct RunOptions {
  std::chrono::milliseconds timeout{2000};  // per case, h2spec's -o
  int parallel = 4;
  std::atomic<bool>* stop = nullptr;        // set by SIGINT/SIGTERM: no new cases start
  Clock* clock = nullptr;                   // nullptr: real_clock()
  RunSettings settings;                     // copied into the RunResult
  std::string tool_version;
  std::string target_label;
  // End connection_error expectations on evidence: PINGs answered after the offending frame
  // with no GOAWAY mean the target went on (see expect_step.cc). Off: wait for the deadline.
  bool error_probes = true;
};

// Runs one case on a fresh connection. Never throws for anything the target does.
CaseResult run_case(const Case& c, ConnectionSource& source, const Target& target,
                    const RunOptions& options);

// The header of a run's result (tool version, target label, start time now, settings) with no
// cases yet. run_cases starts from it; a caller that gives up on a run early uses it too.
RunResult new_run_result(const Target& target, const RunOptions& options);

// Runs cases (options.parallel at a time), in catalogue order in the result. After one failed
// connect and one failed reconnect, the remaining cases are target_down. Returns what finished
// when options.stop is set (RunResult::interrupted).
RunResult run_cases(const std::vector<const Case*>& cases, ConnectionSource& source,
                    const Target& target, const RunOptions& options, RunObserver* observer);

}  // namespace h2conform::engine
