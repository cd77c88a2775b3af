// How cases run: the per-case timeout, parallelism, the stop flag, the clock, what goes into
// the result's header, and whether expected connection errors may end early on evidence.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include "runner/engine/connection/clock.h"
#include "runner/engine/connection/corpus.h"
#include "runner/engine/model/result.h"

namespace h2conform::engine {

struct RunOptions {
  std::chrono::milliseconds timeout{2000};  // per case, h2spec's -o
  int parallel = 4;
  std::atomic<bool>* stop = nullptr;        // set by SIGINT/SIGTERM: no new cases start
  Clock* clock = nullptr;                   // nullptr: real_clock()
  RunSettings settings;                     // copied into the RunResult
  std::string tool_version;
  std::string target_label;
  // End expectations on evidence (expect_step.cc, docs/grading.md "Early endings"): PINGs
  // answered after the offending frame, an answer that closed a served request's stream, a later
  // request answered. Off (--wait-full-timeout): the same frames go out, and every step waits
  // for its deadline.
  bool error_probes = true;
  // Seeds from every case's connection (`--record-corpus`); nullptr: none.
  CorpusSink* corpus = nullptr;
};

}  // namespace h2conform::engine
