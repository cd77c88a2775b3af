// render_matrix_html: several runs side by side (html_report.h).
#include <algorithm>
#include <cstdio>
#include <map>

#include "reports/html/html_parts.h"
#include "reports/html/html_report.h"
#include "reports/html/html_text.h"
#include "runner/engine/model/case_order.h"

namespace h2conform::reports {
namespace {

using engine::Verdict;
using html::escape_html;

// One row of the matrix: a case id and its result in each run (nullptr: not run there).
struct MatrixRow {
  std::string id;
  const engine::CaseResult* first = nullptr;  // section, level and text come from here
  std::vector<const engine::CaseResult*> cells;
  int failures = 0;
};

std::vector<MatrixRow> build_rows(const std::vector<engine::RunResult>& runs) {
  std::map<std::string, MatrixRow> rows;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    for (const auto& c : runs[k].cases) {
      MatrixRow& row = rows[c.id];
      if (row.cells.empty()) {
        row.cells.resize(runs.size(), nullptr);
        row.id = c.id;
        row.first = &c;
      }
      if (row.cells[k]) continue;  // a duplicate id in one run: the first record wins
      row.cells[k] = &c;
      if (is_failing(c.verdict)) ++row.failures;
    }
  }
  std::vector<MatrixRow> out;
  for (auto& [id, row] : rows) out.push_back(std::move(row));
  std::stable_sort(out.begin(), out.end(), [](const MatrixRow& a, const MatrixRow& b) {
    return engine::catalogue_less(a.first->section, a.id, b.first->section, b.id);
  });
  return out;
}

std::string target_prefix(std::size_t k) { return "t" + std::to_string(k + 1) + "-"; }

std::string target_name(const engine::RunResult& run) { return run.target.empty() ? "(no target)" : run.target; }

std::string pass_rate(const engine::VerdictCounts& counts) {
  int judged = counts.total() - counts.skip;
  if (judged == 0) return "-";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * (counts.pass + counts.non_strict) / judged);
  return buffer;
}

void write_targets(const std::vector<engine::RunResult>& runs, std::ostream& out) {
  out << "<section id=\"targets\">\n<h2>Implementations</h2>\n<table class=\"counts\">\n<thead><tr><th>#</th>"
      << "<th>Target</th><th>Started (UTC)</th><th>Tool</th><th class=\"num\">cases</th>";
  for (Verdict v : html::verdict_order()) out << "<th class=\"num\">" << html::verdict_label(v) << "</th>";
  out << "<th class=\"num\">generic code</th><th class=\"num\">pass rate</th></tr></thead>\n<tbody>\n";
  for (std::size_t k = 0; k < runs.size(); ++k) {
    auto counts = engine::count_verdicts(runs[k]);
    out << "<tr><td>T" << k + 1 << "</td><td><a href=\"#target-" << k + 1 << "\">"
        << escape_html(target_name(runs[k])) << "</a></td><td>" << escape_html(runs[k].started_at)
        << "</td><td>" << escape_html(runs[k].tool_version) << "</td><td class=\"num\">" << counts.total() << "</td>";
    for (Verdict v : html::verdict_order()) {
      int n = html::verdict_count(counts, v);
      out << "<td class=\"num v-" << engine::to_string(v) << (n == 0 ? " zero" : "") << "\">" << n << "</td>";
    }
    out << "<td class=\"num" << (counts.generic_code == 0 ? " zero" : "") << "\">" << counts.generic_code
        << "</td><td class=\"num\">" << pass_rate(counts) << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n</section>\n";
}

void write_controls(std::ostream& out) {
  out << "<div class=\"legend\">";
  for (Verdict v : html::verdict_order()) html::write_verdict_badge(v, out);
  out << "<span class=\"badge cell absent\">not run</span></div>\n"
      << "<p class=\"nojs-note\">Sorting and search need JavaScript; rows are in catalogue order.</p>\n"
      << "<div class=\"filters\">\n<label>Order <select id=\"m-sort\"><option value=\"catalogue\">catalogue order</option>"
      << "<option value=\"failures\">most failures first</option></select></label>\n"
      << "<label><input type=\"checkbox\" id=\"m-failing\"> only cases that failed somewhere</label>\n"
      << "<input type=\"search\" id=\"m-search\" placeholder=\"Search id, requirement, reason\" "
      << "aria-label=\"Search cases\">\n<span class=\"shown\" id=\"m-shown\"></span>\n</div>\n";
}

void write_cell(const engine::CaseResult* c, std::size_t k, const std::string& name, std::ostream& out) {
  if (!c) {
    out << "<td class=\"cell absent\" title=\"" << escape_html(name) << ": not run\">&#8212;</td>";
    return;
  }
  std::string verdict = engine::to_string(c->verdict);
  out << "<td class=\"cell v-" << verdict << "\"><a href=\"#" << html::case_anchor(c->id, target_prefix(k))
      << "\" title=\"" << escape_html(name + ": " + verdict + (c->reason.empty() ? "" : ". " + c->reason))
      << "\">" << html::verdict_label(c->verdict) << "</a></td>";
}

void write_matrix(const std::vector<engine::RunResult>& runs, const std::vector<MatrixRow>& rows,
                  std::ostream& out) {
  out << "<section id=\"matrix\">\n<h2>Matrix</h2>\n";
  write_controls(out);
  out << "<table class=\"matrix\" id=\"matrix-table\">\n<thead><tr><th>Case</th><th>Section</th><th>Level</th>";
  for (std::size_t k = 0; k < runs.size(); ++k)
    out << "<th class=\"target\" data-target=\"" << k + 1 << "\">T" << k + 1 << "<br>"
        << escape_html(target_name(runs[k])) << "</th>";
  out << "</tr>\n<tr class=\"totals\"><td colspan=\"3\">passed (pass, non-strict) / cases</td>";
  for (const auto& run : runs) {
    auto counts = engine::count_verdicts(run);
    out << "<td>" << counts.pass + counts.non_strict << " / " << counts.total() << "</td>";
  }
  out << "</tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    out << "<tr data-i=\"" << i << "\"><td class=\"id\">" << html::breakable_id(row.id) << "</td><td>"
        << escape_html(row.first->section) << "</td><td>" << escape_html(row.first->level) << "</td>";
    for (std::size_t k = 0; k < runs.size(); ++k) write_cell(row.cells[k], k, target_name(runs[k]), out);
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n</section>\n";
}

void write_target_details(const std::vector<engine::RunResult>& runs, std::ostream& out) {
  out << "<section id=\"details\">\n<h2>Case details by implementation</h2>\n";
  int serial = 0;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    out << "<details class=\"target-section\" id=\"target-" << k + 1 << "\"><summary>T" << k + 1 << ": "
        << escape_html(target_name(runs[k])) << "</summary>\n";
    html::write_run_meta(runs[k], out);
    for (const auto& c : runs[k].cases) html::write_case_detail(c, target_prefix(k), nullptr, ++serial, out);
    out << "</details>\n";
  }
  out << "</section>\n";
}

std::string matrix_data(const std::vector<engine::RunResult>& runs, const std::vector<MatrixRow>& rows) {
  nlohmann::json targets = nlohmann::json::array(), cases = nlohmann::json::array();
  for (const auto& run : runs) targets.push_back(html::sanitize_utf8(target_name(run)));
  for (const auto& row : rows) {
    nlohmann::json verdicts = nlohmann::json::array();
    std::string text = row.id + "\n" + row.first->section + "\n" + row.first->requirement;
    for (const auto* c : row.cells) {
      verdicts.push_back(c ? nlohmann::json(engine::to_string(c->verdict)) : nlohmann::json());
      if (c) text += "\n" + c->reason;
    }
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; });
    cases.push_back({{"id", html::sanitize_utf8(row.id)}, {"verdicts", verdicts},
                     {"failures", row.failures}, {"text", html::sanitize_utf8(text)}});
  }
  return html::json_for_script({{"page", "matrix"}, {"targets", targets}, {"cases", cases}});
}

}  // namespace

void render_matrix_html(const std::vector<engine::RunResult>& runs, std::ostream& out) {
  auto rows = build_rows(runs);
  html::Page page;
  page.title = "HTTP/2 conformance matrix (" + std::to_string(runs.size()) + " implementations)";
  page.heading = "Conformance matrix: " + std::to_string(runs.size()) + " implementations, " +
                 std::to_string(rows.size()) + " cases";
  page.page_class = "matrix-page";
  page.generator = "h2conform " + (runs.empty() ? std::string() : runs.front().tool_version);
  page.meta = [&](std::ostream& o) {
    o << "<dl class=\"meta\">";
    for (std::size_t k = 0; k < runs.size(); ++k)
      o << "<div><dt>T" << k + 1 << "</dt><dd>" << escape_html(target_name(runs[k])) << "</dd></div>";
    o << "</dl>\n";
  };
  page.body = [&](std::ostream& o) {
    write_targets(runs, o);
    write_matrix(runs, rows, o);
    write_target_details(runs, o);
  };
  page.data_json = matrix_data(runs, rows);
  html::write_page(page, out);
}

}  // namespace h2conform::reports
