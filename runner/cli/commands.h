// One registration function per subcommand. Each registers its options with CLI11 and, when
// run, calls into engine/, reports/ (or vectors/) and stores its exit code in *exit_code.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "runner/engine/model/case_model.h"

namespace h2conform::cli {

inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;
inline constexpr int kExitHarness = 2;
inline constexpr int kExitUsage = 64;
inline constexpr int kExitInterrupted = 130;

void add_decode_command(CLI::App& app, int* exit_code);    // decode_command.cc
// `decode frame` and `decode hpack`, registered under `parent` (decode_command.cc).
void add_frame_decode_command(CLI::App& parent, const std::string& name, int* exit_code);  // frame_command.cc
void add_hpack_decode_command(CLI::App& parent, int* exit_code);                           // hpack_command.cc
void add_list_command(CLI::App& app, int* exit_code);      // list_command.cc
void add_show_command(CLI::App& app, int* exit_code);      // show_command.cc
void add_validate_command(CLI::App& app, int* exit_code);  // validate_command.cc
void add_report_command(CLI::App& app, int* exit_code);    // report_command.cc
void add_coverage_command(CLI::App& app, int* exit_code);  // coverage_command.cc
void add_fuzz_command(CLI::App& app, int* exit_code);      // fuzz_command.cc

// The role of the targets the default command tests (a case's "role"): `h2conform [SPEC...]`
// tests servers, and `list` lists what it would run. This is the one place that says so; the
// `client` subcommand registers the run options on itself with engine::kTargetClient.
inline constexpr std::string_view kRunTargetRole = engine::kTargetServer;

// The default command (no subcommand): h2spec's flags on the top-level app, `h2conform
// [SPEC...] [flags]`. Returns the function that runs it after parsing; it returns the exit code.
// Only the cases whose "role" is `target_role` run, and the results record it.
std::function<int()> add_run_options(CLI::App& app, std::string_view target_role = kRunTargetRole);  // run_command.cc
// `h2conform client [SPEC...] [flags]`: the run options for client targets, plus --exec,
// --listen, --cert and --key (run_command.cc).
void add_client_command(CLI::App& app, int* exit_code);

}  // namespace h2conform::cli
