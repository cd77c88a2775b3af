#include "reports/terminal_progress.h"

namespace h2conform::reports {

void TerminalProgress::case_finished(const engine::CaseResult& result) {
  std::lock_guard<std::mutex> lock(mutex_);
  headings_.print_headings(result, out_);
  render_case(result, options_, out_);
  out_.flush();
}

}  // namespace h2conform::reports
