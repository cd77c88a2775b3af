// `h2conform report FILE.json... [--junit OUT] [--html OUT] [--text] [--baseline FILE]
// [--write-known-failures OUT] [--diff] [-v] [--color WHEN]`: renders results files again
// without rerunning anything. One file: terminal text (unless only files are asked for), JUnit,
// HTML; exits with the code the run had, or with --baseline marks regressions and fixes in all
// three (comparing only the cases the file holds) and exits 1 only on a regression.
// --write-known-failures is a writing step: exit 0 once the list is written (without --baseline).
// Several files with --html: the implementation matrix. --diff OLD NEW: what changed, exit 1 on
// a regression. Exit 2 when a file cannot be read or written.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "reports/atomic_file.h"
#include "reports/baseline.h"
#include "reports/html/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/terminal_report.h"
#include "runner/cli/cli_support.h"
#include "runner/cli/commands.h"
#include "runner/cli/usage_errors.h"

namespace h2conform::cli {
namespace {

struct ReportFlags {
  std::vector<std::string> inputs;
  std::string junit_file, html_file, baseline, known_failures_out;
  bool text = false, verbose = false, diff = false;
  std::vector<std::string> target_names;  // --target-name: the i-th renames the i-th file's target
  std::string colour = "auto";
};

bool read_all(const std::vector<std::string>& inputs, std::vector<engine::RunResult>* runs) {
  for (const auto& input : inputs) {
    engine::RunResult run;
    if (auto error = reports::read_json_report_file(input, &run); !error.empty()) {
      print_error(error);
      return false;
    }
    runs->push_back(std::move(run));
  }
  return true;
}

bool write_or_say(const std::string& path, const std::function<void(std::ostream&)>& render) {
  if (auto error = reports::write_file_atomically(path, render); !error.empty()) {
    print_error(error);
    return false;
  }
  return true;
}

int report_diff(const std::vector<engine::RunResult>& runs) {
  const reports::BaselineDiff diff = reports::compare_to_baseline(runs[0], runs[1]);
  reports::render_diff_text(diff, std::cout);
  return reports::diff_exit_code(diff);
}

int report_one(const ReportFlags& f, const engine::RunResult& run) {
  std::optional<reports::BaselineDiff> diff;
  if (!f.baseline.empty()) {
    Baseline baseline;
    if (auto error = load_baseline(f.baseline, &baseline); !error.empty()) {
      print_error("--baseline: " + error);
      return kExitHarness;
    }
    // Only the cases RUN holds: a results file of a subset is not missing the rest.
    diff = compare_with(baseline, run, reports::DiffScope{false, false});
  }
  const reports::BaselineDiff* marks = diff ? &*diff : nullptr;
  const bool files = !f.junit_file.empty() || !f.html_file.empty() || !f.known_failures_out.empty();
  if (f.text || !files) {
    reports::ColourChoice colour = reports::ColourChoice::kAuto;
    reports::parse_colour_choice(f.colour, &colour);
    reports::render_terminal(run, {reports::colour_for_fd(1, colour), f.verbose, marks}, std::cout);
    if (diff) {
      std::cout << '\n';
      reports::render_diff_text(*diff, std::cout);
    }
  }
  if (!f.junit_file.empty()) {
    if (auto error = reports::write_junit_report_file(run, f.junit_file, marks); !error.empty()) {
      print_error(error);
      return kExitHarness;
    }
  }
  if (!f.html_file.empty() &&
      !write_or_say(f.html_file, [&](std::ostream& out) { reports::render_html(run, out, marks); })) {
    return kExitHarness;
  }
  if (!f.known_failures_out.empty()) {
    // A writing step, not a verdict: 0 once the list is written, whatever the run's verdicts
    // (with --baseline too, the comparison decides).
    if (!write_or_say(f.known_failures_out, [&](std::ostream& out) { reports::write_known_failures(run, out); }))
      return kExitHarness;
    const auto listed = std::count_if(run.cases.begin(), run.cases.end(),
                                      [](const engine::CaseResult& c) { return reports::is_failing(c.verdict); });
    std::cout << "Wrote " << listed << (listed == 1 ? " known failure" : " known failures") << " to "
              << f.known_failures_out << '\n';
    if (!diff) return kExitPass;
  }
  const int code = engine::exit_code_for(run);
  return diff && code != kExitHarness ? reports::diff_exit_code(*diff) : code;
}

int report(const ReportFlags& f) {
  std::vector<engine::RunResult> runs;
  if (!read_all(f.inputs, &runs)) return kExitHarness;
  for (std::size_t i = 0; i < runs.size() && i < f.target_names.size(); ++i) runs[i].target = f.target_names[i];
  if (f.diff) {
    if (runs.size() != 2 || !f.baseline.empty()) {
      print_error("--diff takes exactly two results files: OLD.json NEW.json (and no --baseline)");
      return kExitUsage;
    }
    return report_diff(runs);
  }
  if (runs.size() == 1) return report_one(f, runs[0]);
  if (f.html_file.empty() || !f.junit_file.empty() || f.text || !f.baseline.empty() ||
      !f.known_failures_out.empty()) {
    print_error("several results files make a matrix: give --html OUT (and no --junit, --text, --baseline or "
                "--write-known-failures)");
    return kExitUsage;
  }
  if (!write_or_say(f.html_file, [&](std::ostream& out) { reports::render_matrix_html(runs, out); }))
    return kExitHarness;
  return kExitPass;
}

}  // namespace

void add_report_command(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ReportFlags>();
  auto* cmd = app.add_subcommand("report", "Render JSON results files again (text, JUnit, HTML, matrix, diff)");
  cmd->add_option("FILE", flags->inputs, "Results files written with --json-report")->required();
  cmd->add_option("--junit", flags->junit_file, "Write a JUnit XML report to OUT");
  cmd->add_option("--html", flags->html_file, "Write the HTML report (one file) or matrix (several) to OUT");
  cmd->add_option("--baseline", flags->baseline,
                  "Mark regressions and fixes against FILE (an earlier results JSON or a known-failures list); "
                  "exit 1 only on a regression");
  cmd->add_option("--write-known-failures", flags->known_failures_out,
                  "Write the run's failing cases to OUT as a known-failures list (a starting baseline)");
  cmd->add_option("--target-name", flags->target_names, "Name of the target in the reports (one per FILE, in order)");
  cmd->add_flag("--text", flags->text, "Print the terminal report (the default without --junit or --html)");
  cmd->add_flag("--diff", flags->diff, "Compare OLD.json and NEW.json: exit 1 on a regression");
  cmd->add_flag("-v,--verbose", flags->verbose, "Show the transcripts of cases that did not pass");
  cmd->add_option("--color", flags->colour, "Colour the terminal report: auto, always or never (default auto)")
      ->type_name("WHEN")->check(colour_word());
  cmd->callback([flags, exit_code] { *exit_code = report(*flags); });
}

}  // namespace h2conform::cli
