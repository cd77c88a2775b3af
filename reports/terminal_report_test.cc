#include "reports/terminal_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <sstream>

#include "reports/sample_run_test_util.h"
#include "reports/terminal_progress.h"
#include "runner/engine/model/case_order.h"

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
  EXPECT_EQ(last_line(text), "2 passed, 2 failed, 1 skipped") << "target_down did not run: not failed";
  EXPECT_EQ(last_line(text, 1), "6 cases: 1 pass, 1 non_strict, 1 skip, 1 fail, 1 error, 1 target_down");
  EXPECT_EQ(last_line(text, 2), legend_line());
}

TEST(TerminalReport, SaysOneCaseInTheSingular) {
  engine::RunResult run;
  run.cases.push_back(testing::make_case("rfc9113/4.1/x", Verdict::kPass, "RFC 9113 4.1", "http2"));
  EXPECT_EQ(last_line(render(run), 1), "1 case: 1 pass, 0 non_strict, 0 skip, 0 fail, 0 error, 0 target_down");
}

TEST(TerminalReport, LegendNamesEveryMarkOnOneLine) {
  const std::string legend = legend_line();
  EXPECT_EQ(legend.find('\n'), std::string::npos);
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kNonStrict, Verdict::kSkip, Verdict::kError,
                    Verdict::kTargetDown}) {
    EXPECT_NE(legend.find(verdict_mark(v) + " "), std::string::npos) << engine::to_string(v);
    EXPECT_NE(legend.find(engine::to_string(v)), std::string::npos) << engine::to_string(v);
  }
}

// A target that went away mid-run: the cases that never started are listed once, without
// details, and the recap says what happened in one line instead of repeating them.
TEST(TerminalReport, TargetDownIsSaidOnceAndNotCountedAsFailed) {
  engine::RunResult run;
  run.cases.push_back(testing::make_case("rfc9113/4.1/a", Verdict::kPass, "RFC 9113 4.1", "http2"));
  run.cases.push_back(testing::make_case("rfc9113/4.1/b", Verdict::kFail, "RFC 9113 4.1", "http2"));
  auto down = testing::make_case("rfc9113/4.2/c", Verdict::kTargetDown, "RFC 9113 4.2", "http2");
  down.reason = "cannot connect (tried twice): refused";
  run.cases.push_back(down);
  for (const char* id : {"rfc9113/4.2/d", "rfc9113/4.3/e", "rfc9113/4.3/f"}) {
    auto c = testing::make_case(id, Verdict::kTargetDown, "RFC 9113 4.3", "http2");
    c.reason = "not run: the target stopped answering connects (connection refused)";
    run.cases.push_back(c);
  }
  const std::string text = render(run);
  EXPECT_EQ(last_line(text), "1 passed, 1 failed, 0 skipped") << text;
  EXPECT_NE(text.find("\nTarget down after rfc9113/4.1/b: 4 cases could not run (cannot connect (tried twice): "
                      "refused)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("    ! rfc9113/4.3/e [http2/6.8/1] [target_down]\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("rfc9113/4.3/e", text.find("rfc9113/4.3/e") + 1), std::string::npos) << "listed once";
  EXPECT_EQ(text.find("not run:"), std::string::npos) << "no details for cases that never ran";
  const auto recap = text.substr(text.find("\nFailures:\n"));
  EXPECT_EQ(recap.find("rfc9113/4.2/c"), std::string::npos) << recap;
}

TEST(TerminalReport, WrapsLongLinesAtTheTerminalWidthWithAnIndent) {
  auto run = sample_run();
  run.cases[1].reason = std::string(30, 'r') + " " + std::string(40, 's') + " " + std::string(40, 't');
  run.cases[1].expected = "GOAWAY with PROTOCOL_ERROR; less strict but accepted (non_strict): a close (GOAWAY or "
                          "the connection ending), or GOAWAY with STREAM_CLOSED";
  const std::string text = render(run);
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::size_t columns = 0;
    for (unsigned char ch : line) columns += (ch & 0xc0) != 0x80;
    EXPECT_LE(columns, kTerminalWidth) << line;
  }
  EXPECT_NE(text.find("           Reason: " + std::string(30, 'r') + " " + std::string(40, 's') + "\n" +
                      std::string(19, ' ') + std::string(40, 't') + "\n"),
            std::string::npos) << text;
}

TEST(TerminalReport, WrapsLongTranscriptLinesUnderTheirFrame) {
  auto run = sample_run();
  std::string fields;
  for (int i = 0; i < 12; ++i) fields += " field-" + std::to_string(i) + ": value-" + std::to_string(i) + ",";
  run.cases[1].transcript[2].summary = "GOAWAY stream=0 len=8" + fields;
  const std::string text = render(run, {.verbose = true});
  const auto at = text.find("rx  GOAWAY stream=0 length=8 field-0: value-0,");
  ASSERT_NE(at, std::string::npos) << text;
  const auto line_end = text.find('\n', at);
  EXPECT_EQ(text.compare(line_end + 1, 35, std::string(27, ' ') + "value-2,"), 0) << text;
}

TEST(TerminalReport, NonStrictShowsTheStrictAnswerFirst) {
  const std::string text = render(sample_run());
  EXPECT_NE(text.find("goaway-closed [http2/6.8/1]: action of rfc9113/6.8/goaway-closed\n"
                      "         Expected: GOAWAY with PROTOCOL_ERROR\n"
                      "         Observed: GOAWAY with INTERNAL_ERROR, then close\n"
                      "             Note: reason of rfc9113/6.8/goaway-closed\n"),
            std::string::npos) << text;
}

TEST(TerminalReport, TranscriptLinesGiveEachFieldOnce) {
  engine::TranscriptEntry settings{0.5, engine::Direction::kSent, "SETTINGS", 0, "0x0", 0,
                                   "SETTINGS stream=0 len=0 our SETTINGS", "", false, ""};
  EXPECT_EQ(transcript_line(settings), "SETTINGS stream=0 length=0 our SETTINGS");
  engine::TranscriptEntry ack{0.5, engine::Direction::kReceived, "SETTINGS", 0, "ACK", 0,
                              "SETTINGS stream=0 flags=ACK len=0", "", false, ""};
  EXPECT_EQ(transcript_line(ack), "SETTINGS stream=0 length=0 flags=ACK");
  engine::TranscriptEntry preface{0.1, engine::Direction::kSent, "", 0, "", 0, "client connection preface",
                                  "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a", false, ""};
  EXPECT_EQ(transcript_line(preface), "raw client connection preface (24 bytes)");
}

TEST(TerminalReport, PrintsHeadingsAndOneLinePerCase) {
  const std::string text = render(sample_run());
  EXPECT_NE(text.find("RFC 9113: HTTP/2\n  RFC 9113 3.4\n    \u2713 generic/3.5/preface [http2/6.8/1]: action of"),
            std::string::npos) << text;
  EXPECT_NE(text.find("\n  RFC 9113 6.8\n"), std::string::npos);
  EXPECT_NE(text.find("\nRFC 7541: HPACK: Header Compression for HTTP/2\n  RFC 7541 4.2\n"), std::string::npos);
  EXPECT_NE(text.find("    - rfc9113/6.9/window-zero"), std::string::npos);
  EXPECT_NE(text.find("    ~ rfc9113/6.8/goaway-closed"), std::string::npos);
  EXPECT_NE(text.find("    ! rfc7541/4.2/size-update [http2/6.8/1]: action of rfc7541/4.2/size-update [target_down]"),
            std::string::npos);
}

TEST(TerminalReport, IndentsRequirementExpectedObservedAndReasonOfFailures) {
  const std::string text = render(sample_run());
  const std::string expected_block =
      "    \u2717 rfc9113/6.8/goaway-on-stream [http2/6.8/1]: action of rfc9113/6.8/goaway-on-stream\n"
      "      -> requirement of rfc9113/6.8/goaway-on-stream (MUST, RFC 9113 6.8)\n"
      "         Expected: GOAWAY with PROTOCOL_ERROR\n"
      "         Observed: GOAWAY with INTERNAL_ERROR, then close\n"
      "           Reason: reason of rfc9113/6.8/goaway-on-stream\n";
  EXPECT_NE(text.find(expected_block), std::string::npos) << text;
}

TEST(TerminalReport, ShowsTheClientsExitAndStderrUnderAFailure) {
  engine::RunResult run = sample_run();
  engine::ClientProcess client;
  client.command = "curl {url}";
  client.started = true;
  client.exited = true;
  client.exit_status = 0;
  client.stderr_tail = "line one\n\x1b[2J line two\n";
  run.cases[1].client = client;
  run.cases[0].client = client;  // a pass: no details at all
  const std::string text = render(run);
  const std::string expected_block =
      "           Reason: reason of rfc9113/6.8/goaway-on-stream\n"
      "           Client: curl {url}: exited with status 0\n"
      "           stderr:\n"
      "           | line one\n"
      "           | \\x1b[2J line two\n";
  EXPECT_NE(text.find(expected_block), std::string::npos) << text;
  std::size_t shown = 0;
  for (std::size_t at = text.find("Client:"); at != std::string::npos; at = text.find("Client:", at + 1)) ++shown;
  EXPECT_EQ(shown, 2u) << "the failed case's lines and its recap; never the pass" << text;
}

TEST(TerminalReport, RecapListsOnlyFailuresInCatalogueOrder) {
  auto run = sample_run();
  std::swap(run.cases[1], run.cases[4]);  // a results file in another order
  const std::string text = render(run);
  const auto recap = text.substr(text.find("\nFailures:\n"));
  const auto failures = recap.substr(0, recap.find("\nFinished in"));
  EXPECT_EQ(failures.find("generic/3.5/preface"), std::string::npos);
  EXPECT_EQ(failures.find("window-zero"), std::string::npos);
  const auto fail = failures.find("goaway-on-stream"), error = failures.find("window-max");
  ASSERT_NE(fail, std::string::npos);
  EXPECT_LT(fail, error);
  EXPECT_EQ(failures.find("size-update"), std::string::npos) << "target_down has its own line";
  EXPECT_NE(recap.find("Target down after rfc9113/6.9/window-zero: 1 case could not run"), std::string::npos)
      << recap;
}

TEST(TerminalReport, MarksRegressionsKnownFailuresAndFixesAgainstABaseline) {
  const engine::RunResult run = sample_run();
  engine::RunResult baseline = run;
  baseline.cases[0].verdict = Verdict::kFail;  // preface: now fixed
  baseline.cases[1].verdict = Verdict::kPass;  // goaway-on-stream: now a regression
  const BaselineDiff diff = compare_to_baseline(baseline, run);
  const std::string text = render(run, {false, false, &diff});
  EXPECT_NE(text.find("generic/3.5/preface [http2/6.8/1]: action of generic/3.5/preface [fixed]\n"), std::string::npos) << text;
  const auto recap = text.substr(text.find("\nFailures:\n"));
  EXPECT_NE(recap.find("rfc9113/6.8/goaway-on-stream [http2/6.8/1]: action of rfc9113/6.8/goaway-on-stream\n"
                       "      [regression]\n"),
            std::string::npos) << recap;
  EXPECT_NE(recap.find("rfc9113/6.9/window-max [http2/6.8/1]: action of rfc9113/6.9/window-max [error] [known failure]\n"),
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
  EXPECT_EQ(last_line(text), "2 passed, 2 failed, 1 skipped");
}

std::vector<std::string> ids_of(const engine::RunResult& run) {
  std::vector<std::string> ids;
  for (const auto* c : engine::in_catalogue_order(run)) ids.push_back(c->id);
  return ids;
}

// sample_run() with its cases in catalogue order: preface, goaway-closed, goaway-on-stream,
// window-max, window-zero, size-update.
engine::RunResult sorted_sample() {
  engine::RunResult run = sample_run();
  std::vector<engine::CaseResult> sorted;
  for (const auto* c : engine::in_catalogue_order(run)) sorted.push_back(*c);
  run.cases = sorted;
  return run;
}

TEST(TerminalProgress, PrintsTheSameCaseLinesAsTheFullReport) {
  const auto run = sample_run();
  std::ostringstream live;
  TerminalProgress progress(live, {}, ids_of(run));
  for (const auto& c : run.cases) progress.case_finished(c);
  render_recap(run, {}, live);
  EXPECT_EQ(live.str(), render(run));
}

// Two runs against the same target finish their cases in different orders; the terminal
// must not show it. Every seeded shuffle of the completion order gives the same text.
TEST(TerminalProgress, PrintsInCatalogueOrderWhateverTheCompletionOrder) {
  const auto run = sample_run();
  std::ostringstream in_order;
  {
    TerminalProgress progress(in_order, {}, ids_of(run));
    for (const auto& c : run.cases) progress.case_finished(c);
  }
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::vector<std::size_t> order(run.cases.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937(seed));
    std::ostringstream live;
    TerminalProgress progress(live, {}, ids_of(run));
    for (std::size_t i : order) progress.case_finished(run.cases[i]);
    EXPECT_EQ(live.str(), in_order.str()) << "seed " << seed;
  }
}

TEST(TerminalProgress, HoldsLinesBackUntilEarlierCasesFinish) {
  const auto run = sorted_sample();
  std::ostringstream live;
  TerminalProgress progress(live, {}, ids_of(run));
  progress.case_finished(run.cases[2]);
  EXPECT_EQ(live.str(), "");
  progress.case_finished(run.cases[0]);
  EXPECT_NE(live.str().find("generic/3.5/preface"), std::string::npos);
  EXPECT_EQ(live.str().find("goaway-on-stream"), std::string::npos) << live.str();
  progress.case_finished(run.cases[1]);
  EXPECT_LT(live.str().find("goaway-closed"), live.str().find("goaway-on-stream")) << live.str();
  const auto kept = progress.finished();
  ASSERT_EQ(kept.size(), 3u);
  ASSERT_TRUE(std::any_of(run.cases.begin(), run.cases.begin() + 3, [](const auto& c) { return !c.transcript.empty(); }))
      << "the sample must give a printed case a transcript";
  for (const auto& c : kept) EXPECT_TRUE(c.transcript.empty()) << c.id << ": printed, so not kept twice";
}

TEST(TerminalProgress, ClosePrintsWhatFinishedBehindCasesThatNeverDid) {
  const auto run = sorted_sample();
  std::ostringstream live;
  TerminalProgress progress(live, {}, ids_of(run));
  progress.case_finished(run.cases[3]);
  progress.case_finished(run.cases[1]);
  EXPECT_EQ(live.str(), "");
  ASSERT_EQ(progress.finished().size(), 2u);
  EXPECT_EQ(progress.finished()[0].id, run.cases[1].id);
  EXPECT_EQ(progress.finished()[0].transcript.size(), run.cases[1].transcript.size())
      << "a case held back keeps its transcript";
  progress.close();
  EXPECT_LT(live.str().find("goaway-closed"), live.str().find("window-max")) << live.str();
  const std::string closed = live.str();
  progress.case_finished(run.cases[0]);
  EXPECT_EQ(live.str(), closed) << "nothing is printed after close";
}

TEST(TerminalProgress, ShowsAndErasesAStatusLineOnlyWhenLive) {
  const auto run = sorted_sample();
  engine::Case first, second;
  first.id = run.cases[0].id;
  second.id = run.cases[1].id;
  std::ostringstream piped;
  TerminalProgress quiet(piped, {}, ids_of(run));
  quiet.case_started(first);
  quiet.case_started(second);
  EXPECT_EQ(piped.str(), "");
  std::ostringstream tty;
  TerminalProgress live(tty, {}, ids_of(run), true);
  live.case_started(first);
  live.case_started(second);
  EXPECT_NE(tty.str().find("\r\x1b[Krunning: generic/3.5/preface (2 running)"), std::string::npos) << tty.str();
  live.case_finished(run.cases[0]);
  EXPECT_NE(tty.str().find("\r\x1b[KRFC 9113: HTTP/2\n"), std::string::npos) << tty.str();
  EXPECT_NE(tty.str().find("running: rfc9113/6.8/goaway-closed (1 running)"), std::string::npos) << tty.str();
  live.close();
  EXPECT_TRUE(tty.str().ends_with("\r\x1b[K")) << tty.str();
}

}  // namespace
}  // namespace h2conform::reports
