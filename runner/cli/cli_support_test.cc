#include "runner/cli/cli_support.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/test_data.h"

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

engine::CaseResult case_result(const std::string& id, engine::Verdict verdict) {
  engine::CaseResult c;
  c.id = id;
  c.verdict = verdict;
  return c;
}

TEST(CliBaseline, RenamesAliasedResultsToTheCurrentId) {
  const std::map<std::string, std::string> aliases = {{"rfc9113/4.3/old", "rfc9113/6.2/new"},
                                                      {"rfc9113/4.3/twin", "rfc9113/6.2/kept"}};
  Baseline b;
  b.run.emplace();
  b.run->cases = {case_result("rfc9113/4.3/old", engine::Verdict::kFail),
                  case_result("rfc9113/4.3/twin", engine::Verdict::kFail),
                  case_result("rfc9113/6.2/kept", engine::Verdict::kPass),
                  case_result("rfc9113/6.3/other", engine::Verdict::kPass)};
  rename_aliases(aliases, &b);
  std::vector<std::string> ids;
  for (const auto& c : b.run->cases) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"rfc9113/6.2/new", "rfc9113/6.2/kept", "rfc9113/6.3/other"}));
  EXPECT_EQ(b.run->cases[0].verdict, engine::Verdict::kFail);
}

TEST(CliBaseline, RenamesAliasedKnownFailures) {
  const std::map<std::string, std::string> aliases = {{"rfc9113/4.3/old", "rfc9113/6.2/new"}};
  Baseline b;
  b.known.entries["rfc9113/4.3/old"] = {"rfc9113/4.3/old", engine::Verdict::kFail, 3};
  b.known.entries["rfc9113/6.3/other"] = {"rfc9113/6.3/other", std::nullopt, 4};
  rename_aliases(aliases, &b);
  ASSERT_EQ(b.known.entries.count("rfc9113/6.2/new"), 1u);
  EXPECT_EQ(b.known.entries.at("rfc9113/6.2/new").id, "rfc9113/6.2/new");
  EXPECT_EQ(b.known.entries.at("rfc9113/6.2/new").line, 3);
  EXPECT_EQ(b.known.entries.count("rfc9113/4.3/old"), 0u);
  EXPECT_EQ(b.known.entries.size(), 2u);
}

TEST(CliToken, AcceptsMethodNamesOnly) {
  EXPECT_TRUE(is_token("GET"));
  EXPECT_TRUE(is_token("M-SEARCH"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("GET /"));
}

TEST(CliDefaults, EnvironmentOverridesTheFolders) {
  setenv("H2CONFORM_CASES_DIR", "/some/cases", 1);
  setenv("H2CONFORM_SPECS_DIR", "/some/specs", 1);
  EXPECT_EQ(default_cases_dir(), "/some/cases");
  EXPECT_EQ(default_specs_dir(), std::filesystem::path("/some/specs"));
  EXPECT_EQ(default_reasons_dir("/x/cases"), std::filesystem::path("/x/docs/coverage"));
  unsetenv("H2CONFORM_CASES_DIR");
  unsetenv("H2CONFORM_SPECS_DIR");
}

// A prefix layout under a temp folder: bin/, share/h2conform/{cases,specs}, and a source tree.
class CliDataDir : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("h2conform-datadir-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "prefix" / "bin");
    std::filesystem::create_directories(root_ / "src" / "build" / "runner" / "cli");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void make_data(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir / "cases");
    std::filesystem::create_directories(dir / "specs");
  }
  std::filesystem::path root_;
};

TEST_F(CliDataDir, PrefersTheInstallPrefix) {
  make_data(root_ / "prefix" / "share" / "h2conform");
  make_data(root_ / "src");
  EXPECT_EQ(data_dir_for(root_ / "prefix" / "bin", "../src"), root_ / "prefix" / "share" / "h2conform");
}

TEST_F(CliDataDir, FindsTheSourceTreeFromTheBuildTree) {
  make_data(root_ / "src");
  EXPECT_EQ(data_dir_for(root_ / "src" / "build" / "runner" / "cli", "../../.."), root_ / "src");
}

TEST_F(CliDataDir, NeedsBothCasesAndSpecs) {
  std::filesystem::create_directories(root_ / "src" / "cases");
  // Without specs/ the source tree is not a data folder: the answer is the prefix's, which
  // names where the data belongs.
  EXPECT_EQ(data_dir_for(root_ / "src" / "build" / "runner" / "cli", "../../.."),
            root_ / "src" / "build" / "runner" / "share" / "h2conform");
  EXPECT_EQ(data_dir_for(root_ / "prefix" / "bin", ""), root_ / "prefix" / "share" / "h2conform");
}

TEST(CliDefaults, TheBuiltBinaryFindsTheRepositoryData) {
  // This test binary is built beside h2conform, so the configured relative path applies.
  EXPECT_EQ(std::filesystem::canonical(data_dir_for(std::filesystem::path(H2CONFORM_BINARY).parent_path(),
                                                    H2CONFORM_SOURCE_FROM_BINARY)),
            std::filesystem::canonical(h2conform::testing::source_dir()));
}

}  // namespace
}  // namespace h2conform::cli
