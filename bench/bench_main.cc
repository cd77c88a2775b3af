// h2conform_bench: Google Benchmark main with the shared folder flag and a ratio summary.
//   h2conform_bench [--shared_dir=DIR] [benchmark flags]
// DIR defaults to $H2CONFORM_SHARED_DIR; it must hold vectors/hpack-test-case.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench/stories.h"

namespace h2conform::bench {
void register_hpack_benchmarks();
#ifdef H2CONFORM_BENCH_FRAMES
void register_frame_benchmarks();
#endif
}  // namespace h2conform::bench

namespace {

// Console output plus the time per iteration of each benchmark, for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  SummaryReporter() : ConsoleReporter(isatty(fileno(stdout)) ? OO_ColorTabular : OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
      seconds_[r.run_name.function_name] = r.GetAdjustedCPUTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void print_ratio(const char* what, const std::string& ours, const std::string& theirs) const {
    const auto a = seconds_.find(ours);
    const auto b = seconds_.find(theirs);
    if (a == seconds_.end() || b == seconds_.end()) return;
    std::printf("%-8s ours/nghttp2 throughput ratio (CPU time): %.2f\n", what, b->second / a->second);
  }

 private:
  std::map<std::string, double> seconds_;
};

std::string take_shared_dir(int* argc, char** argv) {
  std::string dir;
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp(argv[i], "--shared_dir=", 13) == 0) {
      dir = argv[i] + 13;
    } else {
      argv[out++] = argv[i];
    }
  }
  *argc = out;
  if (dir.empty()) {
    const char* env = std::getenv("H2CONFORM_SHARED_DIR");
    if (env != nullptr) dir = env;
  }
  return dir;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string shared = take_shared_dir(&argc, argv);
  if (shared.empty()) {
    std::fprintf(stderr,
                 "h2conform_bench: no shared folder: pass --shared_dir=DIR or set "
                 "H2CONFORM_SHARED_DIR (DIR/vectors/hpack-test-case holds the stories)\n");
    return 2;
  }
  try {
    h2conform::bench::set_corpus(h2conform::bench::load_corpus(shared));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "h2conform_bench: %s\n", e.what());
    return 2;
  }
  const auto& c = h2conform::bench::corpus();
  std::printf("corpus: %zu stories, %zu blocks, %zu fields, %zu wire bytes, %zu header bytes\n",
              c.stories.size(), c.blocks, c.fields, c.wire_bytes, c.header_bytes);
  h2conform::bench::register_hpack_benchmarks();
#ifdef H2CONFORM_BENCH_FRAMES
  h2conform::bench::register_frame_benchmarks();
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 64;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratio("decode", "HpackDecode/ours", "HpackDecode/nghttp2");
  reporter.print_ratio("encode", "HpackEncode/ours", "HpackEncode/nghttp2");
  benchmark::Shutdown();
  return 0;
}
