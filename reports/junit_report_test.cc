#include "reports/junit_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "reports/sample_run_test_util.h"

namespace h2conform::reports {
namespace {

// The source tree: $H2CONFORM_SOURCE_DIR, else the one this test was configured from.
std::string source_dir() {
  const char* dir = std::getenv("H2CONFORM_SOURCE_DIR");
  return dir != nullptr && dir[0] != '\0' ? dir : H2CONFORM_CONFIGURED_SOURCE_DIR;
}

using engine::Verdict;
using testing::sample_run;

std::string render(const engine::RunResult& run) {
  std::ostringstream out;
  render_junit(run, out);
  return out.str();
}

std::filesystem::path temp_dir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("h2c-junit-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::create_directories(dir);
  return dir;
}

struct EscapeRow {
  const char* name;
  std::string input;
  bool attribute;
  std::string expected;
  friend void PrintTo(const EscapeRow& row, std::ostream* os) { *os << row.name; }
};
class JunitEscape : public ::testing::TestWithParam<EscapeRow> {};
TEST_P(JunitEscape, MakesTextSafeForXml) {
  EXPECT_EQ(xml_escape(GetParam().input, GetParam().attribute), GetParam().expected);
}
INSTANTIATE_TEST_SUITE_P(
    Rows, JunitEscape,
    ::testing::Values(EscapeRow{"markup", "<a&b>", false, "&lt;a&amp;b&gt;"},
                      EscapeRow{"quote_in_text", "\"x\"", false, "\"x\""},
                      EscapeRow{"quote_in_attribute", "\"x\"", true, "&quot;x&quot;"},
                      EscapeRow{"newline_in_attribute", "a\nb\tc", true, "a&#10;b&#9;c"},
                      EscapeRow{"newline_in_text", "a\nb", false, "a\nb"},
                      EscapeRow{"escape_char", "\x1b[0m", false, "\\x1b[0m"},
                      EscapeRow{"nul", std::string("a\0b", 3), false, "a\\x00b"},
                      EscapeRow{"invalid_utf8", "\xff", false, "\xef\xbf\xbd"},
                      EscapeRow{"truncated_utf8", "\xc3", false, "\xef\xbf\xbd"},
                      EscapeRow{"overlong_utf8", "\xc0\xaf", false, "\xef\xbf\xbd\xef\xbf\xbd"},
                      EscapeRow{"surrogate", "\xed\xa0\x80", false, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
                      EscapeRow{"noncharacter_fffe", "\xef\xbf\xbe", false, "\\xfffe"},
                      EscapeRow{"valid_utf8", "caf\xc3\xa9 \xf0\x9f\x98\x80", false, "caf\xc3\xa9 \xf0\x9f\x98\x80"}),
    [](const auto& row) { return std::string(row.param.name); });

// The <testcase ...> element of case `id`, up to its end.
std::string testcase_of(const std::string& xml, const std::string& id) {
  const auto start = xml.find("name=\"" + id + "\"");
  if (start == std::string::npos) return "";
  const auto open_end = xml.find('>', start);
  if (xml[open_end - 1] == '/') return xml.substr(start, open_end - start + 1);
  return xml.substr(start, xml.find("</testcase>", start) - start);
}

TEST(JunitReport, CountsOnTestsuitesAndEachTestsuite) {
  const std::string xml = render(sample_run());
  EXPECT_NE(xml.find("<testsuites name=\"h2conform 127.0.0.1:8443 (tls)\" tests=\"6\" failures=\"1\" "
                     "errors=\"2\" skipped=\"1\" time=\"1.234\">"),
            std::string::npos) << xml;
  EXPECT_NE(xml.find("<testsuite name=\"RFC 9113 6.8\" tests=\"2\" failures=\"1\" errors=\"0\" "
                     "skipped=\"0\" time=\"0.025\""),
            std::string::npos) << xml;
}

TEST(JunitReport, MapsEachVerdictToItsElement) {
  const std::string xml = render(sample_run());
  EXPECT_NE(xml.find("<testcase classname=\"RFC 9113 3.4\" name=\"generic/3.5/preface\" time=\"0.013\">\n"
                     "      <properties>\n        <property name=\"h2spec\" value=\"http2/6.8/1\"/>\n"
                     "      </properties>\n    </testcase>"),
            std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"reason of rfc9113/6.8/goaway-on-stream\" type=\"fail\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<error message=\"reason of rfc9113/6.9/window-max\" type=\"error\">"), std::string::npos);
  EXPECT_NE(xml.find("<error message=\"reason of rfc7541/4.2/size-update\" type=\"target_down\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"reason of rfc9113/6.9/window-zero\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<system-out>non_strict: reason of rfc9113/6.8/goaway-closed"), std::string::npos);
}

TEST(JunitReport, PutsExpectedObservedAndTranscriptInsideFailures) {
  const std::string xml = render(sample_run());
  const auto start = xml.find("<failure"), end = xml.find("</failure>");
  ASSERT_NE(end, std::string::npos);
  const std::string body = xml.substr(start, end - start);
  EXPECT_NE(body.find("Expected: GOAWAY with PROTOCOL_ERROR"), std::string::npos);
  EXPECT_NE(body.find("Observed: GOAWAY with INTERNAL_ERROR, then close"), std::string::npos);
  EXPECT_NE(body.find("rx  GOAWAY stream=0 length=8 last_stream_id=0 error_code=INTERNAL_ERROR"),
            std::string::npos) << body;
}

// Runs xmllint (when installed) against reports/junit.xsd.
void expect_valid_junit(const engine::RunResult& run, const std::filesystem::path& dir,
                        const BaselineDiff* diff = nullptr) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "xmllint is not installed";
  const std::string source = source_dir();
  const auto xml = dir / "junit.xml";
  ASSERT_EQ(write_junit_report_file(run, xml, diff), "");
  const std::string command = "timeout 60 xmllint --noout --schema '" + std::string(source) +
                              "/reports/junit.xsd' '" + xml.string() + "' 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(JunitReport, IsValidAgainstTheSchema) { expect_valid_junit(sample_run(), temp_dir()); }

TEST(JunitReport, StaysValidWithHostilePeerText) {
  auto run = sample_run();
  for (auto& c : run.cases) {
    c.reason = c.observed = c.id = testing::hostile_text();
    if (!c.transcript.empty()) c.transcript[1].summary = testing::hostile_text();
  }
  expect_valid_junit(run, temp_dir());
}

TEST(JunitReport, GivesEachH2specIdAsAPropertyAndInTheFailureText) {
  auto run = sample_run();
  run.cases[1].h2spec_ids = {"http2/5.1.1/2", "http2/6.8/1"};
  const std::string xml = render(run);
  const std::string c = testcase_of(xml, "rfc9113/6.8/goaway-on-stream");
  EXPECT_NE(c.find("<property name=\"h2spec\" value=\"http2/5.1.1/2\"/>\n"
                   "        <property name=\"h2spec\" value=\"http2/6.8/1\"/>"),
            std::string::npos) << c;
  EXPECT_NE(c.find("h2spec: http2/5.1.1/2\nh2spec: http2/6.8/1\n"), std::string::npos) << c;
  run.cases[0].h2spec_ids.clear();
  EXPECT_NE(render(run).find("name=\"generic/3.5/preface\" time=\"0.013\"/>"), std::string::npos)
      << "a passing case without h2spec ids stays one element";
}

TEST(JunitReport, MarksAnInterruptedRunOnTestsuitesAndEachSuite) {
  auto run = sample_run();
  EXPECT_EQ(render(run).find("h2conform.interrupted"), std::string::npos);
  run.interrupted = true;
  const std::string xml = render(run);
  EXPECT_NE(xml.find("time=\"1.234\">\n  <properties>\n    <property name=\"h2conform.interrupted\" "
                     "value=\"true\"/>\n  </properties>\n  <testsuite"),
            std::string::npos) << xml;
  std::size_t suites = 0, marks = 0;
  for (auto at = xml.find("<testsuite "); at != std::string::npos; at = xml.find("<testsuite ", at + 1)) ++suites;
  for (auto at = xml.find("h2conform.interrupted"); at != std::string::npos;
       at = xml.find("h2conform.interrupted", at + 1))
    ++marks;
  EXPECT_EQ(marks, suites + 1);
  expect_valid_junit(run, temp_dir());
}

TEST(JunitReport, OrdersSuitesByNumericSection) {
  engine::RunResult run;
  for (const char* section : {"RFC 9113 6.10", "RFC 7541 2.3", "RFC 9113 5.1.1", "RFC 9113 6.9", "RFC 9113 5.1"})
    run.cases.push_back(testing::make_case("rfc/x/" + std::string(section), Verdict::kPass, section, "http2"));
  const std::string xml = render(run);
  std::vector<std::size_t> at;
  for (const char* section : {"RFC 9113 5.1\"", "RFC 9113 5.1.1\"", "RFC 9113 6.9\"", "RFC 9113 6.10\"", "RFC 7541 2.3\""})
    at.push_back(xml.find("<testsuite name=\"" + std::string(section)));
  for (std::size_t i = 0; i < at.size(); ++i) ASSERT_NE(at[i], std::string::npos) << i << xml;
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << xml;
}

TEST(JunitReport, IsValidForAnEmptyRun) { expect_valid_junit(engine::RunResult{}, temp_dir()); }

TEST(JunitReport, ARunThatCouldNotStartIsOneError) {
  engine::RunResult run;
  run.harness_error = "127.0.0.1:8080 answered HTTP/1.1 400 Bad Request, not HTTP/2";
  const std::string xml = render(run);
  EXPECT_NE(xml.find("<testsuites name=\"h2conform \" tests=\"1\" failures=\"0\" errors=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<error message=\"127.0.0.1:8080 answered HTTP/1.1 400 Bad Request, not HTTP/2\" "
                     "type=\"harness_error\"/>"),
            std::string::npos)
      << xml;
  expect_valid_junit(run, temp_dir());
}

TEST(JunitReport, WritesTheFileAtomically) {
  const auto dir = temp_dir();
  const auto path = dir / "out.xml";
  ASSERT_EQ(write_junit_report_file(sample_run(), path), "");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), render(sample_run()));
  EXPECT_FALSE(std::filesystem::exists(dir / "out.xml.tmp"));
  EXPECT_NE(write_junit_report_file(sample_run(), dir / "missing" / "out.xml"), "");
}


// --- With a baseline --------------------------------------------------------------------------

std::string render(const engine::RunResult& run, const BaselineDiff& diff) {
  std::ostringstream out;
  render_junit(run, out, &diff);
  return out.str();
}

// The sample run's baseline: goaway-on-stream passed (now a regression), preface failed (now
// fixed), the error and target_down cases failed the same way (known failures).
engine::RunResult sample_baseline() {
  auto baseline = sample_run();
  baseline.started_at = "2024-04-01T10:00:00Z";
  baseline.cases[0].verdict = Verdict::kFail;
  baseline.cases[1].verdict = Verdict::kPass;
  return baseline;
}


TEST(JunitBaseline, KeepsRegressionsAsFailuresAndSaysSo) {
  const auto run = sample_run();
  const std::string xml = render(run, compare_to_baseline(sample_baseline(), run));
  const std::string c = testcase_of(xml, "rfc9113/6.8/goaway-on-stream");
  EXPECT_NE(c.find("<failure message=\"regression (baseline: pass): reason of rfc9113/6.8/goaway-on-stream\" "
                   "type=\"fail\">"),
            std::string::npos) << c;
  EXPECT_NE(c.find("<property name=\"h2conform.change\" value=\"regression\"/>"), std::string::npos) << c;
  EXPECT_NE(c.find("<property name=\"h2conform.baseline_verdict\" value=\"pass\"/>"), std::string::npos) << c;
}

TEST(JunitBaseline, ReportsFailuresKnownFromTheBaselineAsSkipped) {
  const auto run = sample_run();
  const std::string xml = render(run, compare_to_baseline(sample_baseline(), run));
  const std::string c = testcase_of(xml, "rfc9113/6.9/window-max");
  EXPECT_NE(c.find("<skipped message=\"known failure (error, baseline: error): reason of rfc9113/6.9/window-max\" "
                   "type=\"known_failure\"/>"),
            std::string::npos) << c;
  EXPECT_EQ(c.find("<error"), std::string::npos) << c;
  EXPECT_NE(c.find("<system-out>Requirement: requirement of rfc9113/6.9/window-max"), std::string::npos) << c;
  EXPECT_NE(testcase_of(xml, "rfc7541/4.2/size-update").find("type=\"known_failure\""), std::string::npos);
}

TEST(JunitBaseline, MarksFixedCases) {
  const auto run = sample_run();
  const std::string c = testcase_of(render(run, compare_to_baseline(sample_baseline(), run)), "generic/3.5/preface");
  EXPECT_NE(c.find("<system-out>fixed (baseline: fail)"), std::string::npos) << c;
  EXPECT_NE(c.find("value=\"fixed\""), std::string::npos) << c;
  EXPECT_EQ(c.find("<failure"), std::string::npos) << c;
}

TEST(JunitBaseline, CountsAsRendered) {
  const auto run = sample_run();
  const std::string xml = render(run, compare_to_baseline(sample_baseline(), run));
  // 1 failure (the regression), 0 errors, 3 skipped (window-zero and the two known failures).
  EXPECT_NE(xml.find("<testsuites name=\"h2conform 127.0.0.1:8443 (tls)\" tests=\"6\" failures=\"1\" "
                     "errors=\"0\" skipped=\"3\""),
            std::string::npos) << xml;
  EXPECT_NE(xml.find("<property name=\"h2conform.baseline\" value=\"127.0.0.1:8443 (tls) (2024-04-01T10:00:00Z)\"/>"),
            std::string::npos) << xml;
}

TEST(JunitReport, PutsTheClientsExitInSystemOut) {
  auto run = sample_run();
  engine::ClientProcess client;
  client.command = "curl {url}";
  client.started = true;
  client.exited = true;
  client.exit_status = 0;
  client.stderr_tail = "curl: <done>\n";
  run.cases[0].client = client;
  const std::string xml = render(run);
  const std::string preface = testcase_of(xml, "generic/3.5/preface");
  EXPECT_NE(preface.find("<system-out>client: curl {url}\nclient exit: the client exited with status 0\n"
                         "client stderr:\ncurl: &lt;done&gt;\n</system-out>"),
            std::string::npos) << preface;
  EXPECT_EQ(testcase_of(xml, "rfc9113/6.9/window-zero").find("client"), std::string::npos);
}

TEST(JunitBaseline, UnchangedPassingCasesStayPlain) {
  const auto run = sample_run();
  const std::string xml = render(run, compare_to_baseline(run, run));
  const std::string preface = testcase_of(xml, "generic/3.5/preface");
  EXPECT_EQ(preface.find("h2conform.change"), std::string::npos) << preface;
  EXPECT_EQ(preface.find("<system-out>"), std::string::npos) << preface;
  // Nothing changed: the three failing cases are known failures, next to the skipped one.
  EXPECT_NE(xml.find("failures=\"0\" errors=\"0\" skipped=\"4\""), std::string::npos) << xml;
}

TEST(JunitBaseline, MarksKnownFailuresFromAList) {
  const auto run = sample_run();
  KnownFailures known;
  std::istringstream list("rfc9113/6.8/goaway-on-stream\nrfc9113/6.9/window-max\terror\n");
  ASSERT_EQ(parse_known_failures(list, "known.txt", &known), "");
  const std::string xml = render(run, compare_to_known_failures(known, run));
  EXPECT_NE(testcase_of(xml, "rfc9113/6.8/goaway-on-stream").find("type=\"known_failure\""), std::string::npos);
  EXPECT_NE(testcase_of(xml, "rfc9113/6.9/window-max").find("type=\"known_failure\""), std::string::npos);
  const std::string down = testcase_of(xml, "rfc7541/4.2/size-update");  // not listed: a regression
  EXPECT_NE(down.find("<error message=\"regression (baseline: none): "), std::string::npos) << down;
}

// Over every pair of verdicts (and a case new to the run): the JUnit file holds a <failure>
// or <error> exactly when the baseline policy fails CI, so the two can never disagree.
TEST(JunitBaseline, FailsExactlyWhenTheExitPolicyDoes) {
  const std::vector<std::optional<Verdict>> befores = {
      std::nullopt, Verdict::kPass, Verdict::kFail, Verdict::kNonStrict, Verdict::kSkip, Verdict::kError,
      Verdict::kTargetDown};
  for (const auto& before : befores) {
    for (Verdict after : {Verdict::kPass, Verdict::kFail, Verdict::kNonStrict, Verdict::kSkip, Verdict::kError,
                          Verdict::kTargetDown}) {
      engine::RunResult baseline, run;
      run.cases.push_back(testing::make_case("rfc9113/6.5/x", after, "RFC 9113 6.5", "http2"));
      if (before) {
        baseline.cases = run.cases;
        baseline.cases[0].verdict = *before;
      }
      const BaselineDiff diff = compare_to_baseline(baseline, run);
      const std::string xml = render(run, diff);
      const bool failed = xml.find("<failure") != std::string::npos || xml.find("<error") != std::string::npos;
      EXPECT_EQ(failed, diff_exit_code(diff) == 1)
          << (before ? engine::to_string(*before) : "none") << " -> " << engine::to_string(after) << "\n" << xml;
    }
  }
}

TEST(JunitBaseline, IsValidAgainstTheSchema) {
  const auto run = sample_run();
  const BaselineDiff diff = compare_to_baseline(sample_baseline(), run);
  expect_valid_junit(run, temp_dir(), &diff);
}

}  // namespace
}  // namespace h2conform::reports
