// Every client case can fail: each client-role case (the catalogue's, found in cases/, and a small
// inline set that covers every client mutant even while the catalogue has none) must pass against
// the reference client and fail against at least one client mutant; generic_protocol, whose
// codes RFC 9113 §5.4 allows, must fail none. Runs over loopback in real time with short bounds
// (run_client_case, one listener per run; the mutants of a case run in parallel). Set
// H2CONFORM_VERBOSE to print every mutant's verdict and transcript.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "runner/engine/engine.h"
#include "runner/engine/run/client_runner.h"
#include "tests/reference/client_mutants.h"

namespace h2conform::reference {
namespace {

namespace fs = std::filesystem;
using engine::Verdict;

// A case waits this long for what it expects; an accepting mutant makes it wait that long.
constexpr std::chrono::milliseconds kCaseTimeout{1000};

fs::path source_dir() {
  const char* v = std::getenv("H2CONFORM_SOURCE_DIR");
  return fs::path(v != nullptr && *v != '\0' ? v : H2CONFORM_CONFIGURED_SOURCE_DIR);
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One inline case: "role": "client", no requirement rows.
std::string inline_case(const std::string& slug, const std::string& client_exit, const std::string& steps) {
  return R"({"id": "generic/0/)" + slug + R"(", "section": "RFC 9113 8.1", "level": "MUST", "requirements": [],
    "requirements_note": "an inline case of the client mutation test", "requirement": ")" + slug +
         R"(", "action": ")" + slug + R"(", "role": "client", "client_exit": ")" + client_exit +
         R"(", "steps": [{"handshake": {}}, {"expect": {"frame": {"type": "HEADERS"}}}, )" + steps + "]}";
}

// The inline set: at least one case per client mutant that the engine can observe.
std::vector<std::string> inline_texts() {
  const std::string ok = R"({"send": {"type": "HEADERS", "stream": "$peer_stream", "fields": [[":status", "200"]]}})";
  const std::string end = R"({"send": {"type": "DATA", "stream": "$peer_stream", "flags": ["END_STREAM"], "data": "ok"}})";
  auto conn_error = [](const std::string& code) { return R"({"expect": {"connection_error": [")" + code + R"("]}})"; };
  return {
      inline_case("valid-exchange", "success", ok + R"(, {"expect": {"alive": {}}}, )" + end),
      inline_case("malformed-response", "failure",
                  R"({"send": {"type": "HEADERS", "stream": "$peer_stream", "flags": ["END_HEADERS", "END_STREAM"],
                      "fields": [[":status", "200"], ["connection", "close"]]}},
                     {"expect": {"stream_error": {"codes": ["PROTOCOL_ERROR"], "stream": "$peer_stream"}}})"),
      inline_case("enable-push-from-server", "failure",
                  R"({"send": {"type": "SETTINGS", "settings": {"ENABLE_PUSH": 1}}}, )" + conn_error("PROTOCOL_ERROR")),
      inline_case("initial-window-too-large", "failure",
                  R"({"send": {"type": "SETTINGS", "settings": {"INITIAL_WINDOW_SIZE": 2147483648}}}, )" +
                      conn_error("FLOW_CONTROL_ERROR")),
      inline_case("connection-window-overflow", "failure",
                  R"({"send": {"type": "WINDOW_UPDATE", "increment": "$max_window"}}, )" + conn_error("FLOW_CONTROL_ERROR")),
      inline_case("push-while-disabled", "failure",
                  R"({"send": {"type": "PUSH_PROMISE", "stream": "$peer_stream", "promised_stream": 2,
                      "request": {"path": "/pushed"}}}, )" + conn_error("PROTOCOL_ERROR")),
      inline_case("hpack-index-zero", "failure",
                  R"({"send": {"type": "HEADERS", "stream": "$peer_stream", "block": [{"indexed": 0}]}}, )" +
                      conn_error("COMPRESSION_ERROR")),
      inline_case("data-on-idle-stream", "failure",
                  R"({"send": {"type": "DATA", "stream": 3, "data": "x"}}, )" + conn_error("PROTOCOL_ERROR")),
      inline_case("short-ping", "failure",
                  R"({"send": {"type": "PING", "truncate": 4}}, )" + conn_error("FRAME_SIZE_ERROR")),
      inline_case("window-given-back", "success",
                  ok + R"(, {"repeat": {"count": 3, "steps": [{"send": {"type": "DATA", "stream": "$peer_stream", "data_size": 16384}}]}},
                     {"send": {"type": "DATA", "stream": "$peer_stream", "data_size": 8193}},
                     {"expect": {"frame": {"type": "WINDOW_UPDATE", "stream": 0}}}, )" + end),
      // Cases a client must accept, which the mutants that refuse too much fail.
      inline_case("trailers", "success",
                  ok + R"(, {"send": {"type": "DATA", "stream": "$peer_stream", "data": "ok"}},
                     {"send": {"type": "HEADERS", "stream": "$peer_stream", "flags": ["END_HEADERS", "END_STREAM"],
                      "fields": [["x-checksum", "1"]]}})"),
      inline_case("interim-then-final-indexed", "success",
                  R"({"send": {"type": "HEADERS", "stream": "$peer_stream", "fields": [[":status", "103"], ["link", "</a>"]],
                      "encoding": {"indexing": "incremental"}}},
                     {"send": {"type": "HEADERS", "stream": "$peer_stream", "fields": [[":status", "200"], ["link", "</a>"]],
                      "encoding": {"indexing": "incremental"}}}, )" + end),
      inline_case("graceful-goaway", "success",
                  R"({"send": {"type": "GOAWAY", "last_stream_id": "$peer_stream"}}, )" + ok + ", " + end),
      inline_case("ping-with-reserved-bit-and-unused-flags", "success",
                  R"({"send": {"type": "PING", "flags": "0xfe", "reserved": true, "data_hex": "0102030405060708"}},
                     {"expect": {"ping_ack": {"data_hex": "0102030405060708"}}}, )" + ok + ", " + end),
      inline_case("unknown-frame-and-largest-frame-size", "success",
                  R"({"send": {"type": "0xfa", "payload_hex": "0102"}},
                     {"send": {"type": "SETTINGS", "settings": {"MAX_FRAME_SIZE": 16777215}}},
                     {"expect": {"settings_ack": {}}}, )" + ok + ", " + end),
  };
}

struct Loaded {
  engine::Catalogue catalogue;   // the catalogue's client-role cases and the inline ones
  std::vector<const engine::Case*> catalogue_cases, inline_cases;
  std::string error;
  std::vector<std::string> file_errors;
};

const Loaded& loaded() {
  static const Loaded instance = [] {
    Loaded l;
    try {
      const fs::path source = source_dir();
      const auto requirements = engine::load_requirements(source / "specs");
      for (const auto& entry : fs::recursive_directory_iterator(source / "cases")) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        const std::string name = fs::relative(entry.path(), source / "cases").generic_string();
        try {
          for (auto& c : engine::load_case_text(read_text(entry.path()), name, requirements)) {
            if (c.role == engine::kTargetClient) l.catalogue.cases.push_back(std::move(c));
          }
        } catch (const std::exception& e) {
          l.file_errors.push_back(e.what());
        }
      }
      const std::size_t from_files = l.catalogue.cases.size();
      for (const std::string& text : inline_texts()) {
        for (auto& c : engine::load_case_text(text, "inline.json", {})) l.catalogue.cases.push_back(std::move(c));
      }
      for (std::size_t i = 0; i < l.catalogue.cases.size(); ++i) {
        (i < from_files ? l.catalogue_cases : l.inline_cases).push_back(&l.catalogue.cases[i]);
      }
      std::sort(l.catalogue_cases.begin(), l.catalogue_cases.end(),
                [](const engine::Case* a, const engine::Case* b) { return a->id < b->id; });
    } catch (const std::exception& e) {
      l.error = e.what();
    }
    return l;
  }();
  return instance;
}

engine::CaseResult run_with(const engine::Case& c, engine::ClientLauncher& launcher) {
  engine::ClientCaseSetup setup;
  setup.launcher = &launcher;
  engine::RunOptions options;
  options.timeout = kCaseTimeout;
  return engine::run_client_case(c, setup, engine::Target{}, options);
}

std::string describe(const engine::CaseResult& r) {
  std::ostringstream out;
  out << engine::to_string(r.verdict) << ": " << r.reason << "\n  expected: " << r.expected
      << "\n  observed: " << r.observed << "\n";
  if (r.client) out << "  client: exit " << r.client->exit_status << " " << r.client->stderr_tail << "\n";
  for (const auto& t : r.transcript) {
    const char* dir = t.direction == engine::Direction::kSent ? "tx" : t.direction == engine::Direction::kReceived ? "rx" : "--";
    out << "  " << dir << " " << (t.frame_type.empty() ? t.event : t.frame_type) << " stream=" << t.stream_id << " "
        << t.flags << " " << t.summary << "\n";
  }
  return out.str();
}

// Client configurations to try, in order, until a case does not skip (push cases need push,
// RFC 9218 cases a client that implements it).
std::vector<std::pair<std::string, ClientConfig>> configs() {
  ClientConfig push, rfc9218;
  push.enable_push = true;
  rfc9218.rfc9218 = true;
  return {{"default", {}}, {"push-enabled", push}, {"rfc9218", rfc9218}};
}

struct Tally {
  std::mutex mu;
  int cases = 0, pass_on_reference = 0, killed = 0;
  std::vector<std::string> not_passing, not_killed, not_applicable, only_setup;
  std::map<std::string, int> kills;
};
Tally& tally() {
  static Tally t;
  return t;
}

class SummaryPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    Tally& t = tally();
    if (t.cases == 0) return;
    std::cout << "[case_mutation] " << t.cases << " client cases: " << t.pass_on_reference
              << " pass on the reference client, " << t.killed << " fail on at least one client mutant\n";
    for (const ClientMutant& m : all_client_mutants()) {
      std::cout << "  " << m.name << " fails " << t.kills[m.name] << "\n";
    }
    for (const auto& id : t.not_passing) std::cout << "  not passing on the reference client: " << id << "\n";
    for (const auto& id : t.only_setup) std::cout << "  only a setup mutant fails: " << id << "\n";
    for (const auto& id : t.not_killed) std::cout << "  no mutant fails: " << id << "\n";
    for (const auto& id : t.not_applicable) std::cout << "  not applicable: " << id << "\n";
  }
};
const auto* const kSummary = ::testing::AddGlobalTestEnvironment(new SummaryPrinter);

void check_case(const engine::Case& c) {
  engine::CaseResult ref;
  ClientConfig config;
  for (const auto& [name, candidate] : configs()) {
    config = candidate;
    ref = run_with(c, *make_reference_launcher(candidate));
    if (ref.verdict != Verdict::kSkip) break;
  }
  if (ref.verdict == Verdict::kSkip) {
    std::lock_guard<std::mutex> lock(tally().mu);
    tally().not_applicable.push_back(c.id + " (" + ref.reason + ")");
    GTEST_SKIP() << c.id << " does not apply to the reference client: " << ref.reason;
  }
  const std::vector<ClientMutant> mutants = all_client_mutants(config);
  std::vector<std::future<engine::CaseResult>> runs;
  for (const ClientMutant& m : mutants) {
    runs.push_back(std::async(std::launch::async, [&c, &m] { return run_with(c, *m.launcher()); }));
  }
  std::vector<std::string> killers, setup_killers;
  for (std::size_t i = 0; i < mutants.size(); ++i) {
    const ClientMutant& m = mutants[i];
    const engine::CaseResult r = runs[i].get();
    if (std::getenv("H2CONFORM_VERBOSE") != nullptr) std::cout << "  " << m.name << ": " << describe(r);
    if (m.guarantee == ClientMutant::Guarantee::kGenericCodes) {
      EXPECT_NE(r.verdict, Verdict::kFail) << c.id << " fails against " << m.name
                                           << ", whose codes RFC 9113 §5.4 allows\n" << describe(r);
    }
    if (r.verdict == Verdict::kFail) (m.setup ? setup_killers : killers).push_back(m.name);
  }
  const bool only_setup = killers.empty() && !setup_killers.empty();
  if (only_setup) killers = setup_killers;
  std::string joined;
  for (const auto& k : killers) joined += (joined.empty() ? "" : ", ") + k;
  std::cout << "[case_mutation] " << c.id << ": reference client " << engine::to_string(ref.verdict)
            << "; failed by: " << (joined.empty() ? "(none)" : joined) << "\n";
  {
    Tally& t = tally();
    std::lock_guard<std::mutex> lock(t.mu);
    ++t.cases;
    if (ref.verdict == Verdict::kPass) ++t.pass_on_reference; else t.not_passing.push_back(c.id);
    if (only_setup) t.only_setup.push_back(c.id);
    if (!killers.empty()) ++t.killed; else t.not_killed.push_back(c.id);
    for (const auto& k : killers) ++t.kills[k];
  }
  EXPECT_EQ(ref.verdict, Verdict::kPass) << c.id << " on the reference client\n" << describe(ref);
  EXPECT_FALSE(killers.empty()) << c.id << " passes against every client mutant";
}

const engine::Case* find_case(const std::vector<const engine::Case*>& cases, const std::string& id) {
  auto it = std::find_if(cases.begin(), cases.end(), [&id](const engine::Case* c) { return c->id == id; });
  return it == cases.end() ? nullptr : *it;
}

std::vector<std::string> ids_of(const std::vector<const engine::Case*>& cases) {
  std::vector<std::string> ids;
  for (const engine::Case* c : cases) ids.push_back(c->id);
  if (ids.empty()) ids.push_back("none");  // a suite with no rows would vanish from the run
  return ids;
}

class ClientCaseMutation : public ::testing::TestWithParam<std::string> {};
class InlineClientCaseMutation : public ::testing::TestWithParam<std::string> {};

TEST_P(ClientCaseMutation, PassesOnReferenceAndFailsOnAMutant) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  if (GetParam() == "none") GTEST_SKIP() << "cases/ holds no client-role case yet";
  const engine::Case* c = find_case(loaded().catalogue_cases, GetParam());
  ASSERT_NE(c, nullptr);
  check_case(*c);
}

TEST_P(InlineClientCaseMutation, PassesOnReferenceAndFailsOnAMutant) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  const engine::Case* c = find_case(loaded().inline_cases, GetParam());
  ASSERT_NE(c, nullptr);
  check_case(*c);
}

TEST(ClientCaseMutationCatalogue, EveryCaseFileLoads) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  for (const std::string& e : loaded().file_errors) ADD_FAILURE() << e;
}

std::string sanitize(const std::string& id) {
  std::string out;
  for (char ch : id) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return out;
}

INSTANTIATE_TEST_SUITE_P(Cases, ClientCaseMutation, ::testing::ValuesIn(ids_of(loaded().catalogue_cases)),
                         [](const auto& row) { return sanitize(row.param); });
INSTANTIATE_TEST_SUITE_P(Inline, InlineClientCaseMutation, ::testing::ValuesIn(ids_of(loaded().inline_cases)),
                         [](const auto& row) { return sanitize(row.param); });

}  // namespace
}  // namespace h2conform::reference
