#include "reports/terminal_progress.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace h2conform::reports {

bool live_status_wanted(int fd) {
  const char* term = std::getenv("TERM");
  return isatty(fd) == 1 && !(term != nullptr && std::string_view(term) == "dumb");
}

TerminalProgress::TerminalProgress(std::ostream& out, TerminalOptions options, std::vector<std::string> order,
                                   bool live_status)
    : out_(out), options_(options), live_status_(live_status), ids_(std::move(order)) {
  for (std::size_t i = 0; i < ids_.size(); ++i) index_.emplace(ids_[i], i);
  results_.resize(ids_.size());
  printed_.resize(ids_.size());
}

void TerminalProgress::case_started(const engine::Case& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = index_.find(c.id);
  if (it == index_.end() || closed_) return;
  running_.insert(it->second);
  show_status();
}

void TerminalProgress::case_finished(const engine::CaseResult& result) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  auto it = index_.find(result.id);
  if (it == index_.end()) {
    erase_status_locked();
    headings_.print_headings(result, out_);
    render_case(result, options_, out_);
  } else {
    running_.erase(it->second);
    results_[it->second] = result;
    print_ready();
  }
  show_status();
  out_.flush();
}

void TerminalProgress::print_ready() {
  for (; next_ < results_.size() && results_[next_]; ++next_) {
    erase_status_locked();
    headings_.print_headings(*results_[next_], out_);
    render_case(*results_[next_], options_, out_);
    printed_[next_] = true;
    std::vector<engine::TranscriptEntry>().swap(results_[next_]->transcript);
  }
}

void TerminalProgress::show_status() {
  if (!live_status_) return;
  erase_status_locked();
  if (running_.empty()) return;
  std::string line = "running: " + ids_[*running_.begin()] + " (" + std::to_string(running_.size()) + " running)";
  if (line.size() >= kTerminalWidth) line = line.substr(0, kTerminalWidth - 4) + "...";
  out_ << printable(line);
  status_shown_ = true;
  out_.flush();
}

void TerminalProgress::erase_status_locked() {
  if (!status_shown_) return;
  out_ << "\r\x1b[K";
  status_shown_ = false;
}

void TerminalProgress::case_waiting(const engine::Case& c, const std::string& url) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  erase_status_locked();
  out_ << "Waiting for a client at " << printable(url) << " (" << printable(c.id) << ")\n";
  out_.flush();
}

void TerminalProgress::erase_status() {
  std::lock_guard<std::mutex> lock(mutex_);
  erase_status_locked();
  out_.flush();
}

void TerminalProgress::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  erase_status_locked();
  for (std::size_t i = next_; i < results_.size(); ++i) {
    if (!results_[i] || printed_[i]) continue;
    headings_.print_headings(*results_[i], out_);
    render_case(*results_[i], options_, out_);
    printed_[i] = true;
  }
  next_ = results_.size();
  closed_ = true;
  out_.flush();
}

std::size_t TerminalProgress::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_.size();
}

std::vector<engine::CaseResult> TerminalProgress::finished() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<engine::CaseResult> out;
  for (const auto& r : results_) {
    if (r) out.push_back(*r);
  }
  return out;
}

}  // namespace h2conform::reports
