// Live progress on the terminal: an engine::RunObserver that prints each case line (with its
// details) under spec and section headings, in catalogue order whatever order the cases finish
// in: a finished case is held back until every case before it has finished, so two runs
// against the same target print the same lines in the same order.
//
// With live_status (only on a terminal, never in a pipe or a file), a one-line status
// "running: <id of the case holding the lines back> (N running)" is rewritten in place while
// lines are held back, and erased before anything else is printed.
//
// Contract: thread-safe (the engine finishes cases on several threads). It only formats what it
// is given; the recap at the end is reports::render_recap on the final RunResult. It keeps every
// finished result, so that an aborted run can still report the cases that finished; once a
// case is printed its copy drops the transcript (the engine's result keeps it), so that a run
// does not hold every transcript twice.
#pragma once

#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "reports/terminal_report.h"
#include "runner/engine/model/run_observer.h"

namespace h2conform::reports {

// The status line needs a terminal that understands "\r" and erase-line: fd is a TTY and TERM
// is not "dumb".
bool live_status_wanted(int fd);

class TerminalProgress : public engine::RunObserver {
 public:
  // `order`: the ids of the cases the run was given, in catalogue order. A finished case whose
  // id is not in it is printed at once.
  TerminalProgress(std::ostream& out, TerminalOptions options, std::vector<std::string> order,
                   bool live_status = false);
  void case_started(const engine::Case& c) override;
  void case_finished(const engine::CaseResult& result) override;
  // Client testing without --exec: "Waiting for a client at URL (case ID)", at once.
  void case_waiting(const engine::Case& c, const std::string& url) override;

  // Prints the finished cases still held back behind cases that never finished (an interrupted
  // run), erases the status line, and prints nothing more afterwards.
  void close();
  // Erases the status line (before someone else writes to the terminal).
  void erase_status();
  // How many cases have started and not finished.
  std::size_t running() const;
  // Every finished result so far, in catalogue order; printed ones without their transcripts.
  std::vector<engine::CaseResult> finished() const;

 private:
  void print_ready();
  void show_status();
  void erase_status_locked();

  mutable std::mutex mutex_;
  std::ostream& out_;
  TerminalOptions options_;
  bool live_status_;
  bool status_shown_ = false;
  bool closed_ = false;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> ids_;
  std::vector<std::optional<engine::CaseResult>> results_;
  std::vector<bool> printed_;
  std::size_t next_ = 0;          // the first case not yet printed
  std::set<std::size_t> running_;
  HeadingTracker headings_;
};

}  // namespace h2conform::reports
