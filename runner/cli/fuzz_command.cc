// `h2conform fuzz [SPEC...] -h HOST -p PORT [-t] --duration S --seed N`: network fuzzing of a
// live server (engine/run/net_fuzz.h). The frames the selected catalogue cases send, played in
// memory, are the seeds (engine/run/catalogue_seeds.h); then come mutated sequences, each
// followed by a check that the target still serves. A finding is written as a case file that
// `h2conform --cases DIR` replays. With --target-cmd, h2conform starts the server itself and
// starts it again after a finding, so it can replay and minimize the finding and go on.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "runner/cli/cli_support.h"
#include "runner/cli/commands.h"
#include "runner/cli/exec_launcher.h"
#include "runner/cli/selection_check.h"
#include "runner/engine/connection/factories.h"
#include "runner/engine/connection/liveness.h"
#include "runner/engine/engine.h"
#include "runner/engine/run/catalogue_seeds.h"
#include "runner/engine/run/net_fuzz.h"
#include "runner/engine/run/preflight.h"

namespace h2conform::cli {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

std::atomic<bool> g_fuzz_stop{false};
extern "C" void on_fuzz_signal(int) { g_fuzz_stop.store(true); }

struct FuzzFlags {
  std::vector<std::string> specs, excludes;
  std::string host = "127.0.0.1";
  int port = 0;
  bool tls = false, insecure = false;
  std::string path = "/";
  double timeout_s = 1;
  double duration_s = 60;
  std::uint64_t seed = 1;
  std::uint64_t max_connections = 1'000'000, max_sequences = 1'000'000;
  int max_findings = 1;
  std::string findings_dir = "h2conform-findings";
  std::string target_cmd;
  double start_timeout_s = 10;
  CatalogueFlags catalogue;
};

// The server under --target-cmd: started, stopped (its process group, by PID) and started
// again; ready once it serves a PING and a GET.
class TargetProcess {
 public:
  TargetProcess(const std::string& command, engine::ClientEndpoint endpoint, engine::ConnectionSource& source,
                const engine::Target& target, milliseconds start_timeout)
      : launcher_(command), endpoint_(std::move(endpoint)), source_(source), target_(target),
        start_timeout_(start_timeout) {}
  ~TargetProcess() { stop(); }

  bool start(std::string* error) {
    stop();
    running_ = launcher_.launch(endpoint_, error);
    if (!running_) return false;
    ++starts_;
    const auto deadline = transport::Clock::now() + start_timeout_;
    milliseconds pause{5};
    std::string last;
    // Bounded by the deadline; each try ends on the target's answer or refusal.
    while (transport::Clock::now() < deadline && !g_fuzz_stop.load()) {
      if (running_->ended()) {
        *error = "--target-cmd exited before it served";
        return false;
      }
      const auto check = engine::check_target_answers(source_, target_, milliseconds(1000));
      if (check.answered) return true;
      last = check.detail;
      std::this_thread::sleep_for(pause);  // between connection attempts only
      pause = std::min(pause * 2, milliseconds(100));
    }
    *error = "--target-cmd did not serve within " + std::to_string(start_timeout_.count()) + " ms (" + last + ")";
    return false;
  }
  void stop() {
    if (running_) running_->finish(transport::Clock::now());
    running_.reset();
  }
  int starts() const { return starts_; }

 private:
  ExecLauncher launcher_;
  engine::ClientEndpoint endpoint_;
  engine::ConnectionSource& source_;
  const engine::Target& target_;
  milliseconds start_timeout_;
  std::unique_ptr<engine::LaunchedClient> running_;
  int starts_ = 0;
};

std::string file_name_of(const std::string& id) {
  std::string name = id.substr(id.find('/') + 1);  // fuzz/s1-42
  std::replace(name.begin(), name.end(), '/', '-');
  return name + ".json";
}

std::string amount(std::uint64_t bytes) {
  char text[32];
  if (bytes < 1024 * 1024) std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  else std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

int fuzz(const FuzzFlags& f) {
  const LoadedCatalogue loaded = load_catalogue(f.catalogue);
  const engine::Selection selection{f.specs, f.excludes, true, std::string(engine::kTargetServer)};
  if (auto error = check_selection(loaded.catalogue, selection); !error.empty()) {
    print_error(error);
    return kExitUsage;
  }
  const auto cases = engine::select_cases(loaded.catalogue, selection);
  std::error_code ec;
  fs::create_directories(f.findings_dir, ec);
  if (ec || !fs::is_directory(f.findings_dir)) {
    print_error("--findings: cannot make " + f.findings_dir + (ec ? ": " + ec.message() : ""));
    return kExitHarness;
  }

  const int port = f.port != 0 ? f.port : (f.tls ? 443 : 80);
  const transport::Endpoint endpoint{f.host, static_cast<std::uint16_t>(port)};
  transport::TlsClientOptions tls;
  tls.verify = !f.insecure;
  const auto source = f.tls ? engine::make_tls_source(endpoint, tls) : engine::make_tcp_source(endpoint);
  engine::Target target;
  const bool ipv6 = f.host.find(':') != std::string::npos;
  target.authority = (ipv6 ? "[" + f.host + "]" : f.host) + ":" + std::to_string(port);
  target.scheme = f.tls ? "https" : "http";
  target.path = f.path;
  const auto timeout = milliseconds(static_cast<long long>(f.timeout_s * 1000));
  const std::string where = target.authority + (f.tls ? " (tls)" : " (h2c)");

  g_fuzz_stop.store(false);
  std::signal(SIGINT, on_fuzz_signal);
  std::signal(SIGTERM, on_fuzz_signal);

  std::unique_ptr<TargetProcess> process;
  if (!f.target_cmd.empty()) {
    engine::ClientEndpoint e;
    e.scheme = target.scheme;
    e.host = f.host;
    e.port = static_cast<std::uint16_t>(port);
    e.path = f.path;
    e.authority = target.authority;
    e.url = target.scheme + "://" + target.authority + f.path;
    e.case_id = "fuzz";
    process = std::make_unique<TargetProcess>(f.target_cmd, e, *source, target,
                                              milliseconds(static_cast<long long>(f.start_timeout_s * 1000)));
    if (std::string error; !process->start(&error)) {
      print_error(error);
      return g_fuzz_stop.load() ? kExitInterrupted : kExitHarness;
    }
  }
  if (const auto pre = engine::preflight(*source, target, timeout);
      pre.outcome != engine::PreflightResult::Outcome::kHttp2) {
    print_error(pre.outcome == engine::PreflightResult::Outcome::kUnreachable
                    ? "cannot connect to " + where + ": " + pre.finding
                    : where + " " + pre.finding);
    return kExitHarness;
  }

  std::cout << "h2conform fuzz: " << where << ", seed " << f.seed << ", " << f.duration_s << " s\n";
  // Seeds: the frames the selected cases send, played in memory (the same whatever the target).
  const std::vector<wire::Bytes> seeds = engine::catalogue_seeds(cases, target);
  std::cout << "seeds: " << seeds.size() << " frame sequences from " << cases.size() << " cases" << std::endl;

  engine::NetFuzzOptions options;
  options.seed = f.seed;
  options.duration = milliseconds(static_cast<long long>(f.duration_s * 1000));
  options.max_sequences = f.max_sequences;
  options.max_connections = f.max_connections;
  options.max_findings = f.max_findings;
  options.timeout = timeout;
  options.stop = &g_fuzz_stop;
  if (process) options.restart = [&process](std::string* error) { return process->start(error); };
  if (!engine::check_target_answers(*source, target, timeout).answered) {
    if (!options.restart) {
      print_error(where + " does not answer a PING and a GET on a new connection");
      return kExitHarness;
    }
    if (std::string error; !options.restart(&error)) {
      print_error(where + " does not answer a PING and a GET, and could not be restarted: " + error);
      return kExitHarness;
    }
  }

  int written = 0;
  bool write_failed = false;
  const auto summary = engine::run_net_fuzz(seeds, *source, target, options, [&](const engine::NetFuzzFinding& x) {
    const fs::path file = fs::path(f.findings_dir) / file_name_of(x.id);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << x.case_json;
    out.close();
    if (!out) write_failed = true; else ++written;
    std::cout << "finding: sequence " << x.sequence << ": the target stopped serving (" << x.what << ")\n";
    if (!x.replayed) {
      std::cout << "  not replayed: give --target-cmd so that h2conform can restart the target to replay and minimize\n";
    } else if (!x.reproduced) {
      std::cout << "  replayed on a restarted target: not reproduced (kept as found, " << x.found_frames << " frames)\n";
    } else {
      std::cout << "  reproduced; minimized from " << x.found_frames << " to " << x.minimized_frames << " frames in "
                << x.minimize_runs << " replays\n";
    }
    std::cout << "  written: " << file.string() << " (replay: h2conform --cases " << f.findings_dir << " -h " << f.host
              << " -p " << port << (f.tls ? " -t" : "") << ")\n";
  });
  if (process) process->stop();
  const double seconds = static_cast<double>(summary.elapsed.count()) / 1000.0;
  std::cout << "ran " << summary.sequences << " sequences in " << seconds << " s ("
            << (seconds > 0 ? static_cast<double>(summary.sequences) / seconds : 0.0) << "/s), " << summary.connections
            << " connections, " << amount(summary.bytes_sent) << " sent; " << summary.findings.size()
            << (summary.findings.size() == 1 ? " finding" : " findings") << "; ended: " << summary.ended << "\n";
  if (write_failed) {
    print_error("--findings: could not write every finding into " + f.findings_dir);
    return kExitHarness;
  }
  if (g_fuzz_stop.load()) return kExitInterrupted;
  return summary.findings.empty() ? kExitPass : kExitFail;
}

}  // namespace

void add_fuzz_command(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<FuzzFlags>();
  auto* cmd = app.add_subcommand(
      "fuzz", "Network fuzzing of a live server: mutated frame sequences seeded from the catalogue, each followed by a "
              "check that the server still serves; findings become replayable case files");
  cmd->add_option("SPEC", flags->specs, "Cases whose frames seed the fuzzer (selectors as for a run; default: all)");
  cmd->add_option("--exclude", flags->excludes, "Leave out cases matching SEL from the seeding (repeatable)");
  cmd->add_option("-h,--host", flags->host, "Target host (default 127.0.0.1)");
  cmd->add_option("-p,--port", flags->port, "Target port (default 80, or 443 with --tls)")->check(CLI::Range(1, 65535));
  cmd->add_flag("-t,--tls", flags->tls, "Connect over TLS (ALPN h2)");
  cmd->add_flag("-k,--insecure", flags->insecure, "Do not verify the server's certificate");
  cmd->add_option("-P,--path", flags->path, "Path of the GET that checks the target still serves (default /)");
  cmd->add_option("-o,--timeout", flags->timeout_s,
                  "Seconds to wait for the target's answers after a sequence, and for the check (default 1)")
      ->check(CLI::Range(0.01, 600.0));
  cmd->add_option("--duration", flags->duration_s, "Seconds of fuzzing, seeding and minimizing aside (default 60)")
      ->check(CLI::Range(0.0, 7.0 * 24 * 3600));
  cmd->add_option("--seed", flags->seed, "Seed of the mutations: the same seed gives the same sequences (default 1)");
  cmd->add_option("--max-connections", flags->max_connections,
                  "Most connections the fuzzing opens, two a sequence (default 1000000)")
      ->check(CLI::Range(std::uint64_t{2}, std::uint64_t{1} << 40));
  cmd->add_option("--max-sequences", flags->max_sequences, "Most sequences to send (default 1000000)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  cmd->add_option("--max-findings", flags->max_findings, "Stop after this many findings (default 1)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--findings", flags->findings_dir, "Folder for the findings' case files (default h2conform-findings)");
  cmd->add_option("--target-cmd", flags->target_cmd,
                  "Shell command that starts the server ({host} {port} substituted); h2conform starts it, restarts it "
                  "after a finding to replay and minimize it, and stops it at the end (by its process group)");
  cmd->add_option("--start-timeout", flags->start_timeout_s,
                  "Seconds a --target-cmd server has to start serving (default 10)")
      ->check(CLI::Range(0.1, 600.0));
  add_catalogue_flags(*cmd, &flags->catalogue);
  cmd->callback([flags, exit_code] { *exit_code = fuzz(*flags); });
}

}  // namespace h2conform::cli
