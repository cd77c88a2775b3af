// run_client_case / run_client_cases: a listener per case, the client launched against it, the
// script played as the server, the client's exit judged by the case's client_exit.
#include "runner/engine/run/client_runner.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "runner/engine/run/runner.h"
#include "runner/engine/case/script.h"
#include "runner/engine/script/interpreter.h"
#include "runner/engine/verdict/outcomes.h"

namespace h2conform::engine {
namespace {

using namespace std::chrono_literals;

// How often the wait for the client's connection looks whether the client has already ended
// or the run was stopped.
constexpr auto kClientAliveCheck = 50ms;

// The sentence a client that exits 0 after a malformed response breaks: its exit reports as a
// success what it must not accept. Cases say "failure" only for malformed responses (the
// catalogue test holds them to it), never for connection errors after a complete response.
constexpr const char* kMalformedRule = "RFC 9113 §8.1.1: \"Clients MUST NOT accept a malformed response.\"";

bool has_tag(const Case& c, std::string_view tag) {
  return std::find(c.tags.begin(), c.tags.end(), tag) != c.tags.end();
}

double ms_since(transport::Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(transport::Clock::now() - start).count();
}

// The one connection of a case: its client's. Waits in short slices so that a client that
// ended without connecting ends the wait on that evidence; a second open() (the engine's
// retry) repeats the first one's error at once, since a client dials once.
class ClientConnectionSource final : public ConnectionSource {
 public:
  ClientConnectionSource(AcceptingSource& listener, LaunchedClient* client, const std::atomic<bool>* stop,
                         transport::Deadline connect_by)
      : listener_(listener), client_(client), stop_(stop), connect_by_(connect_by) {}

  std::unique_ptr<transport::Connection> open(transport::Deadline deadline, std::string* error) override {
    if (!tried_) {
      tried_ = true;
      deadline = std::max(deadline, connect_by_);
      auto conn = wait_and_accept(deadline);
      if (conn) return conn;
    }
    if (error != nullptr) *error = error_;
    return nullptr;
  }
  bool is_tls() const override { return listener_.is_tls(); }
  const std::string& error() const { return error_; }
  bool tried() const { return tried_; }

 private:
  std::unique_ptr<transport::Connection> wait_and_accept(transport::Deadline deadline) {
    const auto start = transport::Clock::now();
    for (;;) {
      const auto now = transport::Clock::now();
      const auto slice = std::min<transport::Deadline>(deadline, now + kClientAliveCheck);
      if (listener_.wait_for_peer(slice)) {
        std::string why;
        auto conn = listener_.open(deadline, &why);
        if (!conn) error_ = "the client connected but no HTTP/2 connection was made: " + why;
        return conn;
      }
      if (client_ != nullptr && client_->ended()) {
        error_ = "the client never connected (it ended first)";
        return nullptr;
      }
      if (stop_ != nullptr && stop_->load()) {  // an announced case can wait long: Ctrl-C ends it
        error_ = "the client never connected before the run was stopped";
        return nullptr;
      }
      if (transport::Clock::now() >= deadline) {
        error_ = "the client never connected (waited " + std::to_string(static_cast<long long>(ms_since(start))) + " ms)";
        return nullptr;
      }
    }
  }

  AcceptingSource& listener_;
  LaunchedClient* client_;
  const std::atomic<bool>* stop_;
  transport::Deadline connect_by_;
  bool tried_ = false;
  std::string error_ = "the client never connected";
};

std::string last_line(const std::string& text) {
  std::size_t end = text.find_last_not_of(" \r\n\t");
  if (end == std::string::npos) return {};
  std::size_t begin = text.rfind('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  std::string line = text.substr(begin, end + 1 - begin);
  constexpr std::size_t kMax = 200;
  if (line.size() > kMax) line = line.substr(0, kMax) + "...";
  return line;
}

std::string with_stderr(const std::string& reason, const ClientProcess& client) {
  const std::string line = last_line(client.stderr_tail);
  return line.empty() ? reason : reason + " (its stderr: " + line + ")";
}

CaseResult skipped(const Case& c, const std::string& reason) {
  CaseResult r = case_result_header(c);
  r.verdict = Verdict::kSkip;
  r.reason = reason;
  return r;
}

// Why a case does not run in client mode at all, or "".
std::string skip_reason(const Case& c, bool tls) {
  if (c.role != kTargetClient) return "the case tests servers, not clients";
  if (c.script && c.script->tls) return "TLS-level cases judge a server's handshake; they do not run in client mode";
  if (has_tag(c, "tls-only") && !tls) return "the case runs over TLS only";
  if (has_tag(c, "cleartext-only") && tls) return "the case runs over cleartext only";
  return {};
}

}  // namespace

ClientEndpoint client_endpoint(const ClientCaseSetup& setup, const Case& c, std::uint16_t port) {
  ClientEndpoint e;
  e.scheme = setup.listen.tls ? "https" : "http";
  e.host = setup.listen.host;
  e.port = port;
  e.path = setup.path.empty() ? "/" : setup.path;
  const bool ipv6 = e.host.find(':') != std::string::npos;
  e.authority = (ipv6 ? "[" + e.host + "]" : e.host) + ":" + std::to_string(port);
  e.url = e.scheme + "://" + e.authority + e.path;
  e.ca_file = setup.listen.tls ? setup.ca_file : std::string();
  e.case_id = c.id;
  return e;
}

void judge_client_exit(const Case& c, const ClientProcess& client, CaseResult* r) {
  const ClientExitRule rule = c.script ? c.script->client_exit : ClientExitRule::kAny;
  const bool exited_zero = client.started && client.exited && client.exit_status == 0;
  // A client that left after a malformed response and exited 0 accepted it all the same.
  const bool left = r->verdict == Verdict::kSkip && r->reason.find(kClientLeftReason) != std::string::npos;
  if (left && rule == ClientExitRule::kFailure && exited_zero) {
    r->verdict = Verdict::kPass;  // judged below, by the exit alone
  }
  if (r->verdict != Verdict::kPass && r->verdict != Verdict::kNonStrict) return;  // only ever worse
  if (rule == ClientExitRule::kFailure && exited_zero) {
    r->verdict = Verdict::kFail;
    r->generic_code = false;
    r->reason = "the client exited 0, accepting a malformed response (" + c.action + "); " + kMalformedRule;
    r->expected = "the client rejects what it received and exits non-zero";
    r->observed = "the client exited with status 0";
  } else if (rule == ClientExitRule::kSuccess && !exited_zero) {
    r->verdict = Verdict::kFail;
    r->generic_code = false;
    r->reason = with_stderr("the client did not complete a valid exchange: it " + describe_client_exit(client), client);
    r->expected = "the client completes the exchange and exits 0";
    r->observed = "the client " + describe_client_exit(client);
  }
}

CaseResult run_client_case(const Case& c, const ClientCaseSetup& setup, const Target& target,
                           const RunOptions& options, const std::function<void(const std::string&)>& announce,
                           int port_offset) {
  const auto start = transport::Clock::now();
  if (std::string why = skip_reason(c, setup.listen.tls); !why.empty()) return skipped(c, why);
  if (!c.script) return execute_case(c, *make_callback_source({}), target, options, nullptr);  // says why

  AcceptingOptions listen = setup.listen;
  if (listen.port != 0) listen.port = static_cast<std::uint16_t>(listen.port + port_offset);
  std::string error;
  std::unique_ptr<AcceptingSource> listener = make_accepting_source(listen, &error);
  if (!listener) {
    CaseResult r = case_result_header(c);
    r.verdict = Verdict::kError;
    r.reason = "cannot listen on " + listen.host + ":" + std::to_string(listen.port) + ": " + error;
    return r;
  }
  const ClientEndpoint endpoint = client_endpoint(setup, c, listener->port());
  Target as_server = target;
  as_server.authority = endpoint.authority;
  as_server.scheme = endpoint.scheme;
  as_server.path = endpoint.path;

  std::unique_ptr<LaunchedClient> client;
  if (setup.launcher != nullptr) {
    client = setup.launcher->launch(endpoint, &error);
    if (!client) {
      CaseResult r = case_result_header(c);
      r.verdict = Verdict::kError;
      r.reason = "the client could not be started: " + error;
      ClientProcess process;
      process.error = error;
      r.client = process;
      r.duration_ms = ms_since(start);
      return r;
    }
  } else if (announce) {
    announce(endpoint.url);
  }

  ClientConnectionSource source(*listener, client.get(), options.stop, transport::Clock::now() + setup.connect_timeout);
  CaseResult r = execute_case(c, source, as_server, options, nullptr);
  const bool never_connected = source.tried() && r.verdict == Verdict::kTargetDown;
  if (client) {
    // After the steps the client has the case's timeout to finish (a case whose client must
    // exit 0 gives it as long as it had to connect: a browser takes seconds to close); one that
    // never connected has had it already and is stopped at once.
    std::chrono::milliseconds timeout = c.timeout_ms > 0 ? std::chrono::milliseconds(c.timeout_ms) : options.timeout;
    if (c.script && c.script->client_exit == ClientExitRule::kSuccess) timeout = std::max(timeout, setup.connect_timeout);
    r.client = client->finish(never_connected ? transport::Clock::now() : transport::Clock::now() + timeout);
  }
  if (never_connected) {
    r.verdict = Verdict::kError;
    r.reason = source.error();
    if (r.client) r.reason = with_stderr(r.reason + "; the client " + describe_client_exit(*r.client), *r.client);
    r.expected = "the client connects to " + endpoint.url;
    r.observed = "no HTTP/2 connection from the client";
  } else if (r.client) {
    judge_client_exit(c, *r.client, &r);
  }
  r.duration_ms = ms_since(start);
  return r;
}

namespace {

struct SharedClientRun {
  const std::vector<const Case*>& cases;
  const ClientCaseSetup& setup;
  const Target& target;
  const RunOptions& options;
  RunObserver* observer;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> interrupted{false};
  std::mutex observer_mutex;
  std::vector<std::optional<CaseResult>> results;
};

void client_worker(SharedClientRun& run, int index) {
  for (;;) {
    std::size_t i = run.next.fetch_add(1);
    if (i >= run.cases.size()) return;
    if (run.options.stop != nullptr && run.options.stop->load()) {
      run.interrupted.store(true);
      return;
    }
    const Case& c = *run.cases[i];
    if (run.observer != nullptr) {
      std::lock_guard<std::mutex> lock(run.observer_mutex);
      run.observer->case_started(c);
    }
    auto announce = [&run, &c](const std::string& url) {
      if (run.observer == nullptr) return;
      std::lock_guard<std::mutex> lock(run.observer_mutex);
      run.observer->case_waiting(c, url);
    };
    CaseResult result = run_client_case(c, run.setup, run.target, run.options, announce, index);
    std::lock_guard<std::mutex> lock(run.observer_mutex);
    if (run.observer != nullptr) run.observer->case_finished(result);
    run.results[i] = std::move(result);
  }
}

}  // namespace

RunResult run_client_cases(const std::vector<const Case*>& cases, const ClientCaseSetup& setup,
                           const Target& target, const RunOptions& options, RunObserver* observer) {
  RunResult result = new_run_result(target, options);
  const auto start = transport::Clock::now();
  SharedClientRun run{cases, setup, target, options, observer, {}, {}, {}, {}};
  run.results.resize(cases.size());
  int threads = std::clamp(options.parallel, 1, 64);
  if (setup.launcher == nullptr) threads = 1;  // one announced URL at a time
  threads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threads), std::max<std::size_t>(cases.size(), 1)));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(client_worker, std::ref(run), t);
  client_worker(run, 0);
  for (auto& t : pool) t.join();
  for (auto& r : run.results) {
    if (r) result.cases.push_back(std::move(*r));
  }
  result.interrupted = run.interrupted.load() || result.cases.size() < cases.size();
  result.duration_ms = ms_since(start);
  return result;
}

}  // namespace h2conform::engine
