// h2conform_bench: Google Benchmark main with the vectors folder flag and a ratio summary.
//   h2conform_bench [--vectors_dir=DIR] [benchmark flags]
// DIR must hold hpack-test-case/; it defaults to the source tree's tests/vectors (set by CMake).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
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

#ifndef H2CONFORM_BENCH_VECTORS_DIR
#define H2CONFORM_BENCH_VECTORS_DIR ""
#endif

std::string take_vectors_dir(int* argc, char** argv) {
  static constexpr std::string_view kFlag = "--vectors_dir=";
  std::string dir = H2CONFORM_BENCH_VECTORS_DIR;
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp(argv[i], kFlag.data(), kFlag.size()) == 0) {
      dir = argv[i] + kFlag.size();
    } else {
      argv[out++] = argv[i];
    }
  }
  *argc = out;
  return dir;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string vectors = take_vectors_dir(&argc, argv);
  if (vectors.empty()) {
    std::fprintf(stderr,
                 "h2conform_bench: no vectors folder: pass --vectors_dir=DIR "
                 "(DIR/hpack-test-case holds the stories)\n");
    return 2;
  }
  try {
    h2conform::bench::set_corpus(h2conform::bench::load_corpus(vectors));
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
  reporter.print_ratio("receive", "FrameReceive/ours", "FrameReceive/nghttp2");
  benchmark::Shutdown();
  return 0;
}
