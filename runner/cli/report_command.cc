// `h2conform report FILE.json [--junit OUT] [--text] [-v]`: renders a results file again
// without rerunning anything. Prints the terminal report unless only --junit is given; exits
// with the code the run had (0, 1 or 2), or 2 when the file cannot be read.
#include <iostream>
#include <memory>

#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/terminal_report.h"
#include "runner/cli/cli_support.h"
#include "runner/cli/commands.h"

namespace h2conform::cli {
namespace {

struct ReportFlags {
  std::string input, junit_file;
  bool text = false, verbose = false;
};

int report(const ReportFlags& f) {
  engine::RunResult run;
  if (auto error = reports::read_json_report_file(f.input, &run); !error.empty()) {
    print_error(error);
    return kExitHarness;
  }
  if (f.text || f.junit_file.empty())
    reports::render_terminal(run, {reports::colour_for_fd(1), f.verbose}, std::cout);
  if (!f.junit_file.empty()) {
    if (auto error = reports::write_junit_report_file(run, f.junit_file); !error.empty()) {
      print_error(error);
      return kExitHarness;
    }
  }
  return engine::exit_code_for(run);
}

}  // namespace

void add_report_command(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ReportFlags>();
  auto* cmd = app.add_subcommand("report", "Render a JSON results file again (terminal text, JUnit XML)");
  cmd->add_option("FILE", flags->input, "Results file written with --json-report")->required();
  cmd->add_option("--junit", flags->junit_file, "Write a JUnit XML report to OUT");
  cmd->add_flag("--text", flags->text, "Print the terminal report (the default without --junit)");
  cmd->add_flag("-v,--verbose", flags->verbose, "Show the transcripts of cases that did not pass");
  cmd->callback([flags, exit_code] { *exit_code = report(*flags); });
}

}  // namespace h2conform::cli
