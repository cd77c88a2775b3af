#include "reports/coverage_report.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

namespace h2conform::reports {
namespace {

struct SpecInfo {
  const char* prefix;  // requirement id prefix
  const char* name;
};
constexpr SpecInfo kSpecs[] = {{"9113-", "RFC 9113"}, {"7541-", "RFC 7541"}};

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t pos; (pos = line.find(sep, start)) != std::string::npos; start = pos + 1)
    fields.push_back(line.substr(start, pos - start));
  fields.push_back(line.substr(start));
  return fields;
}

bool valid_status(const std::string& s) {
  return s == "client-only" || s == "intermediary-only" || s == "unobservable" ||
         s == "covered-by-other-rows";
}

// Sort key of "9113-6.5.2-10": numbers compare as numbers (6.10 after 6.9), letters
// (appendices) after numbers.
std::vector<std::pair<int, long>> order_key(const std::string& id) {
  std::vector<std::pair<int, long>> key;
  for (std::size_t i = 0; i < id.size();) {
    const auto ch = static_cast<unsigned char>(id[i]);
    if (std::isdigit(ch) != 0) {
      long n = 0;
      for (; i < id.size() && std::isdigit(static_cast<unsigned char>(id[i])) != 0; ++i)
        n = std::min(n * 10 + (id[i] - '0'), 1000000000L);
      key.emplace_back(0, n);
    } else {
      if (ch != '-' && ch != '.') key.emplace_back(1, ch);
      ++i;
    }
  }
  return key;
}

bool rfc_order(const std::string& a, const std::string& b) { return order_key(a) < order_key(b); }

RowStatus status_of(const CoverageRow& row, const CoverageReason* reason) {
  if (reason != nullptr && reason->status == "client-only") return RowStatus::kClientOnly;
  if (reason != nullptr && reason->status == "intermediary-only") return RowStatus::kIntermediaryOnly;
  if (!row.cases.empty()) return RowStatus::kCovered;
  if (reason == nullptr) return RowStatus::kUncovered;
  return reason->status == "unobservable" ? RowStatus::kUnobservable : RowStatus::kCoveredByOtherRows;
}

void tally(const CoverageRow& row, SpecCoverage* s) {
  if (row.status == RowStatus::kClientOnly) {
    ++s->client_only;
    return;
  }
  if (row.status == RowStatus::kIntermediaryOnly) {
    ++s->intermediary_only;
    return;
  }
  ++s->binding;
  if (row.status == RowStatus::kCovered) ++s->covered;
  else if (row.status == RowStatus::kUncovered) ++s->uncovered;
  else ++s->reasoned;
}

std::string percent_text(double p) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << p << '%';
  return s.str();
}

// Markdown table cell: no pipes or line breaks.
std::string cell(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '|') out += "\\|";
    else if (ch == '\n' || ch == '\r') out += ' ';
    else out += ch;
  }
  return out;
}

}  // namespace

std::string to_string(RowStatus status) {
  switch (status) {
    case RowStatus::kCovered: return "covered";
    case RowStatus::kUnobservable: return "unobservable";
    case RowStatus::kCoveredByOtherRows: return "covered-by-other-rows";
    case RowStatus::kUncovered: return "uncovered";
    case RowStatus::kClientOnly: return "client-only";
    case RowStatus::kIntermediaryOnly: return "intermediary-only";
  }
  return "uncovered";
}

std::string parse_coverage_reasons(const std::string& text, const std::string& file,
                                   CoverageReasons* out) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = file + ":" + std::to_string(number);
    if (!header) {
      if (line != "id\tstatus\treason") return where + ": the header must be \"id<TAB>status<TAB>reason\"";
      header = true;
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    auto fields = split(line, '\t');
    if (fields.size() != 3) return where + ": expected 3 tab-separated fields, got " + std::to_string(fields.size());
    if (!valid_status(fields[1]))
      return where + ": unknown status \"" + fields[1] +
             "\" (client-only, intermediary-only, unobservable, covered-by-other-rows)";
    if (fields[2].empty()) return where + ": the reason is empty";
    auto [it, fresh] = out->emplace(fields[0], CoverageReason{fields[1], fields[2], where});
    if (!fresh) return where + ": " + fields[0] + " already has a reason at " + it->second.where;
  }
  if (!header) return file + ":1: empty file (the header is missing)";
  return {};
}

std::string load_coverage_reasons(const std::filesystem::path& dir, CoverageReasons* out) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return {};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".tsv") files.push_back(entry.path());
  if (ec) return dir.string() + ": " + ec.message();
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return path.string() + ": cannot read";
    auto error = parse_coverage_reasons(text.str(), path.filename().string(), out);
    if (!error.empty()) return error;
  }
  return {};
}

Coverage compute_coverage(const std::vector<const engine::Case*>& cases,
                          const engine::RequirementTable& requirements,
                          const CoverageReasons& reasons) {
  std::map<std::string, std::set<std::string>> citing;  // requirement id -> server case ids
  for (const engine::Case* c : cases)
    if (c->role == "server")
      for (const auto& rid : c->requirement_ids) citing[rid].insert(c->id);
  Coverage coverage;
  for (const auto& spec : kSpecs) {
    SpecCoverage totals{spec.name};
    std::vector<CoverageRow> rows;
    for (const auto& [id, req] : requirements) {
      if (!id.starts_with(spec.prefix) || req.keyword.find("MUST") == std::string::npos) continue;
      CoverageRow row{id, spec.name, req.section, req.keyword, req.sentence, RowStatus::kUncovered, {}, {}};
      if (auto it = citing.find(id); it != citing.end()) row.cases.assign(it->second.begin(), it->second.end());
      auto reason = reasons.find(id);
      const CoverageReason* r = reason == reasons.end() ? nullptr : &reason->second;
      if (r != nullptr) row.reason = r->reason;
      row.status = status_of(row, r);
      tally(row, &totals);
      rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return rfc_order(a.id, b.id); });
    coverage.rows.insert(coverage.rows.end(), rows.begin(), rows.end());
    coverage.specs.push_back(totals);
  }
  // Reasons may also document SHOULD rows or other RFCs; only ids no table has are problems.
  for (const auto& [id, r] : reasons)
    if (requirements.count(id) == 0) coverage.problems.push_back(r.where + ": unknown requirement id " + id);
  return coverage;
}

void render_coverage_text(const Coverage& coverage, std::ostream& out) {
  out << "Requirement coverage (MUST and MUST NOT rows that bind an origin server)\n";
  for (const auto& s : coverage.specs)
    out << "  " << s.spec << ": " << s.covered << " of " << s.binding << " rows covered by cases ("
        << percent_text(s.percent()) << "), " << s.reasoned << " with a recorded reason, "
        << s.uncovered << " with neither; " << s.client_only << " client-only rows left out, "
        << s.intermediary_only << " intermediary-only rows left out\n";
  bool header = false;
  for (const auto& row : coverage.rows) {
    if (row.status != RowStatus::kUncovered) continue;
    if (!header) out << "Rows with neither a case nor a reason:\n";
    header = true;
    std::string sentence = row.sentence.size() > 100 ? row.sentence.substr(0, 97) + "..." : row.sentence;
    out << "  " << std::left << std::setw(14) << row.id << std::right << sentence << '\n';
  }
  for (const auto& p : coverage.problems) out << "Problem: " << p << '\n';
}

void render_coverage_markdown(const Coverage& coverage, std::ostream& out) {
  out << "# Requirement coverage\n\n"
      << "Generated by `h2conform coverage --markdown` from the case catalogue, the requirement\n"
      << "tables (`requirements-rfc9113.tsv`, `requirements-rfc7541.tsv`) and the reasons in\n"
      << "`docs/coverage/*.tsv`. Do not edit by hand. A row counts as covered when a server case\n"
      << "cites it; client-only rows and intermediary-only rows (which bind proxies forwarding to\n"
      << "another hop, never an origin server) are listed but left out of the percentage.\n\n"
      << "| Spec | Rows binding an origin server | Covered by cases | With a reason | Neither | "
         "Client-only | Intermediary-only |\n"
      << "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const auto& s : coverage.specs)
    out << "| " << s.spec << " | " << s.binding << " | " << s.covered << " (" << percent_text(s.percent())
        << ") | " << s.reasoned << " | " << s.uncovered << " | " << s.client_only << " | "
        << s.intermediary_only << " |\n";
  std::string spec;
  for (const auto& row : coverage.rows) {
    if (row.spec != spec) {
      spec = row.spec;
      out << "\n## " << spec << "\n\n| Id | Section | Keyword | Status | Cases or reason | Sentence |\n"
          << "| --- | --- | --- | --- | --- | --- |\n";
    }
    std::string what;
    for (const auto& id : row.cases) what += (what.empty() ? "`" : ", `") + id + "`";
    if (row.cases.empty() || row.status == RowStatus::kClientOnly ||
        row.status == RowStatus::kIntermediaryOnly) {
      what = row.reason;
    }
    out << "| " << row.id << " | " << row.section << " | " << row.keyword << " | " << to_string(row.status)
        << " | " << cell(what) << " | " << cell(row.sentence) << " |\n";
  }
  if (!coverage.problems.empty()) out << "\n## Problems\n\n";
  for (const auto& p : coverage.problems) out << "- " << cell(p) << '\n';
}

}  // namespace h2conform::reports
