// The default command, h2spec-compatible: `h2conform [SPEC...] [flags]`. Parses h2spec's flags
// (and ours), selects cases, checks that the target answers, runs the cases through the engine
// and writes the requested reports (terminal, JSON, JUnit, HTML; with --baseline the last three
// mark regressions and fixes). The engine runs on its own thread. A first SIGINT/SIGTERM stops
// new cases from starting and says so on stderr; a second gives up on the running cases. Either
// way the reports are written for the cases that finished, marked interrupted, and the exit
// code is 130.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <memory>
#include <optional>
#include <thread>

#include "reports/atomic_file.h"
#include "reports/baseline.h"
#include "reports/case_list.h"
#include "reports/coverage_report.h"
#include "reports/html/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/terminal_progress.h"
#include "reports/terminal_report.h"
#include "runner/cli/cli_support.h"
#include "runner/cli/commands.h"
#include "runner/cli/corpus_writer.h"
#include "runner/cli/exec_launcher.h"
#include "runner/cli/selection_check.h"
#include "runner/cli/usage_errors.h"
#include "runner/engine/connection/factories.h"
#include "runner/engine/run/client_runner.h"
#include "runner/engine/run/preflight.h"

namespace h2conform::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signals{0};       // SIGINT/SIGTERM received during this run
std::atomic<int> g_signal_fd{-1};    // write end of the self-pipe while run_watching_signals reads it
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

// The first signal stops new cases from starting. The second, when a run is being watched,
// wakes run_watching_signals to write the reports of what finished; with nobody watching (or
// at the third signal) it ends the process at once.
extern "C" void on_stop_signal(int) {
  const int n = g_signals.fetch_add(1) + 1;
  g_stop.store(true);
  const int fd = g_signal_fd.load();
  if (n >= 2 && (fd < 0 || n >= 3)) _exit(kExitInterrupted);
  if (fd >= 0) {
    const char byte = 1;
    ssize_t ignored = write(fd, &byte, 1);  // a full pipe already holds a wake-up
    (void)ignored;
  }
}

// Installs the stop handlers and their self-pipe for the duration of a run.
class StopSignals {
 public:
  StopSignals() {
    g_stop.store(false);
    g_signals.store(0);
    if (pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) pipe_[0] = pipe_[1] = -1;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    watch(false);
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    for (int fd : pipe_) {
      if (fd >= 0) close(fd);
    }
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // While watched, a second signal is reported through read_fd() instead of ending the process.
  void watch(bool on) { g_signal_fd.store(on ? pipe_[1] : -1); }
  int read_fd() const { return pipe_[0]; }

 private:
  int pipe_[2] = {-1, -1};
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

constexpr double kMaxTimeoutS = 3600;
constexpr double kMinTimeoutS = 0.001;  // what -o 0 means

struct RunFlags {
  std::string target_role;  // which cases run: the command's (add_run_options), never a flag
  std::vector<std::string> specs, excludes, headers;
  std::string host = "127.0.0.1";
  int port = 0;  // 0: 80, or 443 with --tls
  bool tls = false, insecure = false, strict = false, verbose = false, dryrun = false, coverage = false;
  std::string ciphers, path = "/", method = "GET", body, junit_file, json_file, html_file, target_name, reasons_dir;
  std::string baseline;  // a results JSON file or a known-failures list
  double timeout_s = 2;
  int parallel = 4;
  bool wait_full_timeout = false;
  std::uint32_t max_header_length = 4000;
  std::string colour_word = "auto";
  reports::ColourChoice colour = reports::ColourChoice::kAuto;  // from colour_word
  std::string corpus_dir;  // --record-corpus
  CatalogueFlags catalogue;
  // Client testing (`h2conform client`).
  std::string listen = "127.0.0.1:0", exec, cert, key;
  double connect_timeout_s = 10;  // --connect-timeout
};

std::string host_port(const std::string& host, int port) {
  const bool ipv6 = host.find(':') != std::string::npos && !host.starts_with("[");
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

CLI::Validator token_validator(const char* what) {
  return CLI::Validator(
      [what](std::string& value) -> std::string {
        return is_token(value) ? std::string() : "\"" + value + "\" is not a valid " + what;
      },
      "");
}

// h2spec 2.6's flags first (same names, short forms and meanings), then ours. Defaults are
// stated in the descriptions; validators add nothing to --help and name the flag on error.
void add_flags(CLI::App& app, RunFlags& f) {
  const bool client = f.target_role == engine::kTargetClient;
  app.add_option("SPEC", f.specs, "Cases to run: groups (http2, hpack, generic, priority), h2spec ids and "
                 "sections (http2/6.5, generic/3.2/1), case ids or id prefixes. Default: all");
  if (client) {
    app.add_option("-e,--exec", f.exec,
                   "The client to test, run once per case through /bin/sh -c; {url} {host} {port} {scheme} "
                   "{authority} {path} {ca} {case} are replaced by shell-quoted values. Without it, each "
                   "case's URL is printed and the case waits (-o) for a client to connect")
        ->type_name("CMD")->check(not_empty());
    app.add_option("--listen", f.listen,
                   "Where cases listen, ADDR:PORT (default 127.0.0.1:0, a free port per case; a fixed PORT "
                   "with --parallel N uses PORT to PORT+N-1)")->type_name("ADDR:PORT");
    app.add_option("--connect-timeout", f.connect_timeout_s,
                   "Seconds a launched client has to connect, and to exit where it must exit 0, when longer than "
                   "-o (default 10): a browser or a client built on first use takes seconds to start")
        ->type_name("SECONDS")->check(CLI::Range(0.001, 600.0));
    app.add_flag("-t,--tls", f.tls, "Serve TLS (ALPN h2); without --cert, one self-signed certificate for the run, "
                 "given to the client as {ca}");
    app.add_option("--cert", f.cert, "With --tls: the certificate (PEM) to serve, given to the client as {ca}")
        ->type_name("FILE");
    app.add_option("--key", f.key, "With --cert: its private key (PEM)")->type_name("FILE");
  } else {
    app.add_option("-h,--host", f.host, "Target host (default 127.0.0.1)");
    app.add_option("-p,--port", f.port, "Target port (default 80, or 443 with --tls)")->check(integer_in_range(1, 65535));
    app.add_flag("-t,--tls", f.tls, "Connect over TLS (ALPN h2)");
    app.add_flag("-k,--insecure", f.insecure, "Do not verify the server's certificate");
    app.add_option("-c,--ciphers", f.ciphers, "OpenSSL cipher list for TLS 1.2");
  }
  app.add_option("-o,--timeout", f.timeout_s,
                 "Per-case timeout in seconds, fractions allowed (default 2; 0, which h2spec accepts, "
                 "means the shortest, 1 ms)")
      ->check(number_in_range(0, kMaxTimeoutS));
  app.add_option("-P,--path", f.path, client ? "Path of the URL the client is given, {path} (default /)"
                                              : "Path of the requests cases send (default /)")
      ->check(not_empty());
  app.add_option("-j,--junit-report", f.junit_file, "Write a JUnit XML report to FILE")->type_name("FILE");
  app.add_flag("-S,--strict", f.strict, "Also run SHOULD and MAY cases");
  app.add_flag("-v,--verbose", f.verbose, "Show the transcripts of cases that did not pass");
  app.add_flag("--dryrun", f.dryrun, "List the selected cases without connecting");
  app.add_option("--max-header-length", f.max_header_length,
                 "Longest header field value cases send (default 4000)")->check(integer_in_range(1, 16777215));
  app.add_option("--json-report", f.json_file, "Write the JSON results file to FILE")->type_name("FILE");
  app.add_option("--html-report", f.html_file, "Write the HTML report (one self-contained page) to FILE")
      ->type_name("FILE");
  app.add_option("--baseline", f.baseline,
                 "Exit 1 only on regressions against FILE: an earlier results JSON or a list of known failures")
      ->type_name("FILE");
  app.add_flag("--coverage", f.coverage, "With --dryrun: requirement coverage of the selected cases");
  app.add_option("--exclude", f.excludes, "Leave out cases matching SEL (repeatable)")->type_name("SEL");
  app.add_option("--parallel", f.parallel, "Cases exchanging frames at once (default 4); one waiting for its timeout gives its turn, up to 4N open")->check(integer_in_range(1, 256));
  app.add_flag("--wait-full-timeout", f.wait_full_timeout,
               "Wait out the timeout where a case would end on evidence instead (PINGs answered after the offending "
               "frame, a served request's stream closed, a later request answered); the same frames go out");
  if (!client) {
    app.add_option("--method", f.method, "Method of the requests cases send (default GET)")
        ->check(token_validator("method"));
    app.add_option("--header", f.headers, "NAME:VALUE added to requests (repeatable)")
        ->type_name("NAME:VALUE")
        ->check(CLI::Validator([](std::string& v) { return check_header(v); }, ""));
    app.add_option("--body", f.body, "Body of the requests cases send with a body");
  }
  app.add_option("--target-name", f.target_name, "Name of the target in reports (default host:port)");
  app.add_option("--reasons", f.reasons_dir, "Folder of coverage reason files (default: docs/coverage beside --cases)")
      ->type_name("DIR");
  app.add_option("--record-corpus", f.corpus_dir,
                 "Write fuzz seeds from every case's traffic into DIR (frame_decoder/, hpack_decoder/, session/)")
      ->type_name("DIR");
  app.add_option("--color", f.colour_word,
                 "Colour the terminal report: auto (a terminal, no NO_COLOR, TERM not dumb; FORCE_COLOR "
                 "or CLICOLOR_FORCE force it), always or never (default auto)")
      ->type_name("WHEN")->check(colour_word());
  add_catalogue_flags(app, &f.catalogue);
}

engine::RunSettings settings_of(const RunFlags& f, int port) {
  engine::RunSettings s;
  s.host = f.host;
  s.port = static_cast<std::uint16_t>(port);
  s.tls = f.tls;
  s.insecure = f.insecure;
  s.role = f.target_role;
  s.timeout_s = f.timeout_s;
  s.strict = f.strict;
  s.parallel = f.parallel;
  s.selectors = f.specs;
  s.excludes = f.excludes;
  s.path = f.path;
  s.method = f.method;
  return s;
}

engine::Target target_of(const RunFlags& f, int port) {
  engine::Target t;
  t.authority = host_port(f.host, port);
  t.scheme = f.tls ? "https" : "http";
  t.method = f.method;
  t.path = f.path;
  for (const auto& h : f.headers) t.headers.push_back(split_header(h));
  t.body = f.body;
  t.max_header_length = f.max_header_length;
  return t;
}

engine::RunOptions options_of(const RunFlags& f, int port, std::chrono::milliseconds timeout) {
  engine::RunOptions options;
  options.timeout = timeout;
  options.parallel = f.parallel;
  options.error_probes = !f.wait_full_timeout;
  options.stop = &g_stop;
  options.settings = settings_of(f, port);
  options.tool_version = H2CONFORM_VERSION;
  options.target_label =
      f.target_name.empty() ? host_port(f.host, port) + (f.tls ? " (tls)" : " (h2c)") : f.target_name;
  return options;
}

int dry_run(const RunFlags& f, const LoadedCatalogue& loaded, const std::vector<const engine::Case*>& cases) {
  reports::render_case_tree(cases, std::cout);
  if (!f.coverage) return kExitPass;
  reports::CoverageReasons reasons;
  const std::string dir = f.reasons_dir.empty() ? default_reasons_dir(f.catalogue.cases_dir).string() : f.reasons_dir;
  if (auto error = reports::load_coverage_reasons(dir, &reasons); !error.empty()) {
    print_error(error);
    return kExitHarness;
  }
  std::cout << '\n';
  reports::render_coverage_text(reports::compute_coverage(cases, loaded.requirements, reasons), std::cout);
  return kExitPass;
}

// Writes every requested report file, marking changes against the baseline when there is
// one; returns false if a file could not be written.
bool write_reports(const RunFlags& f, const engine::RunResult& run, const reports::BaselineDiff* diff) {
  bool ok = true;
  auto check = [&](const std::string& error) {
    if (!error.empty()) print_error(error);
    ok = ok && error.empty();
  };
  if (!f.json_file.empty()) check(reports::write_json_report_file(run, f.json_file));
  if (!f.junit_file.empty()) check(reports::write_junit_report_file(run, f.junit_file, diff));
  if (!f.html_file.empty()) {
    check(reports::write_file_atomically(f.html_file, [&](std::ostream& out) { reports::render_html(run, out, diff); }));
  }
  return ok;
}

// Every report path is checked before the run, so that a typo costs nothing.
bool check_report_paths(const RunFlags& f) {
  const std::pair<const char*, const std::string*> files[] = {
      {"--json-report", &f.json_file}, {"--junit-report", &f.junit_file}, {"--html-report", &f.html_file}};
  for (const auto& [flag, file] : files) {
    if (file->empty()) continue;
    if (auto error = reports::check_report_path(*file); !error.empty()) {
      print_error(std::string(flag) + ": " + error);
      return false;
    }
  }
  return true;
}

// What run_watching_signals saw.
struct WatchedRun {
  engine::RunResult result;
  std::size_t abandoned = 0;  // cases still running when a second signal gave up on them
};

std::string running_cases(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " running case" : " running cases");
}

// Runs `run_engine` on its own thread while this thread waits for it to end or for a signal.
// The first signal (the engine then starts no new case) is answered on stderr; at the second,
// the result is `header` holding the cases that finished so far, marked interrupted, and the
// engine's thread is left running: the caller must write its reports and end the process.
// The wait ends because the engine does: every case has a deadline.
WatchedRun run_watching_signals(StopSignals& signals, reports::TerminalProgress& progress,
                                engine::RunResult header, std::function<engine::RunResult()> run_engine) {
  struct Shared {
    std::function<engine::RunResult()> run;
    engine::RunResult result;
    int done[2] = {-1, -1};
  };
  auto shared = std::make_shared<Shared>();  // outlives this call when the engine is left running
  shared->run = std::move(run_engine);
  if (pipe2(shared->done, O_CLOEXEC) != 0 || signals.read_fd() < 0) return {shared->run(), 0};
  const auto start = std::chrono::steady_clock::now();
  signals.watch(true);
  std::thread engine_thread([shared] {
    shared->result = shared->run();
    const char byte = 1;
    ssize_t ignored = write(shared->done[1], &byte, 1);
    (void)ignored;
  });
  bool told = false;
  for (;;) {
    pollfd fds[2] = {{shared->done[0], POLLIN, 0}, {signals.read_fd(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;  // EINTR: a signal, seen through the pipe
    if (fds[0].revents != 0) break;
    char drain[16];
    while (read(signals.read_fd(), drain, sizeof drain) > 0) {
    }
    const int n = g_signals.load();
    if (n >= 1 && !told) {
      progress.erase_status();
      print_error("stopping: waiting for " + running_cases(progress.running()) + " (Ctrl-C again to abort)");
      told = true;
    }
    if (n < 2) continue;
    WatchedRun aborted{std::move(header), progress.running()};
    progress.close();
    aborted.result.cases = progress.finished();
    aborted.result.interrupted = true;
    aborted.result.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    engine_thread.detach();
    return aborted;
  }
  engine_thread.join();
  signals.watch(false);
  close(shared->done[0]);
  close(shared->done[1]);
  progress.close();  // an interrupted run: what finished behind the cases that never did
  return {std::move(shared->result), 0};
}

// The terminal recap, the baseline comparison and the report files of a finished (or
// interrupted) run; returns the exit code.
int finish_run(const RunFlags& f, const Baseline& baseline, const reports::TerminalOptions& terminal,
               const WatchedRun& watched) {
  const engine::RunResult& result = watched.result;
  std::optional<reports::BaselineDiff> diff;
  if (!f.baseline.empty()) diff = compare_with(baseline, result);
  reports::TerminalOptions recap = terminal;
  recap.baseline = diff ? &*diff : nullptr;
  if (watched.abandoned > 0)
    std::cout << "\nAborted: " << running_cases(watched.abandoned) << " left unfinished and not reported\n";
  reports::render_recap(result, recap, std::cout);
  if (diff) {
    std::cout << '\n';
    reports::render_diff_text(*diff, std::cout);
  }
  std::cout.flush();
  const bool written = write_reports(f, result, diff ? &*diff : nullptr);
  if (result.interrupted) return kExitInterrupted;
  if (!written) return kExitHarness;
  const int code = engine::exit_code_for(result);
  // With a baseline only regressions fail; a harness error (exit 2) stays one.
  return diff && code != kExitHarness ? reports::diff_exit_code(*diff) : code;
}

// --listen ADDR:PORT ("[::1]:0" for IPv6). False when it is not that.
bool parse_listen(const std::string& text, std::string* host, std::uint16_t* port) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string h = text.substr(0, colon);
  if (h.starts_with("[") && h.ends_with("]")) h = h.substr(1, h.size() - 2);
  const std::string p = text.substr(colon + 1);
  if (h.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  const long value = std::stol(p);
  if (value > 65535) return false;
  *host = h;
  *port = static_cast<std::uint16_t>(value);
  return true;
}

// The run's certificate: the files given, or one made now with its certificate written to a
// private temporary file (the {ca} of every case), removed when the run ends.
class RunCertificate {
 public:
  RunCertificate() = default;
  RunCertificate(const RunCertificate&) = delete;
  RunCertificate& operator=(const RunCertificate&) = delete;
  ~RunCertificate() { remove(); }

  std::string make(const RunFlags& f) {
    if (!f.cert.empty()) {
      if (!read_text(f.cert, &cert_pem_)) return "--cert: cannot read " + f.cert;
      if (!read_text(f.key, &key_pem_)) return "--key: cannot read " + f.key;
      ca_file_ = f.cert;
      return {};
    }
    std::string error;
    if (!transport::make_self_signed_pem(&cert_pem_, &key_pem_, &error)) return error;
    std::string path = (std::filesystem::temp_directory_path() / "h2conform-ca-XXXXXX.pem").string();
    const int fd = mkstemps(path.data(), 4);  // mode 0600
    if (fd < 0) return "cannot create a temporary file for the certificate: " + std::string(std::strerror(errno));
    temp_file_ = path;
    ca_file_ = path;
    const bool written = ::write(fd, cert_pem_.data(), cert_pem_.size()) == static_cast<ssize_t>(cert_pem_.size());
    ::close(fd);
    return written ? std::string() : "cannot write the certificate to " + path;
  }
  void remove() {
    if (!temp_file_.empty()) ::unlink(temp_file_.c_str());
    temp_file_.clear();
  }
  const std::string& cert_pem() const { return cert_pem_; }
  const std::string& key_pem() const { return key_pem_; }
  const std::string& ca_file() const { return ca_file_; }
  bool generated() const { return !temp_file_.empty(); }

 private:
  static bool read_text(const std::string& path, std::string* out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream text;
    text << in.rdbuf();
    *out = text.str();
    return static_cast<bool>(in) || in.eof();
  }

  std::string cert_pem_, key_pem_, ca_file_, temp_file_;
};

// `h2conform client`: the engine plays the server, one listener per case, and runs the client
// (--exec) once per case or announces each case's URL and waits.
// --record-corpus: the writer's folders, made before the run; false (said on stderr) when they
// cannot be.
bool open_corpus(const RunFlags& f, CorpusWriter* corpus, engine::RunOptions* options) {
  if (f.corpus_dir.empty()) return true;
  if (auto error = corpus->open(f.corpus_dir); !error.empty()) {
    print_error("--record-corpus: " + error);
    return false;
  }
  options->corpus = corpus;
  return true;
}

void report_corpus(const RunFlags& f, const CorpusWriter& corpus) {
  if (f.corpus_dir.empty()) return;
  std::cout << "\n" << corpus.written() << " new fuzz seeds in " << f.corpus_dir << "\n";
  if (!corpus.first_error().empty()) print_error("--record-corpus: " + corpus.first_error());
}

// Runs the engine with live progress, watching for signals, then the recap, the reports and the
// corpus summary: the part every run shares. Returns the exit code and how many cases a second
// signal abandoned (their threads still run: the caller must end the process).
struct RunOutcome {
  int code;
  std::size_t abandoned;
};
RunOutcome run_and_report(const RunFlags& f, const Baseline& baseline, StopSignals& signals,
                          const std::vector<const engine::Case*>& cases, engine::RunResult header,
                          const CorpusWriter& corpus,
                          const std::function<engine::RunResult(engine::RunObserver*)>& run_engine) {
  const reports::TerminalOptions terminal{reports::colour_for_fd(1, f.colour), f.verbose};
  std::vector<std::string> ids;
  for (const engine::Case* c : cases) ids.push_back(c->id);
  reports::TerminalProgress progress(std::cout, terminal, std::move(ids), reports::live_status_wanted(1));
  WatchedRun watched = run_watching_signals(signals, progress, std::move(header), [&] { return run_engine(&progress); });
  if (g_stop.load()) watched.result.interrupted = true;
  report_corpus(f, corpus);
  return {finish_run(f, baseline, terminal, watched), watched.abandoned};
}

int run_clients(RunFlags f, const std::vector<const engine::Case*>& cases, const Baseline& baseline) {
  std::string host;
  std::uint16_t port = 0;
  parse_listen(f.listen, &host, &port);  // checked by settle_flags
  if (f.exec.empty()) f.parallel = 1;   // one announced URL at a time
  if (!check_report_paths(f)) return kExitUsage;
  RunCertificate certificate;
  if (f.tls) {
    if (auto error = certificate.make(f); !error.empty()) {
      print_error(error);
      return kExitHarness;
    }
    if (certificate.generated()) {
      std::cout << "TLS: the run's self-signed certificate is in " << certificate.ca_file()
                << " ({ca}); it is removed when the run ends\n";
    }
  }
  std::optional<ExecLauncher> launcher;
  if (!f.exec.empty()) launcher.emplace(f.exec);
  engine::ClientCaseSetup setup;
  setup.listen.host = host;
  setup.listen.port = port;
  setup.listen.tls = f.tls;
  setup.listen.cert_pem = certificate.cert_pem();
  setup.listen.key_pem = certificate.key_pem();
  setup.path = f.path;
  setup.ca_file = certificate.ca_file();
  setup.launcher = launcher ? &*launcher : nullptr;
  setup.connect_timeout = std::chrono::milliseconds(static_cast<long long>(f.connect_timeout_s * 1000));

  StopSignals signals;
  f.host = host;
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(f.timeout_s * 1000));
  auto options = options_of(f, port, timeout);
  if (f.target_name.empty()) {
    options.target_label = f.exec.empty() ? "clients at " + host_port(host, port) + (f.tls ? " (tls)" : " (h2c)")
                                          : f.exec;
  }
  const engine::Target target = target_of(f, port);
  CorpusWriter corpus;
  if (!open_corpus(f, &corpus, &options)) return kExitHarness;
  if (!launcher) {
    std::cout << "No --exec: each case prints its URL and waits up to " << f.timeout_s
              << " s (-o) for one HTTP/2 connection from the client under test\n";
  }
  std::cout.flush();
  const auto [code, abandoned] = run_and_report(
      f, baseline, signals, cases, engine::new_run_result(target, options), corpus,
      [&](engine::RunObserver* progress) { return engine::run_client_cases(cases, setup, target, options, progress); });
  if (abandoned > 0) {
    if (launcher) launcher->kill_running();
    certificate.remove();
    std::cout.flush();
    std::fflush(nullptr);
    _exit(code);
  }
  return code;
}

int run(const RunFlags& f) {
  const LoadedCatalogue loaded = load_catalogue(f.catalogue);
  const engine::Selection selection{f.specs, f.excludes, f.strict, f.target_role};
  if (auto error = check_selection(loaded.catalogue, selection); !error.empty()) {
    print_error(error);
    return kExitUsage;
  }
  const auto cases = engine::select_cases(loaded.catalogue, selection);
  if (f.dryrun) return dry_run(f, loaded, cases);
  Baseline baseline;
  if (!f.baseline.empty()) {
    if (auto error = load_baseline(f.baseline, &baseline); !error.empty()) {
      print_error("--baseline: " + error);
      return kExitHarness;
    }
    rename_aliases(engine::alias_index(loaded.catalogue), &baseline);
  }
  if (f.target_role == engine::kTargetClient) return run_clients(f, cases, baseline);

  const int port = f.port != 0 ? f.port : (f.tls ? 443 : 80);
  const transport::Endpoint endpoint{f.host, static_cast<std::uint16_t>(port)};
  transport::TlsClientOptions tls;
  tls.verify = !f.insecure;
  tls.ciphers = f.ciphers;
  const auto source = f.tls ? engine::make_tls_source(endpoint, tls) : engine::make_tcp_source(endpoint);
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(f.timeout_s * 1000));
  if (!check_report_paths(f)) return kExitUsage;
  StopSignals signals;  // from here on a signal means: finish, report, exit 130
  auto options = options_of(f, port, timeout);
  const engine::Target target = target_of(f, port);
  if (const auto pre = engine::preflight(*source, target, timeout);
      pre.outcome != engine::PreflightResult::Outcome::kHttp2) {
    const std::string where = host_port(f.host, port) + (f.tls ? " (tls)" : "");
    const std::string line = pre.outcome == engine::PreflightResult::Outcome::kUnreachable
                                 ? "cannot connect to " + where + ": " + pre.finding
                                 : where + " " + pre.finding;
    print_error(line);
    // The reports still say why nothing ran, so CI finds them.
    engine::RunResult result = engine::new_run_result(target, options);
    result.harness_error = line;
    write_reports(f, result, nullptr);
    return g_stop.load() ? kExitInterrupted : kExitHarness;
  } else if (!pre.warning.empty()) {
    print_error("warning: " + pre.warning);
  }

  CorpusWriter corpus;
  if (!open_corpus(f, &corpus, &options)) return kExitHarness;
  const auto [code, abandoned] = run_and_report(
      f, baseline, signals, cases, engine::new_run_result(target, options), corpus,
      [&](engine::RunObserver* progress) { return engine::run_cases(cases, *source, target, options, progress); });
  if (abandoned > 0) {
    // The engine's threads are still waiting on the cases that were running: leave them.
    std::cout.flush();
    std::fflush(nullptr);
    _exit(code);
  }
  return code;
}

// What the flags mean beyond their own syntax; "" when they are fine, else the usage error.
std::string settle_flags(RunFlags& f) {
  if (f.coverage && !f.dryrun) return "--coverage works only with --dryrun";
  if (f.target_role == engine::kTargetClient) {
    std::string host;
    std::uint16_t port = 0;
    if (!parse_listen(f.listen, &host, &port)) return "--listen: \"" + f.listen + "\" is not ADDR:PORT";
    if (f.cert.empty() != f.key.empty()) return "--cert and --key go together";
    if (!f.cert.empty() && !f.tls) return "--cert and --key need --tls";
    if (port != 0 && static_cast<long>(port) + f.parallel - 1 > 65535)
      return "--listen: ports " + std::to_string(port) + " to " + std::to_string(port + f.parallel - 1) +
             " (one per --parallel case) go past 65535";
  }
  if (f.timeout_s == 0) f.timeout_s = kMinTimeoutS;
  reports::parse_colour_choice(f.colour_word, &f.colour);
  return {};
}

}  // namespace

std::function<int()> add_run_options(CLI::App& app, std::string_view target_role) {
  auto flags = std::make_shared<RunFlags>();
  flags->target_role = target_role;
  add_flags(app, *flags);
  return [flags] {
    const std::string error = settle_flags(*flags);
    if (!error.empty()) {
      print_error(error);
      return kExitUsage;
    }
    return run(*flags);
  };
}

void add_client_command(CLI::App& app, int* exit_code) {
  CLI::App* client = app.add_subcommand(
      "client", "Test HTTP/2 clients: h2conform plays the server, one loopback listener per case, and runs "
                "the client (--exec) once per case");
  const auto run_client = add_run_options(*client, engine::kTargetClient);
  client->callback([run_client, exit_code] { *exit_code = run_client(); });
}

}  // namespace h2conform::cli
