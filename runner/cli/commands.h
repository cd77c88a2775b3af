// One registration function per subcommand. Each registers its options with CLI11 and, when
// run, calls into engine/ (or vectors/) and stores its exit code in *exit_code.
#pragma once

#include <CLI/CLI.hpp>

namespace h2conform::cli {

inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;
inline constexpr int kExitHarness = 2;
inline constexpr int kExitUsage = 64;
inline constexpr int kExitInterrupted = 130;

void add_frame_command(CLI::App& app, int* exit_code);  // frame_command.cc
void add_hpack_command(CLI::App& app, int* exit_code);  // hpack_command.cc

}  // namespace h2conform::cli
