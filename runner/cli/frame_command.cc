// `h2conform decode frame FILE... [--check]`: decodes http2-frame-test-case files (or hex
// frames from standard input, one line each) and prints one JSON line per frame in the
// vector format. With --check, compares each file with its expectation. `frame decode`, the
// older spelling, stays as a hidden alias (`frame` is not a spec selector, so it cannot clash).
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "runner/cli/commands.h"
#include "runner/vectors/frame_vectors.h"
#include "runner/wire/hex.h"

namespace h2conform::cli {
namespace {

struct FrameDecodeArgs {
  std::vector<std::string> files;
  bool check = false;
};

struct Tally {
  int cases = 0;
  int mismatches = 0;
  bool harness_error = false;
};

void report_problem(const std::string& source, const std::string& problem, Tally& tally) {
  std::fprintf(stderr, "h2conform: %s: %s\n", source.c_str(), problem.c_str());
  tally.harness_error = true;
}

void decode_file(const std::string& path, bool check, Tally& tally) {
  std::string problem;
  const auto vector = vectors::load_frame_vector(path, &problem);
  if (!vector) return report_problem(path, problem, tally);
  const vectors::VectorCheck result = vectors::check_frame_vector(*vector);
  nlohmann::json line = {{"file", path}, {"wire", wire::to_hex(vector->wire)}};
  line.update(result.actual);
  if (check) {
    ++tally.cases;
    line["pass"] = result.pass;
    if (!result.pass) {
      ++tally.mismatches;
      line["mismatch"] = result.mismatch;
    }
  }
  std::cout << line.dump() << '\n';
}

// Each line holds one frame or several concatenated, as hex; blank lines are skipped.
void decode_stdin(Tally& tally) {
  std::string text;
  for (int line_no = 1; std::getline(std::cin, text); ++line_no) {
    const auto bytes = wire::parse_hex(text);
    const std::string where = "<stdin> line " + std::to_string(line_no);
    if (!bytes) {
      report_problem(where, "not hex", tally);
      continue;
    }
    const wire::ByteView all(*bytes);
    for (std::size_t pos = 0; pos < all.size();) {
      const wire::DecodeResult r =
          wire::decode_frame(all.subspan(pos), vectors::frame_vector_decode_options());
      const std::size_t used = r.consumed == 0 ? all.size() - pos : r.consumed;
      nlohmann::json out = {{"line", line_no}, {"offset", pos},
                            {"wire", wire::to_hex(all.subspan(pos, used))}};
      out.update(vectors::decode_result_to_vector_json(r));
      std::cout << out.dump() << '\n';
      pos += used;
    }
  }
}

int run_frame_decode(const FrameDecodeArgs& args) {
  Tally tally;
  for (const std::string& file : args.files) {
    if (file == "-") {
      decode_stdin(tally);
    } else {
      decode_file(file, args.check, tally);
    }
  }
  if (args.check) std::cout << tally.cases << " cases, " << tally.mismatches << " mismatches\n";
  std::cout.flush();
  if (tally.harness_error) return kExitHarness;
  return tally.mismatches > 0 ? kExitFail : kExitPass;
}

}  // namespace

void add_frame_decode_command(CLI::App& parent, const std::string& name, int* exit_code) {
  auto* decode = parent.add_subcommand(
      name, "Decode http2-frame-test-case files (or hex lines from '-') to JSON lines");
  auto args = std::make_shared<FrameDecodeArgs>();
  decode->add_option("FILE", args->files, "Vector files; '-' reads hex frames, one line each")
      ->required();
  decode->add_flag("--check", args->check,
                   "Compare each file with its expectation; last line 'N cases, N mismatches'");
  decode->callback([args, exit_code] { *exit_code = run_frame_decode(*args); });
}

}  // namespace h2conform::cli
