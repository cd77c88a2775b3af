// `h2conform client --exec` against the real curl: h2conform plays the server per case, curl is
// run once per case, and its exit is judged by the case's client_exit. Skips without curl.
// Every wait is bounded (the binary's run, and curl by the case timeout).
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "reports/json_report.h"
#include "runner/cli/commands.h"
#include "runner/cli/subprocess_test_util.h"

namespace h2conform::cli {
namespace {

using namespace std::chrono_literals;

bool on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && ::access((std::filesystem::path(dir) / name).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// The server side of one exchange: the client's request, then our answer with `fields`.
std::string client_case(const std::string& slug, const std::string& client_exit, const std::string& fields) {
  return R"({"id": "rfc9113/8.2.1/)" + slug + R"(", "section": "RFC 9113 8.2.1", "level": "MUST",
    "requirements": [], "requirements_note": "a test case",
    "requirement": "Field names are lower case; a response with an upper-case one is malformed.",
    "action": "Answer the request with the fields )" + slug + R"(.",
    "role": "client", "client_exit": ")" + client_exit + R"(",
    "steps": [ {"handshake": {}}, {"expect": {"frame": {"type": "HEADERS"}}},
      {"send": {"type": "HEADERS", "stream": "$peer_stream", "fields": )" + fields + R"(}},
      {"send": {"type": "DATA", "stream": "$peer_stream", "data": "ok\n", "flags": ["END_STREAM"]}} ]})";
}

class CliClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!on_path("curl")) GTEST_SKIP() << "curl is not installed";
    dir_ = testing::fresh_temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    const std::string valid = R"([[":status", "200"], ["content-length", "3"]])";
    const std::string upper = R"([[":status", "200"], ["X-Upper", "1"], ["content-length", "3"]])";
    testing::write_file(dir_ / "cases" / "rfc9113" / "8.2.1-client.json",
                        "{\"cases\": [" + client_case("valid-response", "success", valid) + ",\n" +
                            client_case("uppercase-field-name", "failure", upper) + ",\n" +
                            client_case("uppercase-said-valid", "success", upper) + "]}");
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  testing::ProcessResult run(const std::vector<std::string>& more) {
    std::vector<std::string> args{testing::h2conform_binary(), "client", "--cases", (dir_ / "cases").string(),
                                  "--specs", testing::specs_dir(), "--color", "never"};
    args.insert(args.end(), more.begin(), more.end());
    if (std::find(more.begin(), more.end(), "-o") == more.end()) args.insert(args.end(), {"-o", "5"});
    testing::Subprocess p(args);
    return p.finish(60s);
  }

  engine::RunResult results() {
    engine::RunResult run;
    EXPECT_EQ(reports::read_json_report_file(dir_ / "out.json", &run), "");
    return run;
  }

  std::filesystem::path dir_;
};

const engine::CaseResult* find(const engine::RunResult& run, const std::string& slug) {
  for (const auto& c : run.cases) {
    if (c.id == "rfc9113/8.2.1/" + slug) return &c;
  }
  return nullptr;
}

// curl 7.88 (nghttp2 1.52) accepts the valid response and exits 0; it refuses the upper-case
// field name (nghttp2 resets the stream with PROTOCOL_ERROR) and exits 92.
TEST_F(CliClientTest, JudgesCurlOverCleartext) {
  const auto r = run({"rfc9113/8.2.1/valid-response", "rfc9113/8.2.1/uppercase-field-name", "--exec",
                      "curl -sS --http2-prior-knowledge {url}", "--json-report", (dir_ / "out.json").string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.out << r.err;
  const engine::RunResult run = results();
  EXPECT_EQ(run.settings.role, "client");
  const engine::CaseResult* valid = find(run, "valid-response");
  const engine::CaseResult* upper = find(run, "uppercase-field-name");
  ASSERT_NE(valid, nullptr);
  ASSERT_NE(upper, nullptr);
  EXPECT_EQ(valid->verdict, engine::Verdict::kPass) << valid->reason;
  ASSERT_TRUE(valid->client.has_value());
  EXPECT_EQ(valid->client->exit_status, 0);
  EXPECT_EQ(valid->client->stdout_bytes, 3u);  // "ok\n"
  EXPECT_NE(valid->client->command.find("--http2-prior-knowledge 'http://127.0.0.1:"), std::string::npos);
  EXPECT_EQ(upper->verdict, engine::Verdict::kPass) << upper->reason;
  ASSERT_TRUE(upper->client.has_value());
  EXPECT_TRUE(upper->client->exited);
  EXPECT_NE(upper->client->exit_status, 0) << upper->client->stderr_tail;
}

TEST_F(CliClientTest, FailsACaseWhoseClientExitIsWrong) {
  const auto r = run({"rfc9113/8.2.1/uppercase-said-valid", "--exec", "curl -sS --http2-prior-knowledge {url}",
                      "--json-report", (dir_ / "out.json").string()});
  EXPECT_EQ(r.exit_code, kExitFail) << r.out << r.err;
  EXPECT_NE(r.out.find("the client did not complete a valid exchange"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Client: curl -sS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| curl: "), std::string::npos) << "the stderr tail under the case\n" << r.out;
}

TEST_F(CliClientTest, JudgesCurlOverTlsWithTheRunsCertificate) {
  const auto r = run({"rfc9113/8.2.1/valid-response", "rfc9113/8.2.1/uppercase-field-name", "--tls", "--exec",
                      "curl -sS --http2 --cacert {ca} {url}", "--json-report", (dir_ / "out.json").string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.out << r.err;
  const engine::RunResult run = results();
  ASSERT_NE(find(run, "valid-response"), nullptr);
  EXPECT_EQ(find(run, "valid-response")->verdict, engine::Verdict::kPass) << find(run, "valid-response")->reason;
  EXPECT_EQ(find(run, "uppercase-field-name")->verdict, engine::Verdict::kPass);
  EXPECT_TRUE(run.settings.tls);
  // The certificate file is named on stdout and gone after the run.
  const std::string marker = "certificate is in ";
  const std::size_t at = r.out.find(marker);
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string path = r.out.substr(at + marker.size(), r.out.find(' ', at + marker.size()) - at - marker.size());
  EXPECT_NE(find(run, "valid-response")->client->command.find(path), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path)) << path;
}

TEST_F(CliClientTest, AClientThatNeverConnectsIsAHarnessError) {
  const auto r = run({"rfc9113/8.2.1/valid-response", "--exec", "echo nope >&2; exit 3"});
  EXPECT_EQ(r.exit_code, kExitHarness) << r.out << r.err;
  EXPECT_NE(r.out.find("the client never connected (it ended first)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("exited with status 3"), std::string::npos) << r.out;
  EXPECT_LT(r.seconds, 4.5) << "ended on the client's exit, not the 5 s timeout";
}

TEST_F(CliClientTest, AClientThatNeitherConnectsNorExitsIsStoppedAtTheTimeout) {
  const auto r = run({"rfc9113/8.2.1/valid-response", "--exec", "sleep 30", "-o", "0.5", "--connect-timeout", "1"});
  EXPECT_EQ(r.exit_code, kExitHarness) << r.out << r.err;
  EXPECT_NE(r.out.find("the client never connected (waited"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("did not exit before the deadline and was stopped"), std::string::npos) << r.out;
  EXPECT_GE(r.seconds, 1.0) << "the client has --connect-timeout to connect, even beyond -o";
  EXPECT_LT(r.seconds, 3.5) << "one connect timeout, then stopped at once";
}

TEST_F(CliClientTest, WithoutExecAnnouncesEachUrl) {
  const auto r = run({"rfc9113/8.2.1/valid-response", "-o", "0.2"});
  EXPECT_EQ(r.exit_code, kExitHarness) << r.out << r.err;  // nobody connected
  EXPECT_NE(r.out.find("Waiting for a client at http://127.0.0.1:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(rfc9113/8.2.1/valid-response)"), std::string::npos) << r.out;
}

TEST_F(CliClientTest, RefusesBadClientFlags) {
  EXPECT_EQ(run({"--listen", "nowhere"}).exit_code, kExitUsage);
  EXPECT_EQ(run({"--cert", "c.pem", "--key", "k.pem"}).exit_code, kExitUsage);  // without --tls
  EXPECT_EQ(run({"--tls", "--cert", "c.pem"}).exit_code, kExitUsage);          // without --key
  EXPECT_EQ(run({"-h", "example.test"}).exit_code, kExitUsage);                 // a server-run flag
}

}  // namespace
}  // namespace h2conform::cli
