#include "runner/cli/subprocess_test_util.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace h2conform::cli::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> merged_environment(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    bool overridden = false;
    for (const auto& o : overrides) overridden = overridden || name_of(o) == name_of(entry);
    if (!overridden) env.push_back(entry);
  }
  for (const auto& o : overrides)
    if (o.find('=') != std::string::npos) env.push_back(o);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& items) {
  std::vector<char*> out;
  for (auto& s : items) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void close_fd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

}  // namespace

Subprocess::Subprocess(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  std::vector<std::string> args = argv, envs = merged_environment(env);
  auto c_args = c_strings(args), c_env = c_strings(envs);
  start_ = Clock::now();
  const int rc = posix_spawn(&pid_, c_args[0], &actions, nullptr, c_args.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
  if (rc != 0) {
    pid_ = -1;
    close_fd(&out_fd_);
    close_fd(&err_fd_);
    throw std::runtime_error(std::string("posix_spawn ") + argv[0] + ": " + std::strerror(rc));
  }
  pid_fd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
}

Subprocess::~Subprocess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    reap(true);
  }
  close_fd(&out_fd_);
  close_fd(&err_fd_);
  close_fd(&pid_fd_);
}

void Subprocess::reap(bool block) {
  if (exited_ || pid_ <= 0) return;
  if (waitpid(pid_, &status_, block ? 0 : WNOHANG) == pid_) {
    exited_ = true;
    end_ = Clock::now();
  }
}

bool Subprocess::pump(Clock::time_point deadline) {
  reap(false);
  if (exited_ && out_fd_ < 0 && err_fd_ < 0) return false;
  pollfd fds[3] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}, {exited_ ? -1 : pid_fd_, POLLIN, 0}};
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return false;
  // Without a pidfd the exit shows as EOF on the pipes; cap the wait so reap() runs again.
  const int wait_ms = static_cast<int>(pid_fd_ < 0 ? std::min<long long>(left, 50) : std::min<long long>(left, 60000));
  if (poll(fds, 3, wait_ms) < 0 && errno != EINTR) return false;
  int* pipes[2] = {&out_fd_, &err_fd_};
  std::string* sinks[2] = {&result_.out, &result_.err};
  for (int i = 0; i < 2; ++i) {
    if (*pipes[i] < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
    char buf[4096];
    const ssize_t n = read(*pipes[i], buf, sizeof buf);
    if (n > 0) sinks[i]->append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) close_fd(pipes[i]);
  }
  return true;
}

bool Subprocess::wait_for_stdout(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (result_.out.find(text) == std::string::npos) {
    if (!pump(deadline)) return false;
  }
  return true;
}

bool Subprocess::wait_for_stderr(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (result_.err.find(text) == std::string::npos) {
    if (!pump(deadline)) return false;
  }
  return true;
}

void Subprocess::send_signal(int sig) {
  if (pid_ > 0 && !exited_) kill(pid_, sig);
}

ProcessResult Subprocess::finish(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (pump(deadline)) {
  }
  if (!exited_) {
    result_.timed_out = true;
    kill(pid_, SIGKILL);
    reap(true);
  }
  result_.exit_code = WIFEXITED(status_) && !result_.timed_out ? WEXITSTATUS(status_) : -1;
  result_.seconds = std::chrono::duration<double>(end_ - start_).count();
  return result_;
}

std::string h2conform_binary() { return H2CONFORM_BINARY; }

ProcessResult run_h2conform(const std::vector<std::string>& args, const std::vector<std::string>& env,
                            std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{h2conform_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  Subprocess process(argv, env);
  return process.finish(timeout);
}

std::filesystem::path fresh_temp_dir(const std::string& test_name) {
  std::string name = test_name;  // parameterized test names contain '/'
  for (char& ch : name)
    if (ch == '/') ch = '-';
  const auto dir = std::filesystem::temp_directory_path() /
                   ("h2conform-cli-" + std::to_string(getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path write_sample_catalogue(const std::filesystem::path& dir) {
  const auto cases = dir / "cases";
  write_file(cases / "rfc9113" / "3.4-alpha.json", R"({
    "id": "rfc9113/3.4/alpha", "section": "RFC 9113 3.4", "level": "MUST",
    "requirements": ["9113-3.3-2"], "h2spec": ["http2/3.5/1"],
    "requirement": "The server sends a connection preface.", "action": "Handshake.",
    "role": "server", "steps": [ { "handshake": {} } ] })");
  write_file(cases / "rfc9113" / "6.8-beta.json", R"({
    "id": "rfc9113/6.8/beta", "section": "RFC 9113 6.8", "level": "MUST",
    "requirements": ["9113-6.8-4"], "h2spec": ["http2/6.8/1"],
    "requirement": "GOAWAY on a stream is a connection error.", "action": "Send GOAWAY on stream 1.",
    "role": "server", "steps": [ { "handshake": {} },
      { "send": { "type": "GOAWAY", "stream": 1, "last_stream_id": 0 } },
      { "expect": { "connection_error": ["PROTOCOL_ERROR"] } } ] })");
  write_file(cases / "rfc7541" / "2.1-gamma.json", R"({
    "id": "rfc7541/2.1/gamma", "section": "RFC 7541 2.1", "level": "MUST",
    "requirements": ["7541-2.1-2"], "h2spec": ["hpack/2.3/1"],
    "requirement": "Field order is kept.", "action": "Handshake.",
    "role": "server", "steps": [ { "handshake": {} } ] })");
  write_file(cases / "rfc9113" / "6.8-delta.json", R"({
    "id": "rfc9113/6.8/delta", "section": "RFC 9113 6.8", "level": "SHOULD",
    "requirements": ["9113-6.8-2"],
    "requirement": "GOAWAY before closing.", "action": "Handshake.",
    "role": "server", "steps": [ { "handshake": {} } ] })");
  return cases;
}

std::vector<std::string> with_real_catalogue(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"--cases", h2conform::testing::cases_dir().string(), "--specs", specs_dir()};
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

std::string specs_dir() { return h2conform::testing::specs_dir().string(); }

}  // namespace h2conform::cli::testing
