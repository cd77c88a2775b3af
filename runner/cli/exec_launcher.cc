// The --exec launcher: posix_spawn of /bin/sh -c in a new process group, one watcher thread per
// client that counts stdout, keeps stderr's tail and sees the exit (pidfd, or waitid slices).
#include "runner/cli/exec_launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>

extern char** environ;

namespace h2conform::cli {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// Without a pidfd the watcher looks for the exit this often (waitid with WNOHANG).
constexpr auto kExitCheck = 20ms;
// After the client exited, how long its pipes may stay open (a process outside its group).
constexpr auto kPipeGrace = 200ms;
// The longest single poll of the watcher, so that every wait is bounded.
constexpr int kMaxPollMs = 1000;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

class ExecClient final : public engine::LaunchedClient {
 public:
  ExecClient(std::string command, pid_t pid, int out, int err, std::shared_ptr<LiveClients> live)
      : pid_(pid), out_(out), err_(err), start_(SteadyClock::now()), live_(std::move(live)) {
    process_.command = std::move(command);
    process_.started = true;
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    watcher_ = std::thread([this] { watch(); });
  }
  ~ExecClient() override {
    if (!finished_) finish(SteadyClock::now());
  }

  bool ended() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return exited_;
  }

  engine::ClientProcess finish(transport::Deadline deadline) override {
    finished_ = true;
    std::unique_lock<std::mutex> lock(mutex_);
    if (!changed_.wait_until(lock, deadline, [this] { return exited_; })) {
      // Still running (or an unreaped zombie, which keeps its group id ours): stop its group.
      process_.killed = true;
      ::kill(-pid_, SIGTERM);
      if (!changed_.wait_for(lock, kTermGrace, [this] { return exited_; })) {
        ::kill(-pid_, SIGKILL);
        while (!changed_.wait_for(lock, 1s, [this] { return exited_; })) {
          ::kill(-pid_, SIGKILL);  // SIGKILL cannot be refused; this only repeats a lost wakeup
        }
      }
    }
    lock.unlock();
    if (watcher_.joinable()) watcher_.join();
    close_fd(pidfd_);
    process_.stdout_bytes = stdout_bytes_;
    process_.stderr_tail = stderr_.size() > kStderrTail ? stderr_.substr(stderr_.size() - kStderrTail) : stderr_;
    return process_;
  }

 private:
  // Reads what is ready on one pipe; closes it at EOF or on error.
  void drain(int& fd, bool is_stdout) {
    std::array<char, 4096> buf;
    for (;;) {
      const ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n > 0) {
        if (is_stdout) {
          stdout_bytes_ += static_cast<std::uint64_t>(n);
        } else {
          stderr_.append(buf.data(), static_cast<std::size_t>(n));
          if (stderr_.size() > 2 * kStderrTail) stderr_.erase(0, stderr_.size() - kStderrTail);
        }
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      close_fd(fd);  // EOF or an error
      return;
    }
  }

  // True once the group leader has exited; it stays a zombie (WNOWAIT) until reap().
  bool leader_exited() {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return errno == ECHILD;
    return info.si_pid == pid_;
  }

  // The leader is a zombie: whatever else is in its group goes (the group id cannot have been
  // reused yet), then the zombie is reaped and its status recorded.
  // Under the lock, so that finish() never signals the group once its id may be free.
  void reap() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::lock_guard<std::mutex> live_lock(live_->mutex);
    ::kill(-pid_, SIGKILL);
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &status, 0);  // a zombie already: returns at once
    } while (r < 0 && errno == EINTR);
    live_->groups.erase(pid_);
    if (r == pid_ && WIFEXITED(status)) {
      process_.exited = true;
      process_.exit_status = WEXITSTATUS(status);
    } else if (r == pid_ && WIFSIGNALED(status)) {
      process_.signal = WTERMSIG(status);
    } else {
      process_.error = "waitpid: " + std::string(std::strerror(errno));
    }
    process_.duration_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start_).count();
    exited_ = true;
    changed_.notify_all();
  }

  void watch() {
    bool exited = false;
    SteadyClock::time_point pipes_deadline{};
    while (!exited || out_ >= 0 || err_ >= 0) {
      if (exited && SteadyClock::now() >= pipes_deadline) break;
      std::array<pollfd, 3> fds{};
      nfds_t n = 0;
      if (out_ >= 0) fds[n++] = {out_, POLLIN, 0};
      if (err_ >= 0) fds[n++] = {err_, POLLIN, 0};
      const bool watch_pidfd = !exited && pidfd_ >= 0;
      if (watch_pidfd) fds[n++] = {pidfd_, POLLIN, 0};
      int timeout_ms = kMaxPollMs;
      if (!exited && pidfd_ < 0) timeout_ms = static_cast<int>(kExitCheck.count());
      if (exited) {
        timeout_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          pipes_deadline - SteadyClock::now()).count()) + 1;
      }
      const int ready = ::poll(fds.data(), n, timeout_ms);
      if (ready < 0 && errno != EINTR) break;
      if (out_ >= 0) drain(out_, true);
      if (err_ >= 0) drain(err_, false);
      if (!exited && leader_exited()) {
        reap();
        exited = true;
        pipes_deadline = SteadyClock::now() + kPipeGrace;
      }
    }
    close_fd(out_);
    close_fd(err_);
    if (exited) return;
    // poll failed (it should not): wait for the exit in slices; finish() stops the client.
    while (!leader_exited()) ::poll(nullptr, 0, static_cast<int>(kExitCheck.count()));
    reap();
  }

  pid_t pid_;
  int out_;
  int err_;
  int pidfd_ = -1;
  SteadyClock::time_point start_;
  std::shared_ptr<LiveClients> live_;
  std::thread watcher_;
  bool finished_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool exited_ = false;               // reaped; guarded by mutex_
  engine::ClientProcess process_;     // exit fields guarded by mutex_
  std::uint64_t stdout_bytes_ = 0;    // the watcher's until it is joined
  std::string stderr_;                // the watcher's until it is joined
};

struct Placeholder {
  const char* name;
  std::string engine::ClientEndpoint::*field;
};

}  // namespace

std::string shell_quote(const std::string& value) {
  std::string out = "'";
  for (char ch : value) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

std::string substitute_placeholders(const std::string& command, const engine::ClientEndpoint& endpoint) {
  static const Placeholder kFields[] = {
      {"url", &engine::ClientEndpoint::url},         {"host", &engine::ClientEndpoint::host},
      {"scheme", &engine::ClientEndpoint::scheme},   {"authority", &engine::ClientEndpoint::authority},
      {"path", &engine::ClientEndpoint::path},       {"ca", &engine::ClientEndpoint::ca_file},
      {"case", &engine::ClientEndpoint::case_id},
  };
  std::string out;
  std::size_t i = 0;
  while (i < command.size()) {
    const std::size_t open = command.find('{', i);
    if (open == std::string::npos) break;
    const std::size_t close = command.find('}', open);
    if (close == std::string::npos) break;
    out.append(command, i, open - i);
    const std::string name = command.substr(open + 1, close - open - 1);
    std::string value;
    bool known = name == "port";
    if (known) value = std::to_string(endpoint.port);
    for (const Placeholder& p : kFields) {
      if (name == p.name) {
        known = true;
        value = endpoint.*(p.field);
      }
    }
    if (known) {
      out += shell_quote(value);
      i = close + 1;
    } else {
      out += '{';  // not ours (e.g. a shell brace group): kept as written
      i = open + 1;
    }
  }
  out.append(command, i, std::string::npos);
  return out;
}

std::unique_ptr<engine::LaunchedClient> ExecLauncher::launch(const engine::ClientEndpoint& endpoint,
                                                            std::string* error) {
  const std::string command = substitute_placeholders(command_, endpoint);
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    *error = "pipe: " + std::string(std::strerror(errno));
    for (int* fd : {&out[0], &out[1], &err[0], &err[1]}) close_fd(*fd);
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  // Its own process group (so finish() can stop all of it), default signals, nothing blocked:
  // the run's own signal handling is not the client's.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close_fd(out[1]);
  close_fd(err[1]);
  if (rc != 0) {
    *error = "/bin/sh: " + std::string(std::strerror(rc));
    close_fd(out[0]);
    close_fd(err[0]);
    return nullptr;
  }
  ::fcntl(out[0], F_SETFL, ::fcntl(out[0], F_GETFL) | O_NONBLOCK);
  ::fcntl(err[0], F_SETFL, ::fcntl(err[0], F_GETFL) | O_NONBLOCK);
  {
    std::lock_guard<std::mutex> lock(live_->mutex);
    live_->groups.insert(pid);
  }
  return std::make_unique<ExecClient>(command, pid, out[0], err[0], live_);
}

void ExecLauncher::kill_running() {
  std::lock_guard<std::mutex> lock(live_->mutex);
  for (pid_t group : live_->groups) ::kill(-group, SIGKILL);
}

}  // namespace h2conform::cli
