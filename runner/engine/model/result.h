// The result model: plain data the engine returns and the reports render.
//
// Contract: no callbacks, sockets or pointers back into the engine. The JSON mapping lives in
// reports/ (json_report), not here. Schema changes bump kResultSchemaVersion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace h2conform::engine {

inline constexpr int kResultSchemaVersion = 3;  // 2: CaseResult::generic_code; 3: CaseResult::client

enum class Verdict { kPass, kFail, kNonStrict, kSkip, kError, kTargetDown };
std::string to_string(Verdict verdict);             // "pass", "fail", "non_strict", ...
bool parse_verdict(const std::string& text, Verdict* out);

enum class Direction { kSent, kReceived, kEvent };

// One line of the wire transcript.
struct TranscriptEntry {
  double t_ms = 0;          // since the case started
  Direction direction = Direction::kEvent;
  std::string frame_type;   // "HEADERS", "0xff"; empty for events
  std::uint32_t stream_id = 0;
  std::string flags;        // "END_STREAM|END_HEADERS"
  std::uint32_t length = 0;
  std::string summary;      // decoded fields, e.g. "error_code=PROTOCOL_ERROR last_stream_id=1"
  std::string raw_hex;      // the whole frame; capped (see raw_truncated)
  bool raw_truncated = false;
  std::string event;        // for kEvent: "connected tcp 127.0.0.1:8443", "peer closed (FIN)"
};

// What became of the client program a client-testing case ran (`h2conform client --exec`).
struct ClientProcess {
  std::string command;          // the command line, placeholders substituted
  bool started = false;         // false: it could not be started (`error` says why)
  bool exited = false;          // it exited by itself before the case's deadline
  int exit_status = -1;         // when exited normally
  int signal = 0;               // when it ended on a signal (ours included when killed)
  bool killed = false;          // we stopped it (SIGTERM, then SIGKILL) at the deadline
  std::uint64_t stdout_bytes = 0;
  std::string stderr_tail;      // the last bytes of its standard error (bounded)
  std::string error;            // why it could not be started or waited for
  double duration_ms = 0;       // start to exit (or to our kill)
};
// "exited with status 0", "ended on signal 11 (SIGSEGV)", "was stopped at the deadline",
// "could not be started: ...": one phrase for reasons and reports.
std::string describe_client_exit(const ClientProcess& client);

struct CaseResult {
  std::string id;
  std::string section;        // "RFC 9113 6.8"
  std::string level;          // "MUST", "SHOULD", "MAY"
  std::string requirement;
  std::string action;
  std::vector<std::string> requirement_ids;
  std::vector<std::string> h2spec_ids;
  std::string group;          // "http2", "hpack", "generic", "priority"
  Verdict verdict = Verdict::kError;
  std::string reason;         // why this verdict, one sentence
  std::string expected;       // "GOAWAY with PROTOCOL_ERROR"
  std::string observed;       // "GOAWAY with INTERNAL_ERROR, then close"
  double duration_ms = 0;
  std::vector<TranscriptEntry> transcript;
  std::string closed_by;      // "" (open), "peer FIN", "peer RST", "TLS alert ...", "us"
  // A pass earned with PROTOCOL_ERROR or INTERNAL_ERROR in place of the specific code the case
  // names (RFC 9113 §5.4 allows it); the reason says which. Reports show and count it, so a
  // precise target can be told from a vague one.
  bool generic_code = false;
  // Client-testing cases run with a client program: what became of it (absent otherwise).
  std::optional<ClientProcess> client;
};

struct RunSettings {
  std::string host;
  std::uint16_t port = 0;
  bool tls = false;
  bool insecure = false;
  std::string role = "server";  // the target's role
  double timeout_s = 2;
  bool strict = false;
  int parallel = 1;
  std::vector<std::string> selectors;
  std::vector<std::string> excludes;
  std::string path = "/";
  std::string method = "GET";
};

struct RunResult {
  int schema_version = kResultSchemaVersion;
  std::string tool_version;
  std::string target;          // "127.0.0.1:8443 (tls)" or a label given with --target-name
  std::string started_at;      // RFC 3339 UTC
  double duration_ms = 0;
  RunSettings settings;
  bool interrupted = false;    // SIGINT/SIGTERM stopped the run early
  // Set when no case could run, saying why in one line: the target was unreachable or did not
  // speak HTTP/2 (the preflight's finding). `cases` is then empty and the exit code 2.
  std::string harness_error;
  std::vector<CaseResult> cases;  // in catalogue order
};

struct VerdictCounts {
  int pass = 0, fail = 0, non_strict = 0, skip = 0, error = 0, target_down = 0;
  int generic_code = 0;  // passes marked generic_code (counted in `pass` too)
  int total() const { return pass + fail + non_strict + skip + error + target_down; }
};
VerdictCounts count_verdicts(const RunResult& run);
// Counts one case into `counts` (its verdict, and generic_code for a pass so marked).
void count_case(const CaseResult& c, VerdictCounts& counts);

// Exit code of a run (STYLE.md): 0 all passed (non_strict and skip count as passed),
// 1 a case failed, 2 a harness error (a case's, or the run's harness_error) or target_down.
int exit_code_for(const RunResult& run);

}  // namespace h2conform::engine
