// Every case can fail: each server-role case in cases/ (all levels) must pass against the
// reference server and fail against at least one mutant. Runs over the synchronous in-memory
// transport with a fake clock, so a timeout costs nothing. Set H2CONFORM_VERBOSE to print every
// mutant's verdict and transcript.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "runner/engine/engine.h"
#include "runner/engine/case/script.h"
#include "runner/engine/connection/factories.h"
#include "tests/reference/mutants.h"

namespace h2conform::reference {
namespace {

namespace fs = std::filesystem;
using engine::Verdict;

// Jumps to whatever deadline the engine waits for.
class FakeClock final : public engine::Clock {
 public:
  transport::Clock::time_point now() override { return now_; }
  void jump_to(transport::Deadline deadline) { now_ = std::max(now_, deadline); }

 private:
  transport::Clock::time_point now_ = transport::Clock::time_point{} + std::chrono::hours(1);
};

// The environment variables ctest sets, or the directories the build was configured with
// (test discovery runs without the test's environment).
fs::path dir_from(const char* env, const char* configured) {
  const char* v = std::getenv(env);
  return fs::path(v != nullptr && *v != '\0' ? v : configured);
}

struct Loaded {
  engine::Catalogue catalogue;
  std::vector<const engine::Case*> cases;
  std::string error;                     // the requirements table did not load
  std::vector<std::string> file_errors;  // case files that did not load (skipped here)
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Loads file by file so that one broken file does not hide every other case.
const Loaded& loaded() {
  static const Loaded instance = [] {
    Loaded l;
    try {
      const fs::path source = dir_from("H2CONFORM_SOURCE_DIR", H2CONFORM_CONFIGURED_SOURCE_DIR);
      const auto requirements = engine::load_requirements(source / "specs");
      for (const auto& entry : fs::recursive_directory_iterator(source / "cases")) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        const std::string name = fs::relative(entry.path(), source / "cases").generic_string();
        try {
          auto cases = engine::load_case_text(read_text(entry.path()), name, requirements);
          for (auto& c : cases) l.catalogue.cases.push_back(std::move(c));
        } catch (const std::exception& e) {
          l.file_errors.push_back(e.what());
        }
      }
      std::sort(l.catalogue.cases.begin(), l.catalogue.cases.end(),
                [](const engine::Case& a, const engine::Case& b) { return a.id < b.id; });
      engine::Selection selection;
      selection.strict = true;
      selection.role = engine::kTargetServer;
      l.cases = engine::select_cases(l.catalogue, selection);
    } catch (const std::exception& e) {
      l.error = e.what();
    }
    return l;
  }();
  return instance;
}

std::vector<std::string> case_ids() {
  std::vector<std::string> ids;
  for (const engine::Case* c : loaded().cases) ids.push_back(c->id);
  if (ids.empty()) ids.push_back("no-cases");  // keeps the suite visible when loading failed
  return ids;
}

engine::CaseResult run_on(const engine::Case& c, const std::function<transport::SyncPeer()>& make) {
  FakeClock clock;
  auto factory = engine::make_callback_source(
      [&](transport::Deadline, std::string*) {
        transport::SyncPeer peer = make();
        peer.on_idle = [&clock](transport::Deadline d) { clock.jump_to(d); };
        return transport::sync_connection(std::move(peer));
      },
      false);
  engine::Target target;
  target.authority = "reference.test:80";
  target.scheme = "http";
  engine::RunOptions options;
  options.clock = &clock;
  options.parallel = 1;
  return engine::run_case(c, *factory, target, options);
}

std::string describe(const engine::CaseResult& r) {
  std::ostringstream out;
  out << engine::to_string(r.verdict) << ": " << r.reason << "\n  expected: " << r.expected
      << "\n  observed: " << r.observed << "\n";
  for (const auto& t : r.transcript) {
    const char* dir = t.direction == engine::Direction::kSent ? "tx" :
                      t.direction == engine::Direction::kReceived ? "rx" : "--";
    out << "  " << dir << " " << (t.frame_type.empty() ? t.event : t.frame_type) << " stream="
        << t.stream_id << " " << t.flags << " " << t.summary << "\n";
  }
  return out.str();
}

// Server configurations to try, in order, until a case does not skip.
std::vector<std::pair<std::string, ServerConfig>> configs() {
  ServerConfig connect, priorities, small_table, push;
  connect.enable_connect_protocol = true;
  priorities.no_rfc7540_priorities = true;
  small_table.header_table_size = 1024;
  push.push_path = "/pushed.txt";  // push cases skip ("the target did not push") without it
  push.padding = 8;                // so do padding cases
  return {{"default", {}}, {"extended-connect", connect}, {"rfc9218", priorities},
          {"small-table", small_table}, {"push-and-padding", push}};
}

// The first configuration under which the case applies (the default one, unless the case needs
// an advertised setting), with the reference's result there; the last one tried if none does.
struct Applied {
  ServerConfig config;
  engine::CaseResult reference;
};
Applied first_applying(const engine::Case& c) {
  Applied a;
  for (const auto& [name, candidate] : configs()) {
    a.config = candidate;
    a.reference = run_on(c, [&candidate] { return make_reference_peer(candidate); });
    if (a.reference.verdict != Verdict::kSkip) break;
  }
  return a;
}

// The failure names the rule the mutant was built to break (Mutant::named_rule).
bool names_rule(const Mutant& m, const engine::CaseResult& r) {
  return !m.named_rule.empty() && r.verdict == Verdict::kFail && r.reason.find(m.named_rule) != std::string::npos;
}

// Tallies for the summary printed at the end of the run.
struct Tally {
  std::mutex mu;
  int cases = 0, pass_on_reference = 0, killed = 0;
  std::vector<std::string> not_passing, not_killed, not_applicable, only_setup;
  std::map<std::string, int> kills;
  std::map<std::string, int> kills_by_rule;  // of kills: those whose reason names the mutant's rule
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
    std::cout << "[case_mutation] " << t.cases << " cases: " << t.pass_on_reference
              << " pass on the reference, " << t.killed << " fail on at least one mutant\n";
    for (const auto& [name, n] : t.kills) {
      std::cout << "  " << name << " fails " << n;
      if (auto it = t.kills_by_rule.find(name); it != t.kills_by_rule.end()) {
        std::cout << " (" << it->second << " naming its rule)";
      }
      std::cout << "\n";
    }
    for (const auto& id : t.not_passing) std::cout << "  not passing on the reference: " << id << "\n";
    for (const auto& id : t.only_setup) std::cout << "  only a setup mutant fails: " << id << "\n";
    for (const auto& id : t.not_killed) std::cout << "  no mutant fails: " << id << "\n";
    for (const auto& id : t.not_applicable) std::cout << "  not applicable: " << id << "\n";
  }
};
const auto* const kSummary = ::testing::AddGlobalTestEnvironment(new SummaryPrinter);

class CaseMutation : public ::testing::TestWithParam<std::string> {};

// The case judges how the target treats a malformed request (an expect step's `malformed`).
bool judges_malformed_request(const engine::Case& c) {
  if (!c.script) return false;
  for (const engine::Step& step : c.script->steps) {
    const auto* expect = std::get_if<engine::Expect>(&step.kind);
    if (expect != nullptr && std::holds_alternative<engine::MalformedOutcome>(expect->primary.outcome)) return true;
  }
  return false;
}

TEST_P(CaseMutation, PassesOnReferenceAndFailsOnAMutant) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  ASSERT_NE(GetParam(), "no-cases") << "no server-role cases found";
  const auto& cases = loaded().cases;
  auto it = std::find_if(cases.begin(), cases.end(),
                         [](const engine::Case* c) { return c->id == GetParam(); });
  ASSERT_NE(it, cases.end());
  const engine::Case& c = **it;

  const Applied applied = first_applying(c);
  const engine::CaseResult& ref = applied.reference;
  const ServerConfig& config = applied.config;
  if (ref.verdict == Verdict::kSkip) {
    std::lock_guard<std::mutex> lock(tally().mu);
    tally().not_applicable.push_back(c.id + " (" + ref.reason + ")");
    GTEST_SKIP() << c.id << " does not apply to the in-memory reference: " << ref.reason;
  }
  std::vector<std::string> killers, setup_killers, by_rule;
  for (const Mutant& m : all_mutants(config)) {
    const engine::CaseResult r = run_on(c, m.make);
    if (std::getenv("H2CONFORM_VERBOSE") != nullptr) {
      std::cout << "  " << m.name << ": " << describe(r);
    }
    // The grading rules (docs/grading.md), proved on mutants built to break them.
    if (m.guarantee == Mutant::Guarantee::kRefusesEverything && judges_malformed_request(c)) {
      EXPECT_NE(r.verdict, Verdict::kPass) << c.id << " passes against " << m.name
                                           << ", which refuses every request\n" << describe(r);
    }
    if (m.guarantee == Mutant::Guarantee::kGenericCodes || m.guarantee == Mutant::Guarantee::kAnswersEarly ||
        m.guarantee == Mutant::Guarantee::kBodiless) {
      const char* allowed = m.guarantee == Mutant::Guarantee::kGenericCodes ? "whose codes RFC 9113 §5.4 allows"
                            : m.guarantee == Mutant::Guarantee::kAnswersEarly
                                ? "which answers early, as RFC 9113 §8.1.1 allows"
                                : "whose responses carry no content, which HTTP allows";
      EXPECT_NE(r.verdict, Verdict::kFail) << c.id << " fails against " << m.name << ", " << allowed << "\n"
                                           << describe(r);
    }
    if (r.verdict != Verdict::kFail) continue;
    (m.setup ? setup_killers : killers).push_back(m.name);
    if (names_rule(m, r)) by_rule.push_back(m.name);
  }
  if (killers.empty() && !setup_killers.empty()) {
    killers = setup_killers;
    std::lock_guard<std::mutex> lock(tally().mu);
    tally().only_setup.push_back(c.id);
  }
  std::string joined;
  for (const auto& k : killers) joined += (joined.empty() ? "" : ", ") + k;
  std::cout << "[case_mutation] " << c.id << ": reference " << engine::to_string(ref.verdict)
            << "; failed by: " << (joined.empty() ? "(none)" : joined) << "\n";
  {
    Tally& t = tally();
    std::lock_guard<std::mutex> lock(t.mu);
    ++t.cases;
    if (ref.verdict == Verdict::kPass) ++t.pass_on_reference; else t.not_passing.push_back(c.id);
    if (!killers.empty()) ++t.killed; else t.not_killed.push_back(c.id);
    for (const auto& k : killers) ++t.kills[k];
    if (ref.verdict == Verdict::kPass) {
      for (const auto& k : by_rule) ++t.kills_by_rule[k];
    }
  }
  EXPECT_EQ(ref.verdict, Verdict::kPass) << c.id << " on the reference server\n" << describe(ref);
  EXPECT_FALSE(killers.empty()) << c.id << " passes against every mutant";
}

TEST(CaseMutationCatalogue, EveryCaseFileLoads) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  for (const std::string& e : loaded().file_errors) ADD_FAILURE() << e;
}

// A mutant built to break one engine rule (Mutant::named_rule) must fail some case that passes
// on the reference with a reason naming that rule: being killed for another reason would leave
// the rule itself unshown. Stops at the first such case of each mutant.
TEST(CaseMutationCatalogue, RuleMutantsFailACaseNamingTheirRule) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  std::map<std::string, std::string> pending;  // mutant -> its rule, until a case names it
  for (const Mutant& m : all_mutants()) {
    if (!m.named_rule.empty()) pending[m.name] = m.named_rule;
  }
  ASSERT_FALSE(pending.empty()) << "no mutant names the rule it breaks";
  for (const engine::Case* c : loaded().cases) {
    if (pending.empty()) break;
    const Applied applied = first_applying(*c);
    if (applied.reference.verdict != Verdict::kPass) continue;
    for (const Mutant& m : all_mutants(applied.config)) {
      if (pending.count(m.name) == 0) continue;
      const engine::CaseResult r = run_on(*c, m.make);
      if (!names_rule(m, r)) continue;
      std::cout << "[case_mutation] " << m.name << " fails " << c->id << " by its rule: " << r.reason << "\n";
      pending.erase(m.name);
    }
  }
  for (const auto& [name, rule] : pending) {
    ADD_FAILURE() << "no case that passes on the reference fails against " << name << " with a reason naming \""
                  << rule << "\"";
  }
}

std::string sanitize(const std::string& id) {
  std::string out;
  for (char ch : id) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return out;
}

INSTANTIATE_TEST_SUITE_P(Cases, CaseMutation, ::testing::ValuesIn(case_ids()),
                         [](const auto& row) { return sanitize(row.param); });

}  // namespace
}  // namespace h2conform::reference
