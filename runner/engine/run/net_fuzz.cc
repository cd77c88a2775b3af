// Network fuzzing of a live server (net_fuzz.h).
#include "runner/engine/run/net_fuzz.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "fuzzers/frame_mutator.h"
#include "runner/engine/case/loader.h"
#include "runner/engine/script/interpreter.h"
#include "runner/wire/hex.h"

namespace h2conform::engine {
namespace {

using WallClock = std::chrono::steady_clock;

// The mutator's largest payload for a frame it makes up (our SETTINGS_MAX_FRAME_SIZE).
constexpr std::size_t kMaxMutatedPayload = 16384;

std::string case_id(std::uint64_t seed, std::uint64_t k) {
  return "generic/fuzz/s" + std::to_string(seed) + "-" + std::to_string(k);
}

wire::Bytes join(const std::vector<wire::Bytes>& pieces) {
  wire::Bytes out;
  for (const wire::Bytes& p : pieces) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// One sequence played as its case: true when the target went down (`what` says how).
struct Played {
  bool down = false;
  std::string what;
  bool broken = false;  // the case text did not load: our bug, the run ends
};

class Player {
 public:
  Player(ConnectionSource& source, const Target& target, const NetFuzzOptions& options, NetFuzzSummary& summary)
      : source_(source), target_(target), summary_(summary) {
    run_options_.timeout = options.timeout;
    run_options_.parallel = 1;
  }

  Played play(const std::string& id, const wire::Bytes& frames) {
    Played out;
    std::vector<Case> cases;
    try {
      cases = load_case_text(finding_case_json(id, frames, "sequence"), "fuzz.json", RequirementTable{});
    } catch (const LoadError& e) {  // our bug: the text is ours
      out.what = std::string("internal error, a sequence did not load as a case: ") + e.what();
      out.broken = true;
      return out;
    }
    const CaseResult r = run_case(cases.front(), source_, target_, run_options_);
    summary_.connections += 2;
    summary_.bytes_sent += wire::kClientMagic.size() + frames.size();
    if (r.verdict == Verdict::kTargetDown) {
      out.down = true;
      out.what = r.observed.empty() ? r.reason : r.observed;
    }
    return out;
  }
  // Another play would open more connections than --max-connections allows.
  bool spent(const NetFuzzOptions& options) const { return summary_.connections + 2 > options.max_connections; }

 private:
  ConnectionSource& source_;
  const Target& target_;
  NetFuzzSummary& summary_;
  RunOptions run_options_;
};

// Drops runs of frames (halves, then quarters, ... then single frames) while the replay still
// brings the target down, restarting it after every replay that did.
void minimize(NetFuzzFinding& f, Player& player, const NetFuzzOptions& options, bool* down) {
  std::vector<wire::Bytes> pieces = split_frames(f.found);
  std::size_t chunk = std::max<std::size_t>(1, pieces.size() / 2);
  auto may_replay = [&] { return f.minimize_runs < options.max_minimize_runs && !player.spent(options); };
  while (pieces.size() > 1 && may_replay()) {
    bool removed_in_pass = false;
    for (std::size_t start = 0; start < pieces.size() && pieces.size() > 1 && may_replay();) {
      std::vector<wire::Bytes> candidate(pieces.begin(), pieces.begin() + static_cast<std::ptrdiff_t>(start));
      const std::size_t end = std::min(pieces.size(), start + chunk);
      candidate.insert(candidate.end(), pieces.begin() + static_cast<std::ptrdiff_t>(end), pieces.end());
      if (*down) {
        std::string error;
        if (!options.restart(&error)) {
          f.minimized = join(pieces);
          return;
        }
        *down = false;
      }
      ++f.minimize_runs;
      if (player.play(f.id, join(candidate)).down) {
        pieces = std::move(candidate);
        *down = true;
        removed_in_pass = true;
      } else {
        start += chunk;
      }
    }
    if (chunk == 1 && !removed_in_pass) break;
    chunk = std::max<std::size_t>(1, chunk / 2);
  }
  f.minimized = join(pieces);
}

}  // namespace

std::string finding_case_json(const std::string& id, const wire::Bytes& frames, const std::string& note) {
  const std::size_t count = split_frames(frames).size();
  nlohmann::ordered_json c;
  c["id"] = id;
  c["section"] = "RFC 9113 5.4";
  c["level"] = "MUST";
  c["requirements"] = nlohmann::ordered_json::array();
  c["requirements_note"] =
      "A sequence found by h2conform fuzz: the target stopped serving after it. That is a robustness "
      "finding, not a claim that the target broke an RFC sentence, so a target that goes down is "
      "target_down, not fail.";
  c["requirement"] = "The target keeps serving after this frame sequence.";
  c["role"] = "server";
  c["action"] = "Send the client connection preface and " + std::to_string(count) + " frame" +
                (count == 1 ? "" : "s") + (note.empty() ? "" : " (" + note + ")") +
                ", then a PING; then, on a new connection, a PING and a GET.";
  wire::Bytes bytes(wire::kClientMagic.begin(), wire::kClientMagic.end());
  bytes.insert(bytes.end(), frames.begin(), frames.end());
  nlohmann::ordered_json raw;
  raw["hex"] = wire::to_hex(wire::ByteView(bytes.data(), bytes.size()));
  raw["note"] = "the client preface and the fuzzed frames";
  c["steps"] = nlohmann::ordered_json::array({nlohmann::ordered_json{{"send_raw", raw}},
                                             nlohmann::ordered_json{{"target_answers", nlohmann::ordered_json::object()}}});
  nlohmann::ordered_json file;
  file["cases"] = nlohmann::ordered_json::array({c});
  return file.dump(2) + "\n";
}

std::vector<wire::Bytes> split_frames(const wire::Bytes& bytes) {
  const fuzz::FrameSequence seq = fuzz::parse_frames(bytes, 0);
  std::vector<wire::Bytes> out;
  for (const fuzz::MutFrame& f : seq.frames) {
    fuzz::FrameSequence one;
    one.frames.push_back(f);
    out.push_back(fuzz::serialize_frames(one));
  }
  if (!seq.tail.empty()) out.push_back(seq.tail);
  return out;
}

wire::Bytes make_sequence(const std::vector<wire::Bytes>& seeds, std::uint64_t run_seed, std::uint64_t k) {
  fuzz::SplitMix rng{run_seed * 0x9e3779b97f4a7c15ull ^ (k + 1) * 0xbf58476d1ce4e5b9ull};
  fuzz::FrameSequence seq;
  if (!seeds.empty()) seq = fuzz::parse_frames(seeds[rng.next() % seeds.size()], 0);
  const int count = 1 + static_cast<int>(rng.next() % 4);
  for (int i = 0; i < count; ++i) fuzz::mutator_detail::mutate_sequence(seq, rng, kMaxMutatedPayload);
  wire::Bytes out = fuzz::serialize_frames(seq);
  while (out.size() > kMaxSequenceBytes && !seq.frames.empty()) {  // cut back from the end
    seq.tail.clear();
    seq.frames.pop_back();
    out = fuzz::serialize_frames(seq);
  }
  if (out.size() > kMaxSequenceBytes) out.resize(kMaxSequenceBytes);
  return out;
}

NetFuzzSummary run_net_fuzz(const std::vector<wire::Bytes>& seeds, ConnectionSource& source, const Target& target,
                            const NetFuzzOptions& options, const FindingCallback& on_finding) {
  NetFuzzSummary summary;
  summary.seeds = seeds.size();
  Player player(source, target, options, summary);
  const auto start = WallClock::now();
  for (std::uint64_t k = 0;; ++k) {
    if (options.stop != nullptr && options.stop->load()) {
      summary.ended = "stopped";
      break;
    }
    if (WallClock::now() - start >= options.duration) {
      summary.ended = "time";
      break;
    }
    if (k >= options.max_sequences) {
      summary.ended = "sequences";
      break;
    }
    if (player.spent(options)) {
      summary.ended = "connections";
      break;
    }
    NetFuzzFinding f;
    f.sequence = k;
    f.id = case_id(options.seed, k);
    f.found = make_sequence(seeds, options.seed, k);
    ++summary.sequences;
    const Played played = player.play(f.id, f.found);
    if (played.broken) {
      summary.ended = played.what;
      break;
    }
    if (!played.down) continue;
    f.what = played.what;
    f.minimized = f.found;
    bool down = true;
    std::string restart_error;
    if (options.restart && options.restart(&restart_error)) {
      down = false;
      if (!player.spent(options)) {
        f.replayed = true;
        f.reproduced = player.play(f.id, f.found).down;
        down = f.reproduced;
        if (f.reproduced) minimize(f, player, options, &down);
        if (down) down = !options.restart(&restart_error);
      }
    }
    f.found_frames = split_frames(f.found).size();
    f.minimized_frames = split_frames(f.minimized).size();
    std::string note = "found by h2conform fuzz --seed " + std::to_string(options.seed) + " as sequence " +
                       std::to_string(k);
    if (f.minimized_frames != f.found_frames) note += ", minimized from " + std::to_string(f.found_frames) + " frames";
    f.case_json = finding_case_json(f.id, f.minimized, note);
    if (on_finding) on_finding(f);
    summary.findings.push_back(std::move(f));
    if (down) {
      summary.ended = options.restart ? "the target could not be restarted: " + restart_error : "the target is down";
      break;
    }
    if (static_cast<int>(summary.findings.size()) >= options.max_findings) {
      summary.ended = "findings";
      break;
    }
  }
  summary.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(WallClock::now() - start);
  return summary;
}

}  // namespace h2conform::engine
