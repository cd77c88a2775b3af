// `h2conform show ID`: every field of one case, the requirement sentences it cites and its steps.
// ID is a case id, or an h2spec id (http2/5.1.1/2): then every case that records that id.
#include <algorithm>
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

bool records_h2spec_id(const engine::Case& c, const std::string& id) {
  return std::find(c.h2spec_ids.begin(), c.h2spec_ids.end(), id) != c.h2spec_ids.end();
}

// The case with this id or alias (an earlier id); else the cases that record it as their h2spec
// id, in catalogue order.
std::vector<const engine::Case*> cases_named(const engine::Catalogue& catalogue, const std::string& id) {
  std::vector<const engine::Case*> found;
  for (const auto& c : catalogue.cases)
    if (c.id == id || std::find(c.aliases.begin(), c.aliases.end(), id) != c.aliases.end()) return {&c};
  for (const auto& c : catalogue.cases)
    if (records_h2spec_id(c, id)) found.push_back(&c);
  return found;
}

int show(const ShowFlags& f) {
  const auto loaded = load_catalogue(f.catalogue);
  const auto cases = cases_named(loaded.catalogue, f.id);
  if (cases.empty()) {
    print_error("show: no case has the id or h2spec id \"" + f.id + "\" (see h2conform list)");
    return kExitUsage;
  }
  if (cases.size() > 1) std::cout << "h2spec " << f.id << ": " << cases.size() << " cases\n\n";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (i > 0) std::cout << '\n';
    reports::render_case_details(*cases[i], loaded.requirements, std::cout);
  }
  return kExitPass;
}

}  // namespace

void add_show_command(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ShowFlags>();
  auto* cmd = app.add_subcommand("show", "Show one case (or the cases of an h2spec id): fields, requirements, steps");
  cmd->add_option("ID", flags->id,
                  "Case id (rfc9113/6.8/goaway-on-stream), an earlier id of a case, or h2spec id (http2/6.8/1)")
      ->required();
  add_catalogue_flags(*cmd, &flags->catalogue);
  cmd->callback([flags, exit_code] { *exit_code = show(*flags); });
}

}  // namespace h2conform::cli
