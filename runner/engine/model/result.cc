#include "runner/engine/model/result.h"

namespace h2conform::engine {
namespace {

struct VerdictName {
  Verdict verdict;
  const char* name;
};
constexpr VerdictName kVerdicts[] = {
    {Verdict::kPass, "pass"},   {Verdict::kFail, "fail"},   {Verdict::kNonStrict, "non_strict"},
    {Verdict::kSkip, "skip"},   {Verdict::kError, "error"}, {Verdict::kTargetDown, "target_down"},
};

}  // namespace

std::string to_string(Verdict verdict) {
  for (const auto& row : kVerdicts) {
    if (row.verdict == verdict) return row.name;
  }
  return "error";
}

bool parse_verdict(const std::string& text, Verdict* out) {
  for (const auto& row : kVerdicts) {
    if (text == row.name) {
      *out = row.verdict;
      return true;
    }
  }
  return false;
}

void count_case(const CaseResult& c, VerdictCounts& counts) {
  switch (c.verdict) {
    case Verdict::kPass:
      ++counts.pass;
      if (c.generic_code) ++counts.generic_code;
      break;
    case Verdict::kFail: ++counts.fail; break;
    case Verdict::kNonStrict: ++counts.non_strict; break;
    case Verdict::kSkip: ++counts.skip; break;
    case Verdict::kError: ++counts.error; break;
    case Verdict::kTargetDown: ++counts.target_down; break;
  }
}

VerdictCounts count_verdicts(const RunResult& run) {
  VerdictCounts counts;
  for (const auto& c : run.cases) count_case(c, counts);
  return counts;
}

int exit_code_for(const RunResult& run) {
  if (!run.harness_error.empty()) return 2;
  VerdictCounts counts = count_verdicts(run);
  if (counts.error > 0 || counts.target_down > 0) return 2;
  if (counts.fail > 0) return 1;
  return 0;
}

}  // namespace h2conform::engine

namespace h2conform::engine {
namespace {

std::string signal_name(int signal) {
  static const struct {
    int number;
    const char* name;
  } kNames[] = {{1, "SIGHUP"},   {2, "SIGINT"},   {3, "SIGQUIT"}, {4, "SIGILL"},  {6, "SIGABRT"},
                {7, "SIGBUS"},   {8, "SIGFPE"},   {9, "SIGKILL"}, {11, "SIGSEGV"}, {13, "SIGPIPE"},
                {14, "SIGALRM"}, {15, "SIGTERM"}};
  for (const auto& row : kNames) {
    if (row.number == signal) return std::to_string(signal) + " (" + row.name + ")";
  }
  return std::to_string(signal);
}

}  // namespace

std::string describe_client_exit(const ClientProcess& client) {
  if (!client.started) return "could not be started: " + (client.error.empty() ? "unknown error" : client.error);
  if (client.killed) return "did not exit before the deadline and was stopped";
  if (client.exited) return "exited with status " + std::to_string(client.exit_status);
  if (client.signal != 0) return "ended on signal " + signal_name(client.signal);
  return client.error.empty() ? "ended in an unknown way" : "could not be waited for: " + client.error;
}

}  // namespace h2conform::engine
