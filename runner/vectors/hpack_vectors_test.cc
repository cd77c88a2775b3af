// Every hpack-test-case story, one named test each, plus the reader's behaviour on malformed
// or mismatching stories.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "runner/vectors/hpack_vectors.h"
#include "tests/support/hpack_stories.h"

namespace h2conform::vectors {
namespace {

namespace fs = std::filesystem;

fs::path hpack_story_dir() { return testing::hpack_stories_dir(); }
std::vector<std::string> story_files() { return testing::hpack_story_files(); }

TEST(HpackVectors, StoryListMatchesTheFolder) {
  ASSERT_FALSE(testing::source_dir().empty()) << "H2CONFORM_SOURCE_DIR is not set";
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(hpack_story_dir(), ec)) {
    if (e.path().extension() == ".json") {
      found.push_back(fs::relative(e.path(), hpack_story_dir()).generic_string());
    }
  }
  ASSERT_FALSE(ec) << ec.message();
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, story_files());
}

class HpackStory : public ::testing::TestWithParam<std::string> {};

TEST_P(HpackStory, DecodesEveryCaseToItsHeaders) {
  std::string problem;
  const auto story = load_hpack_story(hpack_story_dir() / GetParam(), &problem);
  ASSERT_TRUE(story) << GetParam() << ": " << problem;
  ASSERT_FALSE(story->cases.empty());
  const auto results = check_hpack_story(*story);
  ASSERT_EQ(results.size(), story->cases.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].pass) << "seqno " << story->cases[i].seqno << ": " << results[i].mismatch;
  }
}

std::string story_test_name(const ::testing::TestParamInfo<std::string>& row) {
  std::string name = row.param.substr(0, row.param.size() - 5);
  std::replace_if(name.begin(), name.end(),
                  [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Stories, HpackStory, ::testing::ValuesIn(story_files()), story_test_name);

struct BadStory {
  const char* name;
  const char* text;
  const char* problem;
};

class HpackVectorsMalformed : public ::testing::TestWithParam<BadStory> {};

TEST_P(HpackVectorsMalformed, NamesTheProblem) {
  std::string problem;
  EXPECT_FALSE(parse_hpack_story(GetParam().text, &problem));
  EXPECT_NE(problem.find(GetParam().problem), std::string::npos) << problem;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, HpackVectorsMalformed,
    ::testing::Values(
        BadStory{"NotJson", "{\"cases\": [", "malformed JSON"},
        BadStory{"NoCases", "{\"description\": \"x\"}", "no `cases` array"},
        BadStory{"WireNotHex", R"({"cases":[{"wire":"8z","headers":[]}]})", "cases[0].wire is not hex"},
        BadStory{"WireOdd", R"({"cases":[{"wire":"828","headers":[]}]})", "cases[0].wire is not hex"},
        BadStory{"NoWire", R"({"cases":[{"headers":[]}]})", "cases[0].wire is missing"},
        BadStory{"HeadersNotArray", R"({"cases":[{"wire":"82","headers":{}}]})",
                 "cases[0].headers is missing"},
        BadStory{"HeaderTwoMembers", R"({"cases":[{"wire":"82","headers":[{"a":"b","c":"d"}]}]})",
                 "cases[0].headers[0] is not a one-member object"},
        BadStory{"NegativeTableSize",
                 R"({"cases":[{"wire":"82","headers":[],"header_table_size":-1}]})",
                 "cases[0].header_table_size"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(HpackVectors, ReportsAMismatchingHeader) {
  std::string problem;
  const auto story = parse_hpack_story(
      R"({"cases":[{"seqno":0,"wire":"8286","headers":[{":method":"GET"},{":scheme":"https"}]}]})",
      &problem);
  ASSERT_TRUE(story) << problem;
  const auto results = check_hpack_story(*story);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].pass);
  EXPECT_EQ(results[0].mismatch,
            R"(field 1: decoded {":scheme":"http"}, expected {":scheme":"https"})");
}

TEST(HpackVectors, ReportsAMissingField) {
  std::string problem;
  const auto story = parse_hpack_story(
      R"({"cases":[{"wire":"82","headers":[{":method":"GET"},{":path":"/"}]}]})", &problem);
  ASSERT_TRUE(story) << problem;
  EXPECT_EQ(check_hpack_story(*story)[0].mismatch, "decoded 1 fields, expected 2");
}

TEST(HpackVectors, HonoursHeaderTableSizeForLaterCases) {
  // Case 1 lowers the limit to 100 and starts with a size update to 100; case 2 tries 200.
  std::string problem;
  const auto story = parse_hpack_story(
      R"({"cases":[{"wire":"82","headers":[{":method":"GET"}]},
                   {"wire":"3f4582","header_table_size":100,"headers":[{":method":"GET"}]},
                   {"wire":"3fa90182","headers":[{":method":"GET"}]}]})",
      &problem);
  ASSERT_TRUE(story) << problem;
  const auto results = check_hpack_story(*story);
  EXPECT_TRUE(results[0].pass) << results[0].mismatch;
  EXPECT_TRUE(results[1].pass) << results[1].mismatch;
  EXPECT_FALSE(results[2].pass);
  ASSERT_TRUE(results[2].error);
  EXPECT_NE(results[2].error->reason.find("exceeds the limit 100"), std::string::npos);
}

TEST(HpackVectors, RendersTheStoryShape) {
  HpackCase c;
  c.seqno = 4;
  c.wire = {0x82};
  HpackCaseResult r;
  r.decoded = {{":method", "GET"}, {"x", std::string("\xff", 1)}};
  EXPECT_EQ(hpack_result_to_json(c, r).dump(),
            R"({"headers":[{":method":"GET"},{"x":"ÿ"}],"seqno":4,"wire":"82"})");
}

}  // namespace
}  // namespace h2conform::vectors
