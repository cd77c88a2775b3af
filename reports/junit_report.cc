#include "reports/junit_report.h"

#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "reports/atomic_file.h"
#include "reports/terminal_report.h"
#include "runner/engine/model/case_order.h"

namespace h2conform::reports {
namespace {

using engine::CaseResult;
using engine::Verdict;

constexpr std::size_t kMaxTranscriptLines = 200;

// Decodes one UTF-8 sequence at text[i]; returns its length and sets *cp, or returns 0 when
// the bytes there are not well-formed UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short).
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xe ? 3 : (b0 >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > text.size()) return 0;
  char32_t value = len == 1 ? b0 : len == 2 ? (b0 & 0x1fu) : len == 3 ? (b0 & 0x0fu) : (b0 & 0x07u);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3fu);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMin[len] || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return 0;
  *cp = value;
  return len;
}

// XML 1.0 §2.2 Char, less the three whitespace controls handled by the caller.
bool xml_char(char32_t cp) {
  return (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
}

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms / 1000.0);
  return buf;
}

std::string attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + xml_escape(value, true) + "\"";
}

std::string transcript_summary(const CaseResult& c) {
  std::ostringstream s;
  std::size_t lines = 0;
  for (const auto& e : c.transcript) {
    if (++lines > kMaxTranscriptLines) {
      s << "  ... " << (c.transcript.size() - kMaxTranscriptLines) << " more entries\n";
      break;
    }
    char t[32];
    std::snprintf(t, sizeof t, "%9.1fms", e.t_ms);
    s << "  " << t << ' ';
    if (e.direction == engine::Direction::kEvent) {
      s << "--  " << e.event << '\n';
      continue;
    }
    s << (e.direction == engine::Direction::kSent ? "tx  " : "rx  ") << transcript_line(e) << '\n';
  }
  return s.str();
}

std::string failure_body(const CaseResult& c) {
  std::ostringstream s;
  s << "Requirement: " << c.requirement << " (" << c.level << ", " << c.section << ")\n"
    << "Action: " << c.action << '\n';
  for (const auto& id : c.h2spec_ids) s << "h2spec: " << id << '\n';
  if (!c.expected.empty()) s << "Expected: " << c.expected << '\n';
  if (!c.observed.empty()) s << "Observed: " << c.observed << '\n';
  if (!c.closed_by.empty()) s << "Closed by: " << c.closed_by << '\n';
  if (!c.transcript.empty()) s << "Transcript:\n" << transcript_summary(c);
  return s.str();
}

// What a case becomes in JUnit. With a baseline, a case failing as it did before is reported
// as skipped (type known_failure), like pytest's xfail, so that a JUnit consumer that fails a
// build on any failure agrees with the exit code: only regressions stay failures and errors.
struct Rendering {
  enum Element { kNone, kSkipped, kFailure, kError } element = kNone;
  std::optional<Standing> standing;  // with a baseline, when not kSame
  std::optional<Verdict> before;     // the baseline's verdict, when standing is set
};

Rendering rendering_of(const CaseResult& c, const BaselineDiff* diff) {
  Rendering r;
  switch (c.verdict) {
    case Verdict::kPass:
    case Verdict::kNonStrict: r.element = Rendering::kNone; break;
    case Verdict::kSkip: r.element = Rendering::kSkipped; break;
    case Verdict::kFail: r.element = Rendering::kFailure; break;
    case Verdict::kError:
    case Verdict::kTargetDown: r.element = Rendering::kError; break;
  }
  if (diff == nullptr) return r;
  const Standing standing = standing_of(*diff, c);
  if (standing == Standing::kKnownFailure) r.element = Rendering::kSkipped;
  if (standing == Standing::kSame) return r;
  r.standing = standing;
  const CaseChange* change = diff->find(c.id);
  r.before = change != nullptr ? change->before : std::optional(c.verdict);  // unchanged: the same
  return r;
}

std::string baseline_note(const Rendering& r) {
  return "baseline: " + (r.before ? engine::to_string(*r.before) : std::string("none"));
}

// One "h2spec" property per h2spec id of the case, then the baseline standing.
void render_properties(const CaseResult& c, const Rendering& r, std::ostream& out) {
  if (!r.standing && c.h2spec_ids.empty()) return;
  out << "      <properties>\n";
  for (const auto& id : c.h2spec_ids)
    out << "        <property" << attr("name", "h2spec") << attr("value", id) << "/>\n";
  if (r.standing) {
    out << "        <property" << attr("name", "h2conform.change") << attr("value", to_string(*r.standing)) << "/>\n"
        << "        <property" << attr("name", "h2conform.baseline_verdict")
        << attr("value", r.before ? engine::to_string(*r.before) : "none") << "/>\n";
  }
  out << "      </properties>\n";
}

// Client testing: the program the case ran, how it ended, and the tail of its stderr.
std::string client_text(const engine::ClientProcess& client) {
  std::string text;
  if (!client.command.empty()) text += "client: " + client.command + "\n";
  text += "client exit: the client " + engine::describe_client_exit(client) + "\n";
  if (!client.stderr_tail.empty()) text += "client stderr:\n" + client.stderr_tail;
  return text;
}

void render_testcase(const CaseResult& c, const BaselineDiff* diff, std::ostream& out) {
  const Rendering r = rendering_of(c, diff);
  out << "    <testcase" << attr("classname", c.section) << attr("name", c.id)
      << attr("time", seconds(c.duration_ms));
  const bool note = c.verdict == Verdict::kNonStrict || r.standing == Standing::kKnownFailure ||
                    r.standing == Standing::kFixed || c.client.has_value();
  if (r.element == Rendering::kNone && !r.standing && !note && c.h2spec_ids.empty()) {
    out << "/>\n";
    return;
  }
  out << ">\n";
  render_properties(c, r, out);
  const bool regression = r.standing == Standing::kRegression;
  const std::string prefix = regression ? "regression (" + baseline_note(r) + "): " : "";
  switch (r.element) {
    case Rendering::kNone: break;
    case Rendering::kSkipped:
      if (r.standing == Standing::kKnownFailure) {
        out << "      <skipped" << attr("message", "known failure (" + engine::to_string(c.verdict) + ", " +
                                                      baseline_note(r) + "): " + c.reason)
            << attr("type", "known_failure") << "/>\n";
      } else {
        out << "      <skipped" << attr("message", c.reason) << "/>\n";
      }
      break;
    case Rendering::kFailure:
    case Rendering::kError: {
      const char* tag = r.element == Rendering::kFailure ? "failure" : "error";
      out << "      <" << tag << attr("message", prefix + c.reason) << attr("type", engine::to_string(c.verdict))
          << '>' << xml_escape(failure_body(c), false) << "</" << tag << ">\n";
      break;
    }
  }
  if (note) {
    std::string text;
    if (r.standing == Standing::kFixed) text = "fixed (" + baseline_note(r) + ")\n";
    if (c.verdict == Verdict::kNonStrict) text += "non_strict: " + c.reason + "\n" + failure_body(c);
    if (r.standing == Standing::kKnownFailure) text += failure_body(c);
    if (c.client) text += client_text(*c.client);
    out << "      <system-out>" << xml_escape(text, false) << "</system-out>\n";
  }
  out << "    </testcase>\n";
}

// The counts JUnit consumers read, as the cases are rendered.
struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
};

struct Suite {
  std::string name;
  std::vector<const CaseResult*> cases;
  Counts counts;
  double ms = 0;
};

void count(const CaseResult& c, const BaselineDiff* diff, Counts* n) {
  ++n->tests;
  switch (rendering_of(c, diff).element) {
    case Rendering::kNone: break;
    case Rendering::kSkipped: ++n->skipped; break;
    case Rendering::kFailure: ++n->failures; break;
    case Rendering::kError: ++n->errors; break;
  }
}

// One suite per section, in catalogue order (engine/case_order.h).
std::vector<Suite> group_by_section(const engine::RunResult& run, const BaselineDiff* diff) {
  std::vector<Suite> suites;
  for (const CaseResult* c : engine::in_catalogue_order(run)) {
    if (suites.empty() || suites.back().name != c->section) suites.push_back(Suite{c->section, {}, {}, 0});
    Suite& s = suites.back();
    s.cases.push_back(c);
    count(*c, diff, &s.counts);
    s.ms += c->duration_ms;
  }
  return suites;
}

// The run-level properties: an interrupted run says so (it lists only the cases that
// finished), and a baseline is named.
void render_suite_properties(const engine::RunResult& run, const BaselineDiff* diff, const char* indent,
                             std::ostream& out) {
  if (!run.interrupted && diff == nullptr) return;
  out << indent << "<properties>\n";
  if (run.interrupted)
    out << indent << "  <property" << attr("name", "h2conform.interrupted") << attr("value", "true") << "/>\n";
  if (diff != nullptr)
    out << indent << "  <property" << attr("name", "h2conform.baseline") << attr("value", diff->baseline_label) << "/>\n";
  out << indent << "</properties>\n";
}

std::string count_attrs(const Counts& n, double ms) {
  return attr("tests", std::to_string(n.tests)) + attr("failures", std::to_string(n.failures)) +
         attr("errors", std::to_string(n.errors)) + attr("skipped", std::to_string(n.skipped)) +
         attr("time", seconds(ms));
}

}  // namespace

std::string xml_escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decode_utf8(text, i, &cp);
    if (len == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD for a byte that is not well-formed UTF-8
      ++i;
      continue;
    }
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (xml_char(cp)) {
          out.append(text.substr(i, len));
        } else {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
          out += buf;
        }
    }
    i += len;
  }
  return out;
}

void render_junit(const engine::RunResult& run, std::ostream& out, const BaselineDiff* diff) {
  const auto suites = group_by_section(run, diff);
  Counts total;
  for (const auto& c : run.cases) count(c, diff, &total);
  // A run that could not start is one error, so that CI shows why instead of an empty report.
  const Counts not_run{1, 0, 1, 0};
  if (!run.harness_error.empty()) total = not_run;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites" << attr("name", "h2conform " + run.target) << count_attrs(total, run.duration_ms)
      << ">\n";
  if (!run.harness_error.empty()) {
    out << "  <testsuite" << attr("name", "preflight") << count_attrs(not_run, run.duration_ms) << ">\n"
        << "    <testcase" << attr("classname", "preflight") << attr("name", "the target speaks HTTP/2")
        << attr("time", seconds(run.duration_ms)) << ">\n      <error" << attr("message", run.harness_error)
        << attr("type", "harness_error") << "/>\n    </testcase>\n  </testsuite>\n";
  }
  if (run.interrupted) render_suite_properties(run, nullptr, "  ", out);
  for (const auto& s : suites) {
    out << "  <testsuite" << attr("name", s.name) << count_attrs(s.counts, s.ms);
    if (!run.started_at.empty()) out << attr("timestamp", run.started_at);
    out << ">\n";
    render_suite_properties(run, diff, "    ", out);
    for (const CaseResult* c : s.cases) render_testcase(*c, diff, out);
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

std::string write_junit_report_file(const engine::RunResult& run, const std::filesystem::path& path,
                                    const BaselineDiff* diff) {
  return write_file_atomically(path, [&](std::ostream& out) { render_junit(run, out, diff); });
}

}  // namespace h2conform::reports
