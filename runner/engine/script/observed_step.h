// `require: {"observed": NAME}`: skips a case unless the target has already done something only
// some targets do (pushed, padded), so that a case judging it ends on evidence, never on absence.
//
// Contract: names are those of observed_count() (push_checks.h); counts cover the whole case so far.
#pragma once

#include <string>

#include "runner/engine/script/interpreter_internal.h"
#include "runner/engine/case/script.h"

namespace h2conform::engine {

// The loader's side is load::check_require_observed (loader_internal.h).
StepResult run_require_observed(const RequireObserved& what, const std::string& reason, CaseRun& run);

}  // namespace h2conform::engine
