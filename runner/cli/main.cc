// h2conform: command line entry point, h2spec-compatible. Registers the default command's flags
// and the subcommands, and maps outcomes to exit codes: 0 all passed, 1 a case failed, 2 harness
// error, 64 usage, 130 interrupted. -h is the host, as in h2spec; help is --help (or `help`).
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "runner/cli/cli_support.h"
#include "runner/cli/commands.h"
#include "runner/cli/usage_errors.h"

namespace {

using namespace h2conform::cli;

constexpr const char* kFooter =
    "Exit codes: 0 all cases passed, 1 a case failed, 2 harness error (target unreachable, bad\n"
    "case file, a report could not be written), 64 usage error, 130 interrupted.\n\n"
    "Example: h2conform -h 127.0.0.1 -p 8443 -t -k http2/6.5 -j junit.xml";

void print_version() { std::printf("h2conform %s\n", H2CONFORM_VERSION); }

// `hpack decode` was the decoder's spelling before `hpack` became a selector everywhere.
bool is_old_hpack_decode(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "hpack") == 0 && std::strcmp(argv[i + 1], "decode") == 0) return true;
  }
  return false;
}

int parse_and_run(CLI::App& app, int argc, char** argv, const std::function<int()>& run,
                  const bool& version, const int& exit_code) {
  if (is_old_hpack_decode(argc, argv)) {
    print_error("`hpack decode` is now `h2conform decode hpack FILE...` (hpack is a spec selector)");
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
    if (version) {
      print_version();
      return kExitPass;
    }
    return app.get_subcommands().empty() ? run() : exit_code;
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return kExitPass;
  } catch (const CLI::ParseError& e) {
    print_error(describe_parse_error(e));
    return kExitUsage;
  } catch (const std::exception& e) {  // engine::LoadError among them: a bad case file
    print_error(e.what());
    return kExitHarness;
  }
}

// `h2conform help` and `h2conform version` do what they say (they are not spec selectors).
void add_help_and_version_commands(CLI::App& app, int* exit_code) {
  auto* help = app.add_subcommand("help", "Print this help message and exit");
  help->callback([&app, exit_code] {
    std::cout << app.help();
    *exit_code = kExitPass;
  });
  auto* version = app.add_subcommand("version", "Print the version and exit");
  version->callback([exit_code] {
    print_version();
    *exit_code = kExitPass;
  });
}

// A selector before a subcommand (`h2conform http2 list`) would be ignored: refuse it as the
// subcommand starts, before it runs.
void refuse_selectors_before_subcommands(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    sub->preparse_callback([&app, sub](std::size_t) {
      const CLI::Option* specs = app.get_option("SPEC");
      if (specs->count() == 0) return;
      const std::string& first = specs->results().front();
      const std::string name = sub->get_name();
      throw CLI::ValidationError("\"" + first + "\" comes before the " + name + " subcommand, which would ignore it; " +
                                 "put selectors after it (h2conform " + name + " " + first + ")");
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"h2conform: HTTP/2 conformance testing (h2spec-compatible flags)", "h2conform"};
  app.set_help_flag();  // -h is --host, as in h2spec
  app.set_help_flag("--help", "Print this help message and exit");
  bool version = false;
  app.add_flag("--version", version, "Print the version and exit");
  int exit_code = kExitPass;
  const auto run = add_run_options(app);
  add_client_command(app, &exit_code);
  add_list_command(app, &exit_code);
  add_show_command(app, &exit_code);
  add_validate_command(app, &exit_code);
  add_report_command(app, &exit_code);
  add_coverage_command(app, &exit_code);
  add_fuzz_command(app, &exit_code);
  add_decode_command(app, &exit_code);
  add_help_and_version_commands(app, &exit_code);
  app.require_subcommand(0, 1);
  refuse_selectors_before_subcommands(app);
  app.footer(kFooter);  // after the subcommands, which would inherit it
  return parse_and_run(app, argc, argv, run, version, exit_code);
}
