#include "runner/engine/observed_step.h"

namespace h2conform::engine {

namespace {
const char* const kNames = "push_promise, padded_data, padded_headers, padded_push_promise";
}  // namespace

Require check_require_observed(const nlohmann::json& step, const load::Ctx& ctx) {
  load::check_keys(step, ctx, {"observed", "reason"});
  Require out;
  const std::string& name = load::check_string(step["observed"], ctx.at("observed"));
  if (!observed_count(PeerObservations{}, name)) ctx.at("observed").fail(std::string("expected one of ") + kNames);
  out.what = RequireObserved{name};
  if (load::has_key(step, "reason")) out.reason = load::check_nonempty_string(step["reason"], ctx.at("reason"));
  return out;
}

StepResult run_require_observed(const RequireObserved& what, const std::string& reason, CaseRun& run) {
  const auto count = observed_count(run.session.observations(), what.name);
  // The loader admits only names observed_count knows.
  if (!count) return StepResult::end(Verdict::kError, "require: unknown observation " + what.name);
  if (*count > 0) return StepResult::next();
  const std::string why = "the target sent no " + what.name + " frame so far";
  return StepResult::end(Verdict::kSkip, reason.empty() ? why : reason + " (" + why + ")");
}

}  // namespace h2conform::engine
