#include "runner/cli/selection_check.h"

namespace h2conform::cli {
namespace {

// Where to look up the cases of the selection's role.
std::string list_hint(const engine::Selection& selection) {
  return selection.role == engine::kTargetClient ? " (see h2conform list --role client)" : " (see h2conform list)";
}

std::string unknown_message(const engine::Catalogue& catalogue, const engine::Selection& selection,
                            const std::string& what, const std::string& name) {
  std::string message = "unknown " + what + " \"" + name + "\"";
  const std::string closest = engine::closest_selector(catalogue, name);
  return message + (closest.empty() ? list_hint(selection) : " (did you mean \"" + closest + "\"?)");
}

}  // namespace

std::string check_spelling(const engine::Catalogue& catalogue, const engine::Selection& selection) {
  for (const auto& s : selection.selectors)
    if (!engine::is_known_selector(catalogue, s)) return unknown_message(catalogue, selection, "spec selector", s);
  for (const auto& s : selection.excludes)
    if (!engine::is_known_selector(catalogue, s)) return unknown_message(catalogue, selection, "--exclude selector", s);
  return {};
}

std::string check_selection(const engine::Catalogue& catalogue, const engine::Selection& selection) {
  if (auto error = check_spelling(catalogue, selection); !error.empty()) return error;
  if (!engine::select_cases(catalogue, selection).empty()) return {};
  std::string message = "no case matches the selection" + list_hint(selection);
  engine::Selection strict = selection;
  strict.strict = true;
  if (!selection.strict && !engine::select_cases(catalogue, strict).empty())
    message += "; it selects only SHOULD and MAY cases, which run with -S/--strict";
  return message;
}

}  // namespace h2conform::cli
