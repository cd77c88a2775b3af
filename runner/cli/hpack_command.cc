// `h2conform decode hpack FILE... [--check]`: decodes hpack-test-case stories (or hex header
// blocks from standard input, one per line, sharing one decoder) and prints one JSON line per
// block in the story format. With --check, compares each case with its `headers`.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "runner/cli/commands.h"
#include "runner/vectors/hpack_vectors.h"
#include "runner/wire/hex.h"

namespace h2conform::cli {
namespace {

struct HpackDecodeArgs {
  std::vector<std::string> files;
  bool check = false;
};

struct Tally {
  int blocks = 0;
  int mismatches = 0;
  int decode_errors = 0;
  bool harness_error = false;
};

void report_problem(const std::string& source, const std::string& problem, Tally& tally) {
  std::fprintf(stderr, "h2conform: %s: %s\n", source.c_str(), problem.c_str());
  tally.harness_error = true;
}

void decode_file(const std::string& path, bool check, Tally& tally) {
  std::string problem;
  const auto story = vectors::load_hpack_story(path, &problem);
  if (!story) return report_problem(path, problem, tally);
  hpack::Decoder decoder;  // one context per story
  for (const vectors::HpackCase& c : story->cases) {
    const vectors::HpackCaseResult result = vectors::check_hpack_case(decoder, c);
    ++tally.blocks;
    if (result.error) ++tally.decode_errors;
    nlohmann::json line = {{"file", path}};
    line.update(vectors::hpack_result_to_json(c, result));
    if (check) {
      line["pass"] = result.pass;
      if (!result.pass) {
        ++tally.mismatches;
        line["mismatch"] = result.mismatch;
      }
    }
    std::cout << line.dump() << '\n';
  }
}

// One hex header block per line, all through one decoder; blank lines are skipped. There is no
// expectation, so with --check a block that fails to decode counts as a mismatch.
void decode_stdin(bool check, Tally& tally) {
  hpack::Decoder decoder;
  std::string text;
  for (int line_no = 1; std::getline(std::cin, text); ++line_no) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto bytes = wire::parse_hex(text);
    if (!bytes) {
      report_problem("<stdin> line " + std::to_string(line_no), "not hex", tally);
      continue;
    }
    vectors::HpackCase c;
    c.seqno = line_no;
    c.wire = *bytes;
    vectors::HpackCaseResult result;
    result.error = decoder.decode(c.wire, &result.decoded);
    ++tally.blocks;
    if (result.error) ++tally.decode_errors;
    nlohmann::json out = vectors::hpack_result_to_json(c, result);
    out.erase("seqno");
    out["line"] = line_no;
    if (check) {
      out["pass"] = !result.error;
      if (result.error) ++tally.mismatches;
    }
    std::cout << out.dump() << '\n';
  }
}

int run_hpack_decode(const HpackDecodeArgs& args) {
  Tally tally;
  for (const std::string& file : args.files) {
    if (file == "-") {
      decode_stdin(args.check, tally);
    } else {
      decode_file(file, args.check, tally);
    }
  }
  if (args.check) std::cout << tally.blocks << " blocks, " << tally.mismatches << " mismatches\n";
  std::cout.flush();
  if (tally.harness_error) return kExitHarness;
  return tally.mismatches > 0 || tally.decode_errors > 0 ? kExitFail : kExitPass;
}

}  // namespace

void add_hpack_decode_command(CLI::App& parent, int* exit_code) {
  auto* decode = parent.add_subcommand(
      "hpack", "Decode hpack-test-case stories (or hex blocks from '-') to JSON lines");
  auto args = std::make_shared<HpackDecodeArgs>();
  decode->add_option("FILE", args->files,
                     "Story files; '-' reads hex header blocks, one per line, one decoder")
      ->required();
  decode->add_flag("--check", args->check,
                   "Compare each case with its headers; last line 'N blocks, N mismatches'");
  decode->callback([args, exit_code] { *exit_code = run_hpack_decode(*args); });
}

}  // namespace h2conform::cli
