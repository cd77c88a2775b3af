// `h2conform decode frame|hpack FILE...|-`: the decoders for captures and test vectors, under
// one subcommand so that `hpack` stays free as a spec selector, as in h2spec.
#include <memory>

#include "runner/cli/commands.h"

namespace h2conform::cli {

void add_decode_command(CLI::App& app, int* exit_code) {
  auto* decode = app.add_subcommand("decode", "Decode frames or HPACK header blocks to JSON lines");
  decode->require_subcommand(1);
  add_frame_decode_command(*decode, "frame", exit_code);
  add_hpack_decode_command(*decode, exit_code);
  // The older spelling `frame decode`, kept working for scripts but not listed in --help.
  auto* frame = app.add_subcommand("frame", "Alias: decode frame");
  frame->group("");
  frame->require_subcommand(1);
  add_frame_decode_command(*frame, "decode", exit_code);
}

}  // namespace h2conform::cli
