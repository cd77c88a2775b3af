// `h2conform decode frame FILE... [--check] [--raw]`: decodes http2-frame-test-case files (or
// hex frames from standard input, one line each; or, with --raw, files of raw frame bytes) and
// prints one JSON line per frame in the vector format. With --check, compares each vector file
// with its expectation. Exit 1 when a hex line or raw file holds an invalid or incomplete frame
// (or a --check mismatch), 2 when a file cannot be read or is not in the format expected. `frame decode`, the
// older spelling, stays as a hidden alias (`frame` is not a spec selector, so it cannot clash).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
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
  bool raw = false;
};

struct Tally {
  int cases = 0;
  int mismatches = 0;
  int decode_errors = 0;  // invalid or incomplete frames in hex lines or raw files
  bool harness_error = false;
};

void report_problem(const std::string& source, const std::string& problem, Tally& tally) {
  std::fprintf(stderr, "h2conform: %s: %s\n", source.c_str(), problem.c_str());
  tally.harness_error = true;
}

void decode_file(const std::string& path, bool check, Tally& tally) {
  std::string problem;
  const auto vector = vectors::load_frame_vector(path, &problem);
  if (!vector && problem.starts_with("malformed JSON"))
    problem = "not an http2-frame-test-case JSON file (use --raw for raw frame bytes, or '-' for hex lines): " +
              problem;
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

// One JSON line per frame of `all` (frames back to back), each starting with `where` (the line
// or the file); an invalid or incomplete frame counts as a decode error.
void decode_frames(const nlohmann::json& where, wire::ByteView all, Tally& tally) {
  for (std::size_t pos = 0; pos < all.size();) {
    const wire::DecodeResult r =
        vectors::apply_client_rules(wire::decode_frame(all.subspan(pos), vectors::frame_vector_decode_options()));
    if (r.status != wire::DecodeStatus::kComplete) ++tally.decode_errors;
    const std::size_t used = r.consumed == 0 ? all.size() - pos : r.consumed;
    nlohmann::json out = where;
    out.update({{"offset", pos}, {"wire", wire::to_hex(all.subspan(pos, used))}});
    out.update(vectors::decode_result_to_vector_json(r));
    std::cout << out.dump() << '\n';
    pos += used;
  }
}

// Each line holds one frame or several concatenated, as hex; blank lines are skipped.
void decode_stdin(Tally& tally) {
  std::string text;
  for (int line_no = 1; std::getline(std::cin, text); ++line_no) {
    const auto bytes = wire::parse_hex(text);
    if (!bytes) {
      report_problem("<stdin> line " + std::to_string(line_no), "not hex", tally);
      continue;
    }
    decode_frames({{"line", line_no}}, wire::ByteView(*bytes), tally);
  }
}

void decode_raw_file(const std::string& path, Tally& tally) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return report_problem(path, "cannot read file", tally);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  decode_frames({{"file", path}}, wire::ByteView(bytes), tally);
}

int run_frame_decode(const FrameDecodeArgs& args) {
  Tally tally;
  for (const std::string& file : args.files) {
    if (file == "-") {
      decode_stdin(tally);
    } else if (args.raw) {
      decode_raw_file(file, tally);
    } else {
      decode_file(file, args.check, tally);
    }
  }
  if (args.check) std::cout << tally.cases << " cases, " << tally.mismatches << " mismatches\n";
  std::cout.flush();
  if (tally.harness_error) return kExitHarness;
  return tally.mismatches > 0 || tally.decode_errors > 0 ? kExitFail : kExitPass;
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
  decode->add_flag("--raw", args->raw, "FILEs hold raw frame bytes (a capture of one direction), not JSON vectors");
  decode->callback([args, exit_code] { *exit_code = run_frame_decode(*args); });
}

}  // namespace h2conform::cli
