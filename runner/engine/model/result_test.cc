// Result model tests: verdict names, counts, exit codes, stream states.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "runner/engine/model/case_order.h"
#include "runner/engine/model/result.h"
#include "runner/engine/connection/stream_state.h"

namespace h2conform::engine {
namespace {

TEST(Verdicts, RoundTripThroughNames) {
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kNonStrict, Verdict::kSkip, Verdict::kError,
                    Verdict::kTargetDown}) {
    Verdict back = Verdict::kPass;
    ASSERT_TRUE(parse_verdict(to_string(v), &back)) << to_string(v);
    EXPECT_EQ(back, v);
  }
  Verdict unused;
  EXPECT_FALSE(parse_verdict("passed", &unused));
  EXPECT_EQ(to_string(Verdict::kNonStrict), "non_strict");
}

RunResult run_of(std::initializer_list<Verdict> verdicts) {
  RunResult run;
  for (Verdict v : verdicts) {
    CaseResult c;
    c.verdict = v;
    run.cases.push_back(c);
  }
  return run;
}

struct OrderRow {
  const char* name;
  const char* section_a;
  const char* id_a;
  const char* section_b;
  const char* id_b;
  friend void PrintTo(const OrderRow& row, std::ostream* os) { *os << row.name; }
};
class CatalogueOrder : public ::testing::TestWithParam<OrderRow> {};
TEST_P(CatalogueOrder, PutsTheFirstBeforeTheSecond) {
  const auto& r = GetParam();
  EXPECT_TRUE(catalogue_less(r.section_a, r.id_a, r.section_b, r.id_b));
  EXPECT_FALSE(catalogue_less(r.section_b, r.id_b, r.section_a, r.id_a));
}
INSTANTIATE_TEST_SUITE_P(
    Rows, CatalogueOrder,
    ::testing::Values(
        OrderRow{"section_before_subsection", "RFC 9113 5.1", "rfc9113/5.1/z", "RFC 9113 5.1.1", "rfc9113/5.1.1/a"},
        OrderRow{"subsections_numeric", "RFC 9113 5.1.1", "rfc9113/5.1.1/z", "RFC 9113 5.1.2", "rfc9113/5.1.2/a"},
        OrderRow{"subsection_before_next_section", "RFC 9113 5.1.2", "rfc9113/5.1.2/z", "RFC 9113 5.2", "rfc9113/5.2/a"},
        OrderRow{"nine_before_ten", "RFC 9113 6.9", "rfc9113/6.9/z", "RFC 9113 6.10", "rfc9113/6.10/a"},
        OrderRow{"ten_before_eleven_in_ids", "RFC 9113 6.5", "rfc9113/6.5/pad-2", "RFC 9113 6.5", "rfc9113/6.5/pad-10"},
        OrderRow{"generic_beside_rfc9113", "RFC 9113 3.4", "generic/3.4/client-preface", "RFC 9113 3.4", "rfc9113/3.4/x"},
        OrderRow{"generic_section_before_later_rfc9113", "RFC 9113 4.1", "generic/4.1/x", "RFC 9113 4.2", "rfc9113/4.2/a"},
        OrderRow{"rfc9113_before_hpack", "RFC 9113 8.3", "rfc9113/8.3/z", "RFC 7541 2.3", "rfc7541/2.3/a"},
        OrderRow{"hpack_before_rfc8441", "RFC 7541 6.3", "rfc7541/6.3/z", "RFC 8441 3", "rfc8441/3/a"},
        OrderRow{"rfc9218_before_rfc7540", "RFC 9218 7.1", "rfc9218/7.1/z", "RFC 7540 5.3", "rfc7540/5.3/a"},
        OrderRow{"numbers_before_appendix", "RFC 7541 6.3", "rfc7541/6.3/z", "RFC 7541 C.2.1", "rfc7541/c.2.1/a"},
        OrderRow{"known_spec_before_unknown", "RFC 7540 5.3", "rfc7540/5.3/z", "RFC 9999 1", "x/1/a"},
        OrderRow{"rfc_form_before_other_text", "RFC 9999 1", "x/1/a", "", "y/1/a"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(CatalogueOrder, SortsSectionsNumericallyAndKeepsRfc9113Together) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"RFC 9113 3.4", "generic/3.4/client-preface"}, {"RFC 9113 3.4", "rfc9113/3.4/bad-preface"},
      {"RFC 9113 5.1", "generic/5.1/1"},              {"RFC 9113 5.1", "rfc9113/5.1/idle"},
      {"RFC 9113 5.1.1", "rfc9113/5.1.1/decreasing-stream-id"},
      {"RFC 9113 5.1.2", "rfc9113/5.1.2/over-limit"}, {"RFC 9113 6.9", "rfc9113/6.9/zero"},
      {"RFC 9113 6.9.1", "rfc9113/6.9.1/overflow"},   {"RFC 9113 6.10", "rfc9113/6.10/continuation"},
      {"RFC 7541 2.3", "rfc7541/2.3/table"},          {"RFC 8441 4", "rfc8441/4/connect"},
      {"RFC 9218 4", "rfc9218/4/priority"},           {"RFC 7540 5.3", "rfc7540/5.3/dependency"}};
  auto shuffled = expected;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  std::sort(shuffled.begin(), shuffled.end(), [](const auto& a, const auto& b) {
    return catalogue_less(a.first, a.second, b.first, b.second);
  });
  EXPECT_EQ(shuffled, expected);
}

TEST(CatalogueOrder, SortsTheCasesOfARun) {
  RunResult run;
  for (const char* section : {"RFC 9113 6.10", "RFC 9113 5.1", "RFC 9113 6.9"}) {
    CaseResult c;
    c.section = section;
    c.id = std::string("rfc9113/") + section;
    run.cases.push_back(c);
  }
  const auto sorted = in_catalogue_order(run);
  ASSERT_EQ(sorted.size(), 3u);
  EXPECT_EQ(sorted[0]->section, "RFC 9113 5.1");
  EXPECT_EQ(sorted[1]->section, "RFC 9113 6.9");
  EXPECT_EQ(sorted[2]->section, "RFC 9113 6.10");
}

TEST(ExitCode, FollowsTheWorstVerdict) {
  EXPECT_EQ(exit_code_for(run_of({})), 0);
  EXPECT_EQ(exit_code_for(run_of({Verdict::kPass, Verdict::kNonStrict, Verdict::kSkip})), 0);
  EXPECT_EQ(exit_code_for(run_of({Verdict::kPass, Verdict::kFail})), 1);
  EXPECT_EQ(exit_code_for(run_of({Verdict::kFail, Verdict::kError})), 2);
  EXPECT_EQ(exit_code_for(run_of({Verdict::kTargetDown})), 2);
  RunResult not_run = run_of({});
  not_run.harness_error = "the target does not speak HTTP/2";
  EXPECT_EQ(exit_code_for(not_run), 2);
  VerdictCounts counts = count_verdicts(run_of({Verdict::kPass, Verdict::kPass, Verdict::kSkip}));
  EXPECT_EQ(counts.pass, 2);
  EXPECT_EQ(counts.skip, 1);
  EXPECT_EQ(counts.total(), 3);
}

TEST(StreamStates, FollowRfc9113Figure2) {
  EXPECT_EQ(after_send_headers(StreamState::kIdle), StreamState::kOpen);
  EXPECT_EQ(after_send_end_stream(StreamState::kOpen), StreamState::kHalfClosedLocal);
  EXPECT_EQ(after_recv_end_stream(StreamState::kHalfClosedLocal), StreamState::kClosed);
  EXPECT_EQ(after_recv_push_promise(StreamState::kIdle), StreamState::kReservedRemote);
  EXPECT_EQ(after_recv_headers(StreamState::kReservedRemote), StreamState::kHalfClosedLocal);
  EXPECT_EQ(after_send_push_promise(StreamState::kIdle), StreamState::kReservedLocal);
  EXPECT_EQ(after_send_headers(StreamState::kReservedLocal), StreamState::kHalfClosedRemote);
  EXPECT_EQ(after_rst_stream(StreamState::kOpen), StreamState::kClosed);
  EXPECT_EQ(to_string(StreamState::kHalfClosedRemote), "half-closed (remote)");
}

}  // namespace
}  // namespace h2conform::engine
