// The known-failures list format (baseline.h): parsing and writing.
#include <fstream>
#include <sstream>

#include "reports/baseline.h"

namespace h2conform::reports {
namespace {

using engine::Verdict;

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// Case ids are slugs: letters, digits and . / _ - (cases/README.md).
bool valid_id(const std::string& id) {
  if (id.empty()) return false;
  for (unsigned char ch : id) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '/' || ch == '_' || ch == '-';
    if (!ok) return false;
  }
  return true;
}

// Parses one non-blank line (comment already removed) into *entry; returns "" or a message.
std::string parse_line(const std::string& line, KnownFailure* entry) {
  auto tab = line.find('\t');
  std::string id = trim(line.substr(0, tab));
  if (tab == std::string::npos && id.find(' ') != std::string::npos)
    return "expected a tab between the case id and the verdict in \"" + id + "\"";
  if (!valid_id(id)) return "\"" + id + "\" is not a case id (letters, digits and . / _ -)";
  entry->id = id;
  if (tab == std::string::npos) return "";
  std::string verdict_text = trim(line.substr(tab + 1));
  if (verdict_text.find_first_of(" \t") != std::string::npos)
    return "expected one verdict after the tab, got \"" + verdict_text + "\"";
  Verdict verdict;
  if (!engine::parse_verdict(verdict_text, &verdict))
    return "unknown verdict \"" + verdict_text + "\" (fail, error or target_down)";
  if (is_passing(verdict))
    return "verdict \"" + verdict_text + "\" is not a failure (fail, error or target_down)";
  entry->verdict = verdict;
  return "";
}

}  // namespace

std::string parse_known_failures(std::istream& in, const std::string& source, KnownFailures* out) {
  out->source = source;
  out->entries.clear();
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::string content = line.substr(0, line.find('#'));
    if (trim(content).empty()) continue;
    KnownFailure entry;
    entry.line = number;
    std::string error = parse_line(content, &entry);
    auto where = source + ":" + std::to_string(number) + ": ";
    if (!error.empty()) return where + error;
    auto [it, inserted] = out->entries.emplace(entry.id, entry);
    if (!inserted)
      return where + "duplicate case id \"" + entry.id + "\" (first on line " +
             std::to_string(it->second.line) + ")";
  }
  return "";
}

std::string load_known_failures(const std::filesystem::path& path, KnownFailures* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return path.string() + ": cannot open";
  return parse_known_failures(in, path.string(), out);
}

void write_known_failures(const engine::RunResult& run, std::ostream& out) {
  std::string target = run.target.empty() ? "(no target)" : run.target;
  for (char& ch : target) {
    if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';  // one comment line, whatever the label
  }
  out << "# Known failures of " << target;
  if (!run.tool_version.empty()) out << ", h2conform " << run.tool_version;
  out << "\n# One case id per line; a tab and the verdict may follow.\n";
  for (const auto& c : run.cases) {
    if (!is_failing(c.verdict)) continue;
    if (valid_id(c.id)) {
      out << c.id << '\t' << engine::to_string(c.verdict) << '\n';
    } else {
      out << "# left out: a failing case whose id this format cannot hold\n";
    }
  }
}

}  // namespace h2conform::reports
