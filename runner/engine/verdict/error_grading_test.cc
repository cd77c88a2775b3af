#include "runner/engine/verdict/error_grading.h"

#include <gtest/gtest.h>

#include "runner/wire/frame.h"

namespace h2conform::engine {
namespace {

using wire::ErrorCode;

std::uint32_t c(ErrorCode code) { return static_cast<std::uint32_t>(code); }

struct Row {
  const char* name;
  ErrorCode seen;
  std::vector<std::uint32_t> named;
  CodeGrade grade;
};

class ErrorGrading : public ::testing::TestWithParam<Row> {};

TEST_P(ErrorGrading, FollowsRfc9113Section5_4) {
  const Row& row = GetParam();
  CodeJudgement j = judge_error_code(c(row.seen), row.named);
  EXPECT_EQ(j.grade, row.grade);
  EXPECT_EQ(j.why.empty(), row.grade == CodeGrade::kNamed || row.grade == CodeGrade::kOther) << j.why;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, ErrorGrading,
    ::testing::Values(
        Row{"named", ErrorCode::kFrameSizeError, {c(ErrorCode::kFrameSizeError)}, CodeGrade::kNamed},
        Row{"any_code", ErrorCode::kCancel, {}, CodeGrade::kNamed},
        Row{"one_of_several", ErrorCode::kStreamClosed,
            {c(ErrorCode::kProtocolError), c(ErrorCode::kStreamClosed)}, CodeGrade::kNamed},
        Row{"protocol_for_frame_size", ErrorCode::kProtocolError, {c(ErrorCode::kFrameSizeError)}, CodeGrade::kGeneric},
        Row{"internal_for_compression", ErrorCode::kInternalError, {c(ErrorCode::kCompressionError)},
            CodeGrade::kGeneric},
        Row{"internal_for_protocol", ErrorCode::kInternalError, {c(ErrorCode::kProtocolError)}, CodeGrade::kContested},
        Row{"no_error", ErrorCode::kNoError, {c(ErrorCode::kProtocolError)}, CodeGrade::kNoError},
        Row{"no_error_for_specific", ErrorCode::kNoError, {c(ErrorCode::kFlowControlError)}, CodeGrade::kNoError},
        Row{"other_specific", ErrorCode::kFlowControlError, {c(ErrorCode::kFrameSizeError)}, CodeGrade::kOther},
        Row{"specific_for_protocol", ErrorCode::kStreamClosed, {c(ErrorCode::kProtocolError)}, CodeGrade::kOther},
        Row{"refused_for_protocol", ErrorCode::kRefusedStream, {c(ErrorCode::kProtocolError)}, CodeGrade::kOther},
        Row{"error_where_no_error_named", ErrorCode::kProtocolError, {c(ErrorCode::kNoError)}, CodeGrade::kOther},
        Row{"protocol_where_internal_named", ErrorCode::kProtocolError, {c(ErrorCode::kInternalError)},
            CodeGrade::kOther}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ErrorGradingText, GenericNamesTheSectionAndTheCodeReplaced) {
  CodeJudgement j = judge_error_code(c(ErrorCode::kProtocolError), {c(ErrorCode::kFrameSizeError)});
  EXPECT_NE(j.why.find("§5.4"), std::string::npos) << j.why;
  EXPECT_NE(j.why.find("FRAME_SIZE_ERROR"), std::string::npos) << j.why;
}

}  // namespace
}  // namespace h2conform::engine
