#include "reports/terminal_report.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <sstream>

namespace h2conform::reports {
namespace {

using engine::CaseResult;
using engine::Verdict;

const char* colour_code(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "\x1b[32m";
    case Verdict::kFail: return "\x1b[31m";
    case Verdict::kNonStrict: return "\x1b[33m";
    case Verdict::kSkip: return "\x1b[36m";
    case Verdict::kError:
    case Verdict::kTargetDown: return "\x1b[35m";
  }
  return "";
}
constexpr const char* kReset = "\x1b[0m";

std::string paint(const std::string& text, Verdict verdict, bool colour) {
  return colour ? colour_code(verdict) + text + kReset : text;
}

bool is_failure(Verdict v) {
  return v == Verdict::kFail || v == Verdict::kError || v == Verdict::kTargetDown;
}

// "      Label: value" with the labels right-aligned as h2spec does.
void detail(std::ostream& out, const char* label, const std::string& value) {
  if (value.empty()) return;
  out << "         " << std::setw(8) << label << ": " << printable(value) << '\n';
}

std::string format_ms(double ms) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << ms << "ms";
  return s.str();
}

void render_transcript(const CaseResult& c, std::ostream& out) {
  if (c.transcript.empty()) return;
  out << "         Transcript:\n";
  for (const auto& e : c.transcript) {
    out << "           " << std::setw(9) << format_ms(e.t_ms) << ' ';
    if (e.direction == engine::Direction::kEvent) {
      out << "--  " << printable(e.event) << '\n';
      continue;
    }
    out << (e.direction == engine::Direction::kSent ? "tx  " : "rx  ") << printable(e.frame_type)
        << " stream=" << e.stream_id << " length=" << e.length;
    if (!e.flags.empty()) out << " flags=" << printable(e.flags);
    if (!e.summary.empty()) out << ' ' << printable(e.summary);
    out << '\n';
  }
}

void render_details(const CaseResult& c, const TerminalOptions& options, std::ostream& out) {
  switch (c.verdict) {
    case Verdict::kPass: return;
    case Verdict::kSkip: detail(out, "Skipped", c.reason); return;
    case Verdict::kNonStrict:
      detail(out, "Observed", c.observed);
      detail(out, "Note", c.reason);
      return;
    case Verdict::kFail:
    case Verdict::kError:
    case Verdict::kTargetDown: break;
  }
  if (!c.requirement.empty())
    out << "      -> " << printable(c.requirement) << " (" << c.level << ", " << c.section << ")\n";
  detail(out, "Expected", c.expected);
  detail(out, "Observed", c.observed);
  detail(out, "Reason", c.reason);
  if (options.verbose) render_transcript(c, out);
}

// " [regression]" and so on; "" for standings a reader need not be told about.
std::string standing_mark(Standing standing) {
  switch (standing) {
    case Standing::kRegression: return " [regression]";
    case Standing::kKnownFailure: return " [known failure]";
    case Standing::kFixed: return " [fixed]";
    case Standing::kSame:
    case Standing::kNew:
    case Standing::kChanged: break;
  }
  return "";
}

}  // namespace

bool parse_colour_choice(const std::string& text, ColourChoice* out) {
  if (text == "auto") *out = ColourChoice::kAuto;
  else if (text == "always") *out = ColourChoice::kAlways;
  else if (text == "never") *out = ColourChoice::kNever;
  else return false;
  return true;
}

bool colour_wanted(ColourChoice choice, bool is_tty, const ColourEnv& env) {
  auto set = [](const char* value) { return value != nullptr && value[0] != '\0'; };
  auto forced = [&](const char* value) { return set(value) && std::string_view(value) != "0"; };
  if (choice != ColourChoice::kAuto) return choice == ColourChoice::kAlways;
  if (forced(env.force_color) || forced(env.clicolor_force)) return true;
  return is_tty && !set(env.no_color) && !(env.term != nullptr && std::string_view(env.term) == "dumb");
}

bool colour_wanted(bool is_tty, const char* no_color_env) {
  return colour_wanted(ColourChoice::kAuto, is_tty, ColourEnv{no_color_env, nullptr, nullptr, nullptr});
}

bool colour_for_fd(int fd, ColourChoice choice) {
  const ColourEnv env{std::getenv("NO_COLOR"), std::getenv("TERM"), std::getenv("FORCE_COLOR"),
                      std::getenv("CLICOLOR_FORCE")};
  return colour_wanted(choice, isatty(fd) == 1, env);
}

std::string verdict_mark(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "\u2713";
    case Verdict::kFail: return "\u2717";
    case Verdict::kNonStrict: return "~";
    case Verdict::kSkip: return "-";
    case Verdict::kError:
    case Verdict::kTargetDown: return "!";
  }
  return "?";
}

std::string group_title(const std::string& group) {
  if (group == "http2") return "Hypertext Transfer Protocol Version 2 (HTTP/2)";
  if (group == "hpack") return "HPACK: Header Compression for HTTP/2";
  if (group == "generic") return "Generic tests for HTTP/2";
  if (group == "priority") return "Extensible Prioritization Scheme for HTTP";
  return group.empty() ? "Other" : group;
}

std::string printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char ch : text) {
    if (ch < 0x20 || ch == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", ch);
      out += buf;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

void HeadingTracker::print_headings(const std::string& group, const std::string& section,
                                    std::ostream& out) {
  const bool new_group = !started_ || group != group_;
  if (new_group) out << (started_ ? "\n" : "") << printable(group_title(group)) << '\n';
  if (new_group || section != section_) out << "  " << printable(section) << '\n';
  started_ = true;
  group_ = group;
  section_ = section;
}

void render_case(const CaseResult& c, const TerminalOptions& options, std::ostream& out) {
  out << "    " << paint(verdict_mark(c.verdict), c.verdict, options.colour) << ' ' << printable(c.id);
  if (!c.action.empty()) out << ": " << printable(c.action);
  if (c.verdict == Verdict::kError || c.verdict == Verdict::kTargetDown)
    out << " [" << engine::to_string(c.verdict) << ']';
  if (options.baseline != nullptr) out << standing_mark(standing_of(*options.baseline, c));
  out << '\n';
  render_details(c, options, out);
}

std::string summary_line(const engine::VerdictCounts& n) {
  return std::to_string(n.pass + n.non_strict) + " passed, " +
         std::to_string(n.fail + n.error + n.target_down) + " failed, " + std::to_string(n.skip) +
         " skipped";
}

std::string detail_line(const engine::VerdictCounts& n) {
  return std::to_string(n.total()) + " cases: " + std::to_string(n.pass) + " pass, " +
         std::to_string(n.non_strict) + " non_strict, " + std::to_string(n.skip) + " skip, " +
         std::to_string(n.fail) + " fail, " + std::to_string(n.error) + " error, " +
         std::to_string(n.target_down) + " target_down";
}

void render_recap(const engine::RunResult& run, const TerminalOptions& options, std::ostream& out) {
  bool any = false;
  HeadingTracker headings;
  TerminalOptions recap_options = options;
  recap_options.verbose = false;  // transcripts were shown with the case lines
  for (const auto& c : run.cases) {
    if (!is_failure(c.verdict)) continue;
    if (!any) out << "\nFailures:\n\n";
    any = true;
    headings.print_headings(c, out);
    render_case(c, recap_options, out);
  }
  std::ostringstream seconds;
  seconds << std::fixed << std::setprecision(4) << run.duration_ms / 1000.0;
  out << "\nFinished in " << seconds.str() << " seconds\n";
  if (run.interrupted) out << "Interrupted: the run was stopped before every case ran\n";
  const auto counts = engine::count_verdicts(run);
  out << detail_line(counts) << '\n' << summary_line(counts) << '\n';
}

void render_terminal(const engine::RunResult& run, const TerminalOptions& options, std::ostream& out) {
  HeadingTracker headings;
  for (const auto& c : run.cases) {
    headings.print_headings(c, out);
    render_case(c, options, out);
  }
  render_recap(run, options, out);
}

}  // namespace h2conform::reports
