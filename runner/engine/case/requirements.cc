// Requirement tables: specs/requirements-*.tsv (id, section, keyword, sentence).
#include <algorithm>
#include <fstream>

#include "runner/engine/case/loader.h"

namespace h2conform::engine {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

void load_table(const std::filesystem::path& path, RequirementTable* table) {
  std::ifstream in(path);
  std::string name = path.filename().string();
  if (!in) throw LoadError(name, "", "cannot read the file");
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 || line.empty()) continue;  // header row
    auto cols = split_tabs(line);
    if (cols.size() != 4) {
      throw LoadError(name, "line " + std::to_string(number), "expected 4 tab-separated columns");
    }
    Requirement r{cols[0], cols[1], cols[2], cols[3]};
    if (!table->emplace(r.id, r).second) {
      throw LoadError(name, "line " + std::to_string(number), "duplicate requirement id " + r.id);
    }
  }
}

}  // namespace

RequirementTable load_requirements(const std::filesystem::path& specs_dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(specs_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with("requirements-") && it->path().extension() == ".tsv") files.push_back(it->path());
  }
  // The folder is named in full with what it is for: a wrong --specs is the usual cause.
  if (ec) {
    throw LoadError(specs_dir.string(), "",
                    "cannot read the folder of requirement tables (the requirements-*.tsv files that "
                    "case files cite; --specs names another folder): " + ec.message());
  }
  if (files.empty()) {
    throw LoadError(specs_dir.string(), "",
                    "no requirement tables (requirements-*.tsv, which case files cite) in this folder; "
                    "--specs names another folder");
  }
  std::sort(files.begin(), files.end());
  RequirementTable table;
  for (const auto& f : files) load_table(f, &table);
  return table;
}

}  // namespace h2conform::engine
