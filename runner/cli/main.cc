// h2conform: command line entry point. Registers the subcommands and maps outcomes to exit
// codes (0 all passed, 1 a case failed, 2 harness error, 64 usage). No logic lives here.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "runner/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"h2conform: HTTP/2 conformance and fuzz testing"};
  int exit_code = 0;
  h2conform::cli::add_frame_command(app, &exit_code);
  h2conform::cli::add_hpack_command(app, &exit_code);
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return h2conform::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "h2conform: %s\n", e.what());
    return h2conform::cli::kExitHarness;
  }
  return exit_code;
}
