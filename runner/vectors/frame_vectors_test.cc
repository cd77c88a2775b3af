// Every http2-frame-test-case file, one named test each, decoded three ways; plus the reader's
// own behaviour on malformed files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "runner/vectors/frame_vectors.h"
#include "runner/wire/frame_test_util.h"
#include "tests/support/test_data.h"

namespace h2conform::vectors {
namespace {

namespace fs = std::filesystem;

fs::path frame_vector_dir() { return testing::vectors_dir() / "http2-frame-test-case"; }

// The files, by path relative to the vector folder. Listed here (not discovered) so that test
// names are known when ctest lists the tests; FindsEveryFile checks the folder matches.
const char* const kVectorFiles[] = {
    "continuation/header.json",
    "data/normal.json",
    "error/data-frame-padding.json",
    "error/data-frame-stream.json",
    "error/goaway-frame-stream.json",
    "error/headers-frame-padding.json",
    "error/ping-frame-size.json",
    "error/priority-frame-size.json",
    "error/push_promise-frame-padding.json",
    "error/push_promise-frame-promised_stream-odd.json",
    "error/push_promise-frame-stream.json",
    "error/rst_stream-frame-stream.json",
    "error/settings-frame-size.json",
    "error/settings-frame-stream.json",
    "error/window_update-frame-size.json",
    "goaway/normal.json",
    "headers/normal.json",
    "ping/normal.json",
    "priority/normal.json",
    "push_promise/normal.json",
    "rst_stream/normal.json",
    "settings/normal.json",
    "window_update/normal.json",
};

struct VectorFile {
  std::string name;  // test name derived from the relative path
  std::string relative;
  fs::path path() const { return frame_vector_dir() / relative; }
};

std::string test_name(std::string relative) {
  relative = relative.substr(0, relative.size() - 5);  // without ".json"
  std::replace_if(relative.begin(), relative.end(),
                  [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return relative;
}

std::vector<VectorFile> vector_files() {
  std::vector<VectorFile> files;
  for (const char* f : kVectorFiles) files.push_back({test_name(f), f});
  return files;
}

std::vector<std::string> files_on_disk() {
  std::vector<std::string> found;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(frame_vector_dir(), ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".json") {
      found.push_back(fs::relative(it->path(), frame_vector_dir()).generic_string());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

void PrintTo(const VectorFile& file, std::ostream* os) { *os << file.relative; }

class FrameVectorFile : public ::testing::TestWithParam<VectorFile> {};

TEST_P(FrameVectorFile, PassesThreeWays) {
  std::string problem;
  const auto vector = load_frame_vector(GetParam().path(), &problem);
  ASSERT_TRUE(vector) << GetParam().path() << ": " << problem;
  EXPECT_TRUE(check_frame_vector(*vector).pass) << check_frame_vector(*vector).mismatch;
  for (const auto& way :
       wire::testing::decode_three_ways(vector->wire, frame_vector_decode_options())) {
    SCOPED_TRACE(way.name);
    ASSERT_EQ(way.results.size(), 1u);
    const VectorCheck check = check_decoded(*vector, way.results[0], way.left_over);
    EXPECT_TRUE(check.pass) << check.mismatch;
  }
}

INSTANTIATE_TEST_SUITE_P(Http2FrameTestCase, FrameVectorFile, ::testing::ValuesIn(vector_files()),
                         [](const auto& p) { return p.param.name; });

TEST(FrameVectors, FindsEveryFile) {
  ASSERT_FALSE(testing::source_dir().empty()) << "H2CONFORM_SOURCE_DIR is not set";
  std::vector<std::string> listed(std::begin(kVectorFiles), std::end(kVectorFiles));
  EXPECT_EQ(files_on_disk(), listed) << "in " << frame_vector_dir();
}

struct BadFileRow {
  const char* name;
  const char* text;
  const char* problem_part;
};

const BadFileRow kBadFiles[] = {
    {"NotJson", "{\"wire\": ", "malformed JSON"},
    {"NotObject", "[1, 2]", "not a JSON object"},
    {"NoWire", "{\"frame\": null, \"error\": [1]}", "`wire` is missing"},
    {"WireNotHex", "{\"wire\": \"0G\", \"frame\": null, \"error\": [1]}", "not hex"},
    {"OddHex", "{\"wire\": \"000\", \"frame\": null, \"error\": [1]}", "not hex"},
    {"NeitherFrameNorError", "{\"wire\": \"00\", \"frame\": null, \"error\": null}", "exactly one"},
    {"BothFrameAndError", "{\"wire\": \"00\", \"frame\": {}, \"error\": [1]}", "exactly one"},
    {"ErrorNotArray", "{\"wire\": \"00\", \"frame\": null, \"error\": 1}", "neither null nor an array"},
    {"ErrorNotCode", "{\"wire\": \"00\", \"frame\": null, \"error\": [\"x\"]}", "not an error code"},
    {"ErrorEmpty", "{\"wire\": \"00\", \"frame\": null, \"error\": []}", "empty array"},
    {"FrameNotObject", "{\"wire\": \"00\", \"frame\": 3, \"error\": null}", "`frame` is neither"},
};

void PrintTo(const BadFileRow& row, std::ostream* os) { *os << row.name; }

class FrameVectorReader : public ::testing::TestWithParam<BadFileRow> {};

TEST_P(FrameVectorReader, NamesWhatIsWrong) {
  std::string problem;
  EXPECT_FALSE(parse_frame_vector(GetParam().text, &problem));
  EXPECT_NE(problem.find(GetParam().problem_part), std::string::npos) << problem;
}

INSTANTIATE_TEST_SUITE_P(BadFiles, FrameVectorReader, ::testing::ValuesIn(kBadFiles),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(FrameVectors, UnreadableFileIsReported) {
  std::string problem;
  EXPECT_FALSE(load_frame_vector(frame_vector_dir() / "no-such-file.json", &problem));
  EXPECT_EQ(problem, "cannot read file");
}

TEST(FrameVectors, DetectsWrongExpectations) {
  std::string problem;
  auto v = parse_frame_vector(
      R"({"wire": "0000080600000000006465616462656566", "error": null, "frame": {"length": 8,
          "type": 6, "flags": 0, "stream_identifier": 0,
          "frame_payload": {"opaque_data": "deadbeeF"}}})",
      &problem);
  ASSERT_TRUE(v) << problem;
  const VectorCheck c = check_frame_vector(*v);
  EXPECT_FALSE(c.pass);
  EXPECT_NE(c.mismatch.find("deadbeef"), std::string::npos) << c.mismatch;
  v = parse_frame_vector(R"({"wire": "000004060000000000AAAAAAAA", "frame": null, "error": [1]})",
                         &problem);
  ASSERT_TRUE(v) << problem;
  EXPECT_NE(check_frame_vector(*v).mismatch.find("got FRAME_SIZE_ERROR"), std::string::npos);
  v = parse_frame_vector(R"({"wire": "00000806000000000064", "frame": null, "error": [6]})",
                         &problem);
  ASSERT_TRUE(v) << problem;
  EXPECT_EQ(check_frame_vector(*v).mismatch, "expected FRAME_SIZE_ERROR, got an incomplete frame");
}

TEST(FrameVectors, TrailingOctetsAreAMismatch) {
  std::string problem;
  auto v = parse_frame_vector(R"({"wire": "000000040100000000FF", "error": null, "frame": {
      "length": 0, "type": 4, "flags": 1, "stream_identifier": 0,
      "frame_payload": {"settings": []}}})", &problem);
  ASSERT_TRUE(v) << problem;
  EXPECT_EQ(check_frame_vector(*v).mismatch, "wire holds 1 octets after the frame");
}

TEST(FrameVectors, OctetStringsMapToLatin1CodePoints) {
  const wire::Bytes octets = {0x00, 0x41, 0x7f, 0x80, 0xff};
  const wire::Frame f{{}, wire::UnknownFrame{octets}};
  const std::string text = frame_to_vector_json(f)["frame_payload"]["payload"].get<std::string>();
  EXPECT_EQ(text, std::string("\0A\x7f\xc2\x80\xc3\xbf", 7));
  EXPECT_EQ(octets_from_vector_string(text), octets);
  EXPECT_FALSE(octets_from_vector_string("\xe2\x82\xac"));
}

TEST(FrameVectors, NullFieldsWhereTheFormatSaysSo) {
  const wire::Frame headers{{0, 0x1, 0x4, false, 1}, wire::HeadersFrame{{0x61}, {}, {}}};
  const auto payload = frame_to_vector_json(headers)["frame_payload"];
  for (const char* key : {"stream_dependency", "exclusive", "weight", "padding_length", "padding"}) {
    EXPECT_TRUE(payload.at(key).is_null()) << key;
  }
}

}  // namespace
}  // namespace h2conform::vectors
