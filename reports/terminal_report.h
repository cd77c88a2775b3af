// The terminal report, laid out like h2spec's: spec and section headings in catalogue order
// (engine::catalogue_less), one line per case with its h2spec ids in brackets
// (✓ pass, ✗ fail, ! error or target_down, - skip, ~ non_strict), indented details for cases
// that did not pass, a "Failures:" recap (fail and error), one "Target down after <id>: N cases
// could not run" line when the target went away, a legend of the marks, and as the very last
// line "N passed, N failed, N skipped" (non_strict counts as passed, error as failed; target_down
// cases did not run and count in none of the three, only in the line before it).
// Lines are broken at spaces to stay within kTerminalWidth columns where the words allow.
//
// Contract: pure functions of a const RunResult and an output stream; they never call the
// engine. Text that came from a peer is printed with control bytes shown as \xNN, so a target
// cannot drive the terminal.
#pragma once

#include <ostream>
#include <string>

#include "reports/baseline.h"
#include "runner/engine/model/result.h"

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

inline constexpr std::size_t kTerminalWidth = 100;

// "✓", "✗", "!", "-", "~".
std::string verdict_mark(engine::Verdict verdict);
// Heading of the spec a section belongs to: "RFC 9113: HTTP/2" for "RFC 9113 6.8".
std::string spec_title(const std::string& section);
// One line naming each mark: "Marks: ✓ pass, ~ non_strict (...), ...".
std::string legend_line();
// Control bytes (< 0x20, 0x7f) as \xNN.
std::string printable(const std::string& text);

// Prints spec and section headings when they change from the previous case printed.
class HeadingTracker {
 public:
  void print_headings(const std::string& section, std::ostream& out);
  void print_headings(const engine::CaseResult& c, std::ostream& out) { print_headings(c.section, out); }

 private:
  bool started_ = false;
  std::string spec_, section_;
};

// Writes `head` (`head_columns` wide on screen) and `text` broken at spaces so that lines stay
// within kTerminalWidth columns; continuation lines start with `indent` spaces. A word longer
// than a line is not split.
void write_wrapped(std::ostream& out, const std::string& head, std::size_t head_columns,
                   const std::string& text, std::size_t indent);

// One case line plus its indented details (and transcript when verbose and not passed).
void render_case(const engine::CaseResult& c, const TerminalOptions& options, std::ostream& out);
// "Failures:" (when any case failed or errored), then the totals; ends with the summary line.
// target_down cases that never started get their case line only (no details), and are not
// repeated in the recap: its "Target down" line says what happened once.
void render_recap(const engine::RunResult& run, const TerminalOptions& options, std::ostream& out);
// The whole report: every case in catalogue order under its headings, then render_recap.
void render_terminal(const engine::RunResult& run, const TerminalOptions& options, std::ostream& out);

// One transcript entry after its direction, each field once: "GOAWAY stream=0 length=8
// flags=ACK last_stream_id=0 ..." (the summary's repeat of type, stream, flags and length is
// left out), "raw client connection preface (24 bytes)" for bytes that are not one frame, or
// the event's text. Not made printable.
std::string transcript_line(const engine::TranscriptEntry& e);

// "7 passed, 2 failed, 1 skipped".
std::string summary_line(const engine::VerdictCounts& counts);
// "10 cases: 6 pass, 1 non_strict, 1 skip, 1 fail, 1 error, 0 target_down".
std::string detail_line(const engine::VerdictCounts& counts);

}  // namespace h2conform::reports
