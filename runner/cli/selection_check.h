// Usage checks on a selection before anything runs: a selector or --exclude that matches no
// case of the catalogue is misspelt (exit 64, with the closest known name); a valid selection
// that selects nothing only for want of -S says so.
//
// Contract: pure function of the catalogue and the selection.
#pragma once

#include <string>

#include "runner/engine/engine.h"

namespace h2conform::cli {

// "" when every selector and exclude matches some case of the catalogue (any level or role);
// else `unknown spec selector "htpp2" (did you mean "http2"?)` for the first that does not.
std::string check_spelling(const engine::Catalogue& catalogue, const engine::Selection& selection);
// "" when the selection is spelt right and selects at least one case; else one line, without the "h2conform: "
// prefix, e.g. `unknown spec selector "htpp2" (did you mean "http2"?)`.
std::string check_selection(const engine::Catalogue& catalogue, const engine::Selection& selection);

}  // namespace h2conform::cli
