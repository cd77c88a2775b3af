// Helpers shared by the subcommands: where the catalogue and the requirement tables are, and
// the --header syntax.
//
// Contract: no case logic; loading throws engine::LoadError (caught in main.cc).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <CLI/CLI.hpp>

#include "reports/baseline.h"
#include "runner/engine/engine.h"

namespace h2conform::cli {

// The folder holding cases/ and specs/ for a binary in `exe_dir`: the install prefix's
// share/h2conform (exe_dir/../share/h2conform), else the source tree found through
// `source_from_binary` (a path relative to exe_dir, set at configure time for the build tree).
// The first that holds both cases/ and specs/; when none does, the install prefix's, so that
// errors name where the data should be.
std::filesystem::path data_dir_for(const std::filesystem::path& exe_dir,
                                   const std::filesystem::path& source_from_binary);
// data_dir_for() the running binary (/proc/self/exe).
std::filesystem::path default_data_dir();
// --cases: $H2CONFORM_CASES_DIR, else default_data_dir()/cases.
std::filesystem::path default_cases_dir();
// --specs: $H2CONFORM_SPECS_DIR, else default_data_dir()/specs.
std::filesystem::path default_specs_dir();
// --reasons (coverage): docs/coverage/ beside the cases folder.
std::filesystem::path default_reasons_dir(const std::filesystem::path& cases_dir);

struct CatalogueFlags {
  std::string cases_dir;
  std::string specs_dir;
};
// Adds --cases and --specs to `app`, with the defaults above.
void add_catalogue_flags(CLI::App& app, CatalogueFlags* flags);

struct LoadedCatalogue {
  engine::RequirementTable requirements;
  engine::Catalogue catalogue;
};
// Throws engine::LoadError.
LoadedCatalogue load_catalogue(const CatalogueFlags& flags);

// "name: value" (RFC 9110 token name, value without CR, LF or NUL). Names are lower-cased,
// as HTTP/2 requires (RFC 9113 §8.2.1). Returns "" when valid, else what is wrong.
std::string check_header(const std::string& text);
// An RFC 9110 token (a method name).
bool is_token(const std::string& text);
std::pair<std::string, std::string> split_header(const std::string& text);

// What --baseline FILE names: an earlier results file (FILE ends in .json) or a list of known
// failures (baseline.h).
struct Baseline {
  std::optional<engine::RunResult> run;
  reports::KnownFailures known;
};
// Returns "" and fills *out, or what went wrong (naming the file).
std::string load_baseline(const std::string& path, Baseline* out);
// Gives the baseline's cases that are listed under an alias (an earlier id, engine::alias_index)
// their current id, so a baseline written before a case was renamed or merged still compares.
// An aliased entry whose current id the baseline also holds is dropped.
void rename_aliases(const std::map<std::string, std::string>& aliases, Baseline* baseline);
// `run` against the baseline, within `scope` (by default the scope of a fresh run: a subset or an
// interrupted run compares only the cases it holds; reports::scope_of_run).
reports::BaselineDiff compare_with(const Baseline& baseline, const engine::RunResult& run,
                                   const std::optional<reports::DiffScope>& scope = std::nullopt);

// "h2conform: <message>" on stderr.
void print_error(const std::string& message);

}  // namespace h2conform::cli
