// `h2conform coverage [--markdown] [--output FILE]`: requirement coverage of the whole
// catalogue (server cases), as text or as the Markdown of docs/coverage.md.
#include <iostream>
#include <memory>

#include "reports/atomic_file.h"
#include "reports/coverage_report.h"
#include "runner/cli/cli_support.h"
#include "runner/cli/commands.h"

namespace h2conform::cli {
namespace {

struct CoverageFlags {
  bool markdown = false;
  std::string output, reasons_dir;
  CatalogueFlags catalogue;
};

int coverage(const CoverageFlags& f) {
  const auto loaded = load_catalogue(f.catalogue);
  reports::CoverageReasons reasons;
  const std::string dir = f.reasons_dir.empty() ? default_reasons_dir(f.catalogue.cases_dir).string() : f.reasons_dir;
  if (auto error = reports::load_coverage_reasons(dir, &reasons); !error.empty()) {
    print_error(error);
    return kExitHarness;
  }
  std::vector<const engine::Case*> cases;
  for (const auto& c : loaded.catalogue.cases) cases.push_back(&c);
  const auto result = reports::compute_coverage(cases, loaded.requirements, reasons);
  auto render = [&](std::ostream& out) {
    if (f.markdown) reports::render_coverage_markdown(result, out);
    else reports::render_coverage_text(result, out);
  };
  if (f.output.empty()) {
    render(std::cout);
    return kExitPass;
  }
  if (auto error = reports::write_file_atomically(f.output, render); !error.empty()) {
    print_error(error);
    return kExitHarness;
  }
  return kExitPass;
}

}  // namespace

void add_coverage_command(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<CoverageFlags>();
  auto* cmd = app.add_subcommand("coverage", "Which MUST rows of RFC 9113 and RFC 7541 the catalogue covers");
  cmd->add_flag("--markdown", flags->markdown, "Markdown (docs/coverage.md) instead of text");
  cmd->add_option("--output", flags->output, "Write to FILE (atomically) instead of standard output");
  cmd->add_option("--reasons", flags->reasons_dir, "Folder of reason files (default: docs/coverage beside --cases)");
  add_catalogue_flags(*cmd, &flags->catalogue);
  cmd->callback([flags, exit_code] { *exit_code = coverage(*flags); });
}

}  // namespace h2conform::cli
