// Client testing with an in-process fake client: a thread that dials the case's loopback
// listener over TCP, sends the preface and SETTINGS, acknowledges ours and reads until the
// engine closes; or one that never connects. Every wait ends on evidence or a deadline.
#include "runner/engine/run/client_runner.h"
#include "runner/engine/verdict/outcomes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "runner/engine/case/loader.h"
#include "runner/engine/case/script.h"
#include "runner/engine/script/engine_test_util.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {
namespace {

using namespace std::chrono_literals;

// kSpeaks: preface, SETTINGS, acknowledges ours, reads until the engine closes. kLeaves: the
// same, then a GET on stream 1, and a plain close once the response's END_STREAM arrives (a
// client program that got its answer and exits).
// kLeavesWithGoaway: the same, with GOAWAY NO_ERROR before the close. kResets: the same GET,
// then RST_STREAM PROTOCOL_ERROR on the response's HEADERS. Every one answers PINGs.
enum class Behaviour { kSpeaks, kSilentExits, kLeaves, kLeavesWithGoaway, kResets };

// One fake client: its thread ends when the engine closes the connection, the deadline passes,
// or at once (kSilentExits); then it "exits" with the given status.
class FakeClient final : public LaunchedClient {
 public:
  FakeClient(const ClientEndpoint& endpoint, Behaviour behaviour, int exit_status)
      : exit_status_(exit_status) {
    thread_ = std::thread([this, endpoint, behaviour] {
      if (behaviour != Behaviour::kSilentExits) speak(endpoint, behaviour);
      ended_.store(true);
    });
  }
  ~FakeClient() override {
    if (thread_.joinable()) thread_.join();
  }
  ClientProcess finish(transport::Deadline deadline) override {
    (void)deadline;  // the thread's reads are bounded by their own deadline
    thread_.join();
    ClientProcess p;
    p.command = "fake";
    p.started = true;
    p.exited = true;
    p.exit_status = exit_status_;
    p.stderr_tail = "fake: done\n";
    return p;
  }
  bool ended() override { return ended_.load(); }

 private:
  static void speak(const ClientEndpoint& endpoint, Behaviour behaviour) {
    const bool leaves = behaviour == Behaviour::kLeaves || behaviour == Behaviour::kLeavesWithGoaway ||
                        behaviour == Behaviour::kResets;
    const auto deadline = transport::Clock::now() + 5s;
    transport::ConnectError error;
    auto conn = transport::connect_tcp({endpoint.host, endpoint.port}, deadline, &error);
    if (!conn) return;
    const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    wire::Bytes out(preface.begin(), preface.end());
    const wire::Bytes s = testing::settings();
    out.insert(out.end(), s.begin(), s.end());
    if (leaves) {  // GET http://a/ on stream 1: HPACK static entries and a literal :authority
      const wire::Bytes get = {0, 0, 6, 0x1, 0x5, 0, 0, 0, 1, 0x82, 0x86, 0x84, 0x41, 0x01, 'a'};
      out.insert(out.end(), get.begin(), get.end());
    }
    if (!conn->write_all(out, deadline).ok()) return;
    wire::FrameReader reader;
    std::uint8_t buf[4096];
    for (;;) {
      transport::IoResult r = conn->read_some(buf, deadline);
      if (!r.ok()) return;  // the engine closed: the exchange is over
      reader.feed({buf, r.n});
      for (wire::DecodeResult f = reader.next(); f.status == wire::DecodeStatus::kComplete; f = reader.next()) {
        const bool settings = f.frame.header.type == 0x4 && (f.frame.header.flags & wire::flags::kAck) == 0;
        if (settings && !conn->write_all(testing::settings_ack(), deadline).ok()) return;
        const bool ping = f.frame.header.type == 0x6 && (f.frame.header.flags & wire::flags::kAck) == 0;
        if (ping) {
          wire::Bytes ack = {0, 0, 8, 0x6, wire::flags::kAck, 0, 0, 0, 0};
          const auto& opaque = std::get<wire::PingFrame>(f.frame.payload).opaque;
          ack.insert(ack.end(), opaque.begin(), opaque.end());
          if (!conn->write_all(ack, deadline).ok()) return;
        }
        if (behaviour == Behaviour::kResets && f.frame.header.type == 0x1 && f.frame.header.stream_id == 1) {
          const wire::Bytes rst = {0, 0, 4, 0x3, 0, 0, 0, 0, 1, 0, 0, 0, 1};  // PROTOCOL_ERROR
          if (!conn->write_all(rst, deadline).ok()) return;
        }
        if (leaves && f.frame.header.stream_id == 1 && (f.frame.header.flags & wire::flags::kEndStream) != 0) {
          if (behaviour == Behaviour::kLeavesWithGoaway) {  // GOAWAY last-stream-id 0, NO_ERROR
            conn->write_all(wire::Bytes{0, 0, 8, 0x7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, deadline);
          }
          conn->close();
          return;
        }
      }
    }
  }

  int exit_status_;
  std::atomic<bool> ended_{false};
  std::thread thread_;
};

class FakeLauncher final : public ClientLauncher {
 public:
  Behaviour behaviour = Behaviour::kSpeaks;
  int exit_status = 0;
  bool refuse = false;
  std::mutex mutex;
  std::vector<ClientEndpoint> endpoints;

  std::unique_ptr<LaunchedClient> launch(const ClientEndpoint& endpoint, std::string* error) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      endpoints.push_back(endpoint);
    }
    if (refuse) {
      *error = "no such program";
      return nullptr;
    }
    return std::make_unique<FakeClient>(endpoint, behaviour, exit_status);
  }
};

Case client_case(const std::string& id, const std::string& client_exit, const std::string& steps = R"([{"handshake": {}}])") {
  std::string text = R"({"id": ")" + id + R"(", "section": "RFC 9113 8.2.1", "level": "MUST",
    "requirements": [], "requirements_note": "test", "requirement": "field names are lower case",
    "action": "answer with an upper-case field name", "role": "client", )" +
                     (client_exit.empty() ? std::string() : R"("client_exit": ")" + client_exit + R"(", )") +
                     R"("steps": )" + steps + "}";
  return load_case_text(text, "test.json", RequirementTable{}).at(0);
}

RunOptions quick_options() {
  RunOptions options;
  options.timeout = 2000ms;
  options.parallel = 1;
  return options;
}

ClientCaseSetup setup_with(ClientLauncher* launcher) {
  ClientCaseSetup setup;
  setup.launcher = launcher;
  setup.path = "/conformance";
  return setup;
}

TEST(ClientRunner, PassesWhenTheClientCompletesTheHandshake) {
  FakeLauncher launcher;
  Case c = client_case("rfc9113/8.2.1/pass", "success");
  CaseResult r = run_client_case(c, setup_with(&launcher), Target{}, quick_options());
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason;
  ASSERT_TRUE(r.client.has_value());
  EXPECT_EQ(r.client->exit_status, 0);
  ASSERT_EQ(launcher.endpoints.size(), 1u);
  const ClientEndpoint& e = launcher.endpoints[0];
  EXPECT_EQ(e.scheme, "http");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_NE(e.port, 0);
  EXPECT_EQ(e.url, "http://127.0.0.1:" + std::to_string(e.port) + "/conformance");
  EXPECT_EQ(e.case_id, "rfc9113/8.2.1/pass");
}

struct ExitRow {
  const char* name;
  const char* rule;
  int exit_status;
  Verdict verdict;
  const char* reason_part;  // "" for a pass
};

class ClientExitJudging : public ::testing::TestWithParam<ExitRow> {};

TEST_P(ClientExitJudging, JudgesTheClientsExit) {
  const ExitRow& row = GetParam();
  FakeLauncher launcher;
  launcher.exit_status = row.exit_status;
  Case c = client_case("rfc9113/8.2.1/exit", row.rule);
  CaseResult r = run_client_case(c, setup_with(&launcher), Target{}, quick_options());
  EXPECT_EQ(r.verdict, row.verdict) << r.reason;
  EXPECT_NE(r.reason.find(row.reason_part), std::string::npos) << r.reason;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ClientExitJudging,
    ::testing::Values(
        ExitRow{"failureRuleExitZeroFails", "failure", 0, Verdict::kFail, "the client exited 0, accepting a malformed response"},
        ExitRow{"failureRuleQuotesTheSentence", "failure", 0, Verdict::kFail,
                "RFC 9113 §8.1.1: \"Clients MUST NOT accept a malformed response.\""},
        ExitRow{"failureRuleNonZeroPasses", "failure", 56, Verdict::kPass, ""},
        ExitRow{"successRuleNonZeroFails", "success", 56, Verdict::kFail, "did not complete a valid exchange: it exited with status 56 (its stderr: fake: done)"},
        ExitRow{"successRuleZeroPasses", "success", 0, Verdict::kPass, ""},
        ExitRow{"anyRuleIsNotJudged", "", 3, Verdict::kPass, ""}),
    [](const ::testing::TestParamInfo<ExitRow>& p) { return std::string(p.param.name); });

// A client that leaves once its response is complete (RFC 9113 §9.1) is not judged on a stream
// error it did not send (skip), but exiting 0 after a malformed response is acceptance
// (client_exit "failure"), which leaving does not excuse. A plain close right after the frame
// that ended its request may be its answer to that frame: a close, non_strict.
TEST(ClientRunner, AClientThatLeavesIsJudgedByItsExit) {
  const std::string malformed = R"([{"handshake": {}}, {"expect": {"frame": {"type": "HEADERS"}}},
    {"send": {"type": "HEADERS", "stream": 1, "flags": ["END_STREAM", "END_HEADERS"],
              "fields": [[":status", "200"], ["X-Upper", "v"]], "encoding": {"huffman": "never", "indexing": "without"}}},
    {"expect": {"stream_error": {"codes": ["PROTOCOL_ERROR"], "stream": 1}}}])";
  struct Row {
    Behaviour behaviour;
    int status;
    Verdict verdict;
    const char* reason;
  };
  for (const Row& row : {Row{Behaviour::kLeavesWithGoaway, 0, Verdict::kFail, "the client exited 0, accepting a malformed response"},
                         Row{Behaviour::kLeavesWithGoaway, 1, Verdict::kSkip, kClientLeftReason.data()},
                         Row{Behaviour::kLeaves, 0, Verdict::kFail, "the client exited 0, accepting a malformed response"},
                         Row{Behaviour::kLeaves, 1, Verdict::kNonStrict, "a close without GOAWAY or RST_STREAM"}}) {
    FakeLauncher launcher;
    launcher.behaviour = row.behaviour;
    launcher.exit_status = row.status;
    CaseResult r = run_client_case(client_case("rfc9113/8.2.1/leaves", "failure", malformed), setup_with(&launcher),
                                   Target{}, quick_options());
    EXPECT_EQ(r.verdict, row.verdict) << r.reason;
    EXPECT_NE(r.reason.find(row.reason), std::string::npos) << r.reason;
  }
}

// A client that neither resets a malformed response nor gives up waits for the rest of it.
// When its exit judges the case, the engine ends the response once the client has answered
// PINGs sent after it, and the exit decides at once; a client that resets passes, and no
// DATA follows its reset. Without an exit rule the deadline judges, as before.
TEST(ClientRunner, AResponseLeftOpenIsEndedSoThatTheExitDecides) {
  const std::string open_malformed = R"([{"handshake": {}}, {"expect": {"frame": {"type": "HEADERS"}}},
    {"send": {"type": "HEADERS", "stream": 1, "fields": [[":status", "200"], ["x-value", " ab"]],
              "encoding": {"huffman": "never", "indexing": "without"}}},
    {"expect": {"stream_error": {"codes": ["PROTOCOL_ERROR"], "stream": 1}}}])";
  struct Row {
    Behaviour behaviour;
    const char* client_exit;
    int status;
    Verdict verdict;
    const char* reason;
    bool ended;  // our DATA with END_STREAM went out
  };
  for (const Row& row : {Row{Behaviour::kLeaves, "failure", 0, Verdict::kFail, "the client exited 0, accepting", true},
                         Row{Behaviour::kLeaves, "failure", 1, Verdict::kNonStrict, "a close without GOAWAY or RST_STREAM", true},
                         Row{Behaviour::kResets, "failure", 1, Verdict::kPass, "RST_STREAM with PROTOCOL_ERROR", false},
                         Row{Behaviour::kLeaves, "", 0, Verdict::kFail, "within 400 ms", false}}) {
    FakeLauncher launcher;
    launcher.behaviour = row.behaviour;
    launcher.exit_status = row.status;
    RunOptions options = quick_options();
    options.timeout = 400ms;
    const auto start = std::chrono::steady_clock::now();
    CaseResult r = run_client_case(client_case("rfc9113/8.2.1/open", row.client_exit, open_malformed),
                                   setup_with(&launcher), Target{}, options);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.verdict, row.verdict) << r.reason;
    EXPECT_NE(r.reason.find(row.reason), std::string::npos) << r.reason;
    bool ended = false;
    for (const auto& line : r.transcript) {
      ended |= line.direction == Direction::kSent && line.frame_type == "DATA" && line.flags.find("END_STREAM") != std::string::npos;
    }
    EXPECT_EQ(ended, row.ended) << r.reason;
    if (row.ended) {
      EXPECT_LT(took, 400ms) << "the exit decided, not the deadline";
    }
  }
}

// A plain close once the request was over before the stimulus (DATA after the response's
// END_STREAM) is the client leaving: skip.
TEST(ClientRunner, APlainCloseAfterTheRequestWasOverIsLeaving) {
  const std::string steps = R"([{"handshake": {}}, {"expect": {"frame": {"type": "HEADERS"}}},
    {"send": {"type": "HEADERS", "stream": 1, "flags": ["END_STREAM", "END_HEADERS"], "fields": [[":status", "200"]]}},
    {"send": {"type": "DATA", "stream": 1, "data": "late"}},
    {"expect": {"stream_error": {"codes": ["STREAM_CLOSED"], "stream": 1}}}])";
  FakeLauncher launcher;
  launcher.behaviour = Behaviour::kLeaves;
  launcher.exit_status = 0;
  CaseResult r = run_client_case(client_case("rfc9113/5.1/leaves", "", steps), setup_with(&launcher), Target{},
                                 quick_options());
  EXPECT_EQ(r.verdict, Verdict::kSkip) << r.reason;
  EXPECT_NE(r.reason.find(kClientLeftReason), std::string::npos) << r.reason;
}

TEST(ClientRunner, AScriptFailStaysAFail) {
  FakeLauncher launcher;
  launcher.exit_status = 0;
  // The fake client never sends HEADERS: the expect step fails on the deadline.
  Case c = client_case("rfc9113/8.2.1/script-fail", "success",
                       R"([{"handshake": {}}, {"expect": {"frame": {"type": "HEADERS"}}}])");
  RunOptions options = quick_options();
  options.timeout = 300ms;
  CaseResult r = run_client_case(c, setup_with(&launcher), Target{}, options);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.reason;
  EXPECT_EQ(r.reason.find("the client did not complete"), std::string::npos) << r.reason;
}

TEST(ClientRunner, AClientThatNeverConnectsIsAnErrorSaidPlainly) {
  FakeLauncher launcher;
  launcher.behaviour = Behaviour::kSilentExits;
  launcher.exit_status = 7;
  Case c = client_case("rfc9113/8.2.1/silent", "failure");
  RunOptions options = quick_options();
  options.timeout = 5000ms;
  const auto start = std::chrono::steady_clock::now();
  CaseResult r = run_client_case(c, setup_with(&launcher), Target{}, options);
  EXPECT_EQ(r.verdict, Verdict::kError) << r.reason;
  EXPECT_NE(r.reason.find("the client never connected"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("exited with status 7"), std::string::npos) << r.reason;
  // It ended on the evidence (the client ended), not at the 5 s deadline.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST(ClientRunner, AClientThatCannotStartIsAnError) {
  FakeLauncher launcher;
  launcher.refuse = true;
  Case c = client_case("rfc9113/8.2.1/nostart", "success");
  CaseResult r = run_client_case(c, setup_with(&launcher), Target{}, quick_options());
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.reason.find("could not be started: no such program"), std::string::npos) << r.reason;
  ASSERT_TRUE(r.client.has_value());
  EXPECT_FALSE(r.client->started);
}

TEST(ClientRunner, SkipsTlsLevelAndServerCases) {
  FakeLauncher launcher;
  Case tls_case = client_case("rfc9113/8.2.1/tls", "");
  auto script = std::make_shared<Script>(*tls_case.script);
  script->tls = TlsSpec{};
  tls_case.script = script;
  EXPECT_EQ(run_client_case(tls_case, setup_with(&launcher), Target{}, quick_options()).verdict, Verdict::kSkip);
  Case server_case = client_case("rfc9113/8.2.1/server", "");
  server_case.role = "server";
  EXPECT_EQ(run_client_case(server_case, setup_with(&launcher), Target{}, quick_options()).verdict, Verdict::kSkip);
  EXPECT_TRUE(launcher.endpoints.empty());
}

TEST(ClientRunner, ParallelCasesEachGetTheirOwnPortInCatalogueOrder) {
  FakeLauncher launcher;
  std::vector<Case> cases;
  for (int i = 0; i < 6; ++i) cases.push_back(client_case("rfc9113/8.2.1/p" + std::to_string(i), "success"));
  std::vector<const Case*> pointers;
  for (const Case& c : cases) pointers.push_back(&c);
  RunOptions options = quick_options();
  options.parallel = 3;
  RunResult run = run_client_cases(pointers, setup_with(&launcher), Target{}, options, nullptr);
  ASSERT_EQ(run.cases.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(run.cases[i].id, "rfc9113/8.2.1/p" + std::to_string(i));
    EXPECT_EQ(run.cases[i].verdict, Verdict::kPass) << run.cases[i].reason;
  }
  std::set<std::uint16_t> ports;
  for (const ClientEndpoint& e : launcher.endpoints) ports.insert(e.port);
  EXPECT_EQ(ports.size(), 6u);  // no two cases shared a listener
  EXPECT_FALSE(run.interrupted);
}

// A fixed --listen port: worker k listens on PORT + k.
TEST(ClientRunner, AFixedPortIsOffsetByTheWorker) {
  std::string error;
  std::uint16_t free_port = 0;
  {
    auto probe = make_accepting_source({}, &error);
    ASSERT_NE(probe, nullptr) << error;
    free_port = probe->port();
  }
  FakeLauncher launcher;
  ClientCaseSetup setup = setup_with(&launcher);
  setup.listen.port = static_cast<std::uint16_t>(free_port - 1);
  Case c = client_case("rfc9113/8.2.1/fixed", "success");
  CaseResult r = run_client_case(c, setup, Target{}, quick_options(), {}, 1);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason;
  ASSERT_EQ(launcher.endpoints.size(), 1u);
  EXPECT_EQ(launcher.endpoints[0].port, free_port);
}

class Announcements : public RunObserver {
 public:
  std::vector<std::string> urls;
  void case_waiting(const Case& c, const std::string& url) override {
    (void)c;
    urls.push_back(url);
  }
};

TEST(ClientRunner, WithoutALauncherAnnouncesTheUrlAndWaits) {
  Case c = client_case("rfc9113/8.2.1/announced", "failure");
  Announcements observer;
  RunOptions options = quick_options();
  options.timeout = 200ms;
  RunResult run = run_client_cases({&c}, setup_with(nullptr), Target{}, options, &observer);
  ASSERT_EQ(observer.urls.size(), 1u);
  EXPECT_EQ(observer.urls[0].rfind("http://127.0.0.1:", 0), 0u) << observer.urls[0];
  ASSERT_EQ(run.cases.size(), 1u);
  EXPECT_EQ(run.cases[0].verdict, Verdict::kError);
  EXPECT_NE(run.cases[0].reason.find("the client never connected"), std::string::npos) << run.cases[0].reason;
  EXPECT_FALSE(run.cases[0].client.has_value());
}

TEST(ClientRunner, TheStopFlagEndsTheWaitForAnAnnouncedClient) {
  Case c = client_case("rfc9113/8.2.1/stopped", "");
  std::atomic<bool> stop{true};
  RunOptions options = quick_options();
  options.timeout = 5000ms;
  options.stop = &stop;
  const auto start = std::chrono::steady_clock::now();
  CaseResult r = run_client_case(c, setup_with(nullptr), Target{}, options);
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.reason.find("before the run was stopped"), std::string::npos) << r.reason;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST(ClientRunner, DescribesTheClientsExit) {
  ClientProcess p;
  EXPECT_EQ(describe_client_exit(p), "could not be started: unknown error");
  p.started = true;
  p.exited = true;
  p.exit_status = 0;
  EXPECT_EQ(describe_client_exit(p), "exited with status 0");
  p.exited = false;
  p.signal = 11;
  EXPECT_EQ(describe_client_exit(p), "ended on signal 11 (SIGSEGV)");
  p.killed = true;
  EXPECT_EQ(describe_client_exit(p), "did not exit before the deadline and was stopped");
}

}  // namespace
}  // namespace h2conform::engine
