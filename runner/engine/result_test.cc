// Result model tests: verdict names, counts, exit codes, stream states.
#include <gtest/gtest.h>

#include "runner/engine/result.h"
#include "runner/engine/stream_state.h"

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
