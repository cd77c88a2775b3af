// run_cases: worker threads, results in catalogue order, serialized observer calls.
#include "runner/engine/run/runner.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <functional>
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

// Turns: `parallel` cases exchange frames at once. A case that has heard nothing from the
// target for a while (expect_step.cc) gives its turn to the next case and goes on waiting on its
// own thread, so that cases waiting out their timeouts overlap. A thread is started for the
// next case only when none is free, up to kWaitersPerTurn x parallel in all (64 at most), so
// that a run whose cases never wait keeps `parallel` threads (and as many malloc arenas); with
// --parallel 1 exactly one case is open at a time.
constexpr int kWaitersPerTurn = 4;
constexpr int kMaxThreads = 64;

struct SharedRun {
  const std::vector<const Case*>& cases;
  ConnectionSource& source;
  const Target& target;
  const RunOptions& options;
  RunObserver* observer;
  ConnectGate gate;
  std::atomic<bool> interrupted{false};
  std::mutex observer_mutex;
  std::vector<std::optional<CaseResult>> results;
  std::vector<std::size_t> order;  // start_order
  int turns = 1;                   // RunOptions::parallel
  int max_threads = 1;
  std::mutex turn_mutex;           // guards the members below
  std::condition_variable turn_free;
  std::size_t next = 0;            // index into order
  int busy = 0;                    // cases holding a turn
  int idle = 0;                    // threads waiting for a turn
  std::vector<std::thread> pool;   // threads started besides run_cases' own
};

bool stop_requested(const RunOptions& options) {
  return options.stop != nullptr && options.stop->load();
}

void worker(SharedRun& run);

// Every waiter re-checks: one may take the turn, and once no case is left all of them return.
// A case that gives its turn while it goes on waiting starts a thread for the next case when no
// thread is free.
void give_turn(SharedRun& run, bool still_waiting) {
  {
    std::lock_guard<std::mutex> lock(run.turn_mutex);
    --run.busy;
    if (still_waiting && run.idle == 0 && run.next < run.cases.size() &&
        static_cast<int>(run.pool.size()) + 1 < run.max_threads) {
      run.pool.emplace_back(worker, std::ref(run));
    }
  }
  run.turn_free.notify_all();
}

void worker(SharedRun& run) {
  for (;;) {
    std::size_t n = 0;
    {
      std::unique_lock<std::mutex> lock(run.turn_mutex);
      ++run.idle;
      run.turn_free.wait(lock, [&] { return run.busy < run.turns || run.next >= run.cases.size(); });
      --run.idle;
      if (run.next >= run.cases.size()) {
        lock.unlock();
        run.turn_free.notify_all();
        return;
      }
      n = run.next++;
      ++run.busy;
    }
    const std::size_t i = run.order[n];
    if (stop_requested(run.options)) {
      run.interrupted.store(true);
      {
        std::lock_guard<std::mutex> lock(run.turn_mutex);
        run.next = run.cases.size();
        --run.busy;
      }
      run.turn_free.notify_all();
      return;
    }
    const Case& c = *run.cases[i];
    if (run.observer != nullptr) {
      std::lock_guard<std::mutex> lock(run.observer_mutex);
      run.observer->case_started(c);
    }
    bool holding = true;
    const std::function<void()> waiting = [&] {
      if (!holding) return;
      holding = false;
      give_turn(run, true);
    };
    CaseResult result = execute_case(c, run.source, run.target, run.options, &run.gate,
                                     run.max_threads > run.turns ? &waiting : nullptr);
    if (holding) give_turn(run, false);
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
  SharedRun run{cases, source, target, options, observer, {}, {}, {}, {}, {}};
  run.results.resize(cases.size());
  run.order = start_order(cases);
  run.turns = std::clamp(options.parallel, 1, kMaxThreads);
  run.max_threads = run.turns == 1 ? 1 : std::min(run.turns * kWaitersPerTurn, kMaxThreads);
  const int threads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(run.turns), std::max<std::size_t>(cases.size(), 1)));
  {
    std::lock_guard<std::mutex> lock(run.turn_mutex);
    for (int t = 1; t < threads; ++t) run.pool.emplace_back(worker, std::ref(run));
  }
  worker(run);
  // No thread starts once every case has been taken, and this thread's worker returned only then.
  std::vector<std::thread> pool;
  {
    std::lock_guard<std::mutex> lock(run.turn_mutex);
    pool.swap(run.pool);
  }
  for (auto& t : pool) t.join();
  for (auto& r : run.results) {
    if (r) result.cases.push_back(std::move(*r));
  }
  result.interrupted = run.interrupted.load() || result.cases.size() < cases.size();
  result.duration_ms = std::chrono::duration<double, std::milli>(clock.now() - start).count();
  return result;
}

}  // namespace h2conform::engine
