#include "tests/peers/peer_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "runner/transport/transport.h"

extern char** environ;

namespace h2conform::peers {
namespace {

using Clock = std::chrono::steady_clock;

bool can_connect(std::uint16_t port) {
  transport::ConnectError error;
  auto deadline = Clock::now() + std::chrono::milliseconds(200);
  auto connection = transport::connect_tcp({"127.0.0.1", port}, deadline, &error);
  if (!connection) return false;
  connection->close();
  return true;
}

}  // namespace

std::uint16_t pick_free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

PeerProcess::PeerProcess(std::filesystem::path recipe, std::string mode,
                         std::filesystem::path workdir)
    : recipe_(std::move(recipe)), mode_(std::move(mode)), workdir_(std::move(workdir)) {}

PeerProcess::~PeerProcess() { stop(); }

bool PeerProcess::start(std::chrono::milliseconds ready_within, std::string* error) {
  std::filesystem::create_directories(workdir_);
  port_ = pick_free_port();
  if (port_ == 0) {
    *error = "no free loopback port";
    return false;
  }
  std::string port_text = std::to_string(port_);
  std::string err_path = (workdir_ / "stderr.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::string bash = "/bin/bash";
  std::string recipe = recipe_.string();
  std::string dir = workdir_.string();
  std::array<char*, 6> argv{bash.data(), recipe.data(), port_text.data(), mode_.data(),
                            dir.data(), nullptr};
  int rc = posix_spawn(&pid_, bash.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    *error = "cannot start " + recipe;
    return false;
  }
  auto deadline = Clock::now() + ready_within;
  auto pause = std::chrono::milliseconds(10);
  while (Clock::now() < deadline) {
    if (!running()) {
      *error = recipe + " exited before it listened: " + stderr_text();
      return false;
    }
    if (can_connect(port_)) return true;
    // Poll with a short, growing pause; the loop ends on a connect or the deadline.
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(100));
  }
  *error = recipe + " did not accept connections on port " + port_text + " within " +
           std::to_string(ready_within.count()) + " ms: " + stderr_text();
  stop();
  return false;
}

bool PeerProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    if (WIFEXITED(status)) exit_code_ = WEXITSTATUS(status);
    return false;
  }
  return r == 0;
}

void PeerProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  auto deadline = Clock::now() + grace;
  auto pause = std::chrono::milliseconds(5);
  while (Clock::now() < deadline) {
    if (!running()) return;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(100));
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);  // SIGKILL cannot be ignored: this returns promptly
  pid_ = -1;
}

std::string PeerProcess::stderr_text() const {
  std::ifstream in(workdir_ / "stderr.log");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > 2000) text = text.substr(text.size() - 2000);
  return text;
}

std::string capture_output(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  std::string out;
  std::array<char, 256> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) out += buf.data();
  ::pclose(pipe);
  return out;
}

}  // namespace h2conform::peers
