// Our TLS client against a real external peer: `openssl s_server -rev` (echoes lines reversed),
// started on a free loopback port, ready once it prints ACCEPT, always killed at the end.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <vector>

#include "runner/transport/test_support.h"
#include "runner/transport/tls_cert.h"

extern char** environ;

namespace h2conform::transport {
namespace {

using testing::in_ms;
using testing::receive_text;
using testing::send_text;
using testing::TempFile;

std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

// A child process with its stdout and stderr on one pipe; killed and reaped on destruction.
class Child {
 public:
  Child(const std::vector<std::string>& argv) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    out_ = out[0];
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Reads output until it contains `marker`, the child exits, or the deadline passes.
  bool wait_for_output(const std::string& marker, Deadline deadline) {
    while (output_.find(marker) == std::string::npos) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      pollfd p{out_, POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) != 1) return false;
      char buf[512];
      const ssize_t n = ::read(out_, buf, sizeof buf);
      if (n <= 0) return false;
      output_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string output_;
};

class OpenSslServer : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = find_on_path("openssl");
    if (binary_.empty()) GTEST_SKIP() << "the openssl binary is not installed";
    std::string why;
    ASSERT_TRUE(detail::make_self_signed(&pair_, &why)) << why;
    cert_ = std::make_unique<TempFile>(detail::certificate_to_pem(pair_.cert.get()));
    key_ = std::make_unique<TempFile>(detail::private_key_to_pem(pair_.key.get()));
  }

  // Starts s_server on a port that was free a moment ago; true once it accepts.
  bool start(const std::vector<std::string>& extra) {
    ConnectError error;
    auto probe = listen({"127.0.0.1", 0}, nullptr, &error);
    if (!probe) return false;
    port_ = probe->port();
    probe->close();
    std::vector<std::string> argv = {
        binary_, "s_server",    "-accept", "127.0.0.1:" + std::to_string(port_),
        "-cert", cert_->path(), "-key",    key_->path(),
        "-alpn", "h2",          "-rev"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    server_ = std::make_unique<Child>(argv);
    return server_->wait_for_output("ACCEPT", in_ms(10000));
  }

  std::unique_ptr<Connection> connect(const TlsClientOptions& options, std::string* error) {
    ConnectError e;
    auto conn = connect_tls({"127.0.0.1", port_}, options, in_ms(5000), &e);
    *error = e.message;
    return conn;
  }

  TlsClientOptions trusting() const {
    TlsClientOptions o;
    o.ca_file = cert_->path();
    return o;
  }

  std::string binary_;
  detail::SelfSigned pair_;
  std::unique_ptr<TempFile> cert_, key_;
  std::unique_ptr<Child> server_;
  std::uint16_t port_ = 0;
};

TEST_F(OpenSslServer, NegotiatesH2VerifiesCertificateAndEchoes) {
  ASSERT_TRUE(start({})) << server_->output();
  std::string error;
  auto conn = connect(trusting(), &error);
  ASSERT_NE(conn, nullptr) << error;
  EXPECT_EQ(conn->alpn(), "h2");
  EXPECT_EQ(conn->describe(), "tls 127.0.0.1:" + std::to_string(port_) + " TLSv1.3 alpn=h2");
  ASSERT_TRUE(send_text(*conn, "hello\n", in_ms(5000)));
  EXPECT_EQ(receive_text(*conn, 6, in_ms(5000)), "olleh\n");
}

TEST_F(OpenSslServer, VerifyWithoutTrustFailsClearly) {
  ASSERT_TRUE(start({})) << server_->output();
  std::string error;
  EXPECT_EQ(connect(TlsClientOptions{}, &error), nullptr);
  EXPECT_NE(error.find("certificate verify failed: self-signed certificate"), std::string::npos)
      << error;
}

TEST_F(OpenSslServer, CipherListRestrictsTls12Suites) {
  ASSERT_TRUE(start({"-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"})) << server_->output();
  TlsClientOptions options = trusting();
  options.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
  std::string error;
  EXPECT_EQ(connect(options, &error), nullptr);
  EXPECT_NE(error.find("TLS alert from peer: handshake failure"), std::string::npos) << error;

  options.ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384";
  auto conn = connect(options, &error);
  ASSERT_NE(conn, nullptr) << error;
  EXPECT_NE(conn->describe().find(" TLSv1.2 alpn=h2"), std::string::npos) << conn->describe();
}

}  // namespace
}  // namespace h2conform::transport
