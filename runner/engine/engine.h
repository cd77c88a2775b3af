// The engine's public entry points, in one include: load a catalogue (case/loader.h), select
// cases (run/selection.h), run them (run/runner.h, script/interpreter.h for one case).
//
// Contract: the engine never prints. It returns plain data (model/result.h) and reports
// progress through RunObserver. Case-file problems throw LoadError (the only exception, at the
// edge); everything a target does is data in the result.
#pragma once


#include "runner/engine/case/load_error.h"
#include "runner/engine/case/loader.h"
#include "runner/engine/case/target.h"
#include "runner/engine/connection/clock.h"
#include "runner/engine/model/case_model.h"
#include "runner/engine/connection/connection_source.h"
#include "runner/engine/model/result.h"
#include "runner/engine/model/run_observer.h"
#include "runner/engine/run/client_runner.h"
#include "runner/engine/run/runner.h"
#include "runner/engine/run/selection.h"
#include "runner/engine/script/interpreter.h"
#include "runner/engine/script/run_options.h"
#include "runner/transport/transport.h"
