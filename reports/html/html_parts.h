// Pieces of HTML shared by the report and the matrix: the page template, badges, the run
// facts, verdict totals, and a case's detail block with its wire transcript.
//
// Contract: pure functions writing to a stream. Every string taken from a result is escaped
// (html_text.h); ids and classes come from fixed tables or case_anchor.
#pragma once

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "reports/baseline.h"
#include "runner/engine/model/result.h"

namespace h2conform::reports::html {

// Writes `tpl` with each "{{name}}" replaced by what slots[name] writes. A name without a slot
// is our bug (assert); "{{" without a closing "}}" is written as it is.
using Slots = std::map<std::string, std::function<void(std::ostream&)>, std::less<>>;
void fill_template(std::string_view tpl, const Slots& slots, std::ostream& out);
// The page skeleton (report.html.in) with the embedded stylesheet and script. Title, heading
// and generator are plain text (escaped here); meta and body write HTML; data_json is the
// output of json_for_script.
struct Page {
  std::string title, heading, page_class, generator;
  std::function<void(std::ostream&)> meta, body;
  std::string data_json;
};
void write_page(const Page& page, std::ostream& out);

// Verdicts in display order, with their labels ("pass", "non-strict", "target down").
const std::vector<engine::Verdict>& verdict_order();
std::string verdict_label(engine::Verdict verdict);
int verdict_count(const engine::VerdictCounts& counts, engine::Verdict verdict);

// <span class="badge v-fail">fail</span>; change badges say "regression", "fixed", ...
void write_verdict_badge(engine::Verdict verdict, std::ostream& out);
void write_change_badge(const CaseChange& change, std::ostream& out);

// The run's facts as a <dl class="meta">: target, tool version, start, duration, settings.
void write_run_meta(const engine::RunResult& run, std::ostream& out);

// Tiles with the total of each verdict, then a stacked bar of the proportions.
void write_verdict_tiles(const engine::VerdictCounts& counts, std::ostream& out);

// A table of verdict totals per key (section, level), rows in the order of first appearance.
// When link_sections, each key links to the case table and carries data-section for the filter.
struct CountRow {
  std::string key;
  engine::VerdictCounts counts;
};
std::vector<CountRow> count_by(const engine::RunResult& run,
                               const std::function<std::string(const engine::CaseResult&)>& key);
void write_count_table(const std::string& title, const std::vector<CountRow>& rows,
                       bool link_sections, std::ostream& out);

// <details class="case v-..." id="{prefix}case-{id}">: requirement with its RFC link, action,
// verdict and reason, expected vs observed, and the transcript. `change` may be nullptr.
// `serial` makes the raw-bytes toggle id unique within the page.
void write_case_detail(const engine::CaseResult& c, std::string_view anchor_prefix,
                       const CaseChange* change, int serial, std::ostream& out);

// The transcript as a table (time, direction, frame, stream, flags, length, fields), each frame
// followed by a hidden row of raw hex that a checkbox reveals (CSS only, no script needed).
void write_transcript(const std::vector<engine::TranscriptEntry>& transcript, int serial,
                      std::ostream& out);

}  // namespace h2conform::reports::html
