// Runs the whole catalogue (strict: every level) against real implementations from Debian's
// packages on loopback, over TLS and cleartext, and compares every verdict with the reviewed
// ones in peers/expected/<peer>-<mode>.tsv, with their reason classes (the reason with every
// number replaced by N, as scripts/verdict-diff.py compares them). A changed verdict or reason
// fails until someone reviews it: run with H2CONFORM_UPDATE_EXPECTED=1 to rewrite the files,
// then read the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <regex>
#include <sstream>
#include <string>

#include "runner/engine/engine.h"
#include "runner/engine/connection/factories.h"
#include "tests/peers/peer_process.h"

namespace h2conform::peers {
namespace {

namespace fs = std::filesystem;
using engine::Verdict;

struct PeerSpec {
  std::string name;     // recipe file name without .sh
  std::string binaries;  // space-separated; each must be on PATH, else the test is skipped
  std::string mode;     // "tls" or "clear"
};

// Shown in test names and failure messages instead of the object's bytes.
void PrintTo(const PeerSpec& spec, std::ostream* os) { *os << spec.name << " " << spec.mode; }

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

// The reason with every number replaced by N, and how the target's TCP connection ended (a
// FIN or a reset, which races with our reads) by "close": scripts/verdict-diff.py's rule.
std::string reason_class(const std::string& reason) {
  static const std::regex close_kind(R"(\bpeer (FIN|RST)\b)");
  static const std::regex number(R"(\b(0x[0-9a-fA-F]+|[0-9]+)\b)");
  std::string s = std::regex_replace(reason, close_kind, "peer close");
  s = std::regex_replace(s, number, "N");
  std::replace(s.begin(), s.end(), '\t', ' ');
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// "# version: ..." then "id<TAB>verdict<TAB>reason class" lines; the value is
// "verdict<TAB>reason class".
std::map<std::string, std::string> read_expected(const fs::path& file, std::string* version) {
  std::map<std::string, std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# version: ", 0) == 0) {
      *version = line.substr(11);
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

// A case whose verdict differs between runs against this peer is listed as
// "id<TAB>unstable<TAB>the verdicts seen": it is reported but not compared, and a rewrite of the
// file keeps the line (each one is a timing dependence still to be removed from the case).
bool is_unstable(const std::string& expected) { return expected.rfind("unstable\t", 0) == 0; }

void write_expected(const fs::path& file, const std::string& version, const engine::RunResult& run,
                    const std::map<std::string, std::string>& previous = {}) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file);
  out << "# Reviewed verdicts of the whole catalogue (--strict) against this peer.\n";
  out << "# version: " << version << "\n";
  for (const auto& c : run.cases) {
    auto it = previous.find(c.id);
    if (it != previous.end() && is_unstable(it->second)) {
      out << c.id << '\t' << it->second << '\n';
      continue;
    }
    out << c.id << '\t' << engine::to_string(c.verdict) << '\t' << reason_class(c.reason) << '\n';
  }
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The exit code of a recipe asked for a mode its server cannot do (peers/lib.sh).
constexpr int kRecipeUnsupported = 77;

class PeerCatalogueTest : public ::testing::TestWithParam<PeerSpec> {};

TEST_P(PeerCatalogueTest, VerdictsMatchReviewedOnes) {
  const PeerSpec& spec = GetParam();
  std::istringstream binaries(spec.binaries);
  for (std::string name; binaries >> name;) {
    if (capture_output("command -v " + name).empty()) GTEST_SKIP() << name << " is not installed";
  }
  fs::path source = env_or_empty("H2CONFORM_SOURCE_DIR");
  fs::path binary = env_or_empty("H2CONFORM_BINARY_DIR");
  ASSERT_FALSE(source.empty() || binary.empty());

  auto requirements = engine::load_requirements(source / "specs");
  auto catalogue = engine::load_catalogue(source / "cases", requirements);
  engine::Selection selection;
  selection.strict = true;
  selection.role = engine::kTargetServer;
  auto cases = engine::select_cases(catalogue, selection);
  ASSERT_FALSE(cases.empty());

  fs::path workdir = binary / "peers-work" / (spec.name + "-" + spec.mode);
  fs::remove_all(workdir);
  const fs::path recipe = source / "peers" / (spec.name + ".sh");
  PeerProcess peer(recipe, spec.mode, workdir);
  std::string error;
  // 30 s: the Go recipe compiles its server first (a few seconds on a loaded machine).
  if (!peer.start(std::chrono::seconds(30), &error)) {
    if (peer.exit_code() == kRecipeUnsupported) GTEST_SKIP() << error;
    FAIL() << error;
  }

  // The product's own factories, as the CLI makes them (the TLS one insists on ALPN h2).
  transport::TlsClientOptions tls;
  tls.verify = false;  // the recipe's certificate is self-signed
  const transport::Endpoint endpoint{"127.0.0.1", peer.port()};
  const auto connections =
      spec.mode == "tls" ? engine::make_tls_source(endpoint, tls) : engine::make_tcp_source(endpoint);
  engine::Target target;
  target.authority = "127.0.0.1:" + std::to_string(peer.port());
  target.scheme = spec.mode == "tls" ? "https" : "http";
  engine::RunOptions options;
  options.timeout = std::chrono::milliseconds(2000);
  options.parallel = 4;
  auto run = engine::run_cases(cases, *connections, target, options, nullptr);
  bool alive_after = peer.running();
  peer.stop();
  EXPECT_TRUE(alive_after) << spec.name << " died during the run: " << peer.stderr_text();

  std::string version = trim(capture_output("bash '" + recipe.string() + "' --version"));
  fs::path actual_dir = binary / "peers-actual";
  fs::create_directories(actual_dir);
  std::string file_name = spec.name + "-" + spec.mode + ".tsv";
  write_expected(actual_dir / file_name, version, run);
  fs::path expected_file = source / "peers" / "expected" / file_name;
  if (env_or_empty("H2CONFORM_UPDATE_EXPECTED") == "1") {
    std::string old_version;
    auto previous = read_expected(expected_file, &old_version);
    write_expected(expected_file, version, run, previous);
  }

  auto counts = engine::count_verdicts(run);
  std::cout << spec.name << " " << spec.mode << " (" << version << "): " << counts.pass
            << " pass, " << counts.fail << " fail, " << counts.non_strict << " non_strict, "
            << counts.skip << " skip, " << counts.error << " error, " << counts.target_down
            << " target_down of " << counts.total() << "\n";

  std::string expected_version;
  auto expected = read_expected(expected_file, &expected_version);
  ASSERT_FALSE(expected.empty()) << "no reviewed verdicts in " << expected_file
                                 << "; the run's are in " << (actual_dir / file_name);
  EXPECT_EQ(expected_version, version) << "the peer's version changed: review its verdicts";
  std::ostringstream changes, claims;
  int changed = 0, unstable = 0, unreviewed_claims = 0;
  // A fail or non_strict is a claim about the server, reviewed with its RFC sentence in
  // peers/reviews/NAME.md (peer_review_test.py): one that is not recorded, or recorded with
  // another reason, is an unreviewed claim.
  auto is_claim = [](const std::string& verdict) { return verdict.rfind("fail\t", 0) == 0 || verdict.rfind("non_strict\t", 0) == 0; };
  // A claim is compared with its reason; a pass or skip by its verdict alone (which of two
  // accepted answers a server gave first, a response or a GOAWAY NO_ERROR, is no change).
  auto comparable = [&](const std::string& line) { return is_claim(line) ? line : line.substr(0, line.find('\t')); };
  for (const auto& c : run.cases) {
    auto it = expected.find(c.id);
    if (it != expected.end() && is_unstable(it->second)) {
      ++unstable;
      expected.erase(it);
      continue;
    }
    std::string now = engine::to_string(c.verdict) + "\t" + reason_class(c.reason);
    if (it == expected.end()) {
      changes << "  new case " << c.id << ": " << now << "\n";
      ++changed;
    } else if (comparable(it->second) != comparable(now)) {
      changes << "  " << c.id << ": " << it->second << "\n    -> " << now << "\n";
      ++changed;
    }
    if (is_claim(now) && (it == expected.end() || it->second != now)) {
      claims << "  " << c.id << ": " << now << " (recorded: " << (it == expected.end() ? "nothing" : it->second) << ")\n";
      ++unreviewed_claims;
    }
    if (it != expected.end()) expected.erase(it);
  }
  for (const auto& [id, verdict] : expected) {
    changes << "  case gone: " << id << " (was " << verdict << ")\n";
    ++changed;
  }
  if (unstable > 0) std::cout << unstable << " cases listed as unstable were not compared\n";
  // Every server's fails are reviewed claims (peers/reviews/). The servers whose whole verdict
  // list stays the same from run to run are compared in full. Against the others, races between
  // their early answers and our next frames still move verdicts now and then (each race seen is
  // listed `unstable`), so a change, even a fail or non_strict not recorded, is reported first
  // and fails the test only with H2CONFORM_PEERS_STRICT=1. No case may end in error.
  static const std::set<std::string> kStable = {"nghttpd", "nghttpd-push", "h2o", "nginx"};
  EXPECT_EQ(counts.error, 0) << "cases ended in error against " << spec.name << " " << spec.mode;
  if (kStable.count(spec.name) == 0 && env_or_empty("H2CONFORM_PEERS_STRICT") != "1") {
    if (changed > 0) {
      std::cout << changed << " verdicts or reasons differ from the recorded ones against " << spec.name << " "
                << spec.mode << ":\n" << changes.str();
    }
    if (unreviewed_claims > 0) {
      std::cout << unreviewed_claims << " fails or non_strict verdicts are not the reviewed ones against " << spec.name
                << " " << spec.mode << " (review each against the RFC in peers/reviews/" << spec.name
                << ".md; a race is marked with scripts/mark-unstable.py):\n" << claims.str();
    }
    return;
  }
  EXPECT_EQ(changed, 0) << "verdicts or reasons changed against " << spec.name << " " << spec.mode
                        << ":\n" << changes.str()
                        << "review them, then rerun with H2CONFORM_UPDATE_EXPECTED=1";
}

std::string spec_name(const ::testing::TestParamInfo<PeerSpec>& info) {
  std::string name = info.param.name + "_" + info.param.mode;
  std::replace(name.begin(), name.end(), '-', '_');  // test names are [A-Za-z0-9_]
  return name;
}

// Every (recipe, mode), the unsupported ones included (they skip). tests/peers/CMakeLists.txt
// registers each by name, with the label peer-SERVER; peer_catalogue_all_registered fails
// when one here is missing there.
INSTANTIATE_TEST_SUITE_P(
    RealPeers, PeerCatalogueTest,
    ::testing::Values(PeerSpec{"nghttpd", "nghttpd", "tls"},
                      PeerSpec{"nghttpd", "nghttpd", "clear"},
                      PeerSpec{"nghttpd-push", "nghttpd", "tls"},
                      PeerSpec{"h2o", "h2o", "tls"},
                      PeerSpec{"h2o", "h2o", "clear"},
                      PeerSpec{"nginx", "nginx", "tls"},
                      PeerSpec{"nginx", "nginx", "clear"},
                      PeerSpec{"apache", "apache2", "tls"},
                      PeerSpec{"apache", "apache2", "clear"},
                      PeerSpec{"lighttpd", "lighttpd", "tls"},
                      PeerSpec{"lighttpd", "lighttpd", "clear"},
                      PeerSpec{"caddy", "caddy", "tls"},
                      PeerSpec{"caddy", "caddy", "clear"},
                      PeerSpec{"haproxy", "haproxy nghttpd", "tls"},
                      PeerSpec{"haproxy", "haproxy nghttpd", "clear"},
                      PeerSpec{"go", "go", "tls"},
                      PeerSpec{"go", "go", "clear"},
                      PeerSpec{"node", "node", "tls"},
                      PeerSpec{"node", "node", "clear"},
                      PeerSpec{"hypercorn", "hypercorn", "tls"},
                      PeerSpec{"hypercorn", "hypercorn", "clear"},
                      PeerSpec{"varnish", "varnishd", "tls"},
                      PeerSpec{"varnish", "varnishd", "clear"},
                      PeerSpec{"trafficserver", "traffic_server", "tls"},
                      PeerSpec{"trafficserver", "traffic_server", "clear"}),
    spec_name);

}  // namespace
}  // namespace h2conform::peers
