#include "reports/terminal_report.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <sstream>

#include "runner/engine/model/case_order.h"

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

// Screen columns of UTF-8 text without escape sequences (one per code point).
std::size_t columns_of(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char ch : text) n += (ch & 0xc0) != 0x80;
  return n;
}

// "      Label: value" with the labels right-aligned as h2spec does; long values wrap under
// the value's first column.
void detail(std::ostream& out, const char* label, const std::string& value) {
  if (value.empty()) return;
  std::ostringstream head;
  head << "         " << std::setw(8) << label << ": ";
  write_wrapped(out, head.str(), head.str().size(), printable(value), head.str().size());
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
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
    const char* direction = e.direction == engine::Direction::kEvent ? "--  "
                            : e.direction == engine::Direction::kSent ? "tx  " : "rx  ";
    std::ostringstream head;
    head << "           " << std::setw(9) << format_ms(e.t_ms) << ' ' << direction;
    write_wrapped(out, head.str(), head.str().size(), printable(transcript_line(e)), head.str().size() + 2);
  }
}

// The part of a frame summary after what wire::summarize repeats from the header
// ("SETTINGS stream=0 flags=ACK len=0"), or the whole summary when it does not start so.
std::string summary_rest(const engine::TranscriptEntry& e) {
  const std::string head = e.frame_type + " stream=" + std::to_string(e.stream_id);
  if (!e.summary.starts_with(head)) return e.summary;
  std::size_t at = head.size();
  if (e.summary.compare(at, 7, " flags=") == 0) at = e.summary.find(' ', at + 1);
  const std::string len = " len=" + std::to_string(e.length);
  if (at == std::string::npos || e.summary.compare(at, len.size(), len) != 0) return e.summary;
  at += len.size();
  return e.summary.substr(at < e.summary.size() && e.summary[at] == ' ' ? at + 1 : at);
}

// A client-testing case's client: its command and exit, then the tail of its stderr.
void render_client(const engine::ClientProcess& client, std::ostream& out) {
  detail(out, "Client", client.command.empty() ? engine::describe_client_exit(client)
                                               : client.command + ": " + engine::describe_client_exit(client));
  if (client.stderr_tail.empty()) return;
  out << "         " << std::setw(8) << "stderr" << ":\n";
  std::istringstream lines(client.stderr_tail);
  for (std::string line; std::getline(lines, line);) out << "           | " << printable(line) << '\n';
}

// A target_down case that never started: the recap's one "Target down" line tells why.
bool never_ran(const CaseResult& c) {
  return c.verdict == Verdict::kTargetDown && c.reason.starts_with("not run");
}

void render_details(const CaseResult& c, const TerminalOptions& options, std::ostream& out) {
  switch (c.verdict) {
    case Verdict::kPass: return;
    case Verdict::kSkip: detail(out, "Skipped", c.reason); return;
    case Verdict::kNonStrict:  // the strict answer comes first in Expected
      detail(out, "Expected", c.expected);
      detail(out, "Observed", c.observed);
      detail(out, "Note", c.reason);
      return;
    case Verdict::kTargetDown:
      if (never_ran(c)) return;
      break;
    case Verdict::kFail:
    case Verdict::kError: break;
  }
  if (!c.requirement.empty()) {
    write_wrapped(out, "      -> ", 9, printable(c.requirement + " (" + c.level + ", " + c.section + ")"), 9);
  }
  detail(out, "Expected", c.expected);
  detail(out, "Observed", c.observed);
  detail(out, "Reason", c.reason);
  if (c.client) render_client(*c.client, out);
  if (options.verbose) render_transcript(c, out);
}

// "Target down after <id>: N cases could not run (<why>)", or "" when no case is target_down.
std::string target_down_line(const std::vector<const CaseResult*>& cases) {
  const CaseResult* last_before = nullptr;
  const CaseResult* first_down = nullptr;
  int down = 0;
  for (const CaseResult* c : cases) {
    if (c->verdict != Verdict::kTargetDown) {
      if (first_down == nullptr) last_before = c;
      continue;
    }
    ++down;
    if (first_down == nullptr || (never_ran(*first_down) && !never_ran(*c))) first_down = c;
  }
  if (down == 0) return "";
  std::string line = "Target down";
  line += last_before != nullptr ? " after " + last_before->id : " before the first case finished";
  line += ": " + std::to_string(down) + (down == 1 ? " case" : " cases") + " could not run";
  if (!first_down->reason.empty()) line += " (" + first_down->reason + ")";
  return line;
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

std::string spec_title(const std::string& section) {
  const std::string spec = section.starts_with("RFC ") ? section.substr(0, section.find(' ', 4)) : "";
  if (spec == "RFC 9113") return "RFC 9113: HTTP/2";
  if (spec == "RFC 7541") return "RFC 7541: HPACK: Header Compression for HTTP/2";
  if (spec == "RFC 8441") return "RFC 8441: Bootstrapping WebSockets with HTTP/2";
  if (spec == "RFC 9218") return "RFC 9218: Extensible Prioritization Scheme for HTTP";
  if (spec == "RFC 7540") return "RFC 7540: HTTP/2 (obsoleted; its priority scheme)";
  return spec.empty() ? "Other" : spec;
}

std::string legend_line() {
  return "Marks: \u2713 pass, ~ non_strict (passed, less strictly), - skip, \u2717 fail, ! error or target_down";
}

void write_wrapped(std::ostream& out, const std::string& head, std::size_t head_columns,
                   const std::string& text, std::size_t indent) {
  out << head;
  std::size_t column = head_columns;
  bool line_empty = true;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    const std::size_t width = columns_of(word);
    if (!line_empty && column + 1 + width > kTerminalWidth) {
      out << '\n' << std::string(indent, ' ');
      column = indent;
      line_empty = true;
    }
    if (!line_empty) out << ' ', ++column;
    out << word;
    column += width;
    line_empty = false;
  }
  out << '\n';
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

void HeadingTracker::print_headings(const std::string& section, std::ostream& out) {
  const std::string spec = spec_title(section);
  const bool new_spec = !started_ || spec != spec_;
  if (new_spec) out << (started_ ? "\n" : "") << printable(spec) << '\n';
  if (new_spec || section != section_) out << "  " << printable(section) << '\n';
  started_ = true;
  spec_ = spec;
  section_ = section;
}

void render_case(const CaseResult& c, const TerminalOptions& options, std::ostream& out) {
  const std::string mark = verdict_mark(c.verdict);
  std::string text = c.id;
  if (!c.h2spec_ids.empty()) text += " [" + join(c.h2spec_ids, ", ") + ']';
  if (!c.action.empty() && !never_ran(c)) text += ": " + c.action;
  if (c.verdict == Verdict::kError || c.verdict == Verdict::kTargetDown)
    text += " [" + engine::to_string(c.verdict) + ']';
  if (c.generic_code && c.verdict == Verdict::kPass) text += " [generic code]";
  if (options.baseline != nullptr) text += standing_mark(standing_of(*options.baseline, c));
  write_wrapped(out, "    " + paint(mark, c.verdict, options.colour) + ' ', 4 + columns_of(mark) + 1,
                printable(text), 6);
  render_details(c, options, out);
}

std::string transcript_line(const engine::TranscriptEntry& e) {
  if (e.direction == engine::Direction::kEvent) return e.event;
  std::string line;
  if (e.frame_type.empty()) {
    line = "raw " + e.summary;
    if (!e.raw_truncated && !e.raw_hex.empty()) line += " (" + std::to_string(e.raw_hex.size() / 2) + " bytes)";
    return line;
  }
  line = e.frame_type + " stream=" + std::to_string(e.stream_id) + " length=" + std::to_string(e.length);
  if (!e.flags.empty() && e.flags != "0x0") line += " flags=" + e.flags;
  const std::string rest = summary_rest(e);
  if (!rest.empty()) line += ' ' + rest;
  return line;
}

std::string summary_line(const engine::VerdictCounts& n) {
  return std::to_string(n.pass + n.non_strict) + " passed, " + std::to_string(n.fail + n.error) + " failed, " +
         std::to_string(n.skip) + " skipped";
}

std::string detail_line(const engine::VerdictCounts& n) {
  return std::to_string(n.total()) + (n.total() == 1 ? " case: " : " cases: ") + std::to_string(n.pass) + " pass" +
         (n.generic_code > 0 ? " (" + std::to_string(n.generic_code) + " with a generic code)" : "") + ", " +
         std::to_string(n.non_strict) + " non_strict, " + std::to_string(n.skip) + " skip, " +
         std::to_string(n.fail) + " fail, " + std::to_string(n.error) + " error, " +
         std::to_string(n.target_down) + " target_down";
}

void render_recap(const engine::RunResult& run, const TerminalOptions& options, std::ostream& out) {
  bool any = false;
  HeadingTracker headings;
  TerminalOptions recap_options = options;
  recap_options.verbose = false;  // transcripts were shown with the case lines
  const auto cases = engine::in_catalogue_order(run);
  for (const CaseResult* c : cases) {
    if (c->verdict != Verdict::kFail && c->verdict != Verdict::kError) continue;
    if (!any) out << "\nFailures:\n\n";
    any = true;
    headings.print_headings(*c, out);
    render_case(*c, recap_options, out);
  }
  std::ostringstream seconds;
  seconds << std::fixed << std::setprecision(4) << run.duration_ms / 1000.0;
  out << "\nFinished in " << seconds.str() << " seconds\n";
  if (run.interrupted) out << "Interrupted: the run was stopped before every case ran\n";
  if (const std::string down = target_down_line(cases); !down.empty())
    write_wrapped(out, "", 0, printable(down), 2);
  out << legend_line() << '\n';
  const auto counts = engine::count_verdicts(run);
  out << detail_line(counts) << '\n' << summary_line(counts) << '\n';
}

void render_terminal(const engine::RunResult& run, const TerminalOptions& options, std::ostream& out) {
  HeadingTracker headings;
  for (const CaseResult* c : engine::in_catalogue_order(run)) {
    headings.print_headings(*c, out);
    render_case(*c, options, out);
  }
  render_recap(run, options, out);
}

}  // namespace h2conform::reports
