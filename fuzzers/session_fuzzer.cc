// session: a whole case run against a scripted peer whose bytes are the input. Everything the
// target sends goes through the engine's receive path (FrameReader, connection model, HPACK,
// automatic SETTINGS/PING ACKs and WINDOW_UPDATEs, transcript, expect steps, verdicts) over an
// in-memory connection on a fake clock: no socket, no thread, no real time.
//
// Input layout (session_input.h): a control octet (the target's role, which script, whether
// the peer closes at the end), a split seed (where the peer's bytes are cut into reads and which
// pieces wait for one of our writes), then the peer's bytes.
//
// Properties: every case ends with a verdict (pass, fail, non_strict or error; never skip or
// target_down, since the peer always connects) and a non-empty reason unless it passed; the
// transcript stays within its cap; the fake clock never passes the case's cap by more than one
// step; and the number of reads and writes is bounded by the input's size, so every call returns.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzzers/fuzz_check.h"
#include "fuzzers/session_input.h"
#include "runner/engine/connection/session.h"
#include "runner/engine/connection/transcript.h"
#include "runner/engine/engine.h"
#include "runner/engine/script/engine_test_util.h"

namespace {

using namespace h2conform;
using engine::testing::FakeClock;

constexpr std::size_t kMaxInput = 1 << 16;
constexpr std::chrono::milliseconds kStepTimeout{1000};

// One script per (role, variant): small catalogue-like cases. Targets that are servers get a
// request to answer, a POST with a body (flow control), a PING on a stream (a connection error)
// and a PING plus SETTINGS to acknowledge. Targets that are clients (the engine plays the
// server) get the handshake, their request awaited, an answer, then PING liveness, or a PING on a
// stream (a connection error).
constexpr const char* kServerScripts[] = {
    R"([{"handshake": {}},
        {"send": {"type": "HEADERS", "stream": "$next_stream", "flags": ["END_STREAM", "END_HEADERS"], "request": {}}},
        {"expect": {"response": {"status": "2xx", "check_fields": true}}}])",
    R"([{"handshake": {}},
        {"send": {"type": "HEADERS", "stream": "$next_stream", "flags": ["END_HEADERS"], "request": {"method": "POST"}}},
        {"send": {"type": "DATA", "stream": "$last_stream", "flags": ["END_STREAM"], "data_size": 100}},
        {"expect": {"response": {}, "also_accept": [{"stream_error": ["REFUSED_STREAM"], "grade": "non_strict",
                                                      "note": "refusing is allowed"}]}}])",
    R"([{"handshake": {}},
        {"send": {"type": "PING", "stream": 1}},
        {"expect": {"connection_error": ["PROTOCOL_ERROR"]}}])",
    R"([{"handshake": {}},
        {"send": {"type": "PING", "data_hex": "0102030405060708"}},
        {"expect": {"ping_ack": {"data_hex": "0102030405060708"}}},
        {"send": {"type": "SETTINGS", "settings": {"INITIAL_WINDOW_SIZE": 100}}},
        {"expect": {"settings_ack": {}}},
        {"expect": {"alive": {}}}])",
};
constexpr const char* kClientScripts[] = {
    R"([{"handshake": {}},
        {"expect": {"frame": {"type": "HEADERS", "stream": 1}}},
        {"send": {"type": "HEADERS", "stream": 1, "flags": ["END_STREAM", "END_HEADERS"], "fields": [[":status", "200"]]}},
        {"expect": {"alive": {}}}])",
    R"([{"handshake": {}},
        {"send": {"type": "PING", "stream": 1}},
        {"expect": {"connection_error": ["PROTOCOL_ERROR"]}}])",
};

engine::Case load_script(const char* steps, const char* role) {
  const std::string text = std::string(R"({"id": "rfc9113/6.8/session-fuzz", "section": "RFC 9113 6.8",
    "level": "MUST", "requirements": [], "requirements_note": "fuzz", "requirement": "r",
    "action": "a", "role": ")") + role + R"(", "steps": )" + steps + "}";
  return engine::load_case_text(text, "session_fuzzer.json", engine::RequirementTable{}).at(0);
}

const engine::Case& script_for(bool client_target, unsigned variant) {
  static const std::vector<engine::Case> server = [] {
    std::vector<engine::Case> v;
    for (const char* s : kServerScripts) v.push_back(load_script(s, "server"));
    return v;
  }();
  static const std::vector<engine::Case> client = [] {
    std::vector<engine::Case> v;
    for (const char* s : kClientScripts) v.push_back(load_script(s, "client"));
    return v;
  }();
  const auto& list = client_target ? client : server;
  return list[variant % list.size()];
}

// The peer: its bytes in pieces, read in order. A piece marked `after_write` is held back until
// we write something (an answer follows a request; one write lets go of one held piece); a read
// that finds nothing to deliver moves the fake clock to the read's deadline and times out, and
// the next held piece is then let go too, so the peer never stalls a case for more than one step
// timeout per held piece. With `close_at_end` the peer closes once everything is read.
class ScriptedPeer final : public transport::Connection {
 public:
  ScriptedPeer(std::vector<fuzz::SessionPiece> pieces, bool close_at_end, FakeClock& clock, std::size_t* calls)
      : pieces_(std::move(pieces)), close_at_end_(close_at_end), clock_(clock), calls_(calls) {}

  transport::IoResult write_all(std::span<const std::uint8_t> data, transport::Deadline) override {
    ++*calls_;
    if (closed_) return {transport::IoStatus::kError, 0, "closed locally"};
    skip_read_pieces();
    if (next_ == pieces_.size() && close_at_end_) return {transport::IoStatus::kClosed, 0, "peer closed"};
    release_next_held();
    return {transport::IoStatus::kOk, data.size(), {}};
  }

  transport::IoResult read_some(std::span<std::uint8_t> buf, transport::Deadline deadline) override {
    ++*calls_;
    if (closed_) return {transport::IoStatus::kError, 0, "closed locally"};
    skip_read_pieces();
    if (next_ < pieces_.size() && (!pieces_[next_].after_write || next_ < released_)) {
      const auto& piece = pieces_[next_].bytes;
      const std::size_t n = std::min(buf.size(), piece.size() - offset_);
      std::copy_n(piece.begin() + static_cast<std::ptrdiff_t>(offset_), n, buf.begin());
      offset_ += n;
      return {transport::IoStatus::kOk, n, {}};
    }
    if (next_ == pieces_.size() && close_at_end_) return {transport::IoStatus::kClosed, 0, "peer FIN"};
    clock_.jump_to(deadline);
    release_next_held();  // late, but it comes
    return {transport::IoStatus::kTimeout, 0, "nothing before the deadline"};
  }

  void shutdown_write() override {}
  void close() override { closed_ = true; }
  std::string describe() const override { return "fuzz"; }

 private:
  void skip_read_pieces() {  // past the pieces read to their end (and empty ones)
    while (next_ < pieces_.size() && offset_ == pieces_[next_].bytes.size()) {
      ++next_;
      offset_ = 0;
    }
  }
  // Lets the peer send up to and including its next held piece: its answer to what we wrote.
  void release_next_held() {
    std::size_t i = std::max(next_, released_);
    while (i < pieces_.size() && !pieces_[i].after_write) ++i;
    released_ = std::min(i + 1, pieces_.size());
  }

  std::vector<fuzz::SessionPiece> pieces_;
  bool close_at_end_;
  FakeClock& clock_;
  std::size_t* calls_;
  std::size_t next_ = 0;      // the piece being read
  std::size_t offset_ = 0;    // within it
  std::size_t released_ = 0;  // pieces before this index may be read
  bool closed_ = false;
};

}  // namespace

// ASan keeps freed blocks in a quarantine of up to 256 MiB by default, which alone would reach
// the -rss_limit_mb=256 of session.options after a few thousand inputs (measured: 154 MiB of
// quarantine beside 25 MiB live). 32 MiB still holds every block one input frees, so a use
// after free within an input is caught; ASAN_OPTIONS overrides it.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=32"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const fuzz::SessionInput in = fuzz::parse_session_input({data, size});
  const engine::Case& c = script_for(in.client_target, in.variant);

  FakeClock clock;
  const auto start = clock.now();
  std::size_t calls = 0;
  bool connected = false;
  auto source = engine::make_callback_source([&](transport::Deadline, std::string*) {
    FUZZ_CHECK(!connected);  // one connection per case: the peer never refuses
    connected = true;
    return std::unique_ptr<transport::Connection>(
        std::make_unique<ScriptedPeer>(fuzz::split_session_bytes(in), in.close_at_end, clock, &calls));
  });
  engine::RunOptions options;
  options.clock = &clock;
  options.timeout = kStepTimeout;
  engine::Target target;
  target.authority = "example.test";
  const engine::CaseResult r = engine::run_case(c, *source, target, options);

  using engine::Verdict;
  FUZZ_CHECK(r.verdict == Verdict::kPass || r.verdict == Verdict::kFail || r.verdict == Verdict::kNonStrict ||
             r.verdict == Verdict::kError);
  FUZZ_CHECK(r.verdict == Verdict::kPass || !r.reason.empty());
  FUZZ_CHECK(r.transcript.size() <= engine::Transcript::kMaxEntries + 1);
  // Each read delivers at least one octet, closes, or times out with the clock at its deadline;
  // each step waits at most one timeout, so reads and writes are bounded by the input's size.
  FUZZ_CHECK(calls <= 64 + 4 * size + 2 * engine::PeerBudget::kMaxAutomaticReplies);
  FUZZ_CHECK(clock.now() - start <= kStepTimeout * 16);
  return 0;
}
