#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/baseline.h"

namespace h2conform::reports {
namespace {

using engine::Verdict;

std::string parse(const std::string& text, KnownFailures* out) {
  std::istringstream in(text);
  return parse_known_failures(in, "peers/nghttpd.known", out);
}

TEST(KnownFailures, ParsesIdsVerdictsCommentsAndBlankLines) {
  KnownFailures known;
  ASSERT_EQ(parse("# nghttpd 1.52.0\n\nrfc9113/6.8/goaway-on-stream\n"
                  "rfc9113/6.9/window-max\terror   # flaky on slow machines\r\n"
                  "   \t\n  rfc7541/4.2/size-update\ttarget_down\n",
                  &known),
            "");
  EXPECT_EQ(known.source, "peers/nghttpd.known");
  ASSERT_EQ(known.entries.size(), 3u);
  EXPECT_EQ(known.entries.at("rfc9113/6.8/goaway-on-stream").verdict, std::nullopt);
  EXPECT_EQ(known.entries.at("rfc9113/6.8/goaway-on-stream").line, 3);
  EXPECT_EQ(known.entries.at("rfc9113/6.9/window-max").verdict, Verdict::kError);
  EXPECT_EQ(known.entries.at("rfc7541/4.2/size-update").verdict, Verdict::kTargetDown);
}

struct ErrorRow {
  const char* name;
  const char* text;
  const char* error;
};
class KnownFailuresError : public ::testing::TestWithParam<ErrorRow> {};
TEST_P(KnownFailuresError, NamesTheFileAndLine) {
  KnownFailures known;
  EXPECT_EQ(parse(GetParam().text, &known), GetParam().error);
}
INSTANTIATE_TEST_SUITE_P(
    Rows, KnownFailuresError,
    ::testing::Values(
        ErrorRow{"unknown_verdict", "# c\na/1\tmaybe\n", "peers/nghttpd.known:2: unknown verdict \"maybe\" (fail, error or target_down)"},
        ErrorRow{"passing_verdict", "a/1\tpass\n", "peers/nghttpd.known:1: verdict \"pass\" is not a failure (fail, error or target_down)"},
        ErrorRow{"space_instead_of_tab", "a/1 fail\n", "peers/nghttpd.known:1: expected a tab between the case id and the verdict in \"a/1 fail\""},
        ErrorRow{"two_verdicts", "a/1\tfail error\n", "peers/nghttpd.known:1: expected one verdict after the tab, got \"fail error\""},
        ErrorRow{"bad_id", "\n\na<b>/1\n", "peers/nghttpd.known:3: \"a<b>/1\" is not a case id (letters, digits and . / _ -)"},
        ErrorRow{"empty_id", "\tfail\n", "peers/nghttpd.known:1: \"\" is not a case id (letters, digits and . / _ -)"},
        ErrorRow{"duplicate", "a/1\nb/1\na/1\terror\n", "peers/nghttpd.known:3: duplicate case id \"a/1\" (first on line 1)"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(KnownFailures, ReportsAFileThatCannotBeOpened) {
  KnownFailures known;
  EXPECT_EQ(load_known_failures("no/such/dir/x.known", &known), "no/such/dir/x.known: cannot open");
}

TEST(KnownFailures, LoadsAFileAndNamesItInErrors) {
  const char* dir = std::getenv("H2CONFORM_BINARY_DIR");
  auto path = std::filesystem::path(dir ? dir : ".") / "known_failures_test.known";
  {
    std::ofstream out(path);
    out << "a/1\n\nb/1\tnope\n";
  }
  KnownFailures known;
  EXPECT_EQ(load_known_failures(path, &known), path.string() + ":3: unknown verdict \"nope\" (fail, error or target_down)");
  std::filesystem::remove(path);
}

TEST(KnownFailures, WritesAListThatParsesBackAndMatchesTheRun) {
  engine::RunResult run;
  run.target = "nghttpd\nrfc9113/0/injected";
  for (auto [id, verdict] : {std::pair{"a/1", Verdict::kPass}, {"b/1", Verdict::kFail}, {"c/1", Verdict::kError},
                             {"bad id", Verdict::kFail}}) {
    engine::CaseResult c;
    c.id = id;
    c.verdict = verdict;
    run.cases.push_back(c);
  }
  std::ostringstream out;
  write_known_failures(run, out);
  KnownFailures known;
  ASSERT_EQ(parse(out.str(), &known), "") << out.str();
  ASSERT_EQ(known.entries.size(), 2u) << out.str();
  EXPECT_EQ(known.entries.at("b/1").verdict, Verdict::kFail);
  EXPECT_EQ(known.entries.at("c/1").verdict, Verdict::kError);
  EXPECT_NE(out.str().find("# left out: a failing case"), std::string::npos);
  run.cases.pop_back();
  EXPECT_EQ(diff_exit_code(compare_to_known_failures(known, run)), 0);
}

}  // namespace
}  // namespace h2conform::reports
