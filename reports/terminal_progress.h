// Live progress on the terminal: an engine::RunObserver that prints each case line (with its
// details) as the case finishes, under group and section headings.
//
// Contract: thread-safe (the engine may finish cases on several threads; with --parallel the
// lines come in completion order). It only formats what it is given; the recap at the end is
// reports::render_recap on the final RunResult, in catalogue order. It flushes after every case.
#pragma once

#include <mutex>
#include <ostream>

#include "reports/terminal_report.h"
#include "runner/engine/engine.h"

namespace h2conform::reports {

class TerminalProgress : public engine::RunObserver {
 public:
  TerminalProgress(std::ostream& out, TerminalOptions options) : out_(out), options_(options) {}
  void case_finished(const engine::CaseResult& result) override;

 private:
  std::mutex mutex_;
  std::ostream& out_;
  TerminalOptions options_;
  HeadingTracker headings_;
};

}  // namespace h2conform::reports
