// Listings of cases without running them: the --dryrun tree, the `list` lines and the `show`
// page of one case.
//
// Contract: pure functions of loaded cases (engine/case_model.h) and an output stream; they
// never run a case or open a connection.
#pragma once

#include <ostream>
#include <vector>

#include "runner/engine/model/case_model.h"

namespace h2conform::reports {

// Group and section headings as in the terminal report, then one line per case:
// "    rfc9113/6.8/goaway-on-stream [http2/6.8/1]: <action>", and "N cases selected" last.
void render_case_tree(const std::vector<const engine::Case*>& cases, std::ostream& out);
// One line per case: "<id>\t<level>\t<role>\t<h2spec ids, comma-separated or ->".
void render_case_lines(const std::vector<const engine::Case*>& cases, std::ostream& out);
// Every field of one case, the sentences of the requirements it cites, and its steps.
void render_case_details(const engine::Case& c, const engine::RequirementTable& requirements,
                         std::ostream& out);

}  // namespace h2conform::reports
