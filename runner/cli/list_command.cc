// `h2conform list [SPEC...] [--exclude SEL] [-S] [--role server|client | --all-roles]`: one line
// per selected case (id, level, role, h2spec ids), for scripts. `h2conform --dryrun` prints the same selection as a tree.
#include <iostream>
#include <memory>

#include "reports/case_list.h"
#include "runner/cli/cli_support.h"
#include "runner/cli/commands.h"
#include "runner/cli/selection_check.h"

namespace h2conform::cli {
namespace {

struct ListFlags {
  std::vector<std::string> specs, excludes;
  bool strict = false;
  bool all_roles = false;
  std::string role = std::string(engine::kTargetServer);
  CatalogueFlags catalogue;
};

int list(const ListFlags& f) {
  const auto loaded = load_catalogue(f.catalogue);
  // Misspelt selectors are usage errors; a selection that lists nothing is not (scripts).
  const engine::Selection selection{f.specs, f.excludes, f.strict, f.role};
  if (auto error = check_spelling(loaded.catalogue, selection); !error.empty()) {
    print_error(error);
    return kExitUsage;
  }
  std::vector<const engine::Case*> cases;
  if (f.all_roles) {
    for (const auto role : {engine::kTargetServer, engine::kTargetClient}) {
      engine::Selection each = selection;
      each.role = role;
      for (const auto* c : engine::select_cases(loaded.catalogue, each)) cases.push_back(c);
    }
  } else {
    cases = engine::select_cases(loaded.catalogue, selection);
  }
  reports::render_case_lines(cases, std::cout);
  return kExitPass;
}

}  // namespace

void add_list_command(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ListFlags>();
  auto* cmd = app.add_subcommand("list", "List the selected cases, one per line: id, level, role, h2spec ids");
  cmd->add_option("SPEC", flags->specs, "Selectors, as for the default command");
  cmd->add_option("--exclude", flags->excludes, "Leave out cases matching SEL (repeatable)");
  cmd->add_flag("-S,--strict", flags->strict, "Include SHOULD and MAY cases");
  cmd->add_option("--role", flags->role,
                  "server (the default): cases for server targets; client: cases for client targets, as run by "
                  "h2conform client")
      ->check(CLI::IsMember({std::string(engine::kTargetServer), std::string(engine::kTargetClient)}))
      ->type_name("ROLE");
  cmd->add_flag("--all-roles", flags->all_roles, "List the cases of both roles (instead of --role)");
  add_catalogue_flags(*cmd, &flags->catalogue);
  cmd->callback([flags, exit_code] { *exit_code = list(*flags); });
}

}  // namespace h2conform::cli
