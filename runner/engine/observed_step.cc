#include "runner/engine/observed_step.h"

namespace h2conform::engine {

namespace {
const char* const kNames = "push_promise, padded_data, padded_headers, padded_push_promise";
}  // namespace

void check_require_observed(const nlohmann::json& step, const load::Ctx& ctx) {
  load::check_keys(step, ctx, {"observed", "reason"});
  const std::string& name = load::check_string(step["observed"], ctx.at("observed"));
  if (!observed_count(PeerObservations{}, name)) ctx.at("observed").fail(std::string("expected one of ") + kNames);
  if (load::has_key(step, "reason")) load::check_nonempty_string(step["reason"], ctx.at("reason"));
}

StepResult run_require_observed(const nlohmann::json& step, CaseRun& run) {
  const std::string name = step["observed"].get<std::string>();
  const auto count = observed_count(run.session.observations(), name);
  if (!count) return StepResult::end(Verdict::kError, "require: unknown observation " + name);
  if (*count > 0) return StepResult::next();
  const std::string why = "the target sent no " + name + " frame so far";
  const std::string reason = step.value("reason", std::string());
  return StepResult::end(Verdict::kSkip, reason.empty() ? why : reason + " (" + why + ")");
}

}  // namespace h2conform::engine
