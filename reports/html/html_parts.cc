#include "reports/html/html_parts.h"

#include <cassert>
#include <cstdio>

#include "reports/html/assets.h"
#include "reports/html/html_text.h"

namespace h2conform::reports::html {
namespace {

using engine::Verdict;

void write_fact(std::ostream& out, const char* name, const std::string& value) {
  out << "<div><dt>" << name << "</dt><dd>" << escape_html(value.empty() ? "-" : value)
      << "</dd></div>\n";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "all" : out;
}

std::string settings_text(const engine::RunSettings& s) {
  std::string text = s.host + ":" + std::to_string(s.port) + (s.tls ? " tls" : " cleartext");
  if (s.insecure) text += " (certificate not verified)";
  text += ", target role " + s.role + ", " + s.method + " " + s.path;
  return text;
}

std::string run_mode(const engine::RunSettings& s) {
  char timeout[32];
  std::snprintf(timeout, sizeof timeout, "%g", s.timeout_s);
  return std::string(s.strict ? "strict (MUST, SHOULD, MAY)" : "MUST only") + ", timeout " + timeout +
         " s, parallel " + std::to_string(s.parallel);
}

}  // namespace

void fill_template(std::string_view tpl, const Slots& slots, std::ostream& out) {
  while (!tpl.empty()) {
    auto open = tpl.find("{{");
    auto close = open == std::string_view::npos ? open : tpl.find("}}", open);
    if (close == std::string_view::npos) break;
    out << tpl.substr(0, open);
    auto slot = slots.find(tpl.substr(open + 2, close - open - 2));
    assert(slot != slots.end() && "template names a slot the renderer does not fill");
    if (slot != slots.end()) slot->second(out);
    tpl.remove_prefix(close + 2);
  }
  out << tpl;
}

void write_page(const Page& page, std::ostream& out) {
  auto text = [](const std::string& value) { return [value](std::ostream& o) { o << escape_html(value); }; };
  Slots slots{
      {"title", text(page.title)},
      {"heading", text(page.heading)},
      {"page_class", text(page.page_class)},
      {"generator", text(page.generator)},
      {"meta", page.meta},
      {"body", page.body},
      {"data", [&](std::ostream& o) { o << page.data_json; }},
      {"style", [](std::ostream& o) { o << kReportCss; }},
      {"script", [](std::ostream& o) { o << kReportJs; }},
  };
  fill_template(kReportTemplate, slots, out);
}

const std::vector<Verdict>& verdict_order() {
  static const std::vector<Verdict> kOrder = {Verdict::kPass,  Verdict::kNonStrict, Verdict::kFail,
                                              Verdict::kError, Verdict::kTargetDown, Verdict::kSkip};
  return kOrder;
}

std::string verdict_label(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNonStrict: return "non-strict";
    case Verdict::kTargetDown: return "target down";
    default: return engine::to_string(verdict);
  }
}

int verdict_count(const engine::VerdictCounts& counts, Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return counts.pass;
    case Verdict::kFail: return counts.fail;
    case Verdict::kNonStrict: return counts.non_strict;
    case Verdict::kSkip: return counts.skip;
    case Verdict::kError: return counts.error;
    case Verdict::kTargetDown: return counts.target_down;
  }
  return 0;
}

void write_verdict_badge(Verdict verdict, std::ostream& out) {
  out << "<span class=\"badge v-" << engine::to_string(verdict) << "\">" << verdict_label(verdict)
      << "</span>";
}

void write_change_badge(const CaseChange& change, std::ostream& out) {
  std::string name = to_string(change.change);
  out << "<span class=\"badge c-" << name << (change.known ? " known" : "") << "\" title=\"";
  out << (change.before ? engine::to_string(*change.before) : "none") << " &#8594; "
      << (change.after ? engine::to_string(*change.after) : "none") << "\">" << name
      << (change.known ? " (known)" : "") << "</span>";
}

void write_run_meta(const engine::RunResult& run, std::ostream& out) {
  out << "<dl class=\"meta\">\n";
  write_fact(out, "Target", run.target);
  write_fact(out, "Connection", settings_text(run.settings));
  write_fact(out, "Started (UTC)", run.started_at);
  write_fact(out, "Duration", format_duration(run.duration_ms));
  write_fact(out, "Tool", "h2conform " + run.tool_version);
  write_fact(out, "Mode", run_mode(run.settings));
  write_fact(out, "Selected", join(run.settings.selectors));
  write_fact(out, "Excluded", run.settings.excludes.empty() ? "none" : join(run.settings.excludes));
  if (!run.harness_error.empty()) write_fact(out, "Could not run", run.harness_error);
  if (run.interrupted) write_fact(out, "Interrupted", "yes: the run was stopped before every case ran");
  out << "</dl>\n";
}

void write_verdict_tiles(const engine::VerdictCounts& counts, std::ostream& out) {
  out << "<div class=\"tiles\">\n<div class=\"tile\"><b>" << counts.total()
      << "</b><span>cases</span></div>\n";
  for (Verdict v : verdict_order()) {
    out << "<div class=\"tile v-" << engine::to_string(v) << "\"><b>" << verdict_count(counts, v)
        << "</b><span>" << verdict_label(v) << "</span></div>\n";
    if (v == Verdict::kPass && counts.generic_code > 0) {
      out << "<div class=\"tile v-pass generic\" title=\"passes with PROTOCOL_ERROR or INTERNAL_ERROR in place of "
             "the specific code (RFC 9113 &#167;5.4)\"><b>" << counts.generic_code
          << "</b><span>of them generic code</span></div>\n";
    }
  }
  out << "</div>\n<div class=\"bar\" role=\"img\" aria-label=\"verdict proportions\">";
  for (Verdict v : verdict_order()) {
    int n = verdict_count(counts, v);
    if (n == 0 || counts.total() == 0) continue;
    double pct = 100.0 * n / counts.total();
    out << "<span class=\"v-" << engine::to_string(v) << "\" style=\"width:" << pct << "%\" title=\""
        << verdict_label(v) << ": " << n << "\"></span>";
  }
  out << "</div>\n";
}

std::vector<CountRow> count_by(const engine::RunResult& run,
                               const std::function<std::string(const engine::CaseResult&)>& key) {
  std::vector<CountRow> rows;
  std::map<std::string, std::size_t> index;
  for (const auto& c : run.cases) {
    std::string k = key(c);
    auto [it, inserted] = index.emplace(k, rows.size());
    if (inserted) rows.push_back({k, {}});
    engine::count_case(c, rows[it->second].counts);
  }
  return rows;
}

void write_count_table(const std::string& title, const std::vector<CountRow>& rows,
                       bool link_sections, std::ostream& out) {
  out << "<table class=\"counts\">\n<thead><tr><th>" << escape_html(title) << "</th><th class=\"num\">cases</th>";
  for (Verdict v : verdict_order()) out << "<th class=\"num\">" << verdict_label(v) << "</th>";
  out << "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    std::string key = escape_html(row.key.empty() ? "(none)" : row.key);
    out << "<tr><td>";
    if (link_sections) {
      out << "<a href=\"#cases\" data-section=\"" << escape_html(row.key) << "\">" << key << "</a>";
    } else {
      out << key;
    }
    out << "</td><td class=\"num\">" << row.counts.total() << "</td>";
    for (Verdict v : verdict_order()) {
      int n = verdict_count(row.counts, v);
      out << "<td class=\"num v-" << engine::to_string(v) << (n == 0 ? " zero" : "") << "\">" << n << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n";
}

}  // namespace h2conform::reports::html
