#include "runner/cli/loopback_test_servers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace h2conform::cli::testing {

LoopbackSocket::LoopbackSocket(bool listening) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || (listening && listen(fd_, 64) != 0))
    return;
  port_ = ntohs(addr.sin_port);
}

void LoopbackSocket::close_now() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

GreetingServer::GreetingServer(std::string greeting) : greeting_(std::move(greeting)) {
  if (socket_.ok()) thread_ = std::thread([this] { serve(); });
}

GreetingServer::~GreetingServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  for (int fd : clients_) close(fd);
}

void GreetingServer::serve() {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (!stop_.load() && std::chrono::steady_clock::now() < end) {
    pollfd p{socket_.fd(), POLLIN, 0};
    if (poll(&p, 1, 20) <= 0) continue;
    const int client = accept4(socket_.fd(), nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    clients_.push_back(client);
    (void)!send(client, greeting_.data(), greeting_.size(), MSG_NOSIGNAL);
  }
}

}  // namespace h2conform::cli::testing
