// `h2conform show ID`: every field of one case, the requirement sentences it cites and its steps.
#include <iostream>
#include <memory>

#include "reports/case_list.h"
#include "runner/cli/cli_support.h"
#include "runner/cli/commands.h"

namespace h2conform::cli {
namespace {

struct ShowFlags {
  std::string id;
  CatalogueFlags catalogue;
};

int show(const ShowFlags& f) {
  const auto loaded = load_catalogue(f.catalogue);
  for (const auto& c : loaded.catalogue.cases) {
    if (c.id != f.id) continue;
    reports::render_case_details(c, loaded.requirements, std::cout);
    return kExitPass;
  }
  print_error("show: no case has the id \"" + f.id + "\" (see h2conform list)");
  return kExitUsage;
}

}  // namespace

void add_show_command(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ShowFlags>();
  auto* cmd = app.add_subcommand("show", "Show one case: its fields, requirements and steps");
  cmd->add_option("ID", flags->id, "Case id, e.g. rfc9113/6.8/goaway-on-stream")->required();
  add_catalogue_flags(*cmd, &flags->catalogue);
  cmd->callback([flags, exit_code] { *exit_code = show(*flags); });
}

}  // namespace h2conform::cli
