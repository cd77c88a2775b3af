// Every hpack-test-case story (tests/vectors/): its wire blocks decode to its header lists, and its header
// lists, encoded with one encoder per story, decode back (any valid encoding is acceptable).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "runner/hpack/hpack.h"
#include "tests/support/hpack_stories.h"

namespace h2conform::hpack {
namespace {

namespace fs = std::filesystem;

fs::path stories_dir() { return testing::hpack_stories_dir(); }
std::vector<std::string> story_files() { return testing::hpack_story_files(); }

std::vector<HeaderList> load_lists(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  const nlohmann::json story = nlohmann::json::parse(in);
  std::vector<HeaderList> lists;
  for (const auto& c : story.at("cases")) {
    HeaderList l;
    for (const auto& h : c.at("headers")) {
      for (const auto& [name, value] : h.items()) l.push_back({name, value.get<std::string>()});
    }
    lists.push_back(std::move(l));
  }
  return lists;
}

struct WireCase {
  std::optional<std::uint32_t> table_size;
  Bytes wire;
  HeaderList headers;
};

Bytes hex_bytes(const std::string& hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::vector<WireCase> load_cases(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  const nlohmann::json story = nlohmann::json::parse(in);
  std::vector<WireCase> cases;
  for (const auto& c : story.at("cases")) {
    WireCase w;
    if (c.contains("header_table_size") && !c["header_table_size"].is_null()) {
      w.table_size = c["header_table_size"].get<std::uint32_t>();
    }
    w.wire = hex_bytes(c.at("wire").get<std::string>());
    for (const auto& h : c.at("headers")) {
      for (const auto& [name, value] : h.items()) w.headers.push_back({name, value.get<std::string>()});
    }
    cases.push_back(std::move(w));
  }
  return cases;
}

class HpackStoryDecoding : public ::testing::TestWithParam<std::string> {};

TEST_P(HpackStoryDecoding, DecodesEveryWireBlock) {
  ASSERT_FALSE(testing::source_dir().empty()) << "H2CONFORM_SOURCE_DIR is not set";
  const auto cases = load_cases(stories_dir() / GetParam());
  Decoder decoder;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].table_size) decoder.set_protocol_max_table_size(*cases[i].table_size);
    HeaderList out;
    const auto err = decoder.decode(cases[i].wire, &out);
    ASSERT_FALSE(err) << "case " << i << ": " << err->reason << " at " << err->offset;
    ASSERT_EQ(out, cases[i].headers) << "case " << i;
  }
}

class HpackStoryEncoding : public ::testing::TestWithParam<std::string> {};

TEST_P(HpackStoryEncoding, EncodesAndDecodesEveryList) {
  ASSERT_FALSE(testing::source_dir().empty()) << "H2CONFORM_SOURCE_DIR is not set";
  const auto lists = load_lists(stories_dir() / GetParam());
  ASSERT_FALSE(lists.empty());
  for (bool selective : {false, true}) {
    EncoderOptions options;
    options.selective_indexing = selective;
    Encoder encoder;
    Decoder decoder;
    Bytes wire;
    for (std::size_t i = 0; i < lists.size(); ++i) {
      wire.clear();
      encoder.encode_into(wire, lists[i], options);
      HeaderList out;
      const auto err = decoder.decode(wire, &out);
      ASSERT_FALSE(err) << "case " << i << ": " << err->reason << " at " << err->offset;
      ASSERT_EQ(out, lists[i]) << "case " << i << (selective ? " selective" : "");
      ASSERT_EQ(decoder.table().size(), encoder.table().size()) << "case " << i;
    }
  }
}

std::string story_name(const ::testing::TestParamInfo<std::string>& row) {
  std::string name = row.param.substr(0, row.param.size() - 5);  // without ".json"
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Stories, HpackStoryEncoding, ::testing::ValuesIn(story_files()),
                         story_name);
INSTANTIATE_TEST_SUITE_P(Stories, HpackStoryDecoding, ::testing::ValuesIn(story_files()),
                         story_name);

}  // namespace
}  // namespace h2conform::hpack
