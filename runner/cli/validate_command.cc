// `h2conform validate [FILE...]`: loads case files and prints "file: /pointer: message" for
// each bad one (exit 2). Without files it checks the whole catalogue, file by file and then
// across files (duplicate ids).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "runner/cli/cli_support.h"
#include "runner/cli/commands.h"

namespace h2conform::cli {
namespace {
namespace fs = std::filesystem;

struct ValidateFlags {
  std::vector<std::string> files;
  CatalogueFlags catalogue;
};

void print_problem(const engine::LoadError& e) {
  std::cerr << e.file() << ": " << (e.pointer().empty() ? "/" : e.pointer()) << ": " << e.message() << '\n';
}

// Loads one file; prints its problem and returns false when it is bad.
bool validate_file(const fs::path& path, const std::string& name, const engine::RequirementTable& reqs,
                   std::size_t* cases) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    std::cerr << name << ": : cannot read the file\n";
    return false;
  }
  try {
    *cases += engine::load_case_text(text.str(), name, reqs).size();
    return true;
  } catch (const engine::LoadError& e) {
    print_problem(e);
    return false;
  }
}

std::vector<std::pair<fs::path, std::string>> catalogue_files(const fs::path& dir) {
  std::vector<std::pair<fs::path, std::string>> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".json")
      files.emplace_back(it->path(), fs::relative(it->path(), dir).generic_string());
  if (ec) throw engine::LoadError(dir.string(), "", "cannot list the directory: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

int validate(const ValidateFlags& f) {
  const auto requirements = engine::load_requirements(f.catalogue.specs_dir);
  std::vector<std::pair<fs::path, std::string>> files;
  for (const auto& file : f.files) files.emplace_back(file, file);
  if (f.files.empty()) files = catalogue_files(f.catalogue.cases_dir);
  std::size_t bad = 0, cases = 0;
  for (const auto& [path, name] : files) bad += validate_file(path, name, requirements, &cases) ? 0 : 1;
  if (bad == 0 && f.files.empty()) {
    try {
      engine::load_catalogue(f.catalogue.cases_dir, requirements);  // ids unique across files
    } catch (const engine::LoadError& e) {
      print_problem(e);
      bad = 1;
    }
  }
  if (bad > 0) {
    std::cerr << bad << " of " << files.size() << " files are invalid\n";
    return kExitHarness;
  }
  std::cout << files.size() << " files, " << cases << " cases: valid\n";
  return kExitPass;
}

}  // namespace

void add_validate_command(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ValidateFlags>();
  auto* cmd = app.add_subcommand("validate", "Check case files (default: the whole catalogue)");
  cmd->add_option("FILE", flags->files, "Case files to check");
  add_catalogue_flags(*cmd, &flags->catalogue);
  cmd->callback([flags, exit_code] { *exit_code = validate(*flags); });
}

}  // namespace h2conform::cli
