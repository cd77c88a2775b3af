#include "runner/cli/cli_support.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <vector>

#include "reports/json_report.h"

namespace h2conform::cli {
namespace fs = std::filesystem;

// The source tree relative to the folder the binary is built in (set by CMake), so that a
// binary in its build tree finds the source tree's cases/ and specs/ wherever the checkout is.
#ifndef H2CONFORM_SOURCE_FROM_BINARY
#define H2CONFORM_SOURCE_FROM_BINARY ""
#endif

namespace {

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] != '\0' ? value : nullptr;
}

// RFC 9110 §5.6.2 tchar.
bool is_tchar(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
}

}  // namespace

fs::path data_dir_for(const fs::path& exe_dir, const fs::path& source_from_binary) {
  // "a/b/.." normalises to "a/": drop the trailing separator.
  const auto normal = [](const fs::path& p) {
    fs::path n = p.lexically_normal();
    return n.has_filename() || !n.has_relative_path() ? n : n.parent_path();
  };
  const fs::path installed = normal(exe_dir / ".." / "share" / "h2conform");
  std::vector<fs::path> candidates{installed};
  if (!source_from_binary.empty()) candidates.push_back(normal(exe_dir / source_from_binary));
  for (const fs::path& root : candidates) {
    std::error_code ec;
    if (fs::is_directory(root / "cases", ec) && fs::is_directory(root / "specs", ec)) return root;
  }
  return installed;
}

fs::path default_data_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fs::path("share") / "h2conform";
  return data_dir_for(exe.parent_path(), H2CONFORM_SOURCE_FROM_BINARY);
}

fs::path default_cases_dir() {
  if (const char* dir = env("H2CONFORM_CASES_DIR")) return dir;
  return default_data_dir() / "cases";
}

fs::path default_specs_dir() {
  if (const char* dir = env("H2CONFORM_SPECS_DIR")) return dir;
  return default_data_dir() / "specs";
}

fs::path default_reasons_dir(const fs::path& cases_dir) {
  return cases_dir.parent_path() / "docs" / "coverage";
}

void add_catalogue_flags(CLI::App& app, CatalogueFlags* flags) {
  flags->cases_dir = default_cases_dir().string();
  flags->specs_dir = default_specs_dir().string();
  // The defaults are described, not shown: they are paths of the machine the binary runs on.
  app.add_option("--cases", flags->cases_dir,
                 "Folder of case files (default: the cases installed with h2conform, or the source "
                 "tree's cases/ for a binary in its build tree; env H2CONFORM_CASES_DIR)");
  app.add_option("--specs", flags->specs_dir,
                 "Folder of the requirements-*.tsv tables the cases cite (default: the tables "
                 "installed with h2conform, or the source tree's specs/; env H2CONFORM_SPECS_DIR)");
}

LoadedCatalogue load_catalogue(const CatalogueFlags& flags) {
  LoadedCatalogue loaded;
  loaded.requirements = engine::load_requirements(flags.specs_dir);
  loaded.catalogue = engine::load_catalogue(flags.cases_dir, loaded.requirements);
  return loaded;
}

std::string check_header(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return "expected NAME:VALUE, got \"" + text + "\"";
  const std::string name = text.substr(0, colon);
  if (name.empty()) return "the header name is empty in \"" + text + "\"";
  if (!std::all_of(name.begin(), name.end(), is_tchar))
    return "the header name \"" + name + "\" has a character a field name cannot have";
  if (text.find_first_of(std::string("\r\n\0", 3), colon) != std::string::npos)
    return "the value of \"" + name + "\" contains CR, LF or NUL";
  return {};
}

bool is_token(const std::string& text) { return !text.empty() && std::all_of(text.begin(), text.end(), is_tchar); }

std::pair<std::string, std::string> split_header(const std::string& text) {
  const auto colon = text.find(':');
  std::string name = text.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  std::string value = text.substr(colon + 1);
  const auto first = value.find_first_not_of(" \t");
  const auto last = value.find_last_not_of(" \t");
  value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  return {name, value};
}

std::string load_baseline(const std::string& path, Baseline* out) {
  if (path.ends_with(".json")) {
    engine::RunResult run;
    std::string error = reports::read_json_report_file(path, &run);
    if (error.empty()) out->run = std::move(run);
    return error;
  }
  return reports::load_known_failures(path, &out->known);
}

void rename_aliases(const std::map<std::string, std::string>& aliases, Baseline* baseline) {
  if (baseline->run) {
    auto& cases = baseline->run->cases;
    std::set<std::string> held;
    for (const auto& c : cases) held.insert(c.id);
    std::vector<engine::CaseResult> kept;
    for (auto& c : cases) {
      const auto it = aliases.find(c.id);
      if (it != aliases.end()) {
        if (held.count(it->second) != 0) continue;
        c.id = it->second;
        held.insert(c.id);
      }
      kept.push_back(std::move(c));
    }
    cases = std::move(kept);
  }
  auto& entries = baseline->known.entries;
  for (const auto& [alias, id] : aliases) {
    const auto it = entries.find(alias);
    if (it == entries.end()) continue;
    reports::KnownFailure entry = std::move(it->second);
    entries.erase(it);
    entry.id = id;
    entries.emplace(id, std::move(entry));  // kept out when the current id is listed too
  }
}

reports::BaselineDiff compare_with(const Baseline& baseline, const engine::RunResult& run,
                                   const std::optional<reports::DiffScope>& scope) {
  const reports::DiffScope within = scope.value_or(reports::scope_of_run(run));
  return baseline.run ? reports::compare_to_baseline(*baseline.run, run, within)
                      : reports::compare_to_known_failures(baseline.known, run, within);
}

void print_error(const std::string& message) { std::fprintf(stderr, "h2conform: %s\n", message.c_str()); }

}  // namespace h2conform::cli
