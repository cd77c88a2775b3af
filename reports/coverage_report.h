// Requirement coverage: for every MUST / MUST NOT row of RFC 9113 and RFC 7541 that binds a
// server, the server cases that cite it, or the reason recorded in docs/coverage/*.tsv why no
// case does, and the share of rows covered by cases.
//
// Reason files: a header line "id<TAB>status<TAB>reason", then one row per requirement id;
// status is client-only (the row binds only clients: left out of the count), intermediary-only
// (the row binds only intermediaries forwarding to another hop, never an origin server: left out
// of the count too, and listed), unobservable (nothing on the wire shows it) or
// covered-by-other-rows. Blank lines and lines starting
// with '#' are ignored.
//
// Contract: pure functions of plain data (the catalogue, the requirement table, the reasons);
// errors are values. Never calls the engine.
#pragma once

#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "runner/engine/model/case_model.h"

namespace h2conform::reports {

struct CoverageReason {
  std::string status;  // "client-only", "intermediary-only", "unobservable", "covered-by-other-rows"
  std::string reason;
  std::string where;   // "file.tsv:12", for messages
};
using CoverageReasons = std::map<std::string, CoverageReason>;

// Parses one reason file into *out. Returns "" or "<file>:<line>: <what is wrong>".
// An id already in *out is an error (each row gets one reason).
std::string parse_coverage_reasons(const std::string& text, const std::string& file,
                                   CoverageReasons* out);
// Every *.tsv in `dir`, in name order; a missing folder means no reasons.
std::string load_coverage_reasons(const std::filesystem::path& dir, CoverageReasons* out);

enum class RowStatus {
  kCovered, kUnobservable, kCoveredByOtherRows, kUncovered, kClientOnly, kIntermediaryOnly,
};
std::string to_string(RowStatus status);  // "covered", "unobservable", ...

struct CoverageRow {
  std::string id;       // "9113-6.8-3"
  std::string spec;     // "RFC 9113"
  std::string section;
  std::string keyword;
  std::string sentence;
  RowStatus status = RowStatus::kUncovered;
  std::vector<std::string> cases;  // ids of server cases citing the row
  std::string reason;              // the recorded reason, if any
};

struct SpecCoverage {
  std::string spec;
  int binding = 0;      // rows that bind an origin server (client- and intermediary-only left out)
  int covered = 0;      // ... cited by at least one case
  int reasoned = 0;     // ... with no case but a recorded reason
  int uncovered = 0;    // ... with neither
  int client_only = 0;  // left out of `binding`
  int intermediary_only = 0;  // left out of `binding`
  double percent() const { return binding == 0 ? 0.0 : 100.0 * covered / binding; }
};

struct Coverage {
  std::vector<CoverageRow> rows;      // in RFC order: RFC 9113 first, then RFC 7541
  std::vector<SpecCoverage> specs;    // one per spec
  std::vector<std::string> problems;  // reasons naming requirement ids no table has
};

// `cases`: the cases to count (a selection or the whole catalogue); only role "server" cases
// cover a row.
Coverage compute_coverage(const std::vector<const engine::Case*>& cases,
                          const engine::RequirementTable& requirements,
                          const CoverageReasons& reasons);

// Short form for `--dryrun --coverage`: totals per spec and the rows with neither case nor reason.
void render_coverage_text(const Coverage& coverage, std::ostream& out);
// The whole table as Markdown (docs/coverage.md).
void render_coverage_markdown(const Coverage& coverage, std::ostream& out);

}  // namespace h2conform::reports
