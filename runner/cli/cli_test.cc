// The h2conform binary without a target: flags, usage errors, listings, validate, report.
#include <gtest/gtest.h>

#include "reports/json_report.h"
#include "runner/cli/commands.h"
#include "runner/cli/subprocess_test_util.h"

namespace h2conform::cli {
namespace {

using testing::run_h2conform;

using CliTest = testing::SampleCatalogueTest;

TEST_F(CliTest, PrintsTheVersion) {
  const auto r = run_h2conform({"--version"});
  EXPECT_EQ(r.exit_code, kExitPass);
  EXPECT_EQ(r.out, "h2conform " H2CONFORM_VERSION "\n");
}

TEST_F(CliTest, HelpIsLongOnlyBecauseDashHIsTheHost) {
  const auto r = run_h2conform({"--help"});
  EXPECT_EQ(r.exit_code, kExitPass);
  for (const char* flag : {"-h,--host", "-p,--port", "-t,--tls", "-k,--insecure", "-o,--timeout", "-P,--path",
                           "-j,--junit-report", "-S,--strict", "-v,--verbose", "--dryrun", "--max-header-length",
                           "--json-report", "--exclude", "--parallel", "--header", "--cases", "--coverage"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  EXPECT_EQ(r.out.find("-h,--help"), std::string::npos);
}

struct UsageRow {
  const char* name;
  std::vector<std::string> args;
  const char* named;  // the flag the message must name
  friend void PrintTo(const UsageRow& row, std::ostream* os) { *os << row.name; }
};
class CliUsage : public CliTest, public ::testing::WithParamInterface<UsageRow> {};
TEST_P(CliUsage, ExitsWith64NamingTheFlag) {
  const auto& args = GetParam().args;
  const auto r = run_h2conform(args.at(0) == "report" ? args : with_catalogue(args));
  EXPECT_EQ(r.exit_code, kExitUsage) << r.out << r.err;
  EXPECT_NE(r.err.find(GetParam().named), std::string::npos) << r.err;
}
INSTANTIATE_TEST_SUITE_P(
    Rows, CliUsage,
    ::testing::Values(UsageRow{"unknown_flag", {"--bogus"}, "--bogus"},
                      UsageRow{"bad_header", {"--dryrun", "--header", "no-colon"}, "--header"},
                      UsageRow{"bad_header_name", {"--dryrun", "--header", "a b:c"}, "--header"},
                      UsageRow{"bad_port", {"--dryrun", "-p", "70000"}, "--port"},
                      UsageRow{"port_not_a_number", {"--dryrun", "-p", "http"}, "--port"},
                      UsageRow{"bad_timeout", {"--dryrun", "-o", "-1"}, "--timeout"},
                      UsageRow{"bad_parallel", {"--dryrun", "--parallel", "0"}, "--parallel"},
                      UsageRow{"bad_method", {"--dryrun", "--method", "GET /"}, "--method"},
                      UsageRow{"coverage_without_dryrun", {"--coverage"}, "--coverage"},
                      UsageRow{"report_without_file", {"report"}, "FILE"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST_F(CliTest, DryrunListsMustCasesWithH2specIds) {
  const auto r = run_h2conform(with_catalogue({"--dryrun"}));
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("    rfc9113/3.4/alpha [http2/3.5/1]: Handshake."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rfc7541/2.1/gamma"), std::string::npos);
  EXPECT_EQ(r.out.find("rfc9113/6.8/delta"), std::string::npos);  // SHOULD: only with --strict
  EXPECT_NE(r.out.find("3 cases selected"), std::string::npos);
}

TEST_F(CliTest, DryrunHonoursSelectorsExcludesAndStrict) {
  auto r = run_h2conform(with_catalogue({"http2/6.8", "-h", "127.0.0.1", "-p", "8443", "--dryrun", "-S"}));
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("rfc9113/6.8/beta"), std::string::npos);
  EXPECT_NE(r.out.find("rfc9113/6.8/delta (SHOULD)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("alpha"), std::string::npos);
  r = run_h2conform(with_catalogue({"--dryrun", "--exclude", "hpack", "--exclude", "http2/3.5/1"}));
  EXPECT_EQ(r.out.find("gamma"), std::string::npos);
  EXPECT_EQ(r.out.find("alpha"), std::string::npos);
  EXPECT_NE(r.out.find("1 case selected"), std::string::npos) << r.out;
  r = run_h2conform(with_catalogue({"--dryrun", "nothing/matches"}));
  EXPECT_EQ(r.exit_code, kExitUsage);
}

TEST_F(CliTest, DryrunCoverageReportsCitedRows) {
  const auto r = run_h2conform(with_catalogue({"--dryrun", "--coverage", "--reasons", (dir_ / "none").string()}));
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("RFC 9113: 2 of "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RFC 7541: 1 of "), std::string::npos) << r.out;
}

TEST_F(CliTest, SubcommandsComeBeforePositionalSpecs) {
  auto r = run_h2conform(with_catalogue({"list", "http2"}));
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_EQ(r.out, "rfc9113/3.4/alpha\tMUST\tserver\thttp2/3.5/1\nrfc9113/6.8/beta\tMUST\tserver\thttp2/6.8/1\n");
  r = run_h2conform({"decode", "--help"});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("frame"), std::string::npos);
  r = run_h2conform({"decode", "frame", (h2conform::testing::vectors_dir() / "http2-frame-test-case" / "ping" / "normal.json").string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("\"wire\""), std::string::npos) << r.out;
}

TEST_F(CliTest, ShowPrintsOneCase) {
  auto r = run_h2conform(with_catalogue({"show", "rfc9113/6.8/beta"}));
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("requirement: GOAWAY on a stream is a connection error."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  9113-6.8-4 (MUST, section 6.8): An endpoint MUST treat a GOAWAY"), std::string::npos);
  EXPECT_NE(r.out.find("\"GOAWAY\""), std::string::npos);
  r = run_h2conform(with_catalogue({"show", "rfc9113/6.8/nope"}));
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("rfc9113/6.8/nope"), std::string::npos);
}

TEST_F(CliTest, ShowFindsACaseByItsEarlierId) {
  const auto r = run_h2conform(testing::with_real_catalogue({"show", "rfc9113/4.3/priority-inside-field-block"}));
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("rfc9113/6.2/priority-inside-field-block"), std::string::npos) << r.out;
}

TEST_F(CliTest, ValidateNamesTheFileAndPointerOfABrokenCase) {
  const auto bad = dir_ / "bad.json";
  testing::write_file(bad, R"({"id": "rfc9113/6.8/bad", "section": "RFC 9113 6.8", "level": "MUST",
    "requirements": ["9113-6.8-4"], "requirement": "r", "action": "a", "role": "server",
    "steps": [ { "handshake": {} }, { "send": { "type": "NOT_A_FRAME" } } ] })");
  auto r = run_h2conform(with_catalogue({"validate", bad.string()}));
  EXPECT_EQ(r.exit_code, kExitHarness);
  EXPECT_NE(r.err.find(bad.string() + ": /steps/1/send/type: "), std::string::npos) << r.err;
  r = run_h2conform(with_catalogue({"validate"}));
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  EXPECT_NE(r.out.find("4 files, 4 cases: valid"), std::string::npos) << r.out;
  testing::write_file(std::filesystem::path(cases_) / "rfc9113" / "broken.json", "{ not json");
  r = run_h2conform(with_catalogue({"validate"}));
  EXPECT_EQ(r.exit_code, kExitHarness);
  EXPECT_NE(r.err.find("rfc9113/broken.json: /: not valid JSON"), std::string::npos) << r.err;
  r = run_h2conform(with_catalogue({"--dryrun"}));  // a broken catalogue stops a run too
  EXPECT_EQ(r.exit_code, kExitHarness);
  EXPECT_NE(r.err.find("rfc9113/broken.json"), std::string::npos) << r.err;
}

TEST_F(CliTest, ReportRendersAResultsFileAndMirrorsItsExitCode) {
  engine::RunResult run;
  run.target = "example";
  engine::CaseResult c;
  c.id = "rfc9113/6.8/beta";
  c.section = "RFC 9113 6.8";
  c.group = "http2";
  c.verdict = engine::Verdict::kFail;
  c.reason = "GOAWAY carried INTERNAL_ERROR";
  run.cases.push_back(c);
  const auto json = dir_ / "results.json";
  ASSERT_EQ(reports::write_json_report_file(run, json), "");
  auto r = run_h2conform({"report", json.string()});
  EXPECT_EQ(r.exit_code, kExitFail);
  EXPECT_NE(r.out.find("\u2717 rfc9113/6.8/beta"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.ends_with("0 passed, 1 failed, 0 skipped\n")) << r.out;
  const auto xml = dir_ / "out.xml";
  r = run_h2conform({"report", json.string(), "--junit", xml.string()});
  EXPECT_EQ(r.out, "");
  EXPECT_NE(testing::read_file(xml).find("<failure message=\"GOAWAY carried INTERNAL_ERROR\""), std::string::npos);
  testing::write_file(json, "{\"schema_version\": 1, \"cases\": [{\"id\": \"x\", \"verdict\": \"maybe\"}]}");
  r = run_h2conform({"report", json.string()});
  EXPECT_EQ(r.exit_code, kExitHarness);
  EXPECT_NE(r.err.find("/cases/0/verdict: unknown verdict"), std::string::npos) << r.err;
}

TEST_F(CliTest, ReportWritesHtmlMatrixAndDiff) {
  engine::RunResult before;
  before.target = "before";
  engine::CaseResult c;
  c.id = "rfc9113/6.8/beta";
  c.section = "RFC 9113 6.8";
  c.group = "http2";
  c.verdict = engine::Verdict::kPass;
  before.cases.push_back(c);
  engine::RunResult after = before;
  after.target = "after";
  after.cases[0].verdict = engine::Verdict::kFail;
  const auto old_json = dir_ / "old.json";
  const auto new_json = dir_ / "new.json";
  ASSERT_EQ(reports::write_json_report_file(before, old_json), "");
  ASSERT_EQ(reports::write_json_report_file(after, new_json), "");

  const auto html = dir_ / "report.html";
  auto r = run_h2conform({"report", new_json.string(), "--html", html.string()});
  EXPECT_EQ(r.exit_code, kExitFail) << r.err;
  EXPECT_NE(testing::read_file(html).find("rfc9113/6.8/beta"), std::string::npos);

  const auto matrix = dir_ / "matrix.html";
  r = run_h2conform({"report", old_json.string(), new_json.string(), "--html", matrix.string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  const auto page = testing::read_file(matrix);
  EXPECT_NE(page.find("before"), std::string::npos);
  EXPECT_NE(page.find("after"), std::string::npos);

  r = run_h2conform({"report", "--diff", old_json.string(), new_json.string()});
  EXPECT_EQ(r.exit_code, kExitFail) << r.out;
  EXPECT_NE(r.out.find("rfc9113/6.8/beta"), std::string::npos) << r.out;
  r = run_h2conform({"report", "--diff", new_json.string(), old_json.string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.out;
  r = run_h2conform({"report", old_json.string(), new_json.string()});
  EXPECT_EQ(r.exit_code, kExitUsage);
}

TEST_F(CliTest, ReportWithABaselineMarksChangesAndFailsOnlyOnRegressions) {
  engine::RunResult before;
  before.target = "before";
  for (const char* id : {"rfc9113/6.8/beta", "rfc9113/6.8/gamma"}) {
    engine::CaseResult c;
    c.id = id;
    c.section = "RFC 9113 6.8";
    c.group = "http2";
    c.verdict = engine::Verdict::kFail;
    c.reason = "GOAWAY carried INTERNAL_ERROR";
    before.cases.push_back(c);
  }
  before.cases[0].verdict = engine::Verdict::kPass;
  engine::RunResult after = before;
  after.target = "after";
  after.cases[0].verdict = engine::Verdict::kFail;  // beta regressed, gamma fails as before
  const auto old_json = dir_ / "old.json", new_json = dir_ / "new.json";
  ASSERT_EQ(reports::write_json_report_file(before, old_json), "");
  ASSERT_EQ(reports::write_json_report_file(after, new_json), "");

  const auto xml = dir_ / "junit.xml", html = dir_ / "report.html";
  auto r = run_h2conform({"report", new_json.string(), "--baseline", old_json.string(), "--junit", xml.string(),
                          "--html", html.string(), "--text"});
  EXPECT_EQ(r.exit_code, kExitFail) << r.err;
  EXPECT_NE(r.out.find("1 regression, 0 fixed"), std::string::npos) << r.out;
  const std::string junit = testing::read_file(xml);
  EXPECT_NE(junit.find("<failure message=\"regression (baseline: pass): GOAWAY carried INTERNAL_ERROR\""),
            std::string::npos) << junit;
  EXPECT_NE(junit.find("type=\"known_failure\""), std::string::npos) << junit;
  EXPECT_NE(testing::read_file(html).find("badge c-regression"), std::string::npos);

  // The run's own failures as a known-failures list: nothing regresses against it.
  const auto list = dir_ / "known.txt";
  r = run_h2conform({"report", new_json.string(), "--write-known-failures", list.string()});
  EXPECT_EQ(r.exit_code, kExitPass) << "writing the list is not a verdict: " << r.err;
  EXPECT_NE(testing::read_file(list).find("rfc9113/6.8/beta\tfail"), std::string::npos);
  r = run_h2conform({"report", new_json.string(), "--baseline", list.string()});
  EXPECT_EQ(r.exit_code, kExitPass) << r.out << r.err;
  EXPECT_NE(r.out.find("0 regressions"), std::string::npos) << r.out;

  r = run_h2conform({"report", new_json.string(), "--baseline", (dir_ / "missing.txt").string()});
  EXPECT_EQ(r.exit_code, kExitHarness);
  EXPECT_NE(r.err.find("--baseline"), std::string::npos) << r.err;
  r = run_h2conform({"report", old_json.string(), new_json.string(), "--html", html.string(), "--baseline",
                     list.string()});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("--baseline"), std::string::npos) << r.err;
}

TEST_F(CliTest, CoverageCommandWritesMarkdown) {
  const auto md = dir_ / "coverage.md";
  const auto r = run_h2conform(with_catalogue({"coverage", "--markdown", "--output", md.string()}));
  EXPECT_EQ(r.exit_code, kExitPass) << r.err;
  const auto text = testing::read_file(md);
  EXPECT_TRUE(text.starts_with("# Requirement coverage")) << text;
  EXPECT_NE(text.find("`rfc9113/6.8/beta`"), std::string::npos);
}

}  // namespace
}  // namespace h2conform::cli
