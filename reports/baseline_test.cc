#include "reports/baseline.h"

#include <gtest/gtest.h>

#include <optional>
#include <sstream>

namespace h2conform::reports {
namespace {

using engine::Verdict;

engine::RunResult run_of(std::vector<std::pair<std::string, Verdict>> cases) {
  engine::RunResult run;
  run.target = "127.0.0.1:8443 (tls)";
  run.started_at = "2024-05-01T10:00:00Z";
  for (auto& [id, verdict] : cases) {
    engine::CaseResult c;
    c.id = id;
    c.verdict = verdict;
    c.reason = "reason of " + id;
    run.cases.push_back(c);
  }
  return run;
}

struct ChangeRow {
  const char* name;
  std::optional<Verdict> before, after;
  std::optional<Change> change;  // nullopt: unchanged
};
class BaselineCompare : public ::testing::TestWithParam<ChangeRow> {};
TEST_P(BaselineCompare, ClassifiesEachVerdictChange) {
  const auto& row = GetParam();
  engine::RunResult baseline, current;
  if (row.before) baseline = run_of({{"a/1/x", *row.before}});
  if (row.after) current = run_of({{"a/1/x", *row.after}});
  BaselineDiff diff = compare_to_baseline(baseline, current);
  const CaseChange* change = diff.find("a/1/x");
  if (!row.change) {
    EXPECT_EQ(change, nullptr);
    EXPECT_EQ(diff.unchanged, 1);
    return;
  }
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->change, *row.change);
  EXPECT_EQ(change->before, row.before);
  EXPECT_EQ(change->after, row.after);
}
INSTANTIATE_TEST_SUITE_P(
    Rows, BaselineCompare,
    ::testing::Values(
        ChangeRow{"pass_to_fail", Verdict::kPass, Verdict::kFail, Change::kRegression},
        ChangeRow{"pass_to_error", Verdict::kPass, Verdict::kError, Change::kRegression},
        ChangeRow{"non_strict_to_fail", Verdict::kNonStrict, Verdict::kFail, Change::kRegression},
        ChangeRow{"skip_to_target_down", Verdict::kSkip, Verdict::kTargetDown, Change::kRegression},
        ChangeRow{"fail_to_pass", Verdict::kFail, Verdict::kPass, Change::kFixed},
        ChangeRow{"error_to_non_strict", Verdict::kError, Verdict::kNonStrict, Change::kFixed},
        ChangeRow{"fail_to_error", Verdict::kFail, Verdict::kError, Change::kChanged},
        ChangeRow{"pass_to_non_strict", Verdict::kPass, Verdict::kNonStrict, Change::kChanged},
        ChangeRow{"pass_unchanged", Verdict::kPass, Verdict::kPass, std::nullopt},
        ChangeRow{"fail_unchanged", Verdict::kFail, Verdict::kFail, std::nullopt},
        ChangeRow{"new_failing", std::nullopt, Verdict::kFail, Change::kRegression},
        ChangeRow{"new_error", std::nullopt, Verdict::kError, Change::kRegression},
        ChangeRow{"new_passing", std::nullopt, Verdict::kPass, Change::kNew},
        ChangeRow{"new_skipped", std::nullopt, Verdict::kSkip, Change::kNew},
        ChangeRow{"gone_passing", Verdict::kPass, std::nullopt, Change::kGone},
        ChangeRow{"gone_failing", Verdict::kFail, std::nullopt, Change::kGone}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(BaselineDiff, SortsChangesByIdAndCountsThem) {
  auto baseline = run_of({{"c/1", Verdict::kPass}, {"a/1", Verdict::kFail}, {"d/1", Verdict::kPass},
                          {"e/1", Verdict::kPass}});
  auto current = run_of({{"a/1", Verdict::kPass}, {"c/1", Verdict::kFail}, {"b/1", Verdict::kError},
                         {"e/1", Verdict::kPass}});
  BaselineDiff diff = compare_to_baseline(baseline, current);
  ASSERT_EQ(diff.changes.size(), 4u);
  EXPECT_EQ(diff.changes[0].id, "a/1");
  EXPECT_EQ(diff.changes[1].id, "b/1");
  EXPECT_EQ(diff.changes[3].id, "d/1");
  EXPECT_EQ(diff.count(Change::kRegression), 2);  // c/1, and b/1 which is new and fails
  EXPECT_EQ(diff.count(Change::kFixed), 1);
  EXPECT_EQ(diff.count(Change::kGone), 1);
  EXPECT_EQ(diff.unchanged, 1);
  EXPECT_EQ(diff_exit_code(diff), 1);
}

TEST(BaselineDiff, ExitsZeroWithoutRegressions) {
  auto baseline = run_of({{"a/1", Verdict::kFail}, {"b/1", Verdict::kPass}});
  auto current = run_of({{"a/1", Verdict::kPass}, {"c/1", Verdict::kPass}});
  BaselineDiff diff = compare_to_baseline(baseline, current);
  EXPECT_EQ(diff.count(Change::kFixed), 1);
  EXPECT_EQ(diff.count(Change::kGone), 1);
  EXPECT_EQ(diff.count(Change::kNew), 1);
  EXPECT_EQ(diff_exit_code(diff), 0);
}

TEST(BaselineDiff, KnownFailuresDoNotFailTheExitCode) {
  auto diff = compare_to_baseline(run_of({{"a/1", Verdict::kPass}, {"b/1", Verdict::kPass}}),
                                  run_of({{"a/1", Verdict::kFail}, {"b/1", Verdict::kError}}));
  KnownFailures known;
  known.entries["a/1"] = {"a/1", std::nullopt, 1};
  known.entries["b/1"] = {"b/1", Verdict::kFail, 2};  // listed as fail, but it errored
  mark_known_failures(known, &diff);
  EXPECT_TRUE(diff.find("a/1")->known);
  EXPECT_FALSE(diff.find("b/1")->known);
  EXPECT_EQ(diff.unknown_regressions(), 1);
  EXPECT_EQ(diff_exit_code(diff), 1);
}

TEST(BaselineDiff, ComparesARunWithAKnownFailuresList) {
  KnownFailures known;
  known.source = "nghttpd.known";
  known.entries["a/1"] = {"a/1", std::nullopt, 1};     // still failing: unchanged
  known.entries["b/1"] = {"b/1", Verdict::kFail, 2};   // passes now: fixed
  known.entries["c/1"] = {"c/1", Verdict::kError, 3};  // fails differently: changed
  known.entries["z/1"] = {"z/1", std::nullopt, 4};     // did not run: gone
  auto current = run_of({{"a/1", Verdict::kError}, {"b/1", Verdict::kPass}, {"c/1", Verdict::kFail},
                         {"d/1", Verdict::kFail}, {"e/1", Verdict::kPass}});
  BaselineDiff diff = compare_to_known_failures(known, current);
  EXPECT_EQ(diff.find("a/1"), nullptr);
  EXPECT_EQ(diff.find("b/1")->change, Change::kFixed);
  EXPECT_EQ(diff.find("c/1")->change, Change::kChanged);
  EXPECT_EQ(diff.find("d/1")->change, Change::kRegression);
  EXPECT_EQ(diff.find("z/1")->change, Change::kGone);
  EXPECT_NE(diff.find("z/1")->reason.find("nghttpd.known line 4"), std::string::npos);
  EXPECT_EQ(diff.unchanged, 2);
  EXPECT_EQ(diff_exit_code(diff), 1);
  EXPECT_EQ(diff.baseline_label, "nghttpd.known");
}

TEST(BaselineDiff, RendersTextWithGroupsAndATotalsLine) {
  auto baseline = run_of({{"a/1", Verdict::kPass}, {"b/1", Verdict::kFail}, {"g/1", Verdict::kPass}});
  auto current = run_of({{"a/1", Verdict::kFail}, {"b/1", Verdict::kPass}});
  current.cases[0].reason = "peer said \x1b[31mno";
  std::ostringstream out;
  render_diff_text(compare_to_baseline(baseline, current), out);
  std::string text = out.str();
  EXPECT_NE(text.find("Regressions (1):\n  a/1  pass -> fail\n      peer said \\x1b[31mno\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Fixed (1):\n  b/1  fail -> pass\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Gone (1):\n  g/1  pass -> none\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("Changed ("), std::string::npos);
  EXPECT_NE(text.find("1 regression, 1 fixed, 0 new, 1 gone, 0 changed, 0 unchanged\n"), std::string::npos) << text;
}

struct StandingRow {
  const char* name;
  std::optional<Verdict> before;
  Verdict after;
  Standing standing;
};
class BaselineStanding : public ::testing::TestWithParam<StandingRow> {};
TEST_P(BaselineStanding, SaysWhereACaseStands) {
  const auto& row = GetParam();
  engine::RunResult baseline;
  const engine::RunResult current = run_of({{"a/1/x", row.after}});
  if (row.before) baseline = run_of({{"a/1/x", *row.before}});
  const BaselineDiff diff = compare_to_baseline(baseline, current);
  EXPECT_EQ(to_string(standing_of(diff, current.cases[0])), to_string(row.standing));
}
INSTANTIATE_TEST_SUITE_P(
    Rows, BaselineStanding,
    ::testing::Values(StandingRow{"pass_pass", Verdict::kPass, Verdict::kPass, Standing::kSame},
                      StandingRow{"pass_fail", Verdict::kPass, Verdict::kFail, Standing::kRegression},
                      StandingRow{"skip_error", Verdict::kSkip, Verdict::kError, Standing::kRegression},
                      StandingRow{"new_fail", std::nullopt, Verdict::kFail, Standing::kRegression},
                      StandingRow{"fail_fail", Verdict::kFail, Verdict::kFail, Standing::kKnownFailure},
                      StandingRow{"fail_error", Verdict::kFail, Verdict::kError, Standing::kKnownFailure},
                      StandingRow{"fail_pass", Verdict::kFail, Verdict::kPass, Standing::kFixed},
                      StandingRow{"new_pass", std::nullopt, Verdict::kPass, Standing::kNew},
                      StandingRow{"pass_skip", Verdict::kPass, Verdict::kSkip, Standing::kChanged}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(BaselineStanding, ARegressionMarkedKnownIsAKnownFailure) {
  const engine::RunResult current = run_of({{"a/1/x", Verdict::kFail}});
  BaselineDiff diff = compare_to_baseline(run_of({{"a/1/x", Verdict::kPass}}), current);
  KnownFailures known;
  std::istringstream list("a/1/x\n");
  ASSERT_EQ(parse_known_failures(list, "known.txt", &known), "");
  mark_known_failures(known, &diff);
  EXPECT_EQ(standing_of(diff, current.cases[0]), Standing::kKnownFailure);
  EXPECT_EQ(diff_exit_code(diff), 0);
}

// Which absent baseline cases are gone: a row per kind of run.
struct ScopeRow {
  const char* name;
  std::vector<std::string> selectors;
  bool strict;
  bool interrupted;
  std::vector<std::string> gone;  // the ids reported gone
  friend void PrintTo(const ScopeRow& row, std::ostream* os) { *os << row.name; }
};
class BaselineScope : public ::testing::TestWithParam<ScopeRow> {};

TEST_P(BaselineScope, ReportsGoneOnlyForAWholeUninterruptedRun) {
  const ScopeRow& row = GetParam();
  // Baseline: a strict whole run of four cases; the current run holds only a/1/x.
  engine::RunResult baseline = run_of({{"a/1/x", Verdict::kPass}, {"a/2/must", Verdict::kFail},
                                       {"a/3/should", Verdict::kPass}, {"b/1/x", Verdict::kFail}});
  baseline.cases[2].level = "SHOULD";
  for (auto* c : {&baseline.cases[0], &baseline.cases[1], &baseline.cases[3]}) c->level = "MUST";
  engine::RunResult current = run_of({{"a/1/x", Verdict::kPass}});
  current.settings.selectors = row.selectors;
  current.settings.strict = row.strict;
  current.interrupted = row.interrupted;
  KnownFailures known;
  known.source = "known.txt";
  known.entries["a/2/must"] = {"a/2/must", std::nullopt, 1};
  for (const BaselineDiff& diff : {compare_to_baseline(baseline, current, scope_of_run(current)),
                                   compare_to_known_failures(known, current, scope_of_run(current))}) {
    std::vector<std::string> gone;
    for (const auto& c : diff.changes) {
      if (c.change == Change::kGone) gone.push_back(c.id);
    }
    std::vector<std::string> expected;
    for (const auto& id : row.gone) {
      if (diff.baseline_label != "known.txt" || id == "a/2/must") expected.push_back(id);
    }
    EXPECT_EQ(gone, expected) << diff.baseline_label;
    EXPECT_EQ(diff.count(Change::kRegression), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, BaselineScope,
    ::testing::Values(ScopeRow{"wholeStrictRun", {}, true, false, {"a/2/must", "a/3/should", "b/1/x"}},
                      ScopeRow{"wholeRunWithoutStrictSkipsShould", {}, false, false, {"a/2/must", "b/1/x"}},
                      ScopeRow{"subsetComparesOnlyItsCases", {"a/1"}, true, false, {}},
                      ScopeRow{"interruptedComparesOnlyFinishedCases", {}, true, true, {}}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(BaselineScope, ComparingOnlyPresentCasesCountsNeitherGoneNorUnchanged) {
  const engine::RunResult baseline = run_of({{"a/1/x", Verdict::kPass}, {"b/1/x", Verdict::kPass}});
  const engine::RunResult current = run_of({{"a/1/x", Verdict::kFail}});
  const BaselineDiff diff = compare_to_baseline(baseline, current, DiffScope{false, false});
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].change, Change::kRegression);
  EXPECT_EQ(diff.unchanged, 0);
  // The default scope still reports the absent case as gone (report --diff OLD NEW).
  EXPECT_EQ(compare_to_baseline(baseline, current).count(Change::kGone), 1);
}

}  // namespace
}  // namespace h2conform::reports
