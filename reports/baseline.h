// Regression baselines: compare a run with an earlier run (a results file) or with a
// known-failures list, and say what got worse.
//
// Contract: pure functions of plain data, except load_known_failures, which reads one file.
// Errors are values: "FILE:LINE: what is wrong". A verdict counts as passing when it is pass,
// non_strict or skip, and as failing when it is fail, error or target_down.
//
// Known-failures list (text, UTF-8): one case id per line, optionally followed by a tab and
// the verdict it is expected to have (fail, error or target_down). '#' starts a comment that
// runs to the end of the line; blank lines are ignored. Example:
//   # nghttpd 1.52.0
//   rfc9113/6.8/goaway-on-stream
//   rfc9113/6.9/window-max<TAB>error
#pragma once

#include <filesystem>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "runner/engine/model/result.h"

namespace h2conform::reports {

bool is_passing(engine::Verdict verdict);  // pass, non_strict, skip
bool is_failing(engine::Verdict verdict);  // fail, error, target_down

enum class Change {
  kRegression,  // was passing, now failing; or a new case that fails
  kFixed,       // was failing, now passing
  kNew,         // not in the baseline, and not failing
  kGone,        // in the baseline, absent from this run
  kChanged,     // another verdict change (pass -> skip, fail -> error, ...)
};
std::string to_string(Change change);  // "regression", "fixed", "new", "gone", "changed"

struct CaseChange {
  std::string id;
  std::optional<engine::Verdict> before;  // nullopt: not in the baseline
  std::optional<engine::Verdict> after;   // nullopt: not in this run
  Change change = Change::kChanged;
  std::string reason;                     // the current reason (or the baseline's when gone)
  bool known = false;                     // a listed known failure: does not fail CI
};

struct BaselineDiff {
  std::string baseline_label;  // "nghttpd (2024-05-01T10:00:00Z)" or the known-failures file
  std::string current_label;
  std::vector<CaseChange> changes;  // sorted by id; unchanged cases are not listed
  int unchanged = 0;

  int count(Change change) const;
  int unknown_regressions() const;  // regressions not marked known
  const CaseChange* find(std::string_view id) const;  // nullptr when unchanged or absent
};

// Which baseline cases that the current run does not hold count as gone; the others are left
// out (neither gone nor counted as unchanged). A baseline case the run holds is always compared.
struct DiffScope {
  bool absent_are_gone = true;  // false: compare only the cases the current run holds
  bool must_only = false;       // an absent baseline case below MUST is left out (a run without
                                // --strict); list entries carry no level, so this skips none
};
// The scope of a fresh run: a whole-catalogue run (no selectors or excludes) that was not
// interrupted reports absent cases as gone, except SHOULD and MAY ones when it was not strict;
// a subset or an interrupted run compares only the cases it holds.
DiffScope scope_of_run(const engine::RunResult& current);

// A run against an earlier run of the same catalogue.
BaselineDiff compare_to_baseline(const engine::RunResult& baseline, const engine::RunResult& current,
                                 const DiffScope& scope = {});

struct KnownFailure {
  std::string id;
  std::optional<engine::Verdict> verdict;  // nullopt: any failing verdict
  int line = 0;
};
struct KnownFailures {
  std::string source;  // file name, for messages
  std::map<std::string, KnownFailure> entries;
};

// Parses the list format above. Returns "" and fills *out, or "SOURCE:LINE: message".
std::string parse_known_failures(std::istream& in, const std::string& source, KnownFailures* out);
// parse_known_failures on a file; "PATH: cannot open" when it cannot be read.
std::string load_known_failures(const std::filesystem::path& path, KnownFailures* out);
// Writes the list that a run would pass against: its failing cases, with their verdicts.
void write_known_failures(const engine::RunResult& run, std::ostream& out);

// A run against a known-failures list: a failing case not listed is a regression, a listed
// case that passes is fixed, a listed case failing with another verdict than the one listed
// is changed, and a listed case that did not run is gone (within `scope`).
BaselineDiff compare_to_known_failures(const KnownFailures& known, const engine::RunResult& current,
                                       const DiffScope& scope = {});
// Marks regressions whose id (and verdict, when the list gives one) is listed as known.
void mark_known_failures(const KnownFailures& known, BaselineDiff* diff);

// Exit policy for CI: 0 unless there are regressions not marked known, then 1.
int diff_exit_code(const BaselineDiff& diff);

// Where one case of the current run stands against the baseline: what the JUnit and HTML
// outputs mark. A case fails CI exactly when its standing is kRegression.
enum class Standing {
  kSame,          // passing, as in the baseline
  kRegression,    // a regression not marked known
  kKnownFailure,  // failing, and failing in the baseline too (or listed / marked known)
  kFixed,         // passing, failing in the baseline
  kNew,           // not in the baseline, passing
  kChanged,       // passing, with another passing verdict than in the baseline
};
std::string to_string(Standing standing);  // "same", "regression", "known_failure", ...
// `c` must be a case of the run the diff was computed for.
Standing standing_of(const BaselineDiff& diff, const engine::CaseResult& c);

// "Regressions (2):" and so on, one line per case, then the totals line
// "2 regressions, 1 fixed, 0 new, 0 gone, 1 changed, 40 unchanged". Peer text is made printable.
void render_diff_text(const BaselineDiff& diff, std::ostream& out);

}  // namespace h2conform::reports
