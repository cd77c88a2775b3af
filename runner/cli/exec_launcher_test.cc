// The --exec launcher against /bin/sh: exit status, signals, the deadline, stdout counted,
// stderr's tail bounded, placeholders quoted. Every wait is bounded by finish()'s deadline.
#include "runner/cli/exec_launcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>

namespace h2conform::cli {
namespace {

using namespace std::chrono_literals;

engine::ClientEndpoint endpoint() {
  engine::ClientEndpoint e;
  e.scheme = "https";
  e.host = "127.0.0.1";
  e.port = 8443;
  e.path = "/a b";
  e.authority = "127.0.0.1:8443";
  e.url = "https://127.0.0.1:8443/a b";
  e.ca_file = "ca.pem";
  e.case_id = "rfc9113/8.2.1/it's";
  return e;
}

engine::ClientProcess run(const std::string& command, std::chrono::milliseconds budget = 10s) {
  ExecLauncher launcher(command);
  std::string error;
  auto client = launcher.launch(endpoint(), &error);
  EXPECT_NE(client, nullptr) << error;
  if (!client) return {};
  return client->finish(transport::Clock::now() + budget);
}

struct PlaceholderRow {
  const char* name;
  const char* command;
  const char* expected;
};

class Placeholders : public ::testing::TestWithParam<PlaceholderRow> {};

TEST_P(Placeholders, AreReplacedByQuotedValues) {
  EXPECT_EQ(substitute_placeholders(GetParam().command, endpoint()), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, Placeholders,
    ::testing::Values(PlaceholderRow{"url", "curl {url}", "curl 'https://127.0.0.1:8443/a b'"},
                      PlaceholderRow{"port", "x {host}:{port}", "x '127.0.0.1':'8443'"},
                      PlaceholderRow{"all", "{scheme} {authority} {path} {ca}",
                                     "'https' '127.0.0.1:8443' '/a b' 'ca.pem'"},
                      PlaceholderRow{"quoteInValue", "echo {case}", "echo 'rfc9113/8.2.1/it'\\''s'"},
                      PlaceholderRow{"unknownKept", "{ echo {nope}; }", "{ echo {nope}; }"},
                      PlaceholderRow{"unclosed", "echo {url", "echo {url"}),
    [](const ::testing::TestParamInfo<PlaceholderRow>& p) { return std::string(p.param.name); });

TEST(ExecLauncher, RecordsTheExitStatus) {
  engine::ClientProcess p = run("exit 3");
  EXPECT_TRUE(p.started);
  EXPECT_TRUE(p.exited);
  EXPECT_EQ(p.exit_status, 3);
  EXPECT_FALSE(p.killed);
  EXPECT_EQ(p.command, "exit 3");
}

TEST(ExecLauncher, RecordsTheSignalThatEndedIt) {
  engine::ClientProcess p = run("kill -SEGV $$");
  EXPECT_FALSE(p.exited);
  EXPECT_EQ(p.signal, SIGSEGV);
  EXPECT_FALSE(p.killed);
}

TEST(ExecLauncher, StopsAClientAtTheDeadline) {
  const auto start = std::chrono::steady_clock::now();
  engine::ClientProcess p = run("sleep 30", 100ms);
  EXPECT_TRUE(p.killed);
  EXPECT_FALSE(p.exited);
  EXPECT_EQ(p.signal, SIGTERM);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(ExecLauncher, KillsAClientThatIgnoresSigterm) {
  const auto start = std::chrono::steady_clock::now();
  engine::ClientProcess p = run("trap '' TERM; while :; do :; done", 100ms);
  EXPECT_TRUE(p.killed);
  EXPECT_EQ(p.signal, SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(ExecLauncher, DoesNotWaitForWhatTheClientLeftBehind) {
  const auto start = std::chrono::steady_clock::now();
  engine::ClientProcess p = run("sleep 30 & exit 0");
  EXPECT_TRUE(p.exited);
  EXPECT_EQ(p.exit_status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(ExecLauncher, CountsStdout) {
  engine::ClientProcess p = run("head -c 100000 /dev/zero");
  EXPECT_EQ(p.exit_status, 0);
  EXPECT_EQ(p.stdout_bytes, 100000u);
  EXPECT_EQ(p.stderr_tail, "");
}

TEST(ExecLauncher, KeepsOnlyTheTailOfStderr) {
  engine::ClientProcess p = run("head -c 5000 /dev/zero | tr '\\0' a >&2; printf END >&2");
  EXPECT_EQ(p.stderr_tail.size(), kStderrTail);
  EXPECT_EQ(p.stderr_tail.substr(p.stderr_tail.size() - 4), "aEND");
}

TEST(ExecLauncher, PassesValuesThroughTheShellUnchanged) {
  engine::ClientProcess p = run("printf '%s|%s' {case} {url} >&2");
  EXPECT_EQ(p.stderr_tail, "rfc9113/8.2.1/it's|https://127.0.0.1:8443/a b");
}

TEST(ExecLauncher, StdinIsEmpty) {
  engine::ClientProcess p = run("wc -c >&2");
  EXPECT_EQ(p.stderr_tail, "0\n");
}

TEST(ExecLauncher, KillsEveryRunningClientOnAbort) {
  ExecLauncher launcher("sleep 30");
  std::string error;
  auto client = launcher.launch(endpoint(), &error);
  ASSERT_NE(client, nullptr) << error;
  launcher.kill_running();
  engine::ClientProcess p = client->finish(transport::Clock::now() + 10s);
  EXPECT_EQ(p.signal, SIGKILL);
  EXPECT_FALSE(p.killed);  // it ended before its deadline: by kill_running, not by finish()
}

TEST(ExecLauncher, SaysWhenTheClientHasEnded) {
  ExecLauncher launcher("exit 0");
  std::string error;
  auto client = launcher.launch(endpoint(), &error);
  ASSERT_NE(client, nullptr) << error;
  engine::ClientProcess p = client->finish(transport::Clock::now() + 10s);
  EXPECT_TRUE(client->ended());
  EXPECT_TRUE(p.exited);
}

}  // namespace
}  // namespace h2conform::cli
