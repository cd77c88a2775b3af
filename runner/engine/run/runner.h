// Running a selection: parallel workers, results in catalogue order, target-down after two
// failed connects, progress through RunObserver, an early end on the stop flag.
#pragma once

#include <vector>
#include "runner/engine/case/target.h"
#include "runner/engine/connection/connection_source.h"
#include "runner/engine/model/case_model.h"
#include "runner/engine/model/result.h"
#include "runner/engine/model/run_observer.h"
#include "runner/engine/script/run_options.h"

namespace h2conform::engine {

// The header of a run's result (tool version, target label, start time now, settings) with no
// cases yet. run_cases starts from it; a caller that gives up on a run early uses it too.
RunResult new_run_result(const Target& target, const RunOptions& options);

// Runs cases (options.parallel exchanging frames at a time; one that settles into a long wait
// gives its turn to the next, runner.cc), in catalogue order in the result. After one failed
// connect and one failed reconnect, the remaining cases are target_down. Returns what finished
// when options.stop is set (RunResult::interrupted).
RunResult run_cases(const std::vector<const Case*>& cases, ConnectionSource& source,
                    const Target& target, const RunOptions& options, RunObserver* observer);

}  // namespace h2conform::engine
