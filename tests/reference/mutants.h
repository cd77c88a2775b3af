// Mutants: realistic wrong servers built on the reference server, used to show that every
// conformance case can fail.
//
// Contract: each mutant keeps the reference's logic and distorts one behaviour for the whole
// connection (never per case). make() returns a fresh peer for one connection.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runner/transport/transport.h"
#include "tests/reference/reference_server.h"

namespace h2conform::reference {

struct Mutant {
  std::string name;         // "swallow_errors"
  std::string description;  // one line: how it is wrong
  std::function<transport::SyncPeer()> make;
  // A setup mutant breaks the connection setup, which the handshake step of most cases already
  // checks; it counts only for a case that no other mutant fails, so it cannot hide weak cases.
  bool setup = false;
  // What the mutation test holds it to besides "some case fails on it" (case_mutation_test):
  // kRefusesEverything: no case that judges a malformed request passes against it (each skips
  // or fails); kGenericCodes: it only uses codes RFC 9113 §5.4 allows, so no case fails on it;
  // kAnswersEarly: it answers before the whole request, as RFC 9113 §8.1.1 allows, so no case
  // fails on it either; kBodiless: its responses carry no content (204), which HTTP allows, so
  // no case fails on it.
  enum class Guarantee { kNone, kRefusesEverything, kGenericCodes, kAnswersEarly, kBodiless };
  Guarantee guarantee = Guarantee::kNone;
  // Non-empty: words from the reason the engine gives for the rule this mutant breaks. Some case
  // that passes on the reference must fail against it with a reason containing them
  // (case_mutation_test), which shows that rule failable end to end, not just killed by another.
  std::string named_rule;
};

// The reference itself, as a peer for one connection.
transport::SyncPeer make_reference_peer(const ServerConfig& config = {});

// Every mutant, in a fixed order. The push and padding mutants come only with a configuration
// that pushes (ServerConfig::push_path) or pads (ServerConfig::padding).
std::vector<Mutant> all_mutants(const ServerConfig& config = {});

}  // namespace h2conform::reference
