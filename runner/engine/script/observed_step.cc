#include "runner/engine/script/observed_step.h"

namespace h2conform::engine {

StepResult run_require_observed(const RequireObserved& what, const std::string& reason, CaseRun& run) {
  const auto count = observed_count(run.session.observations(), what.name);
  // The loader admits only names observed_count knows.
  if (!count) return StepResult::end(Verdict::kError, "require: unknown observation " + what.name);
  if (*count > 0) return StepResult::next();
  const std::string why = "the target sent no " + what.name + " frame so far";
  return StepResult::end(Verdict::kSkip, reason.empty() ? why : reason + " (" + why + ")");
}

}  // namespace h2conform::engine
