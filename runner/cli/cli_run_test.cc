// The h2conform binary against loopback targets: a port nobody listens on, a socket that never
// answers, and a server that sends SETTINGS and then nothing. Every wait is bounded.
#include <signal.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <utility>

#include "reports/json_report.h"
#include "runner/cli/commands.h"
#include "runner/cli/loopback_test_servers.h"
#include "runner/cli/subprocess_test_util.h"

namespace h2conform::cli {
namespace {

using namespace std::chrono_literals;

using testing::LoopbackSocket;
using testing::GreetingServer;

class CliRunTest : public testing::SampleCatalogueTest {
 protected:
  // The binary, the sample catalogue, then `more`.
  std::vector<std::string> args(const std::vector<std::string>& more) const {
    std::vector<std::string> a = with_catalogue({testing::h2conform_binary()});
    a.insert(a.end(), more.begin(), more.end());
    return a;
  }
};

TEST_F(CliRunTest, UnreachableTargetIsAHarnessErrorWithinTheTimeout) {
  LoopbackSocket unused(false);  // bound, not listening: connections are refused
  ASSERT_TRUE(unused.ok());
  testing::Subprocess p(args({"-h", "127.0.0.1", "-p", unused.port(), "-o", "2"}));
  const auto r = p.finish(20s);
  EXPECT_EQ(r.exit_code, kExitHarness) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot connect to 127.0.0.1:" + unused.port()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("refused"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_LT(r.seconds, 2.5);
}

// Targets that do not speak HTTP/2: one line on stderr, exit 2, no case runs, and the reports
// still say why (so CI finds them).
struct NotHttp2Row {
  const char* name;
  std::string greeting;  // empty: a socket that never answers
  std::string finding;   // expected in the one line
};

class CliPreflightTest : public CliRunTest, public ::testing::WithParamInterface<NotHttp2Row> {
 protected:
  void SetUp() override { CliRunTest::SetUp(); }
  void TearDown() override { CliRunTest::TearDown(); }
};

TEST_P(CliPreflightTest, NotHttp2IsOneLineAndExit2) {
  const NotHttp2Row& row = GetParam();
  LoopbackSocket silent(true);
  GreetingServer greeter(row.greeting);
  const std::string port = row.greeting.empty() ? silent.port() : greeter.port();
  const auto json = dir_ / "r.json", xml = dir_ / "r.xml";
  testing::Subprocess p(args({"-p", port, "-o", "1", "--json-report", json.string(), "-j", xml.string()}));
  const auto r = p.finish(20s);
  EXPECT_EQ(r.exit_code, kExitHarness) << r.out << r.err;
  const std::string line = "h2conform: 127.0.0.1:" + port + " " + row.finding;
  EXPECT_EQ(r.err.substr(0, line.size()), line) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_LT(r.seconds, 3.0);
  engine::RunResult run;
  ASSERT_EQ(reports::read_json_report_file(json, &run), "");
  EXPECT_TRUE(run.cases.empty());
  EXPECT_EQ(run.harness_error, r.err.substr(std::string("h2conform: ").size(), r.err.size() - 12));
  EXPECT_NE(testing::read_file(xml).find("type=\"harness_error\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Targets, CliPreflightTest,
    ::testing::Values(
        NotHttp2Row{"Silent", "", "sent nothing within 1000 ms of the HTTP/2 connection preface"},
        NotHttp2Row{"Http1", "HTTP/1.0 501 Unsupported method ('PRI')\r\nServer: x\r\n\r\n",
                    "answered HTTP/1.0 501 Unsupported method ('PRI'), not HTTP/2 (prior knowledge); is it an h2c port?"},
        NotHttp2Row{"TlsAlert", std::string("\x15\x03\x01\x00\x02\x02\x46", 7),
                    "answered with a TLS alert record, not cleartext HTTP/2; is it a TLS port? (try -t)"},
        NotHttp2Row{"Garbage", "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
                    "answered with text (\"SSH-2.0-OpenSSH_...\"), not HTTP/2 (prior knowledge); is it an h2c port?"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST_F(CliRunTest, ReportPathsAreCheckedBeforeConnecting) {
  LoopbackSocket unused(false);
  const auto r = testing::Subprocess(args({"-p", unused.port(), "-j", (dir_ / "nosuch" / "j.xml").string()})).finish(20s);
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_EQ(r.err, "h2conform: --junit-report: " + (dir_ / "nosuch" / "j.xml").string() + ": the folder " +
                       (dir_ / "nosuch").string() + " does not exist\n");
}

TEST_F(CliRunTest, JsonReportToAStdoutLinkStreamsAndKeepsTheLink) {
  GreetingServer server;
  // A link to /dev/stdout, as CI scripts write it, without touching /dev/stdout itself.
  std::filesystem::create_symlink("/dev/stdout", dir_ / "out.json");
  const auto r = testing::Subprocess(args({"-p", server.port(), "-o", "0.2", "--json-report",
                                           (dir_ / "out.json").string()})).finish(30s);
  EXPECT_EQ(r.exit_code, kExitFail) << r.err;
  EXPECT_TRUE(std::filesystem::is_symlink(std::filesystem::symlink_status(dir_ / "out.json")));
  const auto brace = r.out.find("{\n");
  ASSERT_NE(brace, std::string::npos) << r.out;
  engine::RunResult run;
  testing::write_file(dir_ / "copy.json", r.out.substr(brace));
  ASSERT_EQ(reports::read_json_report_file(dir_ / "copy.json", &run), "");
  EXPECT_EQ(run.cases.size(), 3u);
}

TEST_F(CliRunTest, InterruptStopsTheRunAndWritesTheFinishedCases) {
  GreetingServer silent;
  ASSERT_TRUE(silent.ok());
  const auto json = dir_ / "results.json";
  const auto xml = dir_ / "results.xml";
  testing::Subprocess p(args({"-p", silent.port(), "-o", "2", "--parallel", "1", "--json-report", json.string(),
                              "-j", xml.string()}));
  // The first case (in catalogue order) ends when its timeout passes; the engine then starts the next.
  ASSERT_TRUE(p.wait_for_stdout("rfc9113/3.4/alpha", 15s));
  const auto signalled = std::chrono::steady_clock::now();
  p.send_signal(SIGINT);
  const auto r = p.finish(15s);
  const double after_signal = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  EXPECT_EQ(r.exit_code, kExitInterrupted) << r.out << r.err;
  EXPECT_LT(after_signal, 2.0 + 1.5) << "the run must end within the per-case timeout";
  engine::RunResult run;
  ASSERT_EQ(reports::read_json_report_file(json, &run), "");
  EXPECT_TRUE(run.interrupted);
  ASSERT_GE(run.cases.size(), 1u);
  EXPECT_LT(run.cases.size(), 3u);
  EXPECT_EQ(run.cases[0].id, "rfc9113/3.4/alpha");
  EXPECT_NE(testing::read_file(xml).find("name=\"rfc9113/3.4/alpha\""), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "results.json.tmp"));
  EXPECT_NE(r.out.find("Interrupted"), std::string::npos) << r.out;
}

// Three cases against a server that sends SETTINGS and then nothing, all running at once: "late" gives up after 100 ms and
// "fast" after 600 ms (so "late" has finished when "fast" is printed), "slow" waits for the
// whole -o 10. The first Ctrl-C says what the run waits for; the
// second gives up on "slow" at once and still writes every report, with "late" (which finished
// behind "slow") in it.
TEST_F(CliRunTest, SecondInterruptExitsAtOnceWithTheReportsOfTheFinishedCases) {
  GreetingServer silent;
  ASSERT_TRUE(silent.ok());
  const auto cases = dir_ / "abort-cases";
  const char* kCase = R"({ "id": "rfc9113/3.4/%s", "section": "RFC 9113 3.4", "level": "MUST",
    "requirements": ["9113-3.3-2"], "requirement": "The server sends a connection preface.",
    "action": "Handshake.", "role": "server", %s "steps": [ { "handshake": {} } ] })";
  for (auto [name, extra] : {std::pair{"a-fast", "\"timeout_ms\": 600,"}, std::pair{"b-slow", ""},
                             std::pair{"c-late", "\"timeout_ms\": 100,"}}) {
    char text[1024];
    std::snprintf(text, sizeof text, kCase, name, extra);
    testing::write_file(cases / "rfc9113" / (std::string(name) + ".json"), text);
  }
  const auto json = dir_ / "results.json";
  const auto xml = dir_ / "results.xml";
  testing::Subprocess p({testing::h2conform_binary(), "--cases", cases.string(), "--specs", testing::specs_dir(),
                         "-p", silent.port(), "-o", "10", "--parallel", "3", "--json-report", json.string(), "-j",
                         xml.string()});
  ASSERT_TRUE(p.wait_for_stdout("rfc9113/3.4/a-fast", 8s));
  p.send_signal(SIGINT);
  ASSERT_TRUE(p.wait_for_stderr("h2conform: stopping: waiting for 1 running case (Ctrl-C again to abort)\n", 5s))
      << p.finish(1s).err;
  const auto signalled = std::chrono::steady_clock::now();
  p.send_signal(SIGINT);
  const auto r = p.finish(8s);
  const double after_signal = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  EXPECT_EQ(r.exit_code, kExitInterrupted) << r.out << r.err;
  EXPECT_LT(after_signal, 1.0) << "the second signal does not wait for the running case";
  engine::RunResult run;
  ASSERT_EQ(reports::read_json_report_file(json, &run), "") << r.out << r.err;
  EXPECT_TRUE(run.interrupted);
  ASSERT_EQ(run.cases.size(), 2u) << r.out;
  EXPECT_EQ(run.cases[0].id, "rfc9113/3.4/a-fast");
  EXPECT_EQ(run.cases[1].id, "rfc9113/3.4/c-late");
  const std::string junit = testing::read_file(xml);
  EXPECT_NE(junit.find("<property name=\"h2conform.interrupted\" value=\"true\"/>"), std::string::npos) << junit;
  EXPECT_NE(junit.find("name=\"rfc9113/3.4/c-late\""), std::string::npos) << junit;
  EXPECT_EQ(junit.find("b-slow"), std::string::npos) << junit;
  EXPECT_LT(r.out.find("rfc9113/3.4/a-fast"), r.out.find("rfc9113/3.4/c-late")) << r.out;
  EXPECT_NE(r.out.find("Aborted: 1 running case left unfinished"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Interrupted"), std::string::npos) << r.out;
}

TEST_F(CliRunTest, CleartextTargetsAreH2cAndReportCanRenameThem) {
  GreetingServer silent;
  ASSERT_TRUE(silent.ok());
  const auto json = dir_ / "results.json";
  const auto ran = testing::Subprocess(args({"-p", silent.port(), "-o", "0.2", "--json-report", json.string()}))
                       .finish(30s);
  ASSERT_FALSE(ran.timed_out);
  engine::RunResult run;
  ASSERT_EQ(reports::read_json_report_file(json, &run), "");
  EXPECT_EQ(run.target, "127.0.0.1:" + silent.port() + " (h2c)");
  const auto xml = dir_ / "renamed.xml";
  const auto r = testing::run_h2conform({"report", json.string(), "--target-name", "nginx 1.22", "--junit", xml.string()});
  EXPECT_EQ(r.err, "");
  EXPECT_NE(testing::read_file(xml).find("<testsuites name=\"h2conform nginx 1.22\""), std::string::npos);
}

TEST_F(CliRunTest, ReportFromJsonReproducesTheTerminalOutput) {
  GreetingServer silent;
  ASSERT_TRUE(silent.ok());
  const auto json = dir_ / "results.json";
  testing::Subprocess p(args({"-p", silent.port(), "-o", "0.3", "--parallel", "1", "--json-report", json.string()}));
  const auto ran = p.finish(30s);
  ASSERT_FALSE(ran.timed_out);
  EXPECT_NE(ran.exit_code, kExitPass) << "a silent server passes nothing";
  engine::RunResult run;
  ASSERT_EQ(reports::read_json_report_file(json, &run), "");
  EXPECT_EQ(run.cases.size(), 3u);
  EXPECT_EQ(run.settings.port, std::stoi(silent.port()));
  const auto again = testing::run_h2conform({"report", json.string()});
  EXPECT_EQ(again.exit_code, ran.exit_code);
  EXPECT_EQ(again.out, ran.out);
}

TEST_F(CliRunTest, BaselineFailsOnlyOnRegressions) {
  GreetingServer silent;
  ASSERT_TRUE(silent.ok());
  const auto json = dir_ / "before.json";
  auto first = testing::Subprocess(args({"-p", silent.port(), "-o", "0.2", "--json-report", json.string()})).finish(30s);
  ASSERT_FALSE(first.timed_out);
  ASSERT_EQ(first.exit_code, kExitFail) << first.err;

  // The same failures as the baseline: nothing regressed, and the reports say why.
  const auto xml = dir_ / "junit.xml", html = dir_ / "report.html";
  auto same = testing::Subprocess(args({"-p", silent.port(), "-o", "0.2", "--baseline", json.string(), "-j",
                                        xml.string(), "--html-report", html.string()}))
                  .finish(30s);
  ASSERT_FALSE(same.timed_out);
  EXPECT_EQ(same.exit_code, kExitPass) << same.out << same.err;
  EXPECT_NE(same.out.find("0 regressions"), std::string::npos) << same.out;
  EXPECT_NE(same.out.find("[known failure]"), std::string::npos) << same.out;
  EXPECT_EQ(same.out.find("[regression]"), std::string::npos) << same.out;
  const std::string junit = testing::read_file(xml);
  EXPECT_EQ(junit.find("<failure"), std::string::npos) << junit;
  EXPECT_NE(junit.find("type=\"known_failure\""), std::string::npos) << junit;
  const std::string page = testing::read_file(html);
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>")) << page.substr(0, 100);
  EXPECT_NE(page.find("rfc7541/2.1/gamma"), std::string::npos);

  // An empty known-failures list: every failing case is a regression.
  const auto known = dir_ / "known-failures.txt";
  testing::write_file(known, "# nothing is known to fail\n");
  auto none = testing::Subprocess(args({"-p", silent.port(), "-o", "0.2", "--baseline", known.string()})).finish(30s);
  ASSERT_FALSE(none.timed_out);
  EXPECT_EQ(none.exit_code, kExitFail) << none.out;
  EXPECT_NE(none.out.find("[regression]"), std::string::npos) << none.out;

  auto missing =
      testing::Subprocess(args({"-p", silent.port(), "--baseline", (dir_ / "nope.txt").string()})).finish(30s);
  EXPECT_EQ(missing.exit_code, kExitHarness);
  EXPECT_NE(missing.err.find("--baseline"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace h2conform::cli
