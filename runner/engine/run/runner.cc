// run_cases: worker threads, results in catalogue order, serialized observer calls.
#include "runner/engine/run/runner.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>

#include "runner/engine/case/script.h"
#include "runner/engine/script/interpreter.h"

namespace h2conform::engine {
namespace {

std::string rfc3339_now() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A case that may have to wait out its timeout even against a target that answers: one that
// sends raw bytes (no PING may follow them as evidence) or judges a malformed request (which
// only a closing response, a reset or the deadline decides). Such cases start first, so that
// their waits overlap instead of one of them setting the end of the run.
bool may_wait_out(const Case& c) {
  if (c.script == nullptr) return false;
  for (const Step& step : c.script->steps) {
    if (std::holds_alternative<SendRaw>(step.kind)) return true;
    const auto* expect = std::get_if<Expect>(&step.kind);
    if (expect != nullptr && std::holds_alternative<MalformedOutcome>(expect->primary.outcome)) return true;
  }
  return false;
}

// The order cases start in: those that may wait out their timeout first, each group in
// catalogue order. Results and reports keep catalogue order.
std::vector<std::size_t> start_order(const std::vector<const Case*>& cases) {
  std::vector<std::size_t> order(cases.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_partition(order.begin(), order.end(), [&](std::size_t i) { return may_wait_out(*cases[i]); });
  return order;
}

struct SharedRun {
  const std::vector<const Case*>& cases;
  ConnectionSource& source;
  const Target& target;
  const RunOptions& options;
  RunObserver* observer;
  ConnectGate gate;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> interrupted{false};
  std::mutex observer_mutex;
  std::vector<std::optional<CaseResult>> results;
  std::vector<std::size_t> order;  // start_order
};

bool stop_requested(const RunOptions& options) {
  return options.stop != nullptr && options.stop->load();
}

void worker(SharedRun& run) {
  for (;;) {
    const std::size_t n = run.next.fetch_add(1);
    if (n >= run.cases.size()) return;
    const std::size_t i = run.order[n];
    if (stop_requested(run.options)) {
      run.interrupted.store(true);
      return;
    }
    const Case& c = *run.cases[i];
    if (run.observer != nullptr) {
      std::lock_guard<std::mutex> lock(run.observer_mutex);
      run.observer->case_started(c);
    }
    CaseResult result = execute_case(c, run.source, run.target, run.options, &run.gate);
    std::lock_guard<std::mutex> lock(run.observer_mutex);
    if (run.observer != nullptr) run.observer->case_finished(result);
    run.results[i] = std::move(result);
  }
}

}  // namespace

RunResult new_run_result(const Target& target, const RunOptions& options) {
  RunResult result;
  result.tool_version = options.tool_version;
  result.target = options.target_label.empty() ? target.authority : options.target_label;
  result.started_at = rfc3339_now();
  result.settings = options.settings;
  return result;
}

RunResult run_cases(const std::vector<const Case*>& cases, ConnectionSource& source, const Target& target,
                    const RunOptions& options, RunObserver* observer) {
  Clock& clock = options.clock != nullptr ? *options.clock : real_clock();
  RunResult result = new_run_result(target, options);
  const auto start = clock.now();
  SharedRun run{cases, source, target, options, observer, {}, {}, {}, {}, {}, {}};
  run.results.resize(cases.size());
  run.order = start_order(cases);
  int threads = std::clamp(options.parallel, 1, 64);
  if (static_cast<std::size_t>(threads) > cases.size()) threads = static_cast<int>(std::max<std::size_t>(cases.size(), 1));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, std::ref(run));
  worker(run);
  for (auto& t : pool) t.join();
  for (auto& r : run.results) {
    if (r) result.cases.push_back(std::move(*r));
  }
  result.interrupted = run.interrupted.load() || result.cases.size() < cases.size();
  result.duration_ms = std::chrono::duration<double, std::milli>(clock.now() - start).count();
  return result;
}

}  // namespace h2conform::engine
