#include "runner/cli/cli_support.h"

#include <gtest/gtest.h>

namespace h2conform::cli {
namespace {

struct HeaderRow {
  const char* name;
  std::string text;
  bool valid;
  std::string header_name, value;
  friend void PrintTo(const HeaderRow& row, std::ostream* os) { *os << row.name; }
};
class CliHeader : public ::testing::TestWithParam<HeaderRow> {};
TEST_P(CliHeader, ChecksAndSplitsNameValue) {
  const auto& row = GetParam();
  EXPECT_EQ(check_header(row.text).empty(), row.valid) << check_header(row.text);
  if (!row.valid) return;
  EXPECT_EQ(split_header(row.text), std::make_pair(row.header_name, row.value));
}
INSTANTIATE_TEST_SUITE_P(
    Rows, CliHeader,
    ::testing::Values(HeaderRow{"plain", "x-test:1", true, "x-test", "1"},
                      HeaderRow{"spaces_trimmed", "x-test:  a b \t", true, "x-test", "a b"},
                      HeaderRow{"upper_case_lowered", "X-Test: v", true, "x-test", "v"},
                      HeaderRow{"empty_value", "x-test:", true, "x-test", ""},
                      HeaderRow{"colon_in_value", "x-url: http://a", true, "x-url", "http://a"},
                      HeaderRow{"no_colon", "x-test", false, "", ""},
                      HeaderRow{"empty_name", ":v", false, "", ""},
                      HeaderRow{"space_in_name", "x test:v", false, "", ""},
                      HeaderRow{"newline_in_value", "x-test:a\nb", false, "", ""},
                      HeaderRow{"nul_in_value", std::string("x-test:a\0b", 10), false, "", ""}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(CliToken, AcceptsMethodNamesOnly) {
  EXPECT_TRUE(is_token("GET"));
  EXPECT_TRUE(is_token("M-SEARCH"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("GET /"));
}

TEST(CliDefaults, EnvironmentOverridesTheFolders) {
  setenv("H2CONFORM_CASES_DIR", "/some/cases", 1);
  setenv("H2CONFORM_SHARED_DIR", "/some/shared", 1);
  EXPECT_EQ(default_cases_dir(), "/some/cases");
  EXPECT_EQ(default_specs_dir(), std::filesystem::path("/some/shared/specs"));
  EXPECT_EQ(default_reasons_dir("/x/cases"), std::filesystem::path("/x/docs/coverage"));
  unsetenv("H2CONFORM_CASES_DIR");
}

}  // namespace
}  // namespace h2conform::cli
