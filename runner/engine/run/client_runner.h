// Client testing: the engine plays the server, one loopback listener per case, and the client
// under test is launched against it once per case (ClientLauncher) or, without a launcher,
// announced to the observer and awaited.
//
// Contract: as run_cases (parallel workers, catalogue order, the stop flag), never printing or
// throwing. A case's verdict is its script's, made worse (never better) by the case's
// client_exit rule; harness trouble (the client cannot start, never connects) is `error`.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "runner/engine/case/target.h"
#include "runner/engine/connection/client_launcher.h"
#include "runner/engine/connection/factories.h"
#include "runner/engine/model/case_model.h"
#include "runner/engine/model/result.h"
#include "runner/engine/model/run_observer.h"
#include "runner/engine/script/run_options.h"

namespace h2conform::engine {

struct ClientCaseSetup {
  // Where each case listens: host, port (0: an ephemeral port per case; a fixed port P: the
  // run's worker k listens on P + k), TLS and the certificate every listener serves (empty: a
  // certificate made per listener, which the client can then not be told to trust).
  AcceptingOptions listen;
  std::string path = "/";             // the {path} given to the client
  std::string ca_file;                // the {ca} given to the client (TLS): the PEM of listen.cert_pem
  ClientLauncher* launcher = nullptr;  // nullptr: announce each URL (RunObserver::case_waiting) and wait
  // How long the client has to connect, from its launch, when that is longer than the case's
  // timeout: a program may take seconds to start (a browser, a first-run build) before the
  // case's own waits begin. The case's steps keep their timeout. A case whose client must exit
  // 0 also gives it this long to exit after the steps.
  std::chrono::milliseconds connect_timeout{10000};
};

// The endpoint a case's client is pointed at, for a listener on `port`.
ClientEndpoint client_endpoint(const ClientCaseSetup& setup, const Case& c, std::uint16_t port);

// Runs one client-testing case: listens, launches the client (or calls `announce` with the URL
// when setup.launcher is null), plays the script on the client's one connection, then waits for
// the client to end (until the case's timeout) and judges its exit by the case's client_exit.
// `port_offset` is added to a fixed setup.listen.port (the worker's index).
CaseResult run_client_case(const Case& c, const ClientCaseSetup& setup, const Target& target,
                           const RunOptions& options,
                           const std::function<void(const std::string& url)>& announce = {},
                           int port_offset = 0);

// Runs client-testing cases (options.parallel at a time), results in catalogue order; returns
// what finished when options.stop is set (RunResult::interrupted).
RunResult run_client_cases(const std::vector<const Case*>& cases, const ClientCaseSetup& setup,
                           const Target& target, const RunOptions& options, RunObserver* observer);

// The grading of a client_exit rule alone (exposed for tests): the verdict and reason `script`
// becomes once the client's exit is judged.
void judge_client_exit(const Case& c, const ClientProcess& client, CaseResult* result);

}  // namespace h2conform::engine
