// Network fuzzing of a live server (`h2conform fuzz`): frame sequences grown from the
// catalogue's own traffic, mutated structure-aware (fuzzers/frame_mutator.h), each played on
// a fresh connection and followed by a check that the target still serves.
//
// Contract: every sequence is a case built in memory from the same text a finding is written
// as (finding_case_json): the client preface and the sequence as `send_raw`, then
// `target_answers`. A case that ends `target_down` is a finding; with a restart hook the
// finding is replayed once on a restarted target (reproduced or not) and minimized by dropping
// frames while the replay still brings the target down. Sequence k is a pure function of the
// seeds, the run's seed and k, so a run is deterministic from its seed for a target that
// behaves the same. Bounded by time, sequences, connections and bytes; nothing here prints or
// throws for anything the target does; the stop flag ends the run between sequences.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runner/engine/case/target.h"
#include "runner/engine/connection/connection_source.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {

// The most octets of frames one sequence may have (a mutation that grows past it is cut back).
inline constexpr std::size_t kMaxSequenceBytes = 64 * 1024;

struct NetFuzzOptions {
  std::uint64_t seed = 1;
  std::chrono::milliseconds duration{60'000};
  std::uint64_t max_sequences = 1'000'000;
  std::uint64_t max_connections = 1'000'000;  // every connection opened: sequences and checks
  std::chrono::milliseconds timeout{1000};     // per sequence: our PING's answer, then the check
  int max_findings = 1;
  int max_minimize_runs = 64;                  // replays spent shrinking one finding
  std::atomic<bool>* stop = nullptr;
  // Starts the target again after it went down; false (with *error) when it could not be made
  // to serve. Empty: findings are recorded as found, neither replayed nor minimized, and the run
  // ends at the first one (a target that is down cannot be fuzzed).
  std::function<bool(std::string* error)> restart;
};

struct NetFuzzFinding {
  std::uint64_t sequence = 0;          // k: which sequence of the run found it
  wire::Bytes found;                   // its frames (after the client preface)
  wire::Bytes minimized;               // `found` with frames dropped (== found when not minimized)
  std::size_t found_frames = 0, minimized_frames = 0;
  std::string what;                    // the check's finding: "cannot connect: ..."
  bool replayed = false;               // a restart made a replay possible
  bool reproduced = false;             // the replay brought the target down again
  int minimize_runs = 0;
  std::string id;                      // the case id it is written as: generic/fuzz/s<seed>-<k>
  std::string case_json;               // the finding as a case file (the minimized frames)
};

struct NetFuzzSummary {
  std::size_t seeds = 0;
  std::uint64_t sequences = 0, connections = 0, bytes_sent = 0;
  std::chrono::milliseconds elapsed{0};
  std::vector<NetFuzzFinding> findings;
  std::string ended;  // why the run ended: "time", "sequences", "connections", "findings", "stopped", or an error
};

// Progress for the CLI (the engine never prints): called after every finding is complete.
using FindingCallback = std::function<void(const NetFuzzFinding&)>;

// The case file text of a sequence: `id`, the client preface and `frames` as send_raw, then
// target_answers. `note` goes into the case's action.
std::string finding_case_json(const std::string& id, const wire::Bytes& frames, const std::string& note);

// Sequence k of a run: one seed (chosen by k and the run's seed) with one to four mutations,
// cut back to kMaxSequenceBytes.
wire::Bytes make_sequence(const std::vector<wire::Bytes>& seeds, std::uint64_t run_seed, std::uint64_t k);

// The frames of `bytes` (whole frames by their declared length; a tail that is not one is
// kept as the last piece), for minimizing.
std::vector<wire::Bytes> split_frames(const wire::Bytes& bytes);

NetFuzzSummary run_net_fuzz(const std::vector<wire::Bytes>& seeds, ConnectionSource& source,
                            const Target& target, const NetFuzzOptions& options,
                            const FindingCallback& on_finding = {});

}  // namespace h2conform::engine
