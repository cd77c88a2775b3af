// Client mutants: realistic wrong clients built on the reference client, used to show that every
// client-role case can fail.
//
// Contract: each mutant keeps the reference client's logic and breaks one rule for the whole
// connection (never per case). launcher() makes a fresh ClientLauncher.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runner/engine/connection/client_launcher.h"
#include "tests/reference/reference_client.h"

namespace h2conform::reference {

struct ClientMutant {
  std::string name;         // "accept_malformed_response"
  std::string description;  // one line: how it is wrong
  ClientConfig config;
  ClientFaults faults;
  // As Mutant::setup: it breaks the connection setup, and counts only for a case no other
  // mutant fails.
  bool setup = false;
  // What the mutation test holds it to besides "some case fails on it": kGenericCodes: it only
  // uses codes RFC 9113 §5.4 allows, so no case may fail on it.
  enum class Guarantee { kNone, kGenericCodes };
  Guarantee guarantee = Guarantee::kNone;

  std::unique_ptr<engine::ClientLauncher> launcher() const { return make_reference_launcher(config, faults); }
};

// Every client mutant for a configuration, in a fixed order (accept_push_when_disabled only when
// the configuration disables push).
std::vector<ClientMutant> all_client_mutants(const ClientConfig& config = {});

}  // namespace h2conform::reference
