// Which cases run: h2spec-compatible selectors and excludes, levels, the target's role, and
// the spelling help for selectors that match nothing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>
#include "runner/engine/model/case_model.h"

namespace h2conform::engine {

struct Selection {
  std::vector<std::string> selectors;  // empty: all. h2spec-style: http2, http2/6.5, hpack, ...
  std::vector<std::string> excludes;
  bool strict = false;                 // include SHOULD and MAY cases
  std::string role;                   // the target's role; the command decides (kTargetServer, ...)
};
std::vector<const Case*> select_cases(const Catalogue& catalogue, const Selection& selection);
// Whether `selector` matches at least one case of the catalogue, of any level and role: a
// selector that does not is misspelt (or names something the catalogue lacks).
bool is_known_selector(const Catalogue& catalogue, std::string_view selector);
// The known name closest to `selector` (groups, RFC and h2spec sections, case ids and their
// prefixes, h2spec ids), compared without case by edit distance; "" when none is within
// max(2, length / 3) edits.
std::string closest_selector(const Catalogue& catalogue, std::string_view selector);
// Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace h2conform::engine
