// Expression tests: syntax, names, offsets, skip for unbounded settings.
#include <gtest/gtest.h>

#include "runner/engine/connection/connection_state.h"
#include "runner/engine/case/expressions.h"

namespace h2conform::engine {
namespace {

struct ExprRow {
  const char* name;
  const char* text;
  bool valid;
  std::int64_t value;  // evaluated on a fresh client-side connection model
};

class Expressions : public ::testing::TestWithParam<ExprRow> {};

TEST_P(Expressions, ParseAndEvaluate) {
  const ExprRow& row = GetParam();
  std::string error;
  auto expr = parse_expression(row.text, &error);
  ASSERT_EQ(expr.has_value(), row.valid) << error;
  if (!expr) {
    EXPECT_FALSE(error.empty());
    return;
  }
  ConnectionState state(Role::kClient);
  ValueResult r = evaluate(*expr, state);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.value, row.value);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, Expressions,
    ::testing::Values(ExprRow{"maxFrameSizePlusOne", "$max_frame_size + 1", true, 16385},
                      ExprRow{"maxWindow", "$max_window", true, 2147483647},
                      ExprRow{"maxHeaderLength", "$max_header_length - 100", true, 3900},
                      ExprRow{"chain", "$max_window - 10 + 3", true, 2147483640},
                      ExprRow{"nextStream", "$next_stream", true, 1},
                      ExprRow{"lastStream", "$last_stream", true, 0},
                      ExprRow{"connWindow", "$conn_window - 1", true, 65534},
                      ExprRow{"streamWindow", "$stream_window", true, 65535},
                      ExprRow{"peerSetting", "$peer.INITIAL_WINDOW_SIZE", true, 65535},
                      ExprRow{"peerSettingPrefixed", "$peer.SETTINGS_MAX_FRAME_SIZE", true, 16384},
                      ExprRow{"schemeIndexOfDefaultHttps", "$scheme_index", true, 7},
                      ExprRow{"noDollar", "max_window", false, 0},
                      ExprRow{"unknownName", "$bogus", false, 0},
                      ExprRow{"unknownSetting", "$peer.BOGUS", false, 0},
                      ExprRow{"multiply", "$max_window * 2", false, 0},
                      ExprRow{"danglingPlus", "$max_window +", false, 0},
                      ExprRow{"streamZero", "$stream.0", false, 0}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(Expressions, NextStreamConsumesAndStreamNRemembers) {
  ConnectionState state(Role::kClient);
  std::string error;
  auto next = *parse_expression("$next_stream", &error);
  EXPECT_EQ(evaluate(next, state).value, 1);
  EXPECT_EQ(evaluate(next, state).value, 3);
  EXPECT_EQ(evaluate(*parse_expression("$stream.2", &error), state).value, 3);
  EXPECT_EQ(evaluate(*parse_expression("$stream.3", &error), state).status, ValueResult::Status::kError);
  ConnectionState server(Role::kServer);
  EXPECT_EQ(evaluate(next, server).value, 2);
}

TEST(Expressions, UnadvertisedUnboundedSettingSkips) {
  ConnectionState state(Role::kClient);
  std::string error;
  auto expr = *parse_expression("$peer.MAX_CONCURRENT_STREAMS + 1", &error);
  EXPECT_EQ(evaluate(expr, state).status, ValueResult::Status::kSkip);
}

struct SchemeRow {
  const char* name;
  const char* scheme;
  ValueResult::Status status;
  std::int64_t value;  // kOk: the static table index of ":scheme: <scheme>"
};

class SchemeIndex : public ::testing::TestWithParam<SchemeRow> {};

TEST_P(SchemeIndex, FollowsTheRunsScheme) {
  ConnectionState state(Role::kClient);
  state.set_scheme(GetParam().scheme);
  std::string error;
  ValueResult r = evaluate(*parse_expression("$scheme_index", &error), state);
  ASSERT_EQ(r.status, GetParam().status) << r.message;
  if (r.ok()) {
    EXPECT_EQ(r.value, GetParam().value);
  } else {
    EXPECT_NE(r.message.find(GetParam().scheme), std::string::npos) << r.message;
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, SchemeIndex,
                         ::testing::Values(SchemeRow{"http", "http", ValueResult::Status::kOk, 6},
                                           SchemeRow{"https", "https", ValueResult::Status::kOk, 7},
                                           SchemeRow{"otherSchemeHasNoEntry", "ftp", ValueResult::Status::kError, 0}),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(Expressions, RangeIsChecked) {
  ConnectionState state(Role::kClient);
  std::string error;
  Number over{*parse_expression("$max_window + 1", &error)};
  EXPECT_EQ(evaluate_value(over, state, 0x7fffffff).status, ValueResult::Status::kError);
  EXPECT_EQ(evaluate_value(Number::literal(7), state, 10).value, 7);
  EXPECT_EQ(evaluate_value(Number::literal(11), state, 10).status, ValueResult::Status::kError);
}

}  // namespace
}  // namespace h2conform::engine
