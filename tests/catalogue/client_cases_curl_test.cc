// The client-target cases run for real: h2conform plays the server on a loopback listener and
// curl (HTTP/2 with prior knowledge) is the client. Curl is not a conforming client in every
// case, so verdicts are not compared; the test holds what must be true of the scripts
// themselves whatever a client does: every case runs without a harness error, and every case
// whose exchange is valid ("client_exit": "success") passes and lets curl finish with exit 0,
// which a wrong valid exchange (a bad response block, a broken frame) would not.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runner/cli/subprocess_test_util.h"
#include "runner/engine/case/script.h"
#include "runner/engine/connection/factories.h"
#include "runner/engine/engine.h"
#include "runner/engine/script/interpreter.h"

namespace h2conform::engine {
namespace {

const char* kCurl = "/usr/bin/curl";

bool curl_speaks_h2() {
  cli::testing::Subprocess version({kCurl, "--version"});
  const cli::testing::ProcessResult r = version.finish(std::chrono::seconds(10));
  return r.exit_code == 0 && r.out.find("HTTP2") != std::string::npos;
}

struct Outcome {
  Verdict verdict;
  std::string reason;
  int exit_code;
};

Outcome run_with_curl(const Case& c) {
  std::string error;
  auto source = make_accepting_source({}, &error);
  if (source == nullptr) return {Verdict::kError, "no listener: " + error, -1};
  const std::string authority = "127.0.0.1:" + std::to_string(source->port());
  cli::testing::Subprocess curl(
      {kCurl, "-sS", "--http2-prior-knowledge", "--max-time", "10", "-o", "/dev/null", "http://" + authority + "/"});
  Target target;
  target.authority = authority;
  target.scheme = "http";
  RunOptions options;
  options.timeout = std::chrono::milliseconds(2000);
  const CaseResult r = run_case(c, *source, target, options);
  const cli::testing::ProcessResult p = curl.finish(std::chrono::seconds(15));
  return {r.verdict, r.reason, p.exit_code};
}

TEST(ClientCasesAgainstCurl, ScriptsRunAndValidExchangesSucceed) {
  if (!std::filesystem::exists(kCurl) || !curl_speaks_h2()) GTEST_SKIP() << "no curl with HTTP/2 support";
  const std::filesystem::path source = H2CONFORM_TEST_SOURCE_DIR;
  const engine::Catalogue catalogue = load_catalogue(source / "cases", load_requirements(source / "specs"));
  int ran = 0, valid = 0;
  for (const auto& c : catalogue.cases) {
    if (c.role != kTargetClient) continue;
    ++ran;
    const Outcome o = run_with_curl(c);
    EXPECT_NE(o.verdict, Verdict::kError) << c.id << ": " << o.reason;
    EXPECT_NE(o.verdict, Verdict::kTargetDown) << c.id << ": " << o.reason;
    if (c.script->client_exit != ClientExitRule::kSuccess || o.verdict == Verdict::kSkip) continue;
    ++valid;
    EXPECT_EQ(o.verdict, Verdict::kPass) << c.id << ": " << o.reason;
    EXPECT_EQ(o.exit_code, 0) << c.id << ": curl did not accept the valid exchange";
  }
  EXPECT_GE(ran, 120);
  EXPECT_GE(valid, 50);
}

}  // namespace
}  // namespace h2conform::engine
