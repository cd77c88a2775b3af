// How a run reports progress: the engine calls these as cases start and finish.
//
// Contract: plain interface over plain data (case_model.h, result.h), so that renderers can
// observe a run without linking the engine. The engine serializes the calls.
#pragma once

#include <string>

#include "runner/engine/model/case_model.h"
#include "runner/engine/model/result.h"

namespace h2conform::engine {

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void case_started(const Case& c) { (void)c; }
  virtual void case_finished(const CaseResult& result) { (void)result; }
  // Client testing without a launcher (`h2conform client` without --exec): the case listens
  // at `url` and waits, until its deadline, for a client that someone else starts.
  virtual void case_waiting(const Case& c, const std::string& url) {
    (void)c;
    (void)url;
  }
};

}  // namespace h2conform::engine
