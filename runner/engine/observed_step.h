// `require: {"observed": NAME}`: skips a case unless the target has already done something only
// some targets do (pushed, padded), so that a case judging it ends on evidence, never on absence.
//
// Contract: names are those of observed_count() (push_checks.h); counts cover the whole case so far.
#pragma once

#include <nlohmann/json.hpp>

#include "runner/engine/interpreter_internal.h"
#include "runner/engine/loader_internal.h"

namespace h2conform::engine {

// Loader: validates {"observed": NAME, "reason": ...}.
Require check_require_observed(const nlohmann::json& step, const load::Ctx& ctx);
StepResult run_require_observed(const RequireObserved& what, const std::string& reason, CaseRun& run);

}  // namespace h2conform::engine
