// render_html: the report of one run (html_report.h).
#include "reports/html/html_report.h"

#include <algorithm>
#include <set>

#include "reports/html/html_parts.h"
#include "reports/html/html_text.h"
#include "runner/engine/model/case_order.h"

namespace h2conform::reports {
namespace {

using engine::Verdict;
using html::escape_html;

const CaseChange* change_of(const BaselineDiff* diff, const engine::CaseResult& c) {
  return diff ? diff->find(c.id) : nullptr;
}

void write_baseline_summary(const BaselineDiff& diff, std::ostream& out) {
  out << "<h3>Compared with the baseline</h3>\n<p>Baseline: <span class=\"mono\">"
      << escape_html(diff.baseline_label) << "</span></p>\n<div class=\"tiles\">\n";
  for (Change change : {Change::kRegression, Change::kFixed, Change::kNew, Change::kChanged, Change::kGone}) {
    std::string name = to_string(change);
    out << "<div class=\"tile c-" << name << "\"><b>" << diff.count(change) << "</b><span>" << name
        << "</span></div>\n";
  }
  out << "<div class=\"tile\"><b>" << diff.unchanged << "</b><span>unchanged</span></div>\n</div>\n";
  if (diff.count(Change::kGone) == 0) return;
  out << "<p>In the baseline but not in this run:</p>\n<ul>\n";
  for (const auto& c : diff.changes) {
    if (c.change == Change::kGone) out << "<li><code>" << escape_html(c.id) << "</code></li>\n";
  }
  out << "</ul>\n";
}

// Totals per level, MUST first, then SHOULD, MAY and anything else in order of appearance.
std::vector<html::CountRow> by_level(const engine::RunResult& run) {
  auto rows = html::count_by(run, [](const auto& c) { return c.level; });
  auto rank = [](const std::string& level) {
    return level == "MUST" ? 0 : level == "SHOULD" ? 1 : level == "MAY" ? 2 : 3;
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const auto& a, const auto& b) { return rank(a.key) < rank(b.key); });
  return rows;
}

// Totals per section, in catalogue order (engine/case_order.h).
std::vector<html::CountRow> by_section(const engine::RunResult& run) {
  auto rows = html::count_by(run, [](const auto& c) { return c.section; });
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return engine::compare_sections(a.key, b.key) < 0; });
  return rows;
}

void write_summary(const engine::RunResult& run, const BaselineDiff* diff, std::ostream& out) {
  out << "<section id=\"summary\">\n<h2>Summary</h2>\n";
  if (!run.harness_error.empty())
    out << "<p class=\"badge v-error\">No case ran: " << escape_html(run.harness_error) << "</p>\n";
  if (run.interrupted)
    out << "<p class=\"badge v-error\">Interrupted: only the cases that finished are listed.</p>\n";
  html::write_verdict_tiles(engine::count_verdicts(run), out);
  if (diff) write_baseline_summary(*diff, out);
  out << "<div class=\"summary-grid\">\n<div>\n";
  html::write_count_table("Section", by_section(run), true, out);
  out << "</div>\n<div>\n";
  html::write_count_table("Level", by_level(run), false, out);
  html::write_count_table("Group", html::count_by(run, [](const auto& c) { return c.group; }), false, out);
  out << "</div>\n</div>\n</section>\n";
}

void write_options(const char* id, const char* label, const std::vector<std::string>& values, std::ostream& out) {
  out << "<label>" << label << " <select id=\"" << id << "\"><option value=\"\">all</option>";
  for (const auto& v : values) out << "<option>" << escape_html(v) << "</option>";
  out << "</select></label>\n";
}

void write_filters(const engine::RunResult& run, const BaselineDiff* diff, std::ostream& out) {
  auto counts = engine::count_verdicts(run);
  out << "<p class=\"nojs-note\">Filters and search need JavaScript; every case is listed below.</p>\n"
      << "<div class=\"filters\" role=\"search\">\n";
  for (Verdict v : html::verdict_order()) {
    out << "<button type=\"button\" class=\"chip\" aria-pressed=\"false\" data-verdict=\"" << engine::to_string(v)
        << "\">" << html::verdict_label(v) << " (" << html::verdict_count(counts, v) << ")</button>\n";
  }
  std::vector<std::string> sections, levels;
  for (const auto& row : by_section(run)) sections.push_back(row.key);
  for (const auto& row : by_level(run)) levels.push_back(row.key);
  write_options("f-section", "Section", sections, out);
  write_options("f-level", "Level", levels, out);
  if (diff) write_options("f-change", "Change", {"regression", "fixed", "new", "changed"}, out);
  out << "<label>Order <select id=\"f-order\"><option value=\"catalogue\">catalogue order</option>"
      << "<option value=\"failures\">failures first</option></select></label>\n";
  out << "<input type=\"search\" id=\"f-search\" placeholder=\"Search id, requirement, reason\" "
      << "aria-label=\"Search cases\">\n<span class=\"shown\" id=\"f-shown\"></span>\n</div>\n";
}

// The reason column shows the start of a reason; the case's details hold all of it.
constexpr std::size_t kReasonChars = 160;

std::string shorten(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;  // whole UTF-8 characters
  return text.substr(0, cut) + "\u2026";
}

void write_case_row(const engine::CaseResult& c, std::size_t i, const CaseChange* change, bool with_change,
                    std::ostream& out) {
  out << "<tr data-i=\"" << i << "\"><td class=\"id\"><a href=\"#" << html::case_anchor(c.id) << "\">"
      << html::breakable_id(c.id) << "</a></td><td>" << escape_html(c.section) << "</td><td>" << escape_html(c.level)
      << "</td><td>";
  html::write_verdict_badge(c.verdict, out);
  out << "</td><td class=\"reason\">";
  if (c.verdict != Verdict::kPass) out << escape_html(shorten(c.reason, kReasonChars));
  out << "</td>";
  if (with_change) {
    out << "<td>";
    if (change && change->change != Change::kGone) html::write_change_badge(*change, out);
    out << "</td>";
  }
  out << "<td class=\"num\">" << html::format_duration(c.duration_ms) << "</td></tr>\n";
}

void write_case_table(const engine::RunResult& run, const BaselineDiff* diff, std::ostream& out) {
  out << "<section id=\"cases\">\n<h2>Cases</h2>\n";
  write_filters(run, diff, out);
  out << "<table class=\"case-table\" id=\"case-table\">\n<thead><tr><th>Case</th><th>Section</th><th>Level"
      << "</th><th>Verdict</th><th>Reason</th>" << (diff ? "<th>Change</th>" : "") << "<th class=\"num\">Duration</th></tr>"
      << "</thead>\n<tbody>\n";
  for (std::size_t i = 0; i < run.cases.size(); ++i)
    write_case_row(run.cases[i], i, change_of(diff, run.cases[i]), diff != nullptr, out);
  out << "</tbody>\n</table>\n</section>\n";
}

void write_details(const engine::RunResult& run, const BaselineDiff* diff, std::ostream& out) {
  out << "<section id=\"details\">\n<h2>Case details</h2>\n";
  if (run.cases.empty()) out << "<p class=\"empty\">No case ran.</p>\n";
  int serial = 0;
  for (const auto& c : run.cases) html::write_case_detail(c, "", change_of(diff, c), ++serial, out);
  out << "</section>\n";
}

// Lower-case text the search box matches: id, section, requirement, action and reason.
std::string search_text(const engine::CaseResult& c) {
  std::string text = c.id + "\n" + c.section + "\n" + c.requirement + "\n" + c.action + "\n" + c.reason;
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; });
  return html::sanitize_utf8(text);
}

std::string report_data(const engine::RunResult& run, const BaselineDiff* diff) {
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& c : run.cases) {
    const CaseChange* change = change_of(diff, c);
    cases.push_back({{"id", html::sanitize_utf8(c.id)},
                     {"anchor", html::case_anchor(c.id)},
                     {"section", html::sanitize_utf8(c.section)},
                     {"level", html::sanitize_utf8(c.level)},
                     {"verdict", engine::to_string(c.verdict)},
                     {"change", change ? to_string(change->change) : ""},
                     {"text", search_text(c)}});
  }
  return html::json_for_script({{"page", "report"}, {"cases", cases}});
}

}  // namespace

void render_html(const engine::RunResult& run, std::ostream& out, const BaselineDiff* diff) {
  html::Page page;
  page.title = "HTTP/2 conformance: " + run.target;
  page.heading = run.target.empty() ? "(no target)" : run.target;
  page.page_class = "report";
  page.generator = "h2conform " + run.tool_version;
  page.meta = [&](std::ostream& o) { html::write_run_meta(run, o); };
  page.body = [&](std::ostream& o) {
    write_summary(run, diff, o);
    write_case_table(run, diff, o);
    write_details(run, diff, o);
  };
  page.data_json = report_data(run, diff);
  html::write_page(page, out);
}

}  // namespace h2conform::reports
