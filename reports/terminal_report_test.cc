#include "reports/terminal_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "reports/sample_run_test_util.h"
#include "reports/terminal_progress.h"

namespace h2conform::reports {
namespace {

using engine::Verdict;
using testing::sample_run;

std::string render(const engine::RunResult& run, TerminalOptions options = {}) {
  std::ostringstream out;
  render_terminal(run, options, out);
  return out.str();
}

std::string last_line(const std::string& text, int from_end = 0) {
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines.at(lines.size() - 1 - static_cast<std::size_t>(from_end));
}

struct MarkRow {
  const char* name;
  Verdict verdict;
  const char* mark;
  friend void PrintTo(const MarkRow& row, std::ostream* os) { *os << row.name; }
};
class TerminalMark : public ::testing::TestWithParam<MarkRow> {};
TEST_P(TerminalMark, PrintsTheMarkOfEachVerdict) {
  EXPECT_EQ(verdict_mark(GetParam().verdict), GetParam().mark);
}
INSTANTIATE_TEST_SUITE_P(Verdicts, TerminalMark,
                         ::testing::Values(MarkRow{"pass", Verdict::kPass, "\u2713"},
                                           MarkRow{"fail", Verdict::kFail, "\u2717"},
                                           MarkRow{"error", Verdict::kError, "!"},
                                           MarkRow{"target_down", Verdict::kTargetDown, "!"},
                                           MarkRow{"skip", Verdict::kSkip, "-"},
                                           MarkRow{"non_strict", Verdict::kNonStrict, "~"}),
                         [](const auto& row) { return std::string(row.param.name); });

struct ColourRow {
  const char* name;
  bool tty;
  const char* no_color;
  bool wanted;
  friend void PrintTo(const ColourRow& row, std::ostream* os) { *os << row.name; }
};
class TerminalColour : public ::testing::TestWithParam<ColourRow> {};
TEST_P(TerminalColour, UsesColourOnlyOnATtyWithoutNoColor) {
  EXPECT_EQ(colour_wanted(GetParam().tty, GetParam().no_color), GetParam().wanted);
}
INSTANTIATE_TEST_SUITE_P(Cases, TerminalColour,
                         ::testing::Values(ColourRow{"tty", true, nullptr, true},
                                           ColourRow{"pipe", false, nullptr, false},
                                           ColourRow{"tty_no_color", true, "1", false},
                                           ColourRow{"tty_empty_no_color", true, "", true},
                                           ColourRow{"pipe_no_color", false, "1", false}),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(TerminalReport, LastLineCountsNonStrictAsPassedAndErrorsAsFailed) {
  const std::string text = render(sample_run());
  EXPECT_EQ(last_line(text), "2 passed, 3 failed, 1 skipped");
  EXPECT_EQ(last_line(text, 1), "6 cases: 1 pass, 1 non_strict, 1 skip, 1 fail, 1 error, 1 target_down");
}

TEST(TerminalReport, PrintsHeadingsAndOneLinePerCase) {
  const std::string text = render(sample_run());
  EXPECT_NE(text.find("Generic tests for HTTP/2\n  RFC 9113 3.4\n    \u2713 generic/3.5/preface: action of"),
            std::string::npos) << text;
  EXPECT_NE(text.find("Hypertext Transfer Protocol Version 2 (HTTP/2)\n  RFC 9113 6.8\n"), std::string::npos);
  EXPECT_NE(text.find("    - rfc9113/6.9/window-zero"), std::string::npos);
  EXPECT_NE(text.find("    ~ rfc9113/6.8/goaway-closed"), std::string::npos);
  EXPECT_NE(text.find("    ! rfc7541/4.2/size-update: action of rfc7541/4.2/size-update [target_down]"),
            std::string::npos);
}

TEST(TerminalReport, IndentsRequirementExpectedObservedAndReasonOfFailures) {
  const std::string text = render(sample_run());
  const std::string expected_block =
      "    \u2717 rfc9113/6.8/goaway-on-stream: action of rfc9113/6.8/goaway-on-stream\n"
      "      -> requirement of rfc9113/6.8/goaway-on-stream (MUST, RFC 9113 6.8)\n"
      "         Expected: GOAWAY with PROTOCOL_ERROR\n"
      "         Observed: GOAWAY with INTERNAL_ERROR, then close\n"
      "           Reason: reason of rfc9113/6.8/goaway-on-stream\n";
  EXPECT_NE(text.find(expected_block), std::string::npos) << text;
}

TEST(TerminalReport, RecapListsOnlyFailuresInCatalogueOrder) {
  const std::string text = render(sample_run());
  const auto recap = text.substr(text.find("\nFailures:\n"));
  EXPECT_EQ(recap.find("generic/3.5/preface"), std::string::npos);
  EXPECT_EQ(recap.find("window-zero"), std::string::npos);
  const auto fail = recap.find("goaway-on-stream"), error = recap.find("window-max"),
             down = recap.find("size-update");
  ASSERT_NE(fail, std::string::npos);
  EXPECT_LT(fail, error);
  EXPECT_LT(error, down);
}

TEST(TerminalReport, MarksRegressionsKnownFailuresAndFixesAgainstABaseline) {
  const engine::RunResult run = sample_run();
  engine::RunResult baseline = run;
  baseline.cases[0].verdict = Verdict::kFail;  // preface: now fixed
  baseline.cases[1].verdict = Verdict::kPass;  // goaway-on-stream: now a regression
  const BaselineDiff diff = compare_to_baseline(baseline, run);
  const std::string text = render(run, {false, false, &diff});
  EXPECT_NE(text.find("generic/3.5/preface: action of generic/3.5/preface [fixed]\n"), std::string::npos) << text;
  const auto recap = text.substr(text.find("\nFailures:\n"));
  EXPECT_NE(recap.find("rfc9113/6.8/goaway-on-stream: action of rfc9113/6.8/goaway-on-stream [regression]\n"),
            std::string::npos) << recap;
  EXPECT_NE(recap.find("rfc9113/6.9/window-max: action of rfc9113/6.9/window-max [error] [known failure]\n"),
            std::string::npos) << recap;
  EXPECT_EQ(render(run).find("[regression]"), std::string::npos) << "no marks without a baseline";
}

TEST(TerminalReport, OmitsFailuresSectionWhenAllPassed) {
  engine::RunResult run;
  run.cases.push_back(testing::make_case("a/1/x", Verdict::kPass, "RFC 9113 4.1", "http2"));
  const std::string text = render(run);
  EXPECT_EQ(text.find("Failures:"), std::string::npos);
  EXPECT_EQ(last_line(text), "1 passed, 0 failed, 0 skipped");
}

TEST(TerminalReport, ColoursMarksOnlyWhenAsked) {
  EXPECT_EQ(render(sample_run()).find('\x1b'), std::string::npos);
  const std::string coloured = render(sample_run(), {.colour = true});
  EXPECT_NE(coloured.find("\x1b[32m\u2713\x1b[0m"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[31m\u2717\x1b[0m"), std::string::npos);
}

TEST(TerminalReport, ShowsTranscriptsOnlyWhenVerbose) {
  EXPECT_EQ(render(sample_run()).find("Transcript:"), std::string::npos);
  const std::string verbose = render(sample_run(), {.verbose = true});
  EXPECT_NE(verbose.find("Transcript:"), std::string::npos);
  EXPECT_NE(verbose.find("tx  GOAWAY stream=1 length=8 last_stream_id=0 error_code=NO_ERROR"),
            std::string::npos) << verbose;
  EXPECT_NE(verbose.find("--  connected tcp 127.0.0.1:8443"), std::string::npos);
}

TEST(TerminalReport, ShowsPeerControlBytesAsEscapes) {
  auto run = sample_run();
  run.cases[1].observed = testing::hostile_text();
  const std::string text = render(run);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("\\x1b[31m\\x01"), std::string::npos);
}

TEST(TerminalReport, SaysWhenTheRunWasInterrupted) {
  auto run = sample_run();
  run.interrupted = true;
  const std::string text = render(run);
  EXPECT_NE(text.find("Interrupted"), std::string::npos);
  EXPECT_EQ(last_line(text), "2 passed, 3 failed, 1 skipped");
}

TEST(TerminalProgress, PrintsTheSameCaseLinesAsTheFullReport) {
  const auto run = sample_run();
  std::ostringstream live;
  TerminalProgress progress(live, {});
  for (const auto& c : run.cases) progress.case_finished(c);
  render_recap(run, {}, live);
  EXPECT_EQ(live.str(), render(run));
}

}  // namespace
}  // namespace h2conform::reports
