// The terminal report, laid out like h2spec's: group and section headings, one line per case
// (✓ pass, ✗ fail, ! error or target_down, - skip, ~ non_strict), indented details for cases
// that did not pass, a "Failures:" recap, and as the very last line
// "N passed, N failed, N skipped" (non_strict counts as passed, error and target_down as failed).
//
// Contract: pure functions of a const RunResult and an output stream; they never call the
// engine. Text that came from a peer is printed with control bytes shown as \xNN, so a target
// cannot drive the terminal.
#pragma once

#include <ostream>
#include <string>

#include "reports/baseline.h"
#include "runner/engine/result.h"

namespace h2conform::reports {

struct TerminalOptions {
  bool colour = false;   // ANSI colours
  bool verbose = false;  // transcripts of cases that failed or errored
  // With a baseline diff of the run, case lines end with [regression], [known failure] or
  // [fixed], so that a CI log's "Failures:" list tells new breakage from old at a glance.
  const BaselineDiff* baseline = nullptr;
};

// --color: always, never, or auto (the environment and the terminal decide).
enum class ColourChoice { kAuto, kAlways, kNever };
// "auto", "always", "never"; false for anything else.
bool parse_colour_choice(const std::string& text, ColourChoice* out);

// The environment variables that bear on colour; nullptr when unset.
struct ColourEnv {
  const char* no_color = nullptr;        // NO_COLOR
  const char* term = nullptr;            // TERM
  const char* force_color = nullptr;     // FORCE_COLOR
  const char* clicolor_force = nullptr;  // CLICOLOR_FORCE
};
// --color always or never decides. Under auto: FORCE_COLOR or CLICOLOR_FORCE set to a
// non-empty value other than "0" means colour; else colour only on a terminal, when NO_COLOR
// is unset or empty and TERM is not "dumb".
bool colour_wanted(ColourChoice choice, bool is_tty, const ColourEnv& env);
// The auto rule with only NO_COLOR looked at.
bool colour_wanted(bool is_tty, const char* no_color_env);
// colour_wanted(choice, isatty(fd), the process's environment).
bool colour_for_fd(int fd, ColourChoice choice = ColourChoice::kAuto);

// "✓", "✗", "!", "-", "~".
std::string verdict_mark(engine::Verdict verdict);
// Heading of a case group: "Hypertext Transfer Protocol Version 2 (HTTP/2)" for "http2".
std::string group_title(const std::string& group);
// Control bytes (< 0x20, 0x7f) as \xNN.
std::string printable(const std::string& text);

// Prints group and section headings when they change from the previous case printed.
class HeadingTracker {
 public:
  void print_headings(const std::string& group, const std::string& section, std::ostream& out);
  void print_headings(const engine::CaseResult& c, std::ostream& out) {
    print_headings(c.group, c.section, out);
  }

 private:
  bool started_ = false;
  std::string group_, section_;
};

// One case line plus its indented details (and transcript when verbose and not passed).
void render_case(const engine::CaseResult& c, const TerminalOptions& options, std::ostream& out);
// "Failures:" (when any case failed or errored), then the totals; ends with the summary line.
void render_recap(const engine::RunResult& run, const TerminalOptions& options, std::ostream& out);
// The whole report: every case in catalogue order under its headings, then render_recap.
void render_terminal(const engine::RunResult& run, const TerminalOptions& options, std::ostream& out);

// "7 passed, 2 failed, 1 skipped".
std::string summary_line(const engine::VerdictCounts& counts);
// "10 cases: 6 pass, 1 non_strict, 1 skip, 1 fail, 1 error, 0 target_down".
std::string detail_line(const engine::VerdictCounts& counts);

}  // namespace h2conform::reports
