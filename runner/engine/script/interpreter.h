// Running one case: connect (retrying once), play its script, judge it. The gate is shared by the
// cases of a run, so that a target that stopped answering is target_down for the rest.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "runner/engine/case/target.h"
#include "runner/engine/connection/clock.h"
#include "runner/engine/connection/connection_source.h"
#include "runner/engine/model/case_model.h"
#include "runner/engine/model/result.h"
#include "runner/engine/script/run_options.h"

namespace h2conform::engine {

// Once one case could not connect twice, the target counts as down for the rest of the run.
class ConnectGate {
 public:
  bool down() const { return down_.load(); }
  void mark_down(const std::string& reason) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!down_.load()) reason_ = reason;
    down_.store(true);
  }
  std::string reason() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return "the target stopped answering connects (" + reason_ + ")";
  }

 private:
  std::atomic<bool> down_{false};
  mutable std::mutex mutex_;
  std::string reason_;
};

// A result with the case's metadata (id, section, level, requirement, ...) and no verdict yet.
CaseResult case_result_header(const Case& c);

// Connects, retrying once. nullptr with *error when both attempts fail.
std::unique_ptr<transport::Connection> connect_with_retry(ConnectionSource& source, Clock& clock,
                                                          std::chrono::milliseconds timeout, std::string* error);
// `waiting`, when given, is called once if an expect step has waited kYieldAfter with the
// target silent or still talking and nothing of ours to send: the runner lets another case start.
CaseResult execute_case(const Case& c, ConnectionSource& source, const Target& target,
                        const RunOptions& options, ConnectGate* gate,
                        const std::function<void()>* waiting = nullptr);

// Runs one case on a fresh connection. Never throws for anything the target does.
CaseResult run_case(const Case& c, ConnectionSource& source, const Target& target,
                    const RunOptions& options);

}  // namespace h2conform::engine
