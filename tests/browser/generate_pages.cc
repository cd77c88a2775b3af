// Writes the pages the browser test opens, from synthetic results:
//   OUT/report.html   300 cases with 20-frame transcripts, compared with a baseline
//   OUT/matrix.html   three implementations of 60 cases, one case only in the last
//   OUT/expected.json what the pages must show (case ids, verdicts, regressions, targets)
// Usage: h2c_browser_pages OUT_DIR. Exit 0, or 2 when a file cannot be written.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/html/html_report.h"
#include "reports/html/synthetic_run.h"

namespace {

using h2conform::engine::RunResult;
namespace hr = h2conform::reports;

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) std::cerr << path.string() << ": cannot write\n";
  return static_cast<bool>(out);
}

// A run as check_pages.mjs reads it: per case its id, verdict, section, the number of
// transcript entries and how many of them carry raw bytes.
nlohmann::json describe(const RunResult& run) {
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& c : run.cases) {
    auto raw = std::count_if(c.transcript.begin(), c.transcript.end(),
                             [](const auto& e) { return !e.raw_hex.empty(); });
    cases.push_back({{"id", c.id}, {"verdict", h2conform::engine::to_string(c.verdict)}, {"section", c.section},
                     {"transcript", c.transcript.size()}, {"raw", raw}});
  }
  return {{"target", run.target}, {"cases", cases}};
}

nlohmann::json regressed_ids(const hr::BaselineDiff& diff) {
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& c : diff.changes)
    if (c.change == hr::Change::kRegression) ids.push_back(c.id);
  return ids;
}

std::vector<RunResult> matrix_runs() {
  using h2conform::reports::html::testing::synthetic_run;
  std::vector<RunResult> runs = {synthetic_run(60, 8, 0, "nghttpd 1.52.0 (tls)"),
                                 synthetic_run(60, 8, 3, "h2o 2.2.5 (tls)"),
                                 synthetic_run(59, 8, 7, "nginx 1.22.1 (tls)")};
  runs[2].cases.push_back(runs[2].cases.front());
  runs[2].cases.back().id = "rfc9113/9.9/only-in-nginx";
  return runs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: h2c_browser_pages OUT_DIR\n";
    return 64;
  }
  std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  using h2conform::reports::html::testing::synthetic_run;
  RunResult run = synthetic_run(300, 20, 0, "nghttpd 1.52.0 on 127.0.0.1:8443 (tls)");
  RunResult baseline = synthetic_run(300, 20, 1, "nghttpd 1.52.0 on 127.0.0.1:8443 (tls)");
  hr::BaselineDiff diff = hr::compare_to_baseline(baseline, run);
  std::ostringstream report, matrix;
  hr::render_html(run, report, &diff);
  auto runs = matrix_runs();
  hr::render_matrix_html(runs, matrix);
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& r : runs) targets.push_back(describe(r));
  nlohmann::json expected = {{"report", describe(run)},
                             {"regressions", diff.count(hr::Change::kRegression)},
                             {"regressed", regressed_ids(diff)},
                             {"matrix", targets}};
  bool ok = write_file(dir / "report.html", report.str()) && write_file(dir / "matrix.html", matrix.str()) &&
            write_file(dir / "expected.json", expected.dump(2));
  if (ok) std::cout << "report.html " << report.str().size() << " bytes, matrix.html " << matrix.str().size() << " bytes\n";
  return ok ? 0 : 2;
}
