// results_json: the results-file reader behind `h2conform report` (reports/json_report.h) over
// any bytes. Properties: no crash and no exception; a rejected file gives an error that says
// where ("not JSON: ..." or a JSON pointer such as "/cases/0/verdict: ..."); a loaded run
// writes without throwing, and what it writes loads again and writes the very same text.
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzzers/fuzz_check.h"
#include "reports/json_report.h"

namespace {

using h2conform::engine::RunResult;
using h2conform::reports::read_json_report;
using h2conform::reports::write_json_report;

constexpr std::size_t kMaxInput = 64 * 1024;

std::string read_text(const std::string& text, RunResult* run) {
  std::istringstream in(text);
  return read_json_report(in, run);
}

std::string written(const RunResult& run) {
  std::ostringstream out;
  write_json_report(run, out);
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  RunResult run;
  const std::string error = read_text(text, &run);
  if (!error.empty()) {
    FUZZ_CHECK(error.starts_with("not JSON: ") || error.starts_with("/"));
    return 0;
  }
  const std::string first = written(run);
  RunResult again;
  const std::string reread = read_text(first, &again);
  if (!reread.empty()) std::fprintf(stderr, "results_json: written run does not load: %s\n", reread.c_str());
  FUZZ_CHECK(reread.empty());
  FUZZ_CHECK(written(again) == first);
  return 0;
}
