// Loading: the requirement tables and the case files, validated and converted into typed
// scripts (script.h). Case-file problems throw LoadError; nothing else does.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>
#include "runner/engine/case/load_error.h"
#include "runner/engine/model/case_model.h"

namespace h2conform::engine {

// Loads specs_dir/requirements-*.tsv (id -> section, keyword, sentence).
RequirementTable load_requirements(const std::filesystem::path& specs_dir);

// Loads and validates every *.json below `dir` (matrix rows expanded), in catalogue order
// (case_order.h: by spec, numeric section, then id).
// Throws LoadError on the first bad file; ids must be unique.
Catalogue load_catalogue(const std::filesystem::path& dir, const RequirementTable& requirements);
// Every alias of the catalogue's cases (Case::aliases) -> the case's current id.
std::map<std::string, std::string> alias_index(const Catalogue& catalogue);
// Loads one file (used by `validate` and the case_loader fuzzer).
std::vector<Case> load_case_text(const std::string& text, const std::string& file_name,
                                 const RequirementTable& requirements);

}  // namespace h2conform::engine
