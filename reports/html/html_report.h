// The HTML conformance report and the multi-implementation matrix.
//
// Contract: pure functions of const results writing one self-contained HTML5 document (UTF-8)
// to `out`: stylesheet, script and data are inline, and the page loads nothing from the
// network (the only external URLs are plain links to RFC sections). The summary, the case
// table and every case's details are rendered here, so the page reads without script; the
// inline script adds filters, search, sorting and deep links (#case-<id> opens that case).
// Every string from a result is treated as hostile and escaped.
#pragma once

#include <ostream>
#include <vector>

#include "reports/baseline.h"
#include "runner/engine/model/result.h"

namespace h2conform::reports {

// One run: its facts, totals by verdict, section and level, the table of cases and each
// case's details with its wire transcript. With `diff` (compare_to_baseline of this run), each
// changed case carries a badge (regression, fixed, new, changed) and the summary counts them.
void render_html(const engine::RunResult& run, std::ostream& out, const BaselineDiff* diff = nullptr);

// Several runs side by side: a row per case id (the union, by id), a column per run, cells
// coloured by verdict that link to the case's details for that run (#t<k>-case-<id>, k from 1
// in the order given), per-run totals, and a "most failures first" ordering.
void render_matrix_html(const std::vector<engine::RunResult>& runs, std::ostream& out);

}  // namespace h2conform::reports
